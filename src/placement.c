/*
 * placement.c — placement_forecast(stay, daily_cost, as_of, until): the
 * expected care days and cost of placements on the days after as_of up to
 * and including until, with a 95 % interval: the external-care forecast of
 * the office's follow-up (Delårsrapport 2 2023 §4.3.4: persons per day, cost per care
 * day, total).
 *
 * The aggregate sees the table as it was known at as_of: a stay starting
 * after as_of is left out, and a stay in care on as_of (start <= as_of, no
 * end or an end after as_of) is open, whatever end it may have recorded.
 *
 *   committed: an open stay that has lasted e = as_of - start days is in
 *     care on day as_of + k with probability S(e + k) / S(e), S the
 *     Kaplan–Meier curve of the group's stays seen at as_of (counted as
 *     stay_survival counts them), at its own daily cost;
 *   new: stays start on each day after as_of at the inflow's level on
 *     as_of times the season of the day and the inflow's trend from as_of
 *     to that day, and last as S says.  Level and trend come from a
 *     local-level filter (a random walk with a drift that may walk too,
 *     their variances by likelihood; see level_fit) over the arrivals of
 *     the last twenty years (as many as the data has, back to a year
 *     without arrivals) in 30-day bins: the 12 months' mean lags a moving
 *     inflow by half a year and carries one year's Poisson noise, and a
 *     trend read from five years is twice as noisy as from twenty.  With fewer than three
 *     years of data (or no season fitted) the rate is that of the 12 months
 *     up to as_of (arrivals ÷ days) with the trend of the yearly counts,
 *     shrunk by its standard error, from the 12 months' middle (trend_fit).
 *     The season is a yearly wave (one harmonic) fitted to the daily
 *     arrivals of those years (at least two), normalised to mean 1 over the 12 months whose rate it scales:
 *     without it a forecast after August misses an autumn peak of arrivals.
 *     A new stay's daily cost follows the linear trend of the arrivals' daily
 *     costs over the last five of those years (prices rise; the mean of the
 *     last 12 months lags half a year, and a line through twenty years of
 *     compound price rises falls short at its end), or is that mean with
 *     less than two years.
 *
 * The state counts ended stays per length, open stays per elapsed day (with
 * the sum and sum of squares of their daily costs), the arrivals of the last
 * twenty years per day and, per 12-month window, their number and sums of
 * costs: integers only, so the result is the same whatever the order of the
 * rows and however parallel workers split them.
 *
 * The interval: the variances (öre²) of
 *   - the exits of the open stays: Σ c_i² Var(D_i), D_i its further care days;
 *   - the new stays, a compound Poisson process: Σ_s λ_s E[c_s²] E[D_s²];
 *   - the estimates of the level (the filter's variance of its log, and its
 *     covariance with the trend; without the filter the 12 months' rate,
 *     Poisson), the inflow's trend (the filter's, or the shrunk variance),
 *     the cost trend (least squares) and the season (delta method, Poisson
 *     daily counts);
 *   - the curve: the delta method over the Kaplan–Meier hazards, each with
 *     Greenwood's variance d / (n (n - d));
 *   - the inflow level's random walk from as_of to the days forecast (the
 *     filter's q and r; without it the yearly arrivals' variation beyond Poisson
 *     and trend, from the 12 months' middle);
 * are added, and the interval is that of a log-normal with the forecast's
 * mean and variance (costs are positive and skewed for small groups).
 * test/bench/placement_backtest.sh measures its coverage.
 */
#include "postgres.h"

#include <math.h>

#include "access/htup_details.h"
#include "common/int.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/fmgroids.h"

#include "aggutil.h"
#include "kaplan_meier.h"
#include "sek.h"
#include "stats.h"
#include "stay.h"

/* Longest stay accepted (ended, or lasted so far): 100 years. */
#define PF_MAX_DAYS		36525
/* Longest horizon from as_of to until: ten years. */
#define PF_MAX_HORIZON	3653
/* The inflow is studied over at most this many 12-month windows. */
#define PF_YEARS		20
/* The daily cost's trend is fitted over at most this many (a straight line). */
#define PF_COST_YEARS	5
#define PF_RECENT_DAYS	(PF_YEARS * 366)
#define PF_YEAR			365.2425
#define PF_BIN_VERSION	2
/* The level filter counts the arrivals in bins of this many days. */
#define PF_BIN			30
/* It starts with this variance of the log level and of the trend (none known). */
#define PF_PRIOR		1.0
/* The first bins (whose prediction is the start's) do not count in its likelihood. */
#define PF_BURN			2
/* Its innovation variances tried: 0 and PF_QMIN × 2^i, i < PF_QGRID (to 0.256 a year). */
#define PF_QGRID		10
#define PF_QMIN			0.0005
/* The trend's innovation variances tried: 0 and PF_RMIN × 4^i, i < PF_RGRID. */
#define PF_RGRID		4
#define PF_RMIN			0.0001
/* Newton steps of each bin's update (from the right of the mode: 4 reach 1e-5 from the start's P) */
#define PF_NEWTON		4
#define PF_INT128_MAX	((int128) (((uint128) 1 << 127) - 1))
#define PF_NCOLS		18

/* The figures of one length in days (events and open are kept in a StayLengths). */
typedef struct PfDays
{
	int64		events;			/* stays that ended after exactly this many days */
	int64		open;			/* stays open at as_of that have lasted this long */
	int64		open_cost;		/* their daily costs, öre */
	int128		open_cost2;		/* their squared daily costs, öre² */
} PfDays;

/* The arrivals of one 12-month window before as_of. */
typedef struct PfYear
{
	int64		n;
	int64		cost;			/* Σ daily cost, öre */
	int128		cost2;			/* Σ daily cost² */
	int128		cost_ago;		/* Σ daily cost × (as_of - start) */
} PfYear;

/* Aggregate state. */
typedef struct PfState
{
	DateADT		as_of;
	DateADT		until;
	DateADT		first_start;	/* earliest start counted; DATEVAL_NOEND: none */
	DateADT		year_start[PF_YEARS];	/* first days of the 12-month windows, newest first */
	StayLengths lengths;		/* events, and open stays as censored */
	int64	   *open_cost;		/* per length below lengths.cap: Σ daily cost of the open stays */
	int128	   *open_cost2;		/* and Σ of their squares */
	int64	   *recent;			/* arrivals per as_of - start in the windows, or NULL */
	PfYear		year[PF_YEARS];
	MemoryContext ctx;
} PfState;

/* The figures of a forecast from which the record is built. */
typedef struct PfResult
{
	DateADT		as_of;
	DateADT		until;
	int64		open_stays;
	float8		committed_days;
	Sek			committed_cost;
	int64		arrivals;		/* in the 12 months up to as_of */
	float8		new_stays;
	float8		new_days;
	Sek			new_cost;
	float8		new_cost_ore;	/* new_cost before rounding */
	float8		var;			/* variance of the cost, öre² */
} PfResult;

/* ---------- arguments ---------- */

/* The first day after d - k years: the k years up to d are [that, d]. */
static DateADT
years_before(DateADT d, int k)
{
	int			y,
				m,
				dd;

	j2date(d + POSTGRES_EPOCH_JDATE, &y, &m, &dd);
	/* as date arithmetic, d - k years clamps 29 February */
	if (m == 2 && dd == 29)
		dd = 28;
	return date2j(y - k, m, dd) - POSTGRES_EPOCH_JDATE + 1;
}

