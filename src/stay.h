/*
 * stay.h — a stay or a period as a half-open range of days.
 *
 * A stay is a daterange in canonical [start, end) form: the arrival day is a
 * care day, the departure day is not.  An infinite or missing bound (and the
 * dates -infinity/infinity) is reported as such, never as a number.
 */
#ifndef ACTIONPLAN_STAY_H
#define ACTIONPLAN_STAY_H

#include "postgres.h"
#include "fmgr.h"
#include "catalog/pg_type.h"
#include "utils/date.h"
#include "utils/rangetypes.h"

typedef struct DayRange
{
	bool		empty;
	bool		lo_inf;			/* no start: -infinity or unbounded */
	bool		hi_inf;			/* no end: ongoing, infinity or unbounded */
	int32		lo;				/* first day (DateADT), when !lo_inf */
	int32		hi;				/* first day after, when !hi_inf */
} DayRange;

/* Read a daterange Datum into days; the typcache is kept in fn_extra. */
static inline void
day_range(FunctionCallInfo fcinfo, Datum d, DayRange *r)
{
	RangeType  *range = DatumGetRangeTypeP(d);
	TypeCacheEntry *typcache = range_get_typcache(fcinfo, RangeTypeGetOid(range));
	RangeBound	lower,
				upper;
	bool		empty;

	range_deserialize(typcache, range, &lower, &upper, &empty);
	memset(r, 0, sizeof(*r));
	r->empty = empty;
	if (empty)
		return;
	r->lo_inf = lower.infinite || DATE_NOT_FINITE(DatumGetDateADT(lower.val));
	r->hi_inf = upper.infinite || DATE_NOT_FINITE(DatumGetDateADT(upper.val));
	/* daterange is canonical [), so no inclusive-flag arithmetic is needed */
	if (!r->lo_inf)
		r->lo = DatumGetDateADT(lower.val);
	if (!r->hi_inf)
		r->hi = DatumGetDateADT(upper.val);
}

/*
 * The same for the per-row path of aggregates: read a daterange's bounds
 * straight from its (possibly short-header) bytes, without the copy that
 * detoasting a packed value makes.  Anything but a plain daterange takes
 * day_range().
 */
static inline void
day_range_fast(FunctionCallInfo fcinfo, Datum d, DayRange *r)
{
	struct varlena *v = PG_DETOAST_DATUM_PACKED(d);
	const char *p = VARDATA_ANY(v);
	Size		len = VARSIZE_ANY_EXHDR(v);
	Oid			typid;
	char		flags;
	int32		lo = 0,
				hi = 0;
	Size		need;

	if (len < sizeof(Oid) + 1)
	{
		day_range(fcinfo, d, r);
		return;
	}
	memcpy(&typid, p, sizeof(Oid));
	flags = p[len - 1];
	need = sizeof(Oid) + 1 + ((flags & (RANGE_EMPTY | RANGE_LB_INF)) ? 0 : 4) +
		((flags & (RANGE_EMPTY | RANGE_UB_INF)) ? 0 : 4);
	/* canonical daterange only: [lower, upper) with int4 bounds, no padding */
	if (typid != DATERANGEOID || len != need ||
		(!(flags & (RANGE_EMPTY | RANGE_LB_INF)) && !(flags & RANGE_LB_INC)) ||
		(!(flags & (RANGE_EMPTY | RANGE_UB_INF)) && (flags & RANGE_UB_INC)))
	{
		day_range(fcinfo, d, r);
		return;
	}
	memset(r, 0, sizeof(*r));
	if (flags & RANGE_EMPTY)
	{
		r->empty = true;
		return;
	}
	p += sizeof(Oid);
	if (!(flags & RANGE_LB_INF))
	{
		memcpy(&lo, p, 4);
		p += 4;
	}
	if (!(flags & RANGE_UB_INF))
		memcpy(&hi, p, 4);
	r->lo_inf = (flags & RANGE_LB_INF) || DATE_NOT_FINITE(lo);
	r->hi_inf = (flags & RANGE_UB_INF) || DATE_NOT_FINITE(hi);
	r->lo = lo;
	r->hi = hi;
}

/* Write a DateADT as YYYY-MM-DD whatever DateStyle is; buf of 16 bytes. */
extern void day_iso(int32 day, char *buf);

#endif							/* ACTIONPLAN_STAY_H */
