/*
 * census.c — care days, daily census and cost of placements.
 *
 * census(stay, daily_cost, period) adds each stay to two difference arrays
 * over the period's days (headcount and cost change on arrival and
 * departure), so memory is O(days) whatever the number of rows and each row
 * costs O(1).  The final value holds the daily headcount and daily cost; all
 * accessors and buckets read it.  rollup(census) adds states built from
 * disjoint sets of rows, over the same or other periods.
 */
#include "postgres.h"

#include "common/int.h"
#include "datatype/timestamp.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "catalog/pg_operator_d.h"
#include "nodes/makefuncs.h"
#include "nodes/primnodes.h"
#include "nodes/supportnodes.h"
#include "optimizer/optimizer.h"
#include "optimizer/plancat.h"
#include "utils/lsyscache.h"
#include "utils/builtins.h"
#include "utils/datetime.h"

#include "aggutil.h"
#include "sek.h"
#include "stay.h"

/* A period may span at most this many days (100 years). */
#define CENSUS_MAX_DAYS 36525

/*
 * Every census lies within [0001-01-01, 10000-01-01): its text form writes
 * four-digit years without an era, and this range is what it reads back, so
 * every value that input, recv or the aggregates accept survives a dump.
 * (date2j(1, 1, 1) and date2j(10000, 1, 1) from the Julian day epoch.)
 */
#define CENSUS_FIRST_DAY	(1721426 - POSTGRES_EPOCH_JDATE)
#define CENSUS_END_DAY		(5373485 - POSTGRES_EPOCH_JDATE)
/* Does [start, start + ndays) lie within the census range and length? */
static inline bool
census_period_ok(int64 start, int64 ndays)
{
	return ndays >= 1 && ndays <= CENSUS_MAX_DAYS &&
		start >= CENSUS_FIRST_DAY && start + ndays <= CENSUS_END_DAY;
}

#define CENSUS_RANGE_HINT	"A census covers days from 0001-01-01 to 9999-12-31 (its period ends at 10000-01-01 at the latest) and at most 36525 days."
#define CENSUS_SUM_HINT		"The care days and the total cost of a census must each fit in a bigint."

/* The stored value: the period and its daily headcount and cost. */
typedef struct Census
{
	int32		vl_len_;
	int32		start;			/* first day (DateADT) */
	int32		ndays;
	int32		pad;			/* keeps data 8-byte aligned */
	int64		data[FLEXIBLE_ARRAY_MEMBER];	/* persons[ndays], cost[ndays] */
} Census;

#define CENSUS_SIZE(n)		(offsetof(Census, data) + 2 * sizeof(int64) * (n))
#define CENSUS_PERSONS(c)	((c)->data)
#define CENSUS_COST(c)		((c)->data + (c)->ndays)
#define PG_GETARG_CENSUS(n) ((Census *) PG_DETOAST_DATUM(PG_GETARG_DATUM(n)))

/* Validate a period (bounded, non-empty, not too long) and return its days. */
static void
census_period(FunctionCallInfo fcinfo, Datum d, int32 *start, int32 *ndays)
{
	DayRange	p;

	day_range(fcinfo, d, &p);
	if (p.empty)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("census period is empty"),
				 errhint("Give a period such as '[2023-01-01,2024-01-01)'.")));
	if (p.lo_inf || p.hi_inf)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("census period must have a first and a last day"),
				 errhint("Give a bounded period such as '[2023-01-01,2024-01-01)'.")));
	if (p.lo < CENSUS_FIRST_DAY || p.hi > CENSUS_END_DAY)
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_FIELD_OVERFLOW),
				 errmsg("census period [%s,%s) is outside the supported dates",
						date_iso(p.lo), date_iso(p.hi)),
				 errhint(CENSUS_RANGE_HINT)));
	if ((int64) p.hi - p.lo > CENSUS_MAX_DAYS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("census period of %lld days is longer than %d days",
						(long long) p.hi - p.lo, CENSUS_MAX_DAYS),
				 errhint("Split it into shorter periods and combine them with rollup().")));
	*start = p.lo;
	*ndays = p.hi - p.lo;
}

/* Days of overlap of a stay with [plo, phi); 0 when none. */
static inline int64
overlap(const DayRange *s, int32 plo, int32 phi, int32 *from, int32 *to)
{
	int32		lo,
				hi;

	if (s->empty)
		return 0;
	lo = s->lo_inf ? plo : Max(s->lo, plo);
	hi = s->hi_inf ? phi : Min(s->hi, phi);
	*from = lo;
	*to = hi;
	return hi > lo ? (int64) hi - lo : 0;
}

/* ---------- one row ---------- */

/* Days of a stay within a period, where either may be unbounded on a side. */
static int32
stay_period_days(FunctionCallInfo fcinfo, Datum stay, Datum period)
{
	DayRange	s,
				p;
	int32		from,
				to;
	int64		n;

	day_range(fcinfo, stay, &s);
	day_range(fcinfo, period, &p);
	if (p.empty || s.empty)
		return 0;
	if ((p.lo_inf && s.lo_inf) || (p.hi_inf && s.hi_inf))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("stay and period are both unbounded on the same side"),
				 errhint("Give the period a first and a last day.")));
	/* an unbounded side of the period takes the stay's bound */
	if (p.lo_inf)
		p.lo = s.lo;
	if (p.hi_inf)
		p.hi = s.hi;
	n = overlap(&s, p.lo, p.hi, &from, &to);
	if (n > PG_INT32_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("care days out of range")));
	return (int32) n;
}