/* Validate as_of and until: finite, until after as_of, at most ten years on. */
static void
check_dates(DateADT as_of, DateADT until)
{
	char		a[16],
				u[16];

	check_date_finite(as_of, "as_of",
				 "Forecast from a day: the last day of the outcome, e.g. '2023-08-31'.");
	check_date_finite(until, "until",
				 "Give the last day to forecast, e.g. 31 December of as_of's year.");
	day_iso(as_of, a);
	day_iso(until, u);
	if (until <= as_of)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("until %s is not after as_of %s", u, a),
				 errhint("The forecast covers the days after as_of up to and including until.")));
	if ((int64) until - as_of > PF_MAX_HORIZON)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%lld days from as_of %s to until %s is more than ten years",
						(long long) until - as_of, a, u),
				 errhint("Forecast at most %d days ahead: further on, the forecast only repeats today's inflow and stay lengths.",
						 PF_MAX_HORIZON)));
}

/* Raise 22023 for rows or states of one group with other dates. */
static void
pg_attribute_noreturn()
dates_differ(DateADT as_of1, DateADT until1, DateADT as_of2, DateADT until2)
{
	char		a1[16],
				u1[16],
				a2[16],
				u2[16];

	day_iso(as_of1, a1);
	day_iso(until1, u1);
	day_iso(as_of2, a2);
	day_iso(until2, u2);
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("as_of %s, until %s differ from as_of %s, until %s earlier in the same group",
					a2, u2, a1, u1),
			 errhint("Pass one as_of and one until for every row of a group (or group by them).")));
	pg_unreachable();
}

/* Raise 22023 for a stay longer than PF_MAX_DAYS. */
static void
pg_attribute_noreturn()
stay_too_long(Datum stay, int64 days, bool open)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("stay %s %s %lld days, more than 100 years",
					OidOutputFunctionCall(F_RANGE_OUT, stay),
					open ? "has lasted" : "lasted", (long long) days),
			 errhint("Check the stay's dates: a placement lasts at most %d days here.",
					 PF_MAX_DAYS)));
	pg_unreachable();
}

/* ---------- the state ---------- */

/* A new, empty state in ctx. */
static PfState *
state_new(MemoryContext ctx, DateADT as_of, DateADT until)
{
	PfState    *st = MemoryContextAllocZero(ctx, sizeof(PfState));

	st->as_of = as_of;
	st->until = until;
	st->first_start = DATEVAL_NOEND;
	for (int k = 0; k < PF_YEARS; k++)
		st->year_start[k] = years_before(as_of, k + 1);
	lengths_init(&st->lengths, PF_MAX_DAYS);
	st->ctx = ctx;
	return st;
}

/* Checked *a += b. */
static inline void
add64(int64 *a, int64 b)
{
	if (pg_add_s64_overflow(*a, b, a))
		sek_out_of_range("placement_forecast");
}

/* Checked *a += b for b >= 0. */
static inline void
add128(int128 *a, int128 b)
{
	if (*a > PF_INT128_MAX - b)
		sek_out_of_range("placement_forecast");
	*a += b;
}

/* Add the figures of one length (days <= PF_MAX_DAYS) to a state. */
static void
add_days(PfState *st, int32 days, const PfDays *v)
{
	int32		oldcap = st->lengths.cap;

	if (!lengths_add(st->ctx, &st->lengths, days, v->events, v->open))
		sek_out_of_range("placement_forecast");
	if (st->lengths.cap > oldcap)
	{
		st->open_cost = grow_zeroed(st->ctx, st->open_cost, sizeof(int64), oldcap, st->lengths.cap);
		st->open_cost2 = grow_zeroed(st->ctx, st->open_cost2, sizeof(int128), oldcap, st->lengths.cap);
	}
	add64(&st->open_cost[days], v->open_cost);
	add128(&st->open_cost2[days], v->open_cost2);
}

/* The figures of length d (< lengths.cap); false when it has no stays. */
static bool
get_days(const PfState *st, int32 d, PfDays *v)
{
	v->events = st->lengths.n[d].events;
	v->open = st->lengths.n[d].censored;
	v->open_cost = st->open_cost[d];
	v->open_cost2 = st->open_cost2[d];
	return v->events != 0 || v->open != 0;
}

/* Add n arrivals `ago` days before as_of (within the windows) to the day counts. */
static void
add_recent(PfState *st, int32 ago, int64 n)
{
	if (st->recent == NULL)
		st->recent = MemoryContextAllocZero(st->ctx, PF_RECENT_DAYS * sizeof(int64));
	add64(&st->recent[ago], n);
}

/* Add one window's arrivals to another's. */
static void
add_year(PfYear *a, const PfYear *b)
{
	add64(&a->n, b->n);
	add64(&a->cost, b->cost);
	add128(&a->cost2, b->cost2);
	add128(&a->cost_ago, b->cost_ago);
}

/* The 12-month window (0 = the newest) a start falls in, or -1 if older. */
static inline int
year_of(const PfState *st, DateADT start)
{
	for (int k = 0; k < PF_YEARS; k++)
		if (start >= st->year_start[k])
			return k;
	return -1;
}

PG_FUNCTION_INFO_V1(placement_forecast_accum);
/* Transition: count one stay as ended or open at as_of, and as an arrival. */
Datum
placement_forecast_accum(PG_FUNCTION_ARGS)
{
	MemoryContext ctx;
	PfState    *st = PG_ARGISNULL(0) ? NULL : (PfState *) PG_GETARG_POINTER(0);
	DateADT		as_of,
				until;
	DayRange	s;
	Sek			cost;
	PfDays		v = {0};
	int			k;

	if (!AggCheckCallContext(fcinfo, &ctx))
		elog(ERROR, "placement_forecast_accum called in non-aggregate context");
	/* a row with a NULL stay, daily cost, as_of or until is skipped */
	for (int i = 1; i <= 4; i++)
		if (PG_ARGISNULL(i))
		{
			if (st == NULL)
				PG_RETURN_NULL();
			PG_RETURN_POINTER(st);
		}
	as_of = PG_GETARG_DATEADT(3);
	until = PG_GETARG_DATEADT(4);
	if (st == NULL)
	{
		check_dates(as_of, until);
		st = state_new(ctx, as_of, until);
	}
	else if (st->as_of != as_of || st->until != until)
		dates_differ(st->as_of, st->until, as_of, until);
	cost = PG_GETARG_SEK(2);
	check_daily_cost(cost);
	day_range_fast(fcinfo, PG_GETARG_DATUM(1), &s);
	if (s.empty)
		PG_RETURN_POINTER(st);
	if (s.lo_inf)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("stay %s has no start date",
						OidOutputFunctionCall(F_RANGE_OUT, PG_GETARG_DATUM(1))),
				 errhint("A stay must have a finite arrival day; filter out or correct rows with an unknown start.")));
	if (s.lo > st->as_of)
		PG_RETURN_POINTER(st);	/* not known at as_of */
	if (!s.hi_inf && s.hi <= st->as_of)
	{
		/* ended by as_of: an event at its length */
		if ((int64) s.hi - s.lo > PF_MAX_DAYS)
			stay_too_long(PG_GETARG_DATUM(1), (int64) s.hi - s.lo, false);
		v.events = 1;
		add_days(st, s.hi - s.lo, &v);
	}
	else
	{
		/* in care on as_of: censored at its elapsed days */
		if ((int64) st->as_of - s.lo > PF_MAX_DAYS)
			stay_too_long(PG_GETARG_DATUM(1), (int64) st->as_of - s.lo, true);
		v.open = 1;
		v.open_cost = cost;
		v.open_cost2 = (int128) cost * cost;
		add_days(st, st->as_of - s.lo, &v);
	}
	st->first_start = Min(st->first_start, s.lo);
	if ((k = year_of(st, s.lo)) >= 0)
	{
		PfYear		a = {1, cost, (int128) cost * cost, (int128) cost * (st->as_of - s.lo)};

		add_recent(st, st->as_of - s.lo, 1);
		add_year(&st->year[k], &a);
	}
	PG_RETURN_POINTER(st);
}

