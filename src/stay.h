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

/* Write a DateADT as YYYY-MM-DD whatever DateStyle is; buf of 16 bytes. */
extern void day_iso(int32 day, char *buf);

#endif							/* ACTIONPLAN_STAY_H */