PG_FUNCTION_INFO_V1(care_days_stay);
/* care_days(stay, period): days of the stay within the period */
Datum
care_days_stay(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(stay_period_days(fcinfo, PG_GETARG_DATUM(0), PG_GETARG_DATUM(1)));
}

PG_FUNCTION_INFO_V1(stay_cost);
/* stay_cost(stay, daily_cost, period): care days in the period × daily cost */
Datum
stay_cost(PG_FUNCTION_ARGS)
{
	Sek			cost = PG_GETARG_SEK(1);
	int64		r;

	check_daily_cost(cost);
	if (pg_mul_s64_overflow(cost, stay_period_days(fcinfo, PG_GETARG_DATUM(0),
												   PG_GETARG_DATUM(2)), &r))
		sek_out_of_range("stay_cost");
	PG_RETURN_SEK(r);
}

/* ---------- stay_overlaps(stay, period) ---------- */

/*
 * The same answer as stay && period, for the WHERE clause that keeps a
 * period's stays: it reads both ranges' bytes in place, where the range
 * operator detoasts (copies) each row's range and deserialises it.  Anything
 * but two plain finite-bounded dateranges goes to the range code itself.
 */
PG_FUNCTION_INFO_V1(stay_overlaps);
/* stay_overlaps(stay, period): stay && period, without a copy per row */
Datum
stay_overlaps(PG_FUNCTION_ARGS)
{
	char		fa,
				fb;
	int32		alo,
				ahi,
				blo,
				bhi;
	RangeType  *a,
			   *b;
	TypeCacheEntry *typcache;

	if (daterange_bytes(PG_GETARG_DATUM(0), &fa, &alo, &ahi) &&
		daterange_bytes(PG_GETARG_DATUM(1), &fb, &blo, &bhi) &&
		!DATE_NOT_FINITE(alo) && !DATE_NOT_FINITE(ahi) &&
		!DATE_NOT_FINITE(blo) && !DATE_NOT_FINITE(bhi))
	{
		if ((fa | fb) & RANGE_EMPTY)
			PG_RETURN_BOOL(false);
		/* [alo, ahi) and [blo, bhi) meet when each starts before the other ends */
		PG_RETURN_BOOL(((fa & RANGE_LB_INF) || (fb & RANGE_UB_INF) || alo < bhi) &&
					   ((fb & RANGE_LB_INF) || (fa & RANGE_UB_INF) || blo < ahi));
	}
	a = PG_GETARG_RANGE_P(0);
	b = PG_GETARG_RANGE_P(1);
	typcache = range_get_typcache(fcinfo, RangeTypeGetOid(a));
	PG_RETURN_BOOL(range_overlaps_internal(typcache, a, b));
}

PG_FUNCTION_INFO_V1(stay_overlaps_support);
/*
 * Planner support for stay_overlaps: estimate it as the && operator would be
 * estimated, and let a GiST or SP-GiST index on the stay column answer it
 * through && (an exact equivalent, so nothing is rechecked).
 */
Datum
stay_overlaps_support(PG_FUNCTION_ARGS)
{
	Node	   *req = (Node *) PG_GETARG_POINTER(0);

	if (IsA(req, SupportRequestSelectivity))
	{
		SupportRequestSelectivity *sel = (SupportRequestSelectivity *) req;

		if (sel->is_join)
			sel->selectivity = join_selectivity(sel->root, OID_RANGE_OVERLAP_OP,
												sel->args, sel->inputcollid,
												sel->jointype, sel->sjinfo);
		else
			sel->selectivity = restriction_selectivity(sel->root, OID_RANGE_OVERLAP_OP,
													   sel->args, sel->inputcollid,
													   sel->varRelid);
		PG_RETURN_POINTER(sel);
	}
	if (IsA(req, SupportRequestIndexCondition))
	{
		SupportRequestIndexCondition *ic = (SupportRequestIndexCondition *) req;
		FuncExpr   *f = (FuncExpr *) ic->node;
		Node	   *key,
				   *other;

		if (!IsA(f, FuncExpr) || list_length(f->args) != 2 ||
			!op_in_opfamily(OID_RANGE_OVERLAP_OP, ic->opfamily))
			PG_RETURN_POINTER(NULL);
		/* && is symmetric: the indexed argument goes on the left */
		key = (Node *) list_nth(f->args, ic->indexarg);
		other = (Node *) list_nth(f->args, 1 - ic->indexarg);
		if (!is_pseudo_constant_for_index(ic->root, other, ic->index))
			PG_RETURN_POINTER(NULL);
		ic->lossy = false;
		PG_RETURN_POINTER(list_make1(make_opclause(OID_RANGE_OVERLAP_OP, BOOLOID, false,
												   (Expr *) key, (Expr *) other,
												   InvalidOid, InvalidOid)));
	}
	PG_RETURN_POINTER(NULL);
}

/* ---------- census(stay, daily_cost, period) ---------- */

/* Aggregate state: difference arrays over the period (ndays + 1 entries). */
typedef struct CensusState
{
	int32		start;
	int32		ndays;
	int64	   *dpersons;
	int64	   *dcost;
	bytea	   *period;			/* the period as given, to check later rows */
	bool		period_const;	/* written as a constant: no check needed */
} CensusState;

/* A new zeroed state for a period. */
static CensusState *
census_state_new(MemoryContext cxt, int32 start, int32 ndays)
{
	CensusState *st = MemoryContextAllocZero(cxt, sizeof(CensusState));

	st->start = start;
	st->ndays = ndays;
	st->dpersons = MemoryContextAllocZero(cxt, sizeof(int64) * (ndays + 1));
	st->dcost = MemoryContextAllocZero(cxt, sizeof(int64) * (ndays + 1));
	return st;
}