PG_FUNCTION_INFO_V1(placement_forecast_combine);
/* Combine: add the counts of two partial states of one group. */
Datum
placement_forecast_combine(PG_FUNCTION_ARGS)
{
	PfState    *a,
			   *b;
	MemoryContext ctx = combine_args(fcinfo, (void **) &a, (void **) &b);

	if (b == NULL)
		return state_result(fcinfo, a);
	/* b may live in a short-lived context: build the result in the aggregate's */
	if (a == NULL)
		a = state_new(ctx, b->as_of, b->until);
	else if (a->as_of != b->as_of || a->until != b->until)
		dates_differ(a->as_of, a->until, b->as_of, b->until);
	for (int32 d = 0; d < b->lengths.cap; d++)
	{
		PfDays		v;

		CHECK_FOR_INTERRUPTS();
		if (get_days(b, d, &v))
			add_days(a, d, &v);
	}
	for (int32 i = 0; b->recent != NULL && i < PF_RECENT_DAYS; i++)
		if (b->recent[i] != 0)
			add_recent(a, i, b->recent[i]);
	for (int k = 0; k < PF_YEARS; k++)
		add_year(&a->year[k], &b->year[k]);
	a->first_start = Min(a->first_start, b->first_start);
	PG_RETURN_POINTER(a);
}

/* ---------- serialisation ---------- */

/* Write an int128 as two int64, high half first. */
static void
send128(StringInfo buf, int128 v)
{
	pq_sendint64(buf, (int64) (v >> 64));
	pq_sendint64(buf, (int64) (uint64) v);
}

/* Read an int128 written by send128. */
static int128
get128(StringInfo buf)
{
	int64		hi = pq_getmsgint64(buf);
	uint64		lo = (uint64) pq_getmsgint64(buf);

	return (int128) (((uint128) hi << 64) | lo);
}

PG_FUNCTION_INFO_V1(placement_forecast_serialize);
/*
 * State → bytea: version, as_of, until, first start, the windows' sums, the
 * number of lengths in use and each (length, events, open, cost, cost²),
 * then the number of days with arrivals and each (days ago, arrivals).
 */
Datum
placement_forecast_serialize(PG_FUNCTION_ARGS)
{
	PfState    *st = (PfState *) PG_GETARG_POINTER(0);
	StringInfoData buf;
	int32		n = 0,
				m = 0;

	for (int32 d = 0; d < st->lengths.cap; d++)
		if (lengths_used_at(&st->lengths, d))
			n++;
	for (int32 i = 0; st->recent != NULL && i < PF_RECENT_DAYS; i++)
		if (st->recent[i] != 0)
			m++;
	pq_begintypsend(&buf);
	pq_sendbyte(&buf, PF_BIN_VERSION);
	pq_sendint32(&buf, (uint32) st->as_of);
	pq_sendint32(&buf, (uint32) st->until);
	pq_sendint32(&buf, (uint32) st->first_start);
	for (int k = 0; k < PF_YEARS; k++)
	{
		pq_sendint64(&buf, st->year[k].n);
		pq_sendint64(&buf, st->year[k].cost);
		send128(&buf, st->year[k].cost2);
		send128(&buf, st->year[k].cost_ago);
	}
	pq_sendint32(&buf, (uint32) n);
	for (int32 d = 0; d < st->lengths.cap; d++)
	{
		PfDays		v;

		CHECK_FOR_INTERRUPTS();
		if (!get_days(st, d, &v))
			continue;
		pq_sendint32(&buf, (uint32) d);
		pq_sendint64(&buf, v.events);
		pq_sendint64(&buf, v.open);
		pq_sendint64(&buf, v.open_cost);
		send128(&buf, v.open_cost2);
	}
	pq_sendint32(&buf, (uint32) m);
	for (int32 i = 0; st->recent != NULL && i < PF_RECENT_DAYS; i++)
		if (st->recent[i] != 0)
		{
			pq_sendint32(&buf, (uint32) i);
			pq_sendint64(&buf, st->recent[i]);
		}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* Raise 22P03 for a malformed serialized state. */
static void
pg_attribute_noreturn()
state_invalid(const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
			 errmsg("invalid serialized placement_forecast state: %s", detail)));
	pg_unreachable();
}

/* Read an int32 count of entries of `size` bytes that must fit in what is left. */
static int32
get_count(StringInfo buf, int32 max, int size, const char *what)
{
	int32		n;

	if (buf->len - buf->cursor < 4)
		state_invalid(psprintf("it ends before the number of %s", what));
	n = (int32) pq_getmsgint(buf, 4);
	if (n < 0 || n > max || (int64) n * size > buf->len - buf->cursor)
		state_invalid(psprintf("%d %s do not fit in the %d bytes left", n, what,
							   buf->len - buf->cursor));
	return n;
}

PG_FUNCTION_INFO_V1(placement_forecast_deserialize);
/* bytea → state in the current context, every field validated (22P03 when malformed). */
Datum
placement_forecast_deserialize(PG_FUNCTION_ARGS)
{
	bytea	   *b = PG_GETARG_BYTEA_PP(0);
	StringInfoData buf;
	PfState    *st;
	DateADT		as_of,
				until,
				first;
	PfYear		yr[PF_YEARS];
	int64		seen[PF_YEARS] = {0};
	int32		n,
				m,
				prev = -1;

	/* no aggregate context needed: the tests feed it crafted bytes directly */
	bytea_reader(&buf, b);
	if (buf.len < 13 + PF_YEARS * 48)
		state_invalid(psprintf("%d bytes is too short", buf.len));
	if (pq_getmsgbyte(&buf) != PF_BIN_VERSION)
		state_invalid("unknown version");
	as_of = (DateADT) pq_getmsgint(&buf, 4);
	until = (DateADT) pq_getmsgint(&buf, 4);
	first = (DateADT) pq_getmsgint(&buf, 4);
	if (DATE_NOT_FINITE(as_of) || DATE_NOT_FINITE(until) || !IS_VALID_DATE(as_of) ||
		!IS_VALID_DATE(until) || until <= as_of || (int64) until - as_of > PF_MAX_HORIZON)
		state_invalid("as_of and until are not finite dates with until up to ten years after as_of");
	if (first != DATEVAL_NOEND && (DATE_NOT_FINITE(first) || !IS_VALID_DATE(first) || first > as_of))
		state_invalid("the first start is not a date up to as_of");
	st = state_new(CurrentMemoryContext, as_of, until);
	st->first_start = first;
	for (int k = 0; k < PF_YEARS; k++)
	{
		yr[k].n = pq_getmsgint64(&buf);
		yr[k].cost = pq_getmsgint64(&buf);
		yr[k].cost2 = get128(&buf);
		yr[k].cost_ago = get128(&buf);
		if (yr[k].n < 0 || yr[k].cost < 0 || yr[k].cost2 < 0 || yr[k].cost_ago < 0 ||
			(yr[k].n == 0 && (yr[k].cost != 0 || yr[k].cost2 != 0 || yr[k].cost_ago != 0)))
			state_invalid(psprintf("impossible arrival sums in window %d", k));
		add_year(&st->year[k], &yr[k]);
	}
	n = get_count(&buf, PF_MAX_DAYS + 1, 44, "lengths");
	for (int32 i = 0; i < n; i++)
	{
		int32		d = (int32) pq_getmsgint(&buf, 4);
		PfDays		v;

		CHECK_FOR_INTERRUPTS();
		v.events = pq_getmsgint64(&buf);
		v.open = pq_getmsgint64(&buf);
		v.open_cost = pq_getmsgint64(&buf);
		v.open_cost2 = get128(&buf);
		if (d <= prev || d > PF_MAX_DAYS)
			state_invalid(psprintf("length %d days out of order or beyond %d", d, PF_MAX_DAYS));
		if (v.events < 0 || v.open < 0 || v.open_cost < 0 || v.open_cost2 < 0 ||
			(v.events == 0 && v.open == 0) || (d == 0 && v.events != 0) ||
			(v.open == 0 && (v.open_cost != 0 || v.open_cost2 != 0)))
			state_invalid(psprintf("impossible counts at %d days", d));
		add_days(st, d, &v);
		prev = d;
	}
	if ((n == 0) != (first == DATEVAL_NOEND))
		state_invalid("stays without a first start, or a first start without stays");
	m = get_count(&buf, PF_RECENT_DAYS, 12, "days of arrivals");
	prev = -1;
	for (int32 i = 0; i < m; i++)
	{
		int32		ago = (int32) pq_getmsgint(&buf, 4);
		int64		count = pq_getmsgint64(&buf);
		int			k;

		if (ago <= prev || ago > as_of - st->year_start[PF_YEARS - 1] || count <= 0 ||
			(int64) as_of - ago < first)
			state_invalid(psprintf("arrivals %d days before as_of out of order, impossible or before the first start", ago));
		k = year_of(st, as_of - ago);
		add64(&seen[k], count);
		add_recent(st, ago, count);
		prev = ago;
	}
	if (buf.cursor != buf.len)
		state_invalid(psprintf("%d bytes left over", buf.len - buf.cursor));
	for (int k = 0; k < PF_YEARS; k++)
		if (seen[k] != yr[k].n)
			state_invalid(psprintf("window %d counts %lld arrivals by day but %lld in its sums",
								   k, (long long) seen[k], (long long) yr[k].n));
	PG_RETURN_POINTER(st);
}

