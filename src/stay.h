/*
 * stay.h — a stay or a period as a half-open range of days, and days as
 * messages print them (ISO, whatever DateStyle is); the functions are in stay.c.
 *
 * A stay is a daterange in canonical [start, end) form: the arrival day is a
 * care day, the departure day is not.  An infinite or missing bound (and the
 * dates -infinity/infinity) is reported as such, never as a number.
 */
#ifndef ACTIONPLAN_STAY_H
#define ACTIONPLAN_STAY_H

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
 * Read a plain daterange's flags and bounds straight from its (possibly
 * short-header) bytes, without the copy that detoasting a packed value makes;
 * false for anything else (then read it with day_range or the range code).
 * Absent bounds are left 0.
 */
static inline bool
daterange_bytes(Datum d, char *flags, int32 *lo, int32 *hi)
{
	struct varlena *v = PG_DETOAST_DATUM_PACKED(d);
	const char *p = VARDATA_ANY(v);
	Size		len = VARSIZE_ANY_EXHDR(v);
	Oid			typid;
	char		f;
	Size		need;

	if (len < sizeof(Oid) + 1)
		return false;
	memcpy(&typid, p, sizeof(Oid));
	f = p[len - 1];
	need = sizeof(Oid) + 1 + ((f & (RANGE_EMPTY | RANGE_LB_INF)) ? 0 : 4) +
		((f & (RANGE_EMPTY | RANGE_UB_INF)) ? 0 : 4);
	/* canonical daterange only: [lower, upper) with int4 bounds, no padding */
	if (typid != DATERANGEOID || len != need ||
		(!(f & (RANGE_EMPTY | RANGE_LB_INF)) && !(f & RANGE_LB_INC)) ||
		(!(f & (RANGE_EMPTY | RANGE_UB_INF)) && (f & RANGE_UB_INC)))
		return false;
	*flags = f;
	*lo = *hi = 0;
	if (f & RANGE_EMPTY)
		return true;
	p += sizeof(Oid);
	if (!(f & RANGE_LB_INF))
	{
		memcpy(lo, p, 4);
		p += 4;
	}
	if (!(f & RANGE_UB_INF))
		memcpy(hi, p, 4);
	return true;
}

/* day_range for the per-row path of aggregates: no detoast copy. */
static inline void
day_range_fast(FunctionCallInfo fcinfo, Datum d, DayRange *r)
{
	char		flags;
	int32		lo,
				hi;

	if (!daterange_bytes(d, &flags, &lo, &hi))
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
	r->lo_inf = (flags & RANGE_LB_INF) || DATE_NOT_FINITE(lo);
	r->hi_inf = (flags & RANGE_UB_INF) || DATE_NOT_FINITE(hi);
	r->lo = lo;
	r->hi = hi;
}

/* Write a DateADT as YYYY-MM-DD whatever DateStyle is; buf of 16 bytes. */
extern void day_iso(int32 day, char *buf);

/* A date as palloc'd ISO text for messages (infinities too), whatever DateStyle is. */
extern char *date_iso(DateADT d);

/* Raise 22023 for a negative daily cost (öre). */
extern void check_daily_cost(int64 cost);

/* Reject an infinite date argument named what (ERROR 22008, as SQL's check_as_of), with hint. */
extern void check_date_finite(DateADT d, const char *what, const char *hint);

/* Reject an infinite as_of (ERROR 22008, as SQL's check_as_of). */
extern void check_as_of_finite(DateADT as_of);

#endif							/* ACTIONPLAN_STAY_H */