/* Checked *a += b. */
static inline void
add64(int64 *a, int64 b)
{
	if (pg_add_s64_overflow(*a, b, a))
		sek_out_of_range("census");
}

PG_FUNCTION_INFO_V1(census_accum);
/* census transition: add one stay's arrival and departure to the arrays */
Datum
census_accum(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	CensusState *st;
	DayRange	s;
	int32		from,
				to;
	Sek			cost;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "census_accum called in non-aggregate context");
	st = PG_ARGISNULL(0) ? NULL : (CensusState *) PG_GETARG_POINTER(0);
	if (PG_ARGISNULL(3))
		PG_RETURN_POINTER(st);	/* no period: nothing to count into */
	if (st == NULL)
	{
		int32		start,
					ndays;
		struct varlena *p = PG_DETOAST_DATUM_PACKED(PG_GETARG_DATUM(3));

		Aggref	   *agg = AggGetAggref(fcinfo);

		census_period(fcinfo, PG_GETARG_DATUM(3), &start, &ndays);
		st = census_state_new(aggcxt, start, ndays);
		st->period = MemoryContextAlloc(aggcxt, VARSIZE_ANY(p));
		memcpy(st->period, p, VARSIZE_ANY(p));
		/* the usual case, a literal period, needs no per-row check */
		st->period_const = agg != NULL && list_length(agg->args) == 3 &&
			IsA(((TargetEntry *) lthird(agg->args))->expr, Const);
	}
	else if (!st->period_const)
	{
		struct varlena *p = PG_DETOAST_DATUM_PACKED(PG_GETARG_DATUM(3));

		/* the period is normally a constant: compare bytes, parse only if they differ */
		if (VARSIZE_ANY(p) != VARSIZE_ANY(st->period) ||
			memcmp(p, st->period, VARSIZE_ANY(p)) != 0)
		{
			int32		start,
						ndays;

			census_period(fcinfo, PG_GETARG_DATUM(3), &start, &ndays);
			if (start != st->start || ndays != st->ndays)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("census period differs between rows of one group"),
						 errhint("Use one period per census; combine periods with rollup().")));
		}
	}
	/* a stay without a cost is left out entirely (documented) */
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
		PG_RETURN_POINTER(st);
	cost = PG_GETARG_SEK(2);
	check_daily_cost(cost);
	day_range_fast(fcinfo, PG_GETARG_DATUM(1), &s);
	if (overlap(&s, st->start, st->start + st->ndays, &from, &to) == 0)
		PG_RETURN_POINTER(st);
	from -= st->start;
	to -= st->start;
	st->dpersons[from]++;
	st->dpersons[to]--;
	add64(&st->dcost[from], cost);
	add64(&st->dcost[to], -cost);
	PG_RETURN_POINTER(st);
}

PG_FUNCTION_INFO_V1(census_combine);
/* census combine: add the difference arrays of two partial states */
Datum
census_combine(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	CensusState *a,
			   *b;

	aggcxt = combine_args(fcinfo, (void **) &a, (void **) &b);
	if (b == NULL)
		return state_result(fcinfo, a);
	if (a == NULL)
	{
		a = census_state_new(aggcxt, b->start, b->ndays);
		a->period = MemoryContextAlloc(aggcxt, VARSIZE_ANY(b->period));
		memcpy(a->period, b->period, VARSIZE_ANY(b->period));
	}
	if (a->start != b->start || a->ndays != b->ndays)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("census period differs between rows of one group")));
	for (int32 i = 0; i <= a->ndays; i++)
	{
		CHECK_FOR_INTERRUPTS();
		add64(&a->dpersons[i], b->dpersons[i]);
		add64(&a->dcost[i], b->dcost[i]);
	}
	PG_RETURN_POINTER(a);
}

PG_FUNCTION_INFO_V1(census_serialize);
/* census state → bytea: start, days, period bytes, then both arrays */
Datum
census_serialize(PG_FUNCTION_ARGS)
{
	CensusState *st = (CensusState *) PG_GETARG_POINTER(0);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendint32(&buf, st->start);
	pq_sendint32(&buf, st->ndays);
	pq_sendint32(&buf, VARSIZE_ANY(st->period));
	pq_sendbytes(&buf, (char *) st->period, VARSIZE_ANY(st->period));
	pq_sendbytes(&buf, (char *) st->dpersons, sizeof(int64) * (st->ndays + 1));
	pq_sendbytes(&buf, (char *) st->dcost, sizeof(int64) * (st->ndays + 1));
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* Raise 22P03 for a malformed serialized aggregate state. */
static void
pg_attribute_noreturn()
bad_state(const char *what)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
			 errmsg("invalid serialized %s", what)));
	pg_unreachable();
}

PG_FUNCTION_INFO_V1(census_deserialize);
/* bytea → census state (same machine: arrays in native byte order) */
Datum
census_deserialize(PG_FUNCTION_ARGS)
{
	bytea	   *b = PG_GETARG_BYTEA_PP(0);
	StringInfoData buf;
	CensusState *st;
	int32		start,
				ndays,
				plen;

	if (!AggCheckCallContext(fcinfo, NULL))
		elog(ERROR, "census_deserialize called in non-aggregate context");
	bytea_reader(&buf, b);
	if (buf.len < 12)
		bad_state("census state");
	start = pq_getmsgint(&buf, 4);
	ndays = pq_getmsgint(&buf, 4);
	plen = pq_getmsgint(&buf, 4);
	if (ndays < 1 || ndays > CENSUS_MAX_DAYS || plen < 1 ||
		buf.len != 12 + plen + 2 * (int) sizeof(int64) * (ndays + 1))
		bad_state("census state");
	st = census_state_new(CurrentMemoryContext, start, ndays);
	st->period = palloc(plen);
	pq_copymsgbytes(&buf, (char *) st->period, plen);
	pq_copymsgbytes(&buf, (char *) st->dpersons, sizeof(int64) * (ndays + 1));
	pq_copymsgbytes(&buf, (char *) st->dcost, sizeof(int64) * (ndays + 1));
	PG_RETURN_POINTER(st);
}