/* ---------- the forecast ---------- */

/* A float8 amount of öre rounded once to the öre (half away from zero). */
static inline Sek
round_ore(float8 ore)
{
	return sek_mul_float(1, ore);
}

/* How many whole 12-month windows the group's data covers (at most PF_YEARS). */
static int
years_covered(const PfState *st)
{
	int			k = PF_YEARS;

	while (k > 0 && st->year_start[k - 1] < st->first_start)
		k--;
	return k;
}

/* The new stays' model: the season and the daily cost of each start day. */
typedef struct Inflow
{
	double	   *phi;			/* φ(as_of + s) for s = 1 .. h (index s) */
	double	   *dc;				/* ∂φ/∂r_c, ∂φ/∂r_s: for the season's variance */
	double	   *ds;
	double		v_cc,			/* covariance of the season's (r_c, r_s) */
				v_cs,
				v_ss;
	double		mean_cost;		/* daily cost of the trend at t_mean, öre */
	double		slope;			/* its change a day (0 without a trend) */
	double		t_mean;			/* mean start of the arrivals fitted, days after as_of */
	double		v_mean,			/* variances of mean_cost and slope */
				v_slope;
	double		cost_var;		/* variance of a new stay's daily cost around the trend */
	double		drift;			/* year-to-year variance of the log inflow beyond Poisson and trend */
	double		trend;			/* the inflow's (shrunk) log change a year */
	double		v_trend;		/* its variance */
	double		t_mid;			/* days from the 12 months' middle to as_of (0 with the level) */
	double		t_max;			/* the trend is extrapolated at most this many days */
	double		rc,				/* the season's g(d) = 1 + rc cos θ_d + rs sin θ_d */
				rs,
				gbar;			/* its mean over the 12 months (0: no season) */
	bool		filtered;		/* the level is the filter's, not the 12 months' rate */
	double		level;			/* the filter's arrivals a day on as_of ÷ g, before the season */
	double		v_level;		/* the variance of its log */
	double		c_level_trend;	/* its covariance with the trend */
	double		q;				/* the filter's walk variance a year */
	double		r;				/* its trend's walk variance a year */
} Inflow;

/* Years from the 12 months' middle to start day s after as_of, for the trend. */
static inline double
trend_years(const Inflow *in, int32 s)
{
	return fmin(s + in->t_mid, in->t_max) / PF_YEAR;
}

/* The daily cost of a stay starting s days after as_of (never negative). */
static inline double
cost_at(const Inflow *in, int32 s)
{
	return fmax(0.0, in->mean_cost + in->slope * (s - in->t_mean));
}

/*
 * The season: a least-squares fit of the daily arrivals y_d of the last k
 * windows to a + b_t t_d + b_c cos θ_d + b_s sin θ_d, θ_d = 2π d / 365.2425
 * on the calendar and t_d the day in years, so g(d) = 1 + r_c cos θ_d + r_s
 * sin θ_d with r = b / b0, b0 the fitted level at the days' mean, and
 * φ = g / (mean of g over the 12 months up to as_of), clamped at 0.  The
 * covariance of r is that of OLS with Poisson counts (variance b0 a day).
 */
static void
season_fit(const PfState *st, int k, int32 h, Inflow *in)
{
	DateADT		from = st->year_start[k - 1];
	/* sums over the days of 1, t, y, c, s and their products (index 0 .. 4) */
	double		sum[5][5] = {{0}},
				m[3][3],
				det,
				rc,
				rs,
				gbar = 0.0,
				cbar = 0.0,
				sbar = 0.0;
	double		b[3] = {0};
	int32		w = st->as_of - st->year_start[0] + 1;

	for (DateADT d = from; d <= st->as_of; d++)
	{
		double		x[5] = {1.0, (double) (d - st->as_of) / PF_YEAR, (double) st->recent[st->as_of - d],
							cos(2.0 * M_PI * d / PF_YEAR), sin(2.0 * M_PI * d / PF_YEAR)};

		for (int i = 0; i < 5; i++)
			for (int j = i; j < 5; j++)
				sum[i][j] += x[i] * x[j];
	}
	for (int i = 0; i < 5; i++)
		for (int j = 0; j < i; j++)
			sum[i][j] = sum[j][i];
	/*
	 * Frisch–Waugh: the cross products of y, c, s left after their least
	 * squares on (1, t) (m[0] y, m[1] c, m[2] s), then the 2 × 2 system of
	 * the season on them; a trend over the windows would otherwise leak
	 * into the wave (a rise within each year is half a sine)
	 */
	det = sum[0][0] * sum[1][1] - sum[0][1] * sum[0][1];
	if (!(det > 0.0))
		return;
	for (int i = 0; i < 3; i++)
		for (int j = 0; j < 3; j++)
		{
			int			u = i + 2,
						v = j + 2;

			m[i][j] = sum[u][v] - (sum[0][u] * (sum[1][1] * sum[0][v] - sum[0][1] * sum[1][v]) +
								   sum[1][u] * (sum[0][0] * sum[1][v] - sum[0][1] * sum[0][v])) / det;
		}
	det = m[1][1] * m[2][2] - m[1][2] * m[1][2];
	if (!(det > 0.0))
		return;
	b[1] = (m[2][2] * m[0][1] - m[1][2] * m[0][2]) / det;
	b[2] = (m[1][1] * m[0][2] - m[1][2] * m[0][1]) / det;
	/* the level at the days' mean: ȳ - b_c c̄ - b_s s̄ */
	b[0] = (sum[0][2] - b[1] * sum[0][3] - b[2] * sum[0][4]) / sum[0][0];
	if (!(b[0] > 0.0))
		return;
	rc = b[1] / b[0];
	rs = b[2] / b[0];
	for (DateADT d = st->year_start[0]; d <= st->as_of; d++)
	{
		double		c = cos(2.0 * M_PI * d / PF_YEAR),
					sn = sin(2.0 * M_PI * d / PF_YEAR);

		gbar += 1.0 + rc * c + rs * sn;
		cbar += c;
		sbar += sn;
	}
	gbar /= w;
	cbar /= w;
	sbar /= w;
	if (!(gbar > 0.0))
		return;
	in->rc = rc;
	in->rs = rs;
	in->gbar = gbar;
	/* Var(b) = b0 (X'X)⁻¹, its season block the inverse of m's; r = b / b0, b0's own error left aside */
	in->v_cc = m[2][2] / det / b[0];
	in->v_cs = -m[1][2] / det / b[0];
	in->v_ss = m[1][1] / det / b[0];
	for (int32 i = 1; i <= h; i++)
	{
		DateADT		d = st->as_of + i;
		double		c = cos(2.0 * M_PI * d / PF_YEAR),
					sn = sin(2.0 * M_PI * d / PF_YEAR),
					g = 1.0 + rc * c + rs * sn;

		in->phi[i] = fmax(0.0, g / gbar);
		if (g > 0.0)
		{
			in->dc[i] = (c - in->phi[i] * cbar) / gbar;
			in->ds[i] = (sn - in->phi[i] * sbar) / gbar;
		}
	}
}