/* A census value with zeroed arrays. */
static Census *
census_alloc(int32 start, int32 ndays)
{
	Census	   *c = palloc0(CENSUS_SIZE(ndays));

	SET_VARSIZE(c, CENSUS_SIZE(ndays));
	c->start = start;
	c->ndays = ndays;
	return c;
}

/*
 * Why a census value is invalid, or NULL: its period lies outside the
 * supported dates or is too long, a day has a negative headcount or cost or
 * a cost without persons, or its care days or total cost overflow a bigint
 * (then no accessor over any sub-period can overflow).  Shared by text and
 * binary input and by the aggregates' final functions, so that whatever one
 * accepts the others read back.
 */
static const char *
census_invalid(const Census *c, int *sqlstate)
{
	int64		days = 0,
				cost = 0;

	*sqlstate = ERRCODE_DATETIME_FIELD_OVERFLOW;
	if (!census_period_ok(c->start, c->ndays))
		return "The period lies outside 0001-01-01 .. 9999-12-31 or has more than 36525 days.";
	*sqlstate = ERRCODE_INVALID_PARAMETER_VALUE;
	for (int32 i = 0; i < c->ndays; i++)
	{
		int64		p = CENSUS_PERSONS(c)[i],
					k = CENSUS_COST(c)[i];

		if (p < 0 || k < 0)
			return "A day has a negative headcount or cost.";
		if (p == 0 && k != 0)
			return "A day has a cost but no persons.";
		if (pg_add_s64_overflow(days, p, &days) || pg_add_s64_overflow(cost, k, &cost))
		{
			*sqlstate = ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE;
			return "The care days or the total cost exceed the bigint range.";
		}
	}
	return NULL;
}

/* Raise 22008, 22003 or 22023 if a census an aggregate built is not a valid value. */
static void
census_check_result(const Census *c, const char *what)
{
	int			sqlstate;
	const char *why = census_invalid(c, &sqlstate);

	if (why != NULL)
		ereport(ERROR,
				(errcode(sqlstate),
				 errmsg("%s result out of range", what),
				 errdetail("%s", why),
				 errhint(sqlstate == ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE ?
						 CENSUS_SUM_HINT : CENSUS_RANGE_HINT)));
}

PG_FUNCTION_INFO_V1(census_final);
/* census final: running sums of the difference arrays give each day */
Datum
census_final(PG_FUNCTION_ARGS)
{
	CensusState *st = PG_ARGISNULL(0) ? NULL : (CensusState *) PG_GETARG_POINTER(0);
	Census	   *c;
	int64		persons = 0,
				cost = 0;

	if (st == NULL)
		PG_RETURN_NULL();
	c = census_alloc(st->start, st->ndays);
	for (int32 i = 0; i < st->ndays; i++)
	{
		add64(&persons, st->dpersons[i]);
		add64(&cost, st->dcost[i]);
		CENSUS_PERSONS(c)[i] = persons;
		CENSUS_COST(c)[i] = cost;
	}
	census_check_result(c, "census");
	PG_RETURN_POINTER(c);
}

/* ---------- text and binary I/O ---------- */

/* Append one array run-length encoded: "v" or "v*n", comma-separated. */
static void
append_rle(StringInfo s, const int64 *v, int32 n)
{
	for (int32 i = 0; i < n;)
	{
		int32		j = i + 1;

		while (j < n && v[j] == v[i])
			j++;
		if (i > 0)
			appendStringInfoChar(s, ',');
		if (j - i > 1)
			appendStringInfo(s, INT64_FORMAT "*%d", v[i], j - i);
		else
			appendStringInfo(s, INT64_FORMAT, v[i]);
		i = j;
	}
}

PG_FUNCTION_INFO_V1(census_out);
/* Text output: "[2023-01-01,2024-01-01) persons=3*31,4*28,… cost=…" (öre per day). */
Datum
census_out(PG_FUNCTION_ARGS)
{
	Census	   *c = PG_GETARG_CENSUS(0);
	StringInfoData s;
	char		a[16],
				b[16];

	day_iso(c->start, a);
	day_iso(c->start + c->ndays, b);
	initStringInfo(&s);
	appendStringInfo(&s, "[%s,%s) persons=", a, b);
	append_rle(&s, CENSUS_PERSONS(c), c->ndays);
	appendStringInfoString(&s, " cost=");
	append_rle(&s, CENSUS_COST(c), c->ndays);
	PG_RETURN_CSTRING(s.data);
}

/* Raise 22P02 for census text. */
static void
census_syntax(const char *input, const char *why)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
			 errmsg("invalid input syntax for type census: \"%.60s%s\"",
					input, strlen(input) > 60 ? "…" : ""),
			 errdetail("%s", why),
			 errhint("Census text is \"[YYYY-MM-DD,YYYY-MM-DD) persons=… cost=…\" as census output writes it.")));
}

/*
 * Parse YYYY-MM-DD at *p into a DateADT: four to seven digits of year, and
 * " BC" after it, so that a date outside the census range is recognised as a
 * date and refused as such (*day is then left outside the range).
 */
static bool
parse_iso_day(const char **p, int32 *day)
{
	int			y,
				m,
				d,
				n = 0;

	if (sscanf(*p, "%7d-%2d-%2d%n", &y, &m, &d, &n) != 3 || n < 10 || n > 13 ||
		(*p)[0] < '0' || (*p)[0] > '9' || (*p)[n - 6] != '-' ||
		y < 1 || m < 1 || m > 12 || d < 1 || d > day_tab[isleap(y)][m - 1])
		return false;
	*p += n;
	if (strncmp(*p, " BC", 3) == 0)
	{
		*p += 3;
		*day = CENSUS_FIRST_DAY - 1;	/* any BC day is before the range */
		return true;
	}
	/* 10000-01-01 is the latest end of a period; later years are out of range */
	*day = y > 10000 ? CENSUS_END_DAY + 1 : date2j(y, m, d) - POSTGRES_EPOCH_JDATE;
	return true;
}

/* Parse a non-negative int64 at *p. */
static bool
parse_count(const char **p, int64 *v)
{
	const char *s = *p;
	uint64		x = 0;

	if (*s < '0' || *s > '9')
		return false;
	while (*s >= '0' && *s <= '9')
	{
		if (x > ((uint64) PG_INT64_MAX - (*s - '0')) / 10)
			return false;
		x = x * 10 + (*s - '0');
		s++;
	}
	*v = (int64) x;
	*p = s;
	return true;
}

/* Parse one run-length encoded array of exactly n values. */
static const char *
parse_rle(const char *p, int64 *out, int32 n, const char *input)
{
	int32		i = 0;

	for (;;)
	{
		int64		v,
					rep = 1;

		if (!parse_count(&p, &v))
			census_syntax(input, "Expected a non-negative whole number.");
		if (*p == '*')
		{
			p++;
			if (!parse_count(&p, &rep) || rep < 1)
				census_syntax(input, "Expected a repeat count of at least 1 after '*'.");
		}
		if (rep > n - i)
			census_syntax(input, "More values than days in the period.");
		for (int64 k = 0; k < rep; k++)
			out[i++] = v;
		if (*p != ',')
			break;
		p++;
	}
	if (i != n)
		census_syntax(input, "Fewer values than days in the period.");
	return p;
}

PG_FUNCTION_INFO_V1(census_in);
/* Text input: the form census_out writes, fully validated. */
Datum
census_in(PG_FUNCTION_ARGS)
{
	const char *input = PG_GETARG_CSTRING(0);
	const char *p = input;
	int32		lo,
				hi;
	Census	   *c;
	const char *why;
	int			sqlstate;

	while (*p == ' ')
		p++;
	if (*p++ != '[' || !parse_iso_day(&p, &lo) || *p++ != ',' ||
		!parse_iso_day(&p, &hi) || *p++ != ')')
		census_syntax(input, "Expected a period \"[YYYY-MM-DD,YYYY-MM-DD)\".");
	if (lo < CENSUS_FIRST_DAY || hi > CENSUS_END_DAY)
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_FIELD_OVERFLOW),
				 errmsg("census value \"%.60s%s\" is out of range",
						input, strlen(input) > 60 ? "…" : ""),
				 errdetail("The period lies outside 0001-01-01 .. 9999-12-31."),
				 errhint(CENSUS_RANGE_HINT)));
	if (hi <= lo || (int64) hi - lo > CENSUS_MAX_DAYS)
		census_syntax(input, "The period must have between 1 and 36525 days.");
	c = census_alloc(lo, hi - lo);
	if (strncmp(p, " persons=", 9) != 0)
		census_syntax(input, "Expected \" persons=\".");
	p = parse_rle(p + 9, CENSUS_PERSONS(c), c->ndays, input);
	if (strncmp(p, " cost=", 6) != 0)
		census_syntax(input, "Expected \" cost=\".");
	p = parse_rle(p + 6, CENSUS_COST(c), c->ndays, input);
	while (*p == ' ')
		p++;
	if (*p != '\0')
		census_syntax(input, "Unexpected text after the cost values.");
	if ((why = census_invalid(c, &sqlstate)) != NULL)
	{
		if (sqlstate == ERRCODE_INVALID_PARAMETER_VALUE)
			census_syntax(input, why);
		ereport(ERROR,
				(errcode(sqlstate),
				 errmsg("census value \"%.60s%s\" is out of range",
						input, strlen(input) > 60 ? "…" : ""),
				 errdetail("%s", why),
				 errhint(sqlstate == ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE ?
						 CENSUS_SUM_HINT : CENSUS_RANGE_HINT)));
	}
	PG_RETURN_POINTER(c);
}

PG_FUNCTION_INFO_V1(census_send);
/* Binary output: start, days, then each day's persons and cost (int64). */
Datum
census_send(PG_FUNCTION_ARGS)
{
	Census	   *c = PG_GETARG_CENSUS(0);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendint32(&buf, c->start);
	pq_sendint32(&buf, c->ndays);
	for (int32 i = 0; i < 2 * c->ndays; i++)
		pq_sendint64(&buf, c->data[i]);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

PG_FUNCTION_INFO_V1(census_recv);
/* Binary input, validated like text input. */
Datum
census_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int32		start,
				ndays;
	Census	   *c;
	const char *why;
	int			sqlstate;

	if (buf->len - buf->cursor < 8)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary census: too short")));
	start = pq_getmsgint(buf, 4);
	ndays = pq_getmsgint(buf, 4);
	if (!census_period_ok(start, ndays))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary census: period of %d days from day %d", ndays, start),
				 errhint(CENSUS_RANGE_HINT)));
	if (buf->len - buf->cursor != 16 * ndays)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary census: expected %d bytes of days, got %d",
						16 * ndays, buf->len - buf->cursor)));
	c = census_alloc(start, ndays);
	for (int32 i = 0; i < 2 * ndays; i++)
		c->data[i] = pq_getmsgint64(buf);
	if ((why = census_invalid(c, &sqlstate)) != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary census"),
				 errdetail("%s", why)));
	PG_RETURN_POINTER(c);
}