/*
 * The inflow's trend and drift from the yearly counts n_0 .. n_{k-1} of the
 * k windows (newest first; k >= 3, none empty).  The log changes
 * l_j = ln(n_j / n_{j+1}) of a level that moves as a random walk with a
 * trend d are independent with mean d and variance q (the walk) + 1/n_j +
 * 1/n_{j+1} (Poisson), so d's estimate is their mean, (ln n_0 -
 * ln n_{k-1}) / (k - 1), with variance (q (k - 1) + 1/n_0 + 1/n_{k-1}) /
 * (k - 1)², q from the l_j's spread beyond Poisson.  The trend is shrunk
 * as an empirical-Bayes normal mean (positive-part James–Stein): by
 * 1 - se²/d², none when |d| <= se, and its variance is the shrunk se².
 * The drift (the walk's variance, used for the interval) is then the mean
 * square of l_j - trend beyond Poisson: without a trend, the uncentered one.
 */
static void
trend_fit(const PfState *st, int k, int32 w, Inflow *in)
{
	double		l[PF_YEARS],
				pois[PF_YEARS],
				d = 0.0,
				ss = 0.0,
				p = 0.0,
				q,
				se2,
				shrink,
				drift = 0.0;
	int			m = 0;

	in->t_mid = (w - 1) / 2.0;
	in->t_max = (k - 1) * PF_YEAR;
	for (int j = 0; j + 1 < k; j++)
	{
		double		a = (double) st->year[j].n,
					c = (double) st->year[j + 1].n;

		if (a > 0.0 && c > 0.0)
		{
			l[m] = log(a / c);
			pois[m] = 1.0 / a + 1.0 / c;
			m++;
		}
	}
	if (m < 2)
		return;					/* no drift, no trend */
	if (m == k - 1)
	{
		/* every window has arrivals: the trend */
		for (int j = 0; j < m; j++)
			d += l[j];
		d /= m;
		for (int j = 0; j < m; j++)
		{
			ss += (l[j] - d) * (l[j] - d);
			p += pois[j];
		}
		q = fmax(0.0, ss / (m - 1) - p / m);
		se2 = (q * m + 1.0 / (double) st->year[0].n + 1.0 / (double) st->year[k - 1].n) / ((double) m * m);
		shrink = d * d > se2 ? 1.0 - se2 / (d * d) : 0.0;
		in->trend = shrink * d;
		in->v_trend = shrink * se2;
	}
	for (int j = 0; j < m; j++)
		drift += (l[j] - in->trend) * (l[j] - in->trend) - pois[j];
	in->drift = fmax(0.0, drift / m);
}

/* The filter's figures on as_of for one innovation variance q. */
typedef struct LevelRun
{
	double		mu,				/* log level */
				delta,			/* trend a year */
				p11,			/* their covariance */
				p12,
				p22,
				loglik,			/* Gaussian log-likelihood of the bins' prediction errors */
				q,				/* the walk's variance a year */
				r;				/* the trend's walk variance a year */
} LevelRun;

/* Run the level filter over nb bins (y counts, g season sums; index 0 the newest) from mu0. */
static void
level_run(const double *y, const double *g, int32 nb, double mu0, double q, double rq, LevelRun *r)
{
	double		dt = PF_BIN / PF_YEAR,
				tail = (PF_BIN - 1) / 2.0 / PF_YEAR;

	r->mu = mu0;
	r->delta = 0.0;
	r->p11 = PF_PRIOR;
	r->p12 = 0.0;
	r->p22 = PF_PRIOR;
	r->loglik = 0.0;
	r->q = q;
	r->r = rq;
	for (int32 b = nb - 1; b >= 0; b--)
	{
		double		e,
					m,
					f;

		CHECK_FOR_INTERRUPTS();
		/* predict: μ += δ Δ, P = F P F' + diag(q Δ, 0) */
		r->mu += r->delta * dt;
		r->p11 += dt * (2.0 * r->p12 + dt * r->p22) + q * dt + rq * dt * dt * dt / 3.0;
		r->p12 += dt * r->p22 + rq * dt * dt / 2.0;
		r->p22 += rq * dt;
		if (!(g[b] > 0.0))
			continue;			/* a bin without season: no information */
		e = g[b] * exp(r->mu);
		if (b < nb - PF_BURN)
			r->loglik -= 0.5 * (log(e + e * e * r->p11) + (y[b] - e) * (y[b] - e) / (e + e * e * r->p11));

		/*
		 * update by the bin's count: the posterior mode of μ, (m - μ)/P11 =
		 * y - G e^m, by Newton from the right of it (the function is convex
		 * and rising: no overshoot, however far the count is from E)
		 */
		m = y[b] > 0.0 ? fmax(r->mu, log(y[b] / g[b])) : r->mu;
		for (int it = 0; it < PF_NEWTON; it++)
		{
			double		em = g[b] * exp(m);

			m -= ((m - r->mu) / r->p11 + em - y[b]) / (1.0 / r->p11 + em);
		}
		e = g[b] * exp(m);
		f = e / (1.0 + r->p11 * e); /* 1 / (P11 + 1/E) at the mode */
		r->delta += r->p12 / r->p11 * (m - r->mu);
		r->mu = m;
		r->p22 -= r->p12 * r->p12 * f;
		r->p12 -= r->p11 * r->p12 * f;
		r->p11 -= r->p11 * r->p11 * f;
	}
	/* on from the newest bin's middle to as_of */
	r->mu += r->delta * tail;
	r->p11 += tail * (2.0 * r->p12 + tail * r->p22) + q * tail + rq * tail * tail * tail / 3.0;
	r->p12 += tail * r->p22 + rq * tail * tail / 2.0;
	r->p22 += rq * tail;
}