/* ---------- accessors ---------- */

/* The days [i0, i1) of c that a sub-period covers (all days without one). */
static void
census_span(FunctionCallInfo fcinfo, const Census *c, int argno, int32 *i0, int32 *i1)
{
	DayRange	p;

	*i0 = 0;
	*i1 = c->ndays;
	if (PG_NARGS() <= argno)
		return;
	day_range(fcinfo, PG_GETARG_DATUM(argno), &p);
	if (p.empty || p.lo_inf || p.hi_inf || p.lo < c->start ||
		(int64) p.hi > (int64) c->start + c->ndays)
	{
		char		a[16],
					b[16];

		day_iso(c->start, a);
		day_iso(c->start + c->ndays, b);
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("sub-period must be a non-empty part of the census period [%s,%s)", a, b),
				 errhint("A census knows only the days of its own period.")));
	}
	*i0 = p.lo - c->start;
	*i1 = p.hi - c->start;
}

/* Care days (sum of daily headcounts) over [i0, i1). */
static int64
span_care_days(const Census *c, int32 i0, int32 i1)
{
	int64		n = 0;

	for (int32 i = i0; i < i1; i++)
		if (pg_add_s64_overflow(n, CENSUS_PERSONS(c)[i], &n))
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("care days of census out of range")));
	return n;
}

/* Cost over [i0, i1), checked. */
static int64
span_cost(const Census *c, int32 i0, int32 i1)
{
	int64		n = 0;

	for (int32 i = i0; i < i1; i++)
		add64(&n, CENSUS_COST(c)[i]);
	return n;
}

/* Highest daily headcount over [i0, i1). */
static int64
span_peak(const Census *c, int32 i0, int32 i1)
{
	int64		n = 0;

	for (int32 i = i0; i < i1; i++)
		n = Max(n, CENSUS_PERSONS(c)[i]);
	return n;
}

PG_FUNCTION_INFO_V1(census_care_days);
/* care_days(census [, period]) */
Datum
census_care_days(PG_FUNCTION_ARGS)
{
	Census	   *c = PG_GETARG_CENSUS(0);
	int32		i0,
				i1;

	census_span(fcinfo, c, 1, &i0, &i1);
	PG_RETURN_INT64(span_care_days(c, i0, i1));
}

PG_FUNCTION_INFO_V1(census_persons_per_day);
/* persons_per_day(census [, period]) = care days ÷ days */
Datum
census_persons_per_day(PG_FUNCTION_ARGS)
{
	Census	   *c = PG_GETARG_CENSUS(0);
	int32		i0,
				i1;

	census_span(fcinfo, c, 1, &i0, &i1);
	PG_RETURN_FLOAT8((float8) span_care_days(c, i0, i1) / (i1 - i0));
}

PG_FUNCTION_INFO_V1(census_peak);
/* peak(census [, period]): the highest daily headcount */
Datum
census_peak(PG_FUNCTION_ARGS)
{
	Census	   *c = PG_GETARG_CENSUS(0);
	int32		i0,
				i1;

	census_span(fcinfo, c, 1, &i0, &i1);
	PG_RETURN_INT64(span_peak(c, i0, i1));
}

PG_FUNCTION_INFO_V1(census_cost);
/* cost(census [, period]) */
Datum
census_cost(PG_FUNCTION_ARGS)
{
	Census	   *c = PG_GETARG_CENSUS(0);
	int32		i0,
				i1;

	census_span(fcinfo, c, 1, &i0, &i1);
	PG_RETURN_SEK(span_cost(c, i0, i1));
}

PG_FUNCTION_INFO_V1(census_cost_per_care_day);
/* cost_per_care_day(census [, period]); NULL without care days */
Datum
census_cost_per_care_day(PG_FUNCTION_ARGS)
{
	Census	   *c = PG_GETARG_CENSUS(0);
	int32		i0,
				i1;
	int64		days;

	census_span(fcinfo, c, 1, &i0, &i1);
	days = span_care_days(c, i0, i1);
	if (days == 0)
		PG_RETURN_NULL();
	PG_RETURN_DATUM(DirectFunctionCall2(sek_div_int8,
										SekGetDatum(span_cost(c, i0, i1)),
										Int64GetDatum(days)));
}

PG_FUNCTION_INFO_V1(census_occupancy);
/* occupancy(census, places [, period]) = care days ÷ (places × days) */
Datum
census_occupancy(PG_FUNCTION_ARGS)
{
	Census	   *c = PG_GETARG_CENSUS(0);
	float8		places = PG_GETARG_FLOAT8(1);
	int32		i0,
				i1;

	if (!(places > 0) || isinf(places))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("places must be a positive number, not %g", places)));
	census_span(fcinfo, c, 2, &i0, &i1);
	if (isinf(places * (i1 - i0)))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("places %g × %d days is out of range", places, i1 - i0)));
	PG_RETURN_FLOAT8((float8) span_care_days(c, i0, i1) / (places * (i1 - i0)));
}