/*
 * The inflow's level and trend on as_of by a local-level filter over the
 * arrivals of the last k windows (k >= 3, none empty, a season fitted),
 * counted in bins of PF_BIN days back from as_of (the oldest days that
 * fill no bin left out).  The log of the arrivals a day before the season,
 * μ, moves as a random walk with variance q a year and a drift δ (the
 * trend, unknown), which itself moves as a random walk with variance r a
 * year (r = 0: a constant trend); a bin's count y is Poisson with mean E =
 * G e^μ, G the sum of the season g over its days.  Each bin, oldest first:
 *   predict  μ += δ Δ,  P = F P F' + q Δ e1 e1' + r (Δ³/3, Δ²/2; Δ²/2, Δ)
 *            (Δ = PF_BIN days in years);
 *   update   by y: μ to the posterior mode m, (m - μ)/P11 = y - G e^m (PF_NEWTON
 *            Newton steps from max(μ, ln(y/G)), the right of it), δ += P12/P11
 *            (m - μ), and P as a Kalman update with observation variance
 *            1/E at the mode (an iterated extended Kalman filter on the log
 *            scale: one step from μ would be the plain one, which a burst
 *            of arrivals throws far beyond it);
 * from μ = ln(Σ y / Σ G), δ = 0 and variances PF_PRIOR (as good as none:
 * a bin's count outweighs them), and on from the newest bin's middle to
 * as_of.  (q, r) is the pair of q in 0, 0.0005, 0.001, ... 0.256 and r in
 * 0, 0.0001, 0.0004, 0.0016, 0.0064 whose prediction errors are likeliest
 * (Gaussian, variance E + E² P11; the first PF_BURN bins left out) less 1
 * for each that is not 0 (Akaike): over twenty years a trend may turn,
 * and r lets the filter follow it, while the penalty keeps the trend
 * constant unless the counts say otherwise.  The 12 months' rate follows
 * a change of the inflow half
 * a year late and carries one year's Poisson noise; the filter weighs the
 * bins by how far the level can have moved since, and its trend is the
 * generalised least-squares one of that walk (not shrunk: the filter's lag
 * needs it).  Without it (fewer than three windows with arrivals, no
 * season) the 12 months' rate and the shrunk trend of trend_fit are used.
 */
static void
level_fit(const PfState *st, int k, Inflow *in)
{
	int32		nb,
				days;
	double		ysum = 0.0,
				gsum = 0.0,
				mu0;
	double	   *y,
			   *g;
	LevelRun	best,
				run;
	bool		found = false;

	if (k < 3 || !(in->gbar > 0.0))
		return;
	days = st->as_of - st->year_start[k - 1] + 1;
	nb = days / PF_BIN;
	y = palloc0(sizeof(double) * nb);
	g = palloc0(sizeof(double) * nb);
	for (int32 ago = 0; ago < nb * PF_BIN; ago++)
	{
		DateADT		d = st->as_of - ago;

		y[ago / PF_BIN] += (double) st->recent[ago];
		g[ago / PF_BIN] += fmax(0.0, 1.0 + in->rc * cos(2.0 * M_PI * d / PF_YEAR) +
								in->rs * sin(2.0 * M_PI * d / PF_YEAR));
	}
	for (int32 b = 0; b < nb; b++)
	{
		ysum += y[b];
		gsum += g[b];
	}
	if (!(ysum > 0.0 && gsum > 0.0))
		return;
	mu0 = log(ysum / gsum);
	/*
	 * q by maximum likelihood over the grid (the first of equals); a run
	 * that went out of range (counts the season calls impossible) does not
	 * count, and without any the 12 months' rate is used
	 */
	for (int j = -1; j < PF_RGRID; j++)
		for (int i = -1; i < PF_QGRID; i++)
		{
			level_run(y, g, nb, mu0, i < 0 ? 0.0 : PF_QMIN * pow(2.0, i),
					  j < 0 ? 0.0 : PF_RMIN * pow(4.0, j), &run);
			/* AIC: each walk variance that is not 0 costs one */
			run.loglik -= (i >= 0) + (j >= 0);
			if (isfinite(run.loglik) && isfinite(exp(run.mu)) && isfinite(run.p11) &&
				isfinite(run.p22) && (!found || run.loglik > best.loglik))
			{
				best = run;
				found = true;
			}
		}
	pfree(y);
	pfree(g);
	if (!found)
		return;
	in->level = exp(best.mu);
	in->v_level = best.p11;
	in->trend = best.delta;
	in->v_trend = best.p22;
	in->c_level_trend = best.p12;
	in->q = best.q;
	in->r = best.r;
	in->filtered = true;
	in->t_mid = 0.0;			/* the trend from as_of on */
}

/*
 * The new stays' model from the arrivals: the season from the last k
 * windows (k >= 2: those the data covers, back to the first without
 * arrivals) and the cost trend from the last PF_COST_YEARS of them, else no
 * season and the mean daily cost of the 12 months; the inflow's level and
 * trend from the k windows (k >= 3).
 */
static void
inflow_fit(const PfState *st, int32 h, Inflow *in)
{
	int			k = 0,
				kc,				/* the windows of the cost trend */
				covered = years_covered(st);
	PfYear		all = {0};
	double		n,
				sum_t = 0.0,
				sum_tt = 0.0,
				sxx,
				sxy,
				ss;
	int32		w = st->as_of - st->year_start[0] + 1;

	memset(in, 0, sizeof(*in));
	in->phi = palloc(sizeof(double) * (h + 1));
	in->dc = palloc0(sizeof(double) * (h + 1));
	in->ds = palloc0(sizeof(double) * (h + 1));
	for (int32 i = 0; i <= h; i++)
		in->phi[i] = 1.0;
	if (st->year[0].n == 0)
		return;					/* no arrivals to scale */
	while (k < covered && st->year[k].n > 0)
		k++;
	if (k < 2)
	{
		/* the 12 months only: their mean cost and its spread */
		n = (double) st->year[0].n;
		in->mean_cost = (double) st->year[0].cost / n;
		if (n > 1.0)
			in->cost_var = fmax(0.0, ((double) st->year[0].cost2 - n * in->mean_cost * in->mean_cost) / (n - 1.0));
		in->v_mean = in->cost_var / n;
		return;
	}
	season_fit(st, k, h, in);
	kc = Min(k, PF_COST_YEARS);
	for (int j = 0; j < kc; j++)
		add_year(&all, &st->year[j]);
	trend_fit(st, k, w, in);
	level_fit(st, k, in);
	/* the trend scales the season: φ_s exp(trend × years from the middle) */
	for (int32 i = 1; in->trend != 0.0 && i <= h; i++)
	{
		double		g = exp(in->trend * trend_years(in, i));

		in->phi[i] *= g;
		in->dc[i] *= g;
		in->ds[i] *= g;
	}
	/* least squares of the daily cost on the start day t = -(as_of - start) */
	for (int32 ago = 0; ago <= st->as_of - st->year_start[kc - 1]; ago++)
	{
		double		c = (double) st->recent[ago];

		sum_t -= c * ago;
		sum_tt += c * ago * (double) ago;
	}
	n = (double) all.n;
	in->t_mean = sum_t / n;
	in->mean_cost = (double) all.cost / n;
	sxx = sum_tt - n * in->t_mean * in->t_mean;
	sxy = -(double) all.cost_ago - n * in->t_mean * in->mean_cost;
	ss = (double) all.cost2 - n * in->mean_cost * in->mean_cost;
	if (n > 2.0 && sxx > 0.0)
	{
		in->slope = sxy / sxx;
		in->cost_var = fmax(0.0, (ss - in->slope * sxy) / (n - 2.0));
		in->v_slope = in->cost_var / sxx;
	}
	else if (n > 1.0)
		in->cost_var = fmax(0.0, ss / (n - 1.0));
	in->v_mean = in->cost_var / n;
}

/*
 * The forecast of a state.  With S(t) = P(length > t) from the Kaplan–Meier
 * curve, H the days after as_of up to until, λ the rate of the 12 months, φ
 * the season and c(s) the daily cost of a stay starting s days after as_of:
 *   an open stay of e days: E[D] = Σ_{k=1..H} S(e+k)/S(e),
 *                           E[D²] = Σ_{k=1..H} (2k-1) S(e+k)/S(e);
 *   new stays:              days  λ Σ_{k<H} S(k) Σ_{s<=H-k} φ_s,
 *                           cost  λ Σ_{k<H} S(k) Σ_{s<=H-k} φ_s c(s),
 *                           Σ_s λ φ_s E[c_s²] E[D_s²] with
 *                           E[D_s²] = Σ_{k<=H-s} (2k+1) S(k);
 * sums over t from prefix sums of S(t) and t S(t), so the whole is
 * O(longest stay + H).
 */