PG_FUNCTION_INFO_V1(census_period_of);
/* period(census): the period the census covers */
Datum
census_period_of(PG_FUNCTION_ARGS)
{
	Census	   *c = PG_GETARG_CENSUS(0);
	Oid			rngtypid = get_fn_expr_rettype(fcinfo->flinfo);
	TypeCacheEntry *typcache = range_get_typcache(fcinfo, rngtypid);
	RangeBound	lo = {DateADTGetDatum(c->start), false, true, true},
				hi = {DateADTGetDatum(c->start + c->ndays), false, false, false};

	PG_RETURN_RANGE_P(make_range(typcache, &lo, &hi, false));
}

/* ---------- census_buckets(census, interval) ---------- */

/*
 * The first day of the bucket after `day`, for a bucket width, but never
 * past `end`.  In 64 bits: a width may be up to 2^31 - 1 days, so the next
 * boundary can lie far beyond any date (day >= origin, 1 <= width <= 12
 * months or >= 1 day, and the period within 0001-01-01 .. 10000-01-01).
 */
static int32
next_bucket(int32 day, int32 origin, const Interval *w, int32 end)
{
	int64		next;

	Assert(day >= origin);
	if (w->month == 0)
	{
		/* n-day buckets counted from the origin (a Monday for weeks) */
		int64		k = ((int64) day - origin) / w->day;

		next = origin + (k + 1) * (int64) w->day;
	}
	else
	{
		/* n-month buckets aligned to January (quarters, half-years, years) */
		int			y,
					m,
					d;
		int64		months;

		j2date(day + POSTGRES_EPOCH_JDATE, &y, &m, &d);
		months = (int64) y * 12 + m - 1;	/* y >= 1: months >= 12 */
		months = months - months % w->month + w->month;
		next = date2j((int) (months / 12), (int) (months % 12) + 1, 1) - POSTGRES_EPOCH_JDATE;
	}
	return (int32) Min(next, (int64) end);
}

PG_FUNCTION_INFO_V1(census_buckets);
/* census_buckets(census, width): one row per day, week, month, quarter or year */
Datum
census_buckets(PG_FUNCTION_ARGS)
{
	Census	   *c = PG_GETARG_CENSUS(0);
	Interval   *w = PG_GETARG_INTERVAL_P(1);
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	TypeCacheEntry *typcache = NULL;
	int32		origin = 0;
	int32		end = c->start + c->ndays;

	if (w->time != 0 || (w->month != 0 && w->day != 0) ||
		w->month < 0 || w->day < 0 || (w->month == 0 && w->day == 0) ||
		(w->month != 0 && 12 % w->month != 0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unsupported bucket width"),
				 errhint("Use whole days or weeks ('1 day', '1 week', '10 days') or months that divide a year ('1 month', '3 months', '1 year').")));
	/* a value stored before the range check (or crafted) must not loop on */
	if (!census_period_ok(c->start, c->ndays))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_FIELD_OVERFLOW),
				 errmsg("census period [%s,%s) is outside the supported dates",
						date_iso(c->start), date_iso(end)),
				 errhint(CENSUS_RANGE_HINT)));
	if (w->month == 0)
	{
		/* weeks start on Monday; other widths count from the period start */
		origin = c->start;
		if (w->day % 7 == 0)
			origin = c->start - (j2day(c->start + POSTGRES_EPOCH_JDATE) + 6) % 7;
	}
	InitMaterializedSRF(fcinfo, 0);
	for (int32 from = c->start; from < end;)
	{
		int32		to = next_bucket(from, origin, w, end);
		int32		i0 = from - c->start,
					i1 = to - c->start;
		int64		days = span_care_days(c, i0, i1);
		Datum		values[5];
		bool		nulls[5] = {false, false, false, false, false};
		RangeBound	lo = {DateADTGetDatum(from), false, true, true},
					hi = {DateADTGetDatum(to), false, false, false};

		CHECK_FOR_INTERRUPTS();
		if (typcache == NULL)
			typcache = range_get_typcache(fcinfo, TupleDescAttr(rsinfo->setDesc, 0)->atttypid);
		values[0] = RangeTypePGetDatum(make_range(typcache, &lo, &hi, false));
		values[1] = Int64GetDatum(days);
		values[2] = Float8GetDatum((float8) days / (i1 - i0));
		values[3] = Int64GetDatum(span_peak(c, i0, i1));
		values[4] = SekGetDatum(span_cost(c, i0, i1));
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
		from = to;
	}
	return (Datum) 0;
}

/* ---------- rollup(census) ---------- */

/* Rollup state: daily sums over the hull of all periods seen, and which days
 * some state covered (the result must be covered everywhere). */
typedef struct RollupState
{
	int32		start;
	int32		ndays;
	int64	   *persons;
	int64	   *cost;
	uint8	   *covered;		/* one byte a day: simple and at most 36 kB */
} RollupState;

/* Grow the hull of a rollup state to include [start, start + ndays). */
static void
rollup_extend(MemoryContext cxt, RollupState *st, int32 start, int32 ndays)
{
	int32		lo,
				hi;
	int64	   *p,
			   *k;
	uint8	   *cov;

	if (st->ndays > 0 && start >= st->start && start + ndays <= st->start + st->ndays)
		return;
	lo = st->ndays > 0 ? Min(st->start, start) : start;
	hi = st->ndays > 0 ? Max(st->start + st->ndays, start + ndays) : start + ndays;
	if ((int64) hi - lo > CENSUS_MAX_DAYS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("rolled-up census would span %lld days, more than %d",
						(long long) hi - lo, CENSUS_MAX_DAYS)));
	p = MemoryContextAllocZero(cxt, sizeof(int64) * (hi - lo));
	k = MemoryContextAllocZero(cxt, sizeof(int64) * (hi - lo));
	cov = MemoryContextAllocZero(cxt, hi - lo);
	if (st->ndays > 0)
	{
		memcpy(p + (st->start - lo), st->persons, sizeof(int64) * st->ndays);
		memcpy(k + (st->start - lo), st->cost, sizeof(int64) * st->ndays);
		memcpy(cov + (st->start - lo), st->covered, st->ndays);
		pfree(st->persons);
		pfree(st->cost);
		pfree(st->covered);
	}
	st->start = lo;
	st->ndays = hi - lo;
	st->persons = p;
	st->cost = k;
	st->covered = cov;
}