static void
placement_estimate(const PfState *st, PfResult *r)
{
	int32		h = st->until - st->as_of;
	int32		w = st->as_of - st->year_start[0] + 1;
	int32		top = 0;		/* lengths 0 .. top-1 are in use */
	int64		t_len;
	KmWalk		km;
	double	   *s,
			   *gw,
			   *p0,
			   *p1,
			   *qa,
			   *qb,
			   *rn,
			   *rc;
	double		lambda = (double) st->year[0].n / w,
				cdays = 0.0,
				ccost = 0.0,
				ncost,
				var = 0.0,
				k2 = 0.0,
				cum_n = 0.0,
				cum_c = 0.0,
				cum_c2 = 0.0,
				g_mean = 0.0,
				g_slope = 0.0,
				g_c = 0.0,
				g_s = 0.0,
				g_trend = 0.0;
	Inflow		in;

	memset(r, 0, sizeof(*r));
	r->as_of = st->as_of;
	r->until = st->until;
	r->arrivals = st->year[0].n;
	for (int32 d = 0; d < st->lengths.cap; d++)
	{
		const LengthCounts *p = &st->lengths.n[d];

		if (p->events != 0 || p->censored != 0)
			top = d + 1;
		r->open_stays += p->censored;
	}
	t_len = (int64) top + h + 1;	/* S(t) for t = 0 .. top + h */
	s = palloc(sizeof(double) * t_len);
	gw = palloc0(sizeof(double) * t_len);
	p0 = palloc(sizeof(double) * (t_len + 1));
	p1 = palloc(sizeof(double) * (t_len + 1));
	km_start(&km, lengths_total(&st->lengths));
	p0[0] = p1[0] = 0.0;
	for (int64 t = 0; t < t_len; t++)
	{
		CHECK_FOR_INTERRUPTS();
		if (t < top)
			gw[t] = km_step(&km, st->lengths.n[t].events, st->lengths.n[t].censored);
		s[t] = km.surv;
		p0[t + 1] = p0[t] + km.surv;
		p1[t + 1] = p1[t] + (double) t * km.surv;
	}

	/*
	 * committed: open stays by elapsed days e (S(e) > 0: they are at risk at
	 * every length up to e and not among its events); qa and qb are prefix
	 * sums over e of c_e/S(e) and c_e/S(e) × P0(e+h+1) for the curve's
	 * gradient
	 */
	qa = palloc(sizeof(double) * (top + 1));
	qb = palloc(sizeof(double) * (top + 1));
	qa[0] = qb[0] = 0.0;
	for (int32 e = 0; e < top; e++)
	{
		PfDays		v;
		const PfDays *p = &v;
		double		a = 0.0;

		CHECK_FOR_INTERRUPTS();
		get_days(st, e, &v);
		if (p->open > 0)
		{
			double		se = s[e],
						sum = p0[e + h + 1] - p0[e + 1],
						tsum = p1[e + h + 1] - p1[e + 1],
						ed = sum / se,
						ed2 = (2.0 * tsum - (2.0 * e + 1.0) * sum) / se;

			cdays += (double) p->open * ed;
			ccost += (double) p->open_cost * ed;
			var += (double) p->open_cost2 * fmax(0.0, ed2 - ed * ed);
			a = (double) p->open_cost / se;
		}
		qa[e + 1] = qa[e] + a;
		qb[e + 1] = qb[e] + a * p0[e + h + 1];
	}

	/*
	 * new stays: rn[k] = Σ_{j=k..h-1} S(j) Σ_{s<=h-j} φ_s, rc[k] the same
	 * with φ_s c(s); the g_ are how the cost moves with the fitted mean cost,
	 * slope and season (each start day s weighs P0(h-s+1), its expected days)
	 */
	inflow_fit(st, h, &in);
	if (in.filtered)
		lambda = in.level * in.gbar;	/* λ φ_s = level × g × the trend from as_of */
	rn = palloc(sizeof(double) * (h + 1));
	rc = palloc(sizeof(double) * (h + 1));
	rn[h] = rc[h] = 0.0;
	for (int32 i = 1; i <= h; i++)
	{
		double		c = cost_at(&in, i),
					days = p0[h - i + 1];

		CHECK_FOR_INTERRUPTS();
		cum_n += in.phi[i];
		cum_c += in.phi[i] * c;
		cum_c2 += in.phi[i] * (c * c + in.cost_var);
		g_mean += in.phi[i] * days;
		g_slope += in.phi[i] * (i - in.t_mean) * days;
		g_c += in.dc[i] * c * days;
		g_s += in.ds[i] * c * days;
		g_trend += in.phi[i] * trend_years(&in, i) * c * days;
		/* k = h - i: the stays that start by day i are in care k days later */
		rn[h - i] = rn[h - i + 1] + s[h - i] * cum_n;
		rc[h - i] = rc[h - i + 1] + s[h - i] * cum_c;
		k2 += (2.0 * (h - i) + 1.0) * s[h - i] * cum_c2;
	}
	ncost = lambda * rc[0];
	r->new_stays = lambda * cum_n;
	r->new_days = lambda * rn[0];
	var += lambda * k2;			/* arrivals, compound Poisson */
	if (st->year[0].n > 0)
	{
		if (in.filtered)
			var += ncost * ncost * in.v_level;	/* the level on as_of */
		else
			var += ncost * ncost / (double) st->year[0].n;	/* the rate */
		var += lambda * lambda * (g_mean * g_mean * in.v_mean + g_slope * g_slope * in.v_slope);
		var += lambda * lambda *
			(g_c * g_c * in.v_cc + 2.0 * g_c * g_s * in.v_cs + g_s * g_s * in.v_ss);
		var += lambda * lambda * g_trend * g_trend * in.v_trend;
		if (in.filtered)		/* the level and the trend from one filter */
			var += 2.0 * ncost * lambda * g_trend * in.c_level_trend;
		/*
		 * the level moves as a random walk from the window's middle to the
		 * days forecast; with the filter, from as_of with its own q, and
		 * its trend with its own r (the log level's variance r s³/3 at s
		 * years, r h³/12 over the horizon's days on average)
		 */
		if (in.filtered)
			var += ncost * ncost * (in.q * h / (2.0 * PF_YEAR) +
									in.r * pow(h / PF_YEAR, 3) / 12.0);
		else
			var += ncost * ncost * 1.5 * in.drift * (1.0 / 3.0 + h / (2.0 * PF_YEAR));
	}

	/*
	 * the curve (delta method): the forecast's derivative by the hazard at
	 * length j is -G_j / (1 - h_j) with G_j the expected cost from day j of
	 * the stays it concerns: open stays with e < j <= e + h, and arrivals
	 */
	for (int32 j = 1; j < top; j++)
	{
		int32		lo = Max(0, j - h);
		double		g;

		if (gw[j] == 0.0)
			continue;
		CHECK_FOR_INTERRUPTS();
		g = (qb[j] - qb[lo]) - p0[j] * (qa[j] - qa[lo]);
		if (j < h)
			g += lambda * rc[j];
		var += g * g * gw[j];
	}

	r->committed_days = cdays;
	r->committed_cost = round_ore(ccost);
	r->new_cost = round_ore(ncost);
	r->new_cost_ore = ncost;
	r->var = var;
}

/*
 * The 95 % interval of a positive cost with variance var (öre²): the
 * quantiles of the log-normal with that mean and variance.
 */
static void
interval(Sek cost, double var, Sek *lo, Sek *hi)
{
	double		m = (double) cost,
				s2,
				sd;

	if (cost <= 0 || !(var > 0.0))
	{
		*lo = *hi = cost;
		return;
	}
	s2 = log1p(var / (m * m));
	sd = sqrt(s2);
	*lo = sek_mul_float(cost, exp(-Z95 * sd - s2 / 2.0));
	*hi = sek_mul_float(cost, exp(Z95 * sd - s2 / 2.0));
}

/* The placement_forecast_result record of a forecast (derived columns computed here). */
static Datum
result_record(FunctionCallInfo fcinfo, const PfResult *r)
{
	TupleDesc	td;
	Datum		v[PF_NCOLS];
	bool		n[PF_NCOLS];
	int32		h = r->until - r->as_of,
				w = r->as_of - years_before(r->as_of, 1) + 1;
	double		days = r->committed_days + r->new_days;
	Sek			cost = sek_add(r->committed_cost, r->new_cost),
				lo,
				hi;

	if (get_call_result_type(fcinfo, NULL, &td) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "placement_forecast must return a composite type");
	td = BlessTupleDesc(td);
	interval(cost, r->var, &lo, &hi);
	memset(n, 0, sizeof(n));
	v[0] = DateADTGetDatum(r->as_of);
	v[1] = DateADTGetDatum(r->until);
	v[2] = Int64GetDatum(r->open_stays);
	v[3] = Float8GetDatum(r->committed_days);
	v[4] = SekGetDatum(r->committed_cost);
	v[5] = Int64GetDatum(r->arrivals);
	n[6] = !(r->new_days > 0.0);
	v[6] = n[6] ? (Datum) 0 : SekGetDatum(round_ore(r->new_cost_ore / r->new_days));
	/* the season: expected arrivals ÷ those at the 12 months' rate */
	n[7] = r->arrivals == 0;
	v[7] = Float8GetDatum(n[7] ? 0.0 : r->new_stays / ((double) r->arrivals / w * h));
	v[8] = Float8GetDatum(r->new_stays);
	v[9] = Float8GetDatum(r->new_days);
	v[10] = SekGetDatum(r->new_cost);
	v[11] = Float8GetDatum(days);
	v[12] = Float8GetDatum(days / h);
	n[13] = !(days > 0.0);
	v[13] = n[13] ? (Datum) 0 : SekGetDatum(sek_div_float(cost, days));
	v[14] = SekGetDatum(cost);
	v[15] = Float8GetDatum(sqrt(r->var) / 100.0);
	v[16] = SekGetDatum(lo);
	v[17] = SekGetDatum(hi);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(td, v, n)));
}

PG_FUNCTION_INFO_V1(placement_forecast_final);
/* Final: the forecast record; NULL when every row was skipped. */
Datum
placement_forecast_final(PG_FUNCTION_ARGS)
{
	PfResult	r;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	placement_estimate((PfState *) PG_GETARG_POINTER(0), &r);
	return result_record(fcinfo, &r);
}

/* ---------- rollup(placement_forecast_result) ---------- */

/* Column attno (1-based) of a forecast record; 22023 when NULL. */
static Datum
column(HeapTupleHeader rec, int attno)
{
	bool		isnull;
	Datum		d = GetAttributeByNum(rec, attno, &isnull);

	if (isnull)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("column %d of a placement forecast is NULL", attno),
				 errhint("Roll up the records placement_forecast returns, unchanged.")));
	return d;
}

/* Add the additive figures of b to a (same dates checked by the caller). */
static void
result_add(PfResult *a, const PfResult *b)
{
	add64(&a->open_stays, b->open_stays);
	a->committed_days += b->committed_days;
	a->committed_cost = sek_add(a->committed_cost, b->committed_cost);
	add64(&a->arrivals, b->arrivals);
	a->new_stays += b->new_stays;
	a->new_days += b->new_days;
	a->new_cost = sek_add(a->new_cost, b->new_cost);
	a->new_cost_ore += b->new_cost_ore;
	a->var += b->var;
}

PG_FUNCTION_INFO_V1(placement_rollup_accum);
/* rollup transition: add one forecast of the same as_of and until. */
Datum
placement_rollup_accum(PG_FUNCTION_ARGS)
{
	MemoryContext ctx;
	PfResult   *st;
	PfResult	f;
	HeapTupleHeader rec;
	double		sd;

	if (!AggCheckCallContext(fcinfo, &ctx))
		elog(ERROR, "placement_rollup_accum called in non-aggregate context");
	st = PG_ARGISNULL(0) ? NULL : (PfResult *) PG_GETARG_POINTER(0);
	if (PG_ARGISNULL(1))
	{
		if (st == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(st);
	}
	rec = PG_GETARG_HEAPTUPLEHEADER(1);
	f.as_of = DatumGetDateADT(column(rec, 1));
	f.until = DatumGetDateADT(column(rec, 2));
	if (st == NULL)
	{
		check_dates(f.as_of, f.until);
		st = MemoryContextAllocZero(ctx, sizeof(PfResult));
		st->as_of = f.as_of;
		st->until = f.until;
	}
	else if (st->as_of != f.as_of || st->until != f.until)
		dates_differ(st->as_of, st->until, f.as_of, f.until);
	f.open_stays = DatumGetInt64(column(rec, 3));
	f.committed_days = DatumGetFloat8(column(rec, 4));
	f.committed_cost = DatumGetSek(column(rec, 5));
	f.arrivals = DatumGetInt64(column(rec, 6));
	f.new_stays = DatumGetFloat8(column(rec, 9));
	f.new_days = DatumGetFloat8(column(rec, 10));
	f.new_cost = DatumGetSek(column(rec, 11));
	/* the unrounded cost is not in the record: the rounded one serves */
	f.new_cost_ore = (double) f.new_cost;
	sd = DatumGetFloat8(column(rec, 16)) * 100.0;
	f.var = sd * sd;
	result_add(st, &f);
	PG_RETURN_POINTER(st);
}

PG_FUNCTION_INFO_V1(placement_rollup_combine);
/* rollup combine: add two partial states (same as_of and until). */
Datum
placement_rollup_combine(PG_FUNCTION_ARGS)
{
	PfResult   *b;
	PfResult   *a = combine_fixed(fcinfo, sizeof(PfResult), (void **) &b);

	if (b == NULL)
		return state_result(fcinfo, a);
	if (a->as_of != b->as_of || a->until != b->until)
		dates_differ(a->as_of, a->until, b->as_of, b->until);
	result_add(a, b);
	PG_RETURN_POINTER(a);
}

PG_FUNCTION_INFO_V1(placement_rollup_serialize);
/* rollup serialisation: the fixed-size state's bytes (same build both ends). */
Datum
placement_rollup_serialize(PG_FUNCTION_ARGS)
{
	PG_RETURN_BYTEA_P(fixed_to_bytea(PG_GETARG_POINTER(0), sizeof(PfResult)));
}

PG_FUNCTION_INFO_V1(placement_rollup_deserialize);
/* rollup deserialisation, checked (22P03 when malformed). */
Datum
placement_rollup_deserialize(PG_FUNCTION_ARGS)
{
	PfResult   *st = fixed_from_bytea(PG_GETARG_BYTEA_PP(0), sizeof(PfResult),
										  "rollup(placement_forecast_result)");

	if (DATE_NOT_FINITE(st->as_of) || DATE_NOT_FINITE(st->until) || !IS_VALID_DATE(st->as_of) ||
		st->until <= st->as_of || (int64) st->until - st->as_of > PF_MAX_HORIZON ||
		st->arrivals < 0 || st->open_stays < 0 || !(st->var >= 0.0))
		state_invalid("a rollup state with impossible dates or sums");
	PG_RETURN_POINTER(st);
}

PG_FUNCTION_INFO_V1(placement_rollup_final);
/* rollup final: the record of the summed forecasts, the groups taken as independent. */
Datum
placement_rollup_final(PG_FUNCTION_ARGS)
{
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	return result_record(fcinfo, (PfResult *) PG_GETARG_POINTER(0));
}