/* Add daily values (and coverage) for [start, start+n) into the state. */
static void
rollup_add(MemoryContext cxt, RollupState *st, int32 start, int32 n,
		   const int64 *persons, const int64 *cost, const uint8 *covered)
{
	int32		off;

	rollup_extend(cxt, st, start, n);
	off = start - st->start;
	for (int32 i = 0; i < n; i++)
	{
		if (covered && !covered[i])
			continue;
		if (pg_add_s64_overflow(st->persons[off + i], persons[i], &st->persons[off + i]))
			sek_out_of_range("rollup");
		add64(&st->cost[off + i], cost[i]);
		st->covered[off + i] = 1;
	}
}

PG_FUNCTION_INFO_V1(census_rollup_accum);
/* rollup transition: add one census */
Datum
census_rollup_accum(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	RollupState *st;
	Census	   *c;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "census_rollup_accum called in non-aggregate context");
	st = PG_ARGISNULL(0) ? NULL : (RollupState *) PG_GETARG_POINTER(0);
	if (PG_ARGISNULL(1))
		PG_RETURN_POINTER(st);
	if (st == NULL)
		st = MemoryContextAllocZero(aggcxt, sizeof(RollupState));
	c = PG_GETARG_CENSUS(1);
	rollup_add(aggcxt, st, c->start, c->ndays, CENSUS_PERSONS(c), CENSUS_COST(c), NULL);
	PG_RETURN_POINTER(st);
}

PG_FUNCTION_INFO_V1(census_rollup_combine);
/* rollup combine: add two partial states */
Datum
census_rollup_combine(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	RollupState *a,
			   *b;

	aggcxt = combine_args(fcinfo, (void **) &a, (void **) &b);
	if (b == NULL || b->ndays == 0)
		return state_result(fcinfo, a);
	if (a == NULL)
		a = MemoryContextAllocZero(aggcxt, sizeof(RollupState));
	rollup_add(aggcxt, a, b->start, b->ndays, b->persons, b->cost, b->covered);
	PG_RETURN_POINTER(a);
}

PG_FUNCTION_INFO_V1(census_rollup_serialize);
/* rollup state → bytea */
Datum
census_rollup_serialize(PG_FUNCTION_ARGS)
{
	RollupState *st = (RollupState *) PG_GETARG_POINTER(0);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendint32(&buf, st->start);
	pq_sendint32(&buf, st->ndays);
	if (st->ndays > 0)
	{
		pq_sendbytes(&buf, (char *) st->persons, sizeof(int64) * st->ndays);
		pq_sendbytes(&buf, (char *) st->cost, sizeof(int64) * st->ndays);
		pq_sendbytes(&buf, (char *) st->covered, st->ndays);
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

PG_FUNCTION_INFO_V1(census_rollup_deserialize);
/* bytea → rollup state */
Datum
census_rollup_deserialize(PG_FUNCTION_ARGS)
{
	bytea	   *b = PG_GETARG_BYTEA_PP(0);
	StringInfoData buf;
	RollupState *st = palloc0(sizeof(RollupState));
	int32		start,
				ndays;

	if (!AggCheckCallContext(fcinfo, NULL))
		elog(ERROR, "census_rollup_deserialize called in non-aggregate context");
	bytea_reader(&buf, b);
	if (buf.len < 8)
		bad_state("rollup state");
	start = pq_getmsgint(&buf, 4);
	ndays = pq_getmsgint(&buf, 4);
	if (ndays < 0 || ndays > CENSUS_MAX_DAYS || buf.len != 8 + 17 * ndays)
		bad_state("rollup state");
	if (ndays > 0)
	{
		rollup_extend(CurrentMemoryContext, st, start, ndays);
		pq_copymsgbytes(&buf, (char *) st->persons, sizeof(int64) * ndays);
		pq_copymsgbytes(&buf, (char *) st->cost, sizeof(int64) * ndays);
		pq_copymsgbytes(&buf, (char *) st->covered, ndays);
	}
	PG_RETURN_POINTER(st);
}

PG_FUNCTION_INFO_V1(census_rollup_final);
/* rollup final: the combined census; its period must be covered day by day */
Datum
census_rollup_final(PG_FUNCTION_ARGS)
{
	RollupState *st = PG_ARGISNULL(0) ? NULL : (RollupState *) PG_GETARG_POINTER(0);
	Census	   *c;

	if (st == NULL || st->ndays == 0)
		PG_RETURN_NULL();
	for (int32 i = 0; i < st->ndays; i++)
		if (!st->covered[i])
		{
			char		a[16];

			day_iso(st->start + i, a);
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("rolled-up census periods leave a gap at %s", a),
					 errhint("Roll up states whose periods together cover one unbroken period.")));
		}
	c = census_alloc(st->start, st->ndays);
	memcpy(CENSUS_PERSONS(c), st->persons, sizeof(int64) * st->ndays);
	memcpy(CENSUS_COST(c), st->cost, sizeof(int64) * st->ndays);
	census_check_result(c, "rollup(census)");
	PG_RETURN_POINTER(c);
}
