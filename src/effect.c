/*
 * effect.c — measured effects of placements.
 *
 * stay_effect(stay, daily_cost, treated, as_of [, horizon_days]): the care
 * days and cost saved by treated stays (e.g. those given a take-home
 * package) against the untreated stays of the same group, by restricted
 * mean stay length (RMST).  Stays are seen at as_of as stay_survival sees
 * them: an ended stay (end <= as_of) is an event at end - start days, an
 * open one is censored at as_of - start, a stay starting after as_of is
 * left out.  For each group the Kaplan–Meier curve S gives
 *     RMST(tau) = ∫_0^tau S(u) du,
 * the mean stay length counted up to tau days (stays longer count as tau),
 * with the Greenwood-type variance R's survfit prints for rmean times the
 * small-sample factor m / (m - 1), m the stays ended by tau:
 *     Var = m / (m - 1) Σ_{event lengths t_i <= tau} A_i² d_i / (n_i (n_i - d_i)),
 *     A_i = ∫_{t_i}^tau S(u) du,
 * and a t interval of m - 1 degrees of freedom (Student's, when no stay is
 * open and tau is past the longest).
 * tau is a given horizon or, by default, the median of the stays'
 * potential follow-up as_of - start (both groups together: half of the
 * stays could have been followed that long), cut to the longest
 * horizon at which both curves are known (a group's longest length, ended
 * or open, unless its curve has fallen to 0 there).  The default depends
 * on the start days only, not on the lengths: a default taken from the
 * lengths themselves (the shorter of the groups' longest follow-up, in
 * 0.1.0) is mostly the treated stays' own longest stay, whose curve then
 * estimates nearly their whole mean while the truth is cut at that length,
 * and it understated days saved by 5 % of the truth in simulations
 * (docs/effect_calibration.md).
 *     days_saved = n_treated × (RMST_untreated - RMST_treated),
 * its variance n_treated² (Var_untreated + Var_treated) (independent
 * groups), a 95 % t interval with Welch–Satterthwaite degrees of freedom
 * (Welch's interval in that case); cost_saved = days_saved × the mean
 * daily cost of the treated stays (each treated stay's saved days at its
 * own price), rounded once to the öre.
 *
 * The state counts events and censorings per length in days for each group
 * (memory grows with the longest stay, at most 100 years, never with the
 * rows) and sums the treated stays' daily costs: integers only, so the
 * result does not depend on the order of the rows or on how parallel
 * workers split them.
 *
 * alternative_cost(...): own care days priced at an external daily price
 * against the own cost, one row (care days, price, own cost) or aggregated
 * over own stays within a period.
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
#define EFF_MAX_DAYS	36525
#define EFF_BIN_VERSION 2
#define EFF_NCOLS		24
#define ALT_NCOLS		7

/* ---------- stay_effect: the state ---------- */

/* Aggregate state; groups[1] are the treated stays. */
typedef struct EffState
{
	DateADT		as_of;
	int32		horizon;		/* days; 0 = the shorter longest follow-up */
	StayLengths groups[2];
	StayLengths followup;		/* both groups' stays by as_of - start (capped
								 * at EFF_MAX_DAYS), as censored counts */
	int64		n_costed;		/* treated stays with a daily cost */
	int64		cost_sum;		/* their daily costs, öre */
	MemoryContext ctx;
} EffState;

/* One group's figures in the final function. */
typedef struct EffFit
{
	int64		n;				/* stays */
	int64		open;			/* of them open at as_of */
	int32		longest;		/* longest length seen, ended or open */
	bool		to_zero;		/* the curve falls to 0 at the longest length */
	double		mean;			/* RMST up to tau */
	double		var;			/* its variance (with the small-sample factor) */
	double		df;				/* degrees of freedom of its t interval */
} EffFit;

/* A new, empty state in ctx. */
static EffState *
eff_state_new(MemoryContext ctx, DateADT as_of, int32 horizon)
{
	EffState   *st = MemoryContextAllocZero(ctx, sizeof(EffState));

	st->as_of = as_of;
	st->horizon = horizon;
	for (int g = 0; g < 2; g++)
		lengths_init(&st->groups[g], EFF_MAX_DAYS);
	lengths_init(&st->followup, EFF_MAX_DAYS);
	st->ctx = ctx;
	return st;
}

/* Raise 22003 for a count or sum beyond bigint. */
static void
pg_attribute_noreturn()
eff_overflow(const char *what)
{
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("%s out of range", what),
			 errhint("Counts and sums of daily costs must fit in a bigint.")));
	pg_unreachable();
}

/* Add counts of one length to a group (days <= EFF_MAX_DAYS). */
static void
eff_add(EffState *st, int g, int32 days, int64 events, int64 censored)
{
	if (!lengths_add(st->ctx, &st->groups[g], days, events, censored))
		eff_overflow("number of stays");
}

/* Add the treated stays' daily-cost figures of another state or row. */
static void
eff_add_cost(EffState *st, int64 n, int64 sum)
{
	if (pg_add_s64_overflow(st->n_costed, n, &st->n_costed))
		eff_overflow("number of stays");
	if (pg_add_s64_overflow(st->cost_sum, sum, &st->cost_sum))
		eff_overflow("sum of the treated stays' daily costs");
}

/* Raise 22023 for rows or partial states of one group with other settings. */
static void
pg_attribute_noreturn()
eff_settings_differ(DateADT as_of1, int32 h1, DateADT as_of2, int32 h2)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("as_of %s and horizon %d differ from as_of %s and horizon %d earlier in the same group",
					date_iso(as_of2), h2, date_iso(as_of1), h1),
			 errhint("Pass one as_of (and horizon) for every row of a group, or group by them.")));
	pg_unreachable();
}

/* Validate the horizon argument: 1 .. EFF_MAX_DAYS days. */
static void
eff_check_horizon(int32 h)
{
	if (h < 1 || h > EFF_MAX_DAYS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("horizon of %d days is outside 1 .. %d", h, EFF_MAX_DAYS),
				 errhint("Give the horizon in days, e.g. 365 for stay lengths counted up to a year, or leave it out.")));
}

PG_FUNCTION_INFO_V1(stay_effect_accum);
/* Transition: count a stay as ended or open at as_of in its group, and its daily cost. */
Datum
stay_effect_accum(PG_FUNCTION_ARGS)
{
	MemoryContext ctx;
	EffState   *st = PG_ARGISNULL(0) ? NULL : (EffState *) PG_GETARG_POINTER(0);
	DateADT		as_of;
	int32		horizon = 0;
	DayRange	s;
	int			g;
	int64		len;

	if (!AggCheckCallContext(fcinfo, &ctx))
		elog(ERROR, "stay_effect_accum called in non-aggregate context");
	/* a row with a NULL stay, treated or as_of is skipped */
	if (PG_ARGISNULL(1) || PG_ARGISNULL(3) || PG_ARGISNULL(4))
	{
		if (st == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(st);
	}
	as_of = PG_GETARG_DATEADT(4);
	/* a NULL horizon is the default one */
	if (PG_NARGS() > 5 && !PG_ARGISNULL(5))
		horizon = PG_GETARG_INT32(5);
	if (st == NULL)
	{
		check_as_of_finite(as_of);
		if (PG_NARGS() > 5 && !PG_ARGISNULL(5))
			eff_check_horizon(horizon);
		st = eff_state_new(ctx, as_of, horizon);
	}
	else if (st->as_of != as_of || st->horizon != horizon)
		eff_settings_differ(st->as_of, st->horizon, as_of, horizon);
	if (!PG_ARGISNULL(2))
		check_daily_cost(PG_GETARG_SEK(2));
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
		PG_RETURN_POINTER(st);	/* starts after as_of: not known yet */
	g = PG_GETARG_BOOL(3) ? 1 : 0;
	if (!s.hi_inf && s.hi <= st->as_of)
		len = (int64) s.hi - s.lo;	/* ended: an event */
	else
		len = (int64) st->as_of - s.lo; /* open at as_of: censored */
	if (len > EFF_MAX_DAYS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("stay %s %s %lld days, more than 100 years",
						OidOutputFunctionCall(F_RANGE_OUT, PG_GETARG_DATUM(1)),
						(!s.hi_inf && s.hi <= st->as_of) ? "lasted" : "has lasted",
						(long long) len),
				 errhint("Check the stay's dates: a placement lasts at most %d days here.", EFF_MAX_DAYS)));
	if (!s.hi_inf && s.hi <= st->as_of)
		eff_add(st, g, (int32) len, 1, 0);
	else
		eff_add(st, g, (int32) len, 0, 1);
	/* the potential follow-up, for the default horizon */
	if (!lengths_add(st->ctx, &st->followup,
					 (int32) Min((int64) st->as_of - s.lo, (int64) EFF_MAX_DAYS), 0, 1))
		eff_overflow("number of stays");
	if (g == 1 && !PG_ARGISNULL(2))
		eff_add_cost(st, 1, PG_GETARG_SEK(2));
	PG_RETURN_POINTER(st);
}

PG_FUNCTION_INFO_V1(stay_effect_combine);
/* Combine: add the counts and cost sums of two partial states of one group. */
Datum
stay_effect_combine(PG_FUNCTION_ARGS)
{
	EffState   *a,
			   *b;
	MemoryContext ctx = combine_args(fcinfo, (void **) &a, (void **) &b);

	if (b == NULL)
		return state_result(fcinfo, a);
	/* b may live in a short-lived context: build the result in the aggregate's */
	if (a == NULL)
		a = eff_state_new(ctx, b->as_of, b->horizon);
	else if (a->as_of != b->as_of || a->horizon != b->horizon)
		eff_settings_differ(a->as_of, a->horizon, b->as_of, b->horizon);
	for (int g = 0; g < 2; g++)
		for (int32 d = 0; d < b->groups[g].cap; d++)
		{
			const LengthCounts *c = &b->groups[g].n[d];

			CHECK_FOR_INTERRUPTS();
			if (c->events != 0 || c->censored != 0)
				eff_add(a, g, d, c->events, c->censored);
		}
	for (int32 d = 0; d < b->followup.cap; d++)
		if (lengths_used_at(&b->followup, d) &&
			!lengths_add(a->ctx, &a->followup, d, 0, b->followup.n[d].censored))
			eff_overflow("number of stays");
	eff_add_cost(a, b->n_costed, b->cost_sum);
	PG_RETURN_POINTER(a);
}

/* ---------- stay_effect: serialisation ---------- */

PG_FUNCTION_INFO_V1(stay_effect_serialize);
/*
 * State → bytea: version, as_of, horizon, the treated stays' number with a
 * cost and cost sum, then per group (untreated, treated) the number of
 * lengths with stays and each (days, events, censored), days increasing,
 * then the potential follow-up the same way (as censored counts).
 */
Datum
stay_effect_serialize(PG_FUNCTION_ARGS)
{
	EffState   *st = (EffState *) PG_GETARG_POINTER(0);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, EFF_BIN_VERSION);
	pq_sendint32(&buf, (uint32) st->as_of);
	pq_sendint32(&buf, (uint32) st->horizon);
	pq_sendint64(&buf, st->n_costed);
	pq_sendint64(&buf, st->cost_sum);
	for (int g = 0; g < 2; g++)
		lengths_send(&buf, &st->groups[g]);
	lengths_send(&buf, &st->followup);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* Raise 22P03 for a malformed serialized stay_effect state. */
static void
pg_attribute_noreturn()
eff_state_invalid(const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
			 errmsg("invalid serialized stay_effect state: %s", detail),
			 errhint("Serialized states are made by stay_effect_serialize for parallel aggregation; they are not to be written by hand.")));
	pg_unreachable();
}

PG_FUNCTION_INFO_V1(stay_effect_deserialize);
/* bytea → state in the current context, every field validated (22P03 when malformed). */
Datum
stay_effect_deserialize(PG_FUNCTION_ARGS)
{
	bytea	   *b = PG_GETARG_BYTEA_PP(0);
	StringInfoData buf;
	EffState   *st;
	DateADT		as_of;
	int32		horizon;
	int64		n_costed,
				cost_sum,
				n_untreated,
				n_treated,
				n_followup;

	/* no aggregate context needed: the tests feed it crafted bytes directly */
	bytea_reader(&buf, b);
	if (buf.len < 1 + 4 + 4 + 8 + 8 + 4 + 4 + 4)
		eff_state_invalid(psprintf("%d bytes is too short", buf.len));
	if (pq_getmsgbyte(&buf) != EFF_BIN_VERSION)
		eff_state_invalid("unknown version");
	as_of = (DateADT) pq_getmsgint(&buf, 4);
	horizon = (int32) pq_getmsgint(&buf, 4);
	n_costed = pq_getmsgint64(&buf);
	cost_sum = pq_getmsgint64(&buf);
	if (DATE_NOT_FINITE(as_of) || !IS_VALID_DATE(as_of))
		eff_state_invalid(psprintf("as_of %d is not a finite date", (int) as_of));
	if (horizon < 0 || horizon > EFF_MAX_DAYS)
		eff_state_invalid(psprintf("horizon %d days is outside 0 .. %d", horizon, EFF_MAX_DAYS));
	if (n_costed < 0 || cost_sum < 0 || (n_costed == 0 && cost_sum != 0))
		eff_state_invalid(psprintf("impossible daily-cost sum (%lld stays, %lld öre)",
								   (long long) n_costed, (long long) cost_sum));
	st = eff_state_new(CurrentMemoryContext, as_of, horizon);
	st->n_costed = n_costed;
	st->cost_sum = cost_sum;
	/* untreated, then treated lengths */
	n_untreated = lengths_recv(&buf, st->ctx, &st->groups[0], eff_state_invalid);
	n_treated = lengths_recv(&buf, st->ctx, &st->groups[1], eff_state_invalid);
	if (n_costed > n_treated)
		eff_state_invalid(psprintf("%lld treated stays with a daily cost, but %lld treated stays",
								   (long long) n_costed, (long long) n_treated));
	n_followup = lengths_recv(&buf, st->ctx, &st->followup, eff_state_invalid);
	for (int32 d = 0; d < st->followup.cap; d++)
		if (st->followup.n[d].events != 0)
			eff_state_invalid(psprintf("events in the follow-up at %d days", d));
	if (n_followup != n_untreated + n_treated)
		eff_state_invalid(psprintf("%lld stays in the follow-up, but %lld stays",
								   (long long) n_followup, (long long) (n_untreated + n_treated)));
	if (buf.cursor != buf.len)
		eff_state_invalid(psprintf("%d bytes left over", buf.len - buf.cursor));
	PG_RETURN_POINTER(st);
}

/* ---------- stay_effect: the estimate ---------- */

/* Count a group's stays, open stays and longest length, and whether its curve falls to 0. */
static void
eff_describe(const StayLengths *grp, EffFit *f)
{
	memset(f, 0, sizeof(*f));
	for (int32 d = 0; d < grp->cap; d++)
	{
		const LengthCounts *c = &grp->n[d];

		if (c->events == 0 && c->censored == 0)
			continue;
		/* totals cannot overflow: the state's counts were added with checks */
		f->n += c->events + c->censored;
		f->open += c->censored;
		f->longest = d;
		/* at the longest length every stay at risk is there: S falls to 0 iff none is open */
		f->to_zero = (c->censored == 0);
	}
}

/*
 * RMST up to tau and its variance, as R's survfit prints rmean and
 * se(rmean): the area under the Kaplan–Meier step function S (S(u) for u in
 * [t_i, t_{i+1}) is S after the events at t_i), and Σ A_i² d_i / (n_i (n_i -
 * d_i)) over the event lengths t_i <= tau, A_i the area from t_i to tau
 * (summed backwards from tau, as R does; 0 where n_i = d_i).
 */
static void
eff_rmst(const StayLengths *grp, int32 tau, EffFit *f)
{
	int32		top = Min(grp->cap - 1, tau);
	int32		ne = 0;
	KmWalk		km;
	int32	   *t = palloc(sizeof(int32) * (top + 2));
	double	   *s_after = palloc(sizeof(double) * (top + 1));
	double	   *h = palloc(sizeof(double) * (top + 1));
	double		area,
				tail = 0.0,
				var = 0.0;
	int64		ended = 0;

	/* a term where S falls to 0 weighs nothing: the area after it is 0 */
	km_start(&km, f->n);
	for (int32 d = 0; d <= top; d++)
	{
		const LengthCounts *c = &grp->n[d];
		double		g;

		CHECK_FOR_INTERRUPTS();
		g = km_step(&km, c->events, c->censored);
		if (c->events > 0)
		{
			ended += c->events;
			t[ne] = d;
			h[ne] = g;
			s_after[ne] = km.surv;
			ne++;
		}
	}
	t[ne] = tau;
	/* A_i backwards: the rectangle from t_i to t_{i+1} has height S after t_i */
	for (int32 i = ne - 1; i >= 0; i--)
	{
		tail += s_after[i] * (double) (t[i + 1] - t[i]);
		var += tail * tail * h[i];
	}
	/* the area before the first event has height 1 */
	area = (double) (ne > 0 ? t[0] : tau) + tail;
	f->mean = area;
	/*
	 * The small-sample factor m / (m - 1), m the stays ended by tau: without
	 * open stays and with tau past the longest, the sum above is the plug-in
	 * variance of the mean, Σ (x - x̄)² / n², and the factor makes it s² / n,
	 * so that with the t quantile of m - 1 df the interval is Student's.
	 * Without it 95 % intervals covered 94,0 % in the calibration
	 * (docs/effect_calibration.md).
	 */
	f->var = ended > 1 ? var * (double) ended / (double) (ended - 1) : var;
	f->df = (double) Max(ended - 1, 1);
	pfree(t);
	pfree(s_after);
	pfree(h);
}

/* Raise 22023 for a group that cannot be compared. */
static void
pg_attribute_noreturn()
eff_no_group(const char *msg, const EffFit *untreated, const EffFit *treated, DateADT as_of)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("%s (as_of %s: %lld treated, %lld untreated stays)",
					msg, date_iso(as_of), (long long) treated->n, (long long) untreated->n),
			 errhint("An effect compares treated stays with untreated ones started by as_of: each group needs stays; "
					 "leave out groups without both, e.g. HAVING bool_or(treated) AND NOT bool_and(treated).")));
	pg_unreachable();
}

/* Raise 22023 for a horizon beyond what a group's curve is known for. */
static void
pg_attribute_noreturn()
eff_beyond(int32 horizon, const char *group, const EffFit *f)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("horizon of %d days is beyond the %s stays' longest follow-up of %d days",
					horizon, group, f->longest),
			 errhint("The curve is not known beyond the longest stay still open: give a horizon of at most %d days, or leave it out.",
					 f->longest)));
	pg_unreachable();
}

/* The mean daily cost of the treated stays with one, rounded to the öre. */
static Sek
eff_daily_cost(const EffState *st)
{
	return sek_mul_ratio(st->cost_sum, 1, st->n_costed);
}

/* days × daily cost rounded once to the öre; 22003 naming both when out of range. */
static Sek
eff_cost(Sek daily, double days)
{
	/* 2^63 öre: beyond it sek_mul_float would fail without naming the figures */
	if (fabs((double) daily * days) >= 9223372036854775807.0)
	{
		char		buf[SEK_OUT_MAX];

		sek_to_plain(daily, buf);
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("%g days at %s kr a day is out of range for sek", days, buf),
				 errhint("Amounts must lie within ±92 233 720 368 547 758,07 kr: check the daily costs.")));
	}
	return sek_mul_float(daily, days);
}

/*
 * The default horizon: the median of the stays' potential follow-up
 * as_of - start (the smallest d with at least ceil(n/2) of the n stays
 * followed up at most d days; percentile_disc(0.5)), at least 1 day, cut
 * to each group's longest length unless its curve has fallen to 0 there
 * (beyond, the curve is not known).  0 when a group has no follow-up.
 */
static int32
eff_default_tau(const EffState *st, const EffFit *u, const EffFit *t)
{
	int64		n = u->n + t->n,
				need = n - n / 2,
				cum = 0;
	int32		tau = 0;

	for (int32 d = 0; d < st->followup.cap; d++)
	{
		cum += st->followup.n[d].censored;
		if (cum >= need)
		{
			tau = d;
			break;
		}
	}
	tau = Max(tau, 1);
	if (!t->to_zero)
		tau = Min(tau, t->longest);
	if (!u->to_zero)
		tau = Min(tau, u->longest);
	return tau;
}

PG_FUNCTION_INFO_V1(stay_effect_final);
/* Final: RMST of both groups up to tau, days and cost saved with 95 % intervals. */
Datum
stay_effect_final(PG_FUNCTION_ARGS)
{
	EffState   *st;
	EffFit		u,
				t;
	int32		tau;
	double		se_u,
				se_t,
				days,
				se,
				q_t,
				q_u,
				q;
	TupleDesc	td;
	Datum		v[EFF_NCOLS];
	bool		nulls[EFF_NCOLS];

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	st = (EffState *) PG_GETARG_POINTER(0);
	eff_describe(&st->groups[0], &u);
	eff_describe(&st->groups[1], &t);
	if (t.n == 0 && u.n == 0)
		eff_no_group("no stay started on or before as_of", &u, &t, st->as_of);
	if (t.n == 0)
		eff_no_group("no treated stays", &u, &t, st->as_of);
	if (u.n == 0)
		eff_no_group("no untreated stays to compare with", &u, &t, st->as_of);
	if (st->horizon > 0)
	{
		tau = st->horizon;
		if (tau > t.longest && !t.to_zero)
			eff_beyond(tau, "treated", &t);
		if (tau > u.longest && !u.to_zero)
			eff_beyond(tau, "untreated", &u);
	}
	else
	{
		tau = eff_default_tau(st, &u, &t);
		if (tau == 0)
			eff_no_group(t.longest == 0 && !t.to_zero ? "no follow-up: every treated stay started on as_of" :
						 "no follow-up: every untreated stay started on as_of", &u, &t, st->as_of);
	}
	eff_rmst(&st->groups[0], tau, &u);
	eff_rmst(&st->groups[1], tau, &t);
	se_u = sqrt(u.var);
	se_t = sqrt(t.var);
	days = (double) t.n * (u.mean - t.mean);
	se = (double) t.n * sqrt(u.var + t.var);
	q_t = t_quantile(0.95, t.df);
	q_u = t_quantile(0.95, u.df);
	/* the difference's df by Welch–Satterthwaite; no variance: no width */
	q = u.var + t.var > 0 ?
		t_quantile(0.95, (u.var + t.var) * (u.var + t.var) /
				   (u.var * u.var / u.df + t.var * t.var / t.df)) : Z95;

	if (get_call_result_type(fcinfo, NULL, &td) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "stay_effect must return a composite type");
	td = BlessTupleDesc(td);
	memset(nulls, 0, sizeof(nulls));
	v[0] = DateADTGetDatum(st->as_of);
	v[1] = Int32GetDatum(tau);
	v[2] = Int64GetDatum(t.n);
	v[3] = Int64GetDatum(t.open);
	v[4] = Int64GetDatum(u.n);
	v[5] = Int64GetDatum(u.open);
	/* RMST intervals are clipped to [0, tau], where a mean length must lie */
	v[6] = Float8GetDatum(t.mean);
	v[7] = Float8GetDatum(se_t);
	v[8] = Float8GetDatum(fmax(0.0, t.mean - q_t * se_t));
	v[9] = Float8GetDatum(fmin((double) tau, t.mean + q_t * se_t));
	v[10] = Float8GetDatum(u.mean);
	v[11] = Float8GetDatum(se_u);
	v[12] = Float8GetDatum(fmax(0.0, u.mean - q_u * se_u));
	v[13] = Float8GetDatum(fmin((double) tau, u.mean + q_u * se_u));
	v[14] = Float8GetDatum(u.mean - t.mean);
	v[15] = Float8GetDatum(days);
	v[16] = Float8GetDatum(se);
	v[17] = Float8GetDatum(days - q * se);
	v[18] = Float8GetDatum(days + q * se);
	v[19] = Int64GetDatum(st->n_costed);
	if (st->n_costed > 0)
	{
		Sek			daily = eff_daily_cost(st);

		v[20] = SekGetDatum(daily);
		v[21] = SekGetDatum(eff_cost(daily, days));
		v[22] = SekGetDatum(eff_cost(daily, days - q * se));
		v[23] = SekGetDatum(eff_cost(daily, days + q * se));
	}
	else
	{
		/* no treated stay has a daily cost: days only */
		for (int i = 20; i < EFF_NCOLS; i++)
			nulls[i] = true;
	}
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(td, v, nulls)));
}

/* ---------- alternative_cost ---------- */

/* The figures an alternative_cost record is built from. */
typedef struct AltState
{
	int32		plo;			/* the period [plo, phi) */
	int32		phi;
	int32		has_own;		/* 1 when own is set (an int: checkable when deserialised) */
	int32		pad;			/* always zero */
	int64		care_days;
	int64		external;		/* Σ care days × external daily price, öre */
	int64		own;			/* the booked own cost, öre */
} AltState;

/* The alternative_cost_result record of care days, external and own cost. */
static Datum
alt_record(FunctionCallInfo fcinfo, int64 care_days, Sek external, bool has_own, Sek own)
{
	TupleDesc	td;
	Datum		v[ALT_NCOLS];
	bool		n[ALT_NCOLS];
	int64		diff;

	if (get_call_result_type(fcinfo, NULL, &td) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "alternative_cost must return a composite type");
	td = BlessTupleDesc(td);
	memset(n, 0, sizeof(n));
	v[0] = Int64GetDatum(care_days);
	v[1] = SekGetDatum(external);
	n[2] = care_days == 0;
	v[2] = n[2] ? (Datum) 0 : SekGetDatum(sek_mul_ratio(external, 1, care_days));
	n[3] = n[4] = n[5] = !has_own;
	n[6] = !has_own || external == 0;
	if (has_own)
	{
		v[3] = SekGetDatum(own);
		n[4] = care_days == 0;
		v[4] = n[4] ? (Datum) 0 : SekGetDatum(sek_mul_ratio(own, 1, care_days));
		if (pg_sub_s64_overflow(external, own, &diff) || diff == PG_INT64_MIN)
		{
			char		b1[SEK_OUT_MAX],
						b2[SEK_OUT_MAX];

			sek_to_plain(external, b1);
			sek_to_plain(own, b2);
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("external cost %s kr less own cost %s kr is out of range for sek", b1, b2),
					 errhint("Amounts must lie within ±92 233 720 368 547 758,07 kr: check the own cost.")));
		}
		v[5] = SekGetDatum(diff);
		v[6] = n[6] ? (Datum) 0 : Float8GetDatum(100.0 * (double) own / (double) external);
	}
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(td, v, n)));
}

/* Raise 22003 naming the figures that do not fit in a sek. */
static void
pg_attribute_noreturn()
alt_out_of_range(const char *what, int64 days, Sek price)
{
	char		buf[SEK_OUT_MAX];

	sek_to_plain(price, buf);
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("%s at %lld care days and %s kr a day is out of range for sek",
					what, (long long) days, buf),
			 errhint("Amounts must lie within ±92 233 720 368 547 758,07 kr: check the prices and the period.")));
	pg_unreachable();
}

/* care days × daily price, checked. */
static Sek
alt_price_days(int64 days, Sek price)
{
	int64		r;

	if (pg_mul_s64_overflow(days, price, &r))
		alt_out_of_range("the external cost", days, price);
	return r;
}

PG_FUNCTION_INFO_V1(alternative_cost_scalar);
/* alternative_cost(care_days, external_daily_price, own_cost): one comparison. */
Datum
alternative_cost_scalar(PG_FUNCTION_ARGS)
{
	int64		days = PG_GETARG_INT64(0);
	Sek			price = PG_GETARG_SEK(1);

	if (days < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%lld care days is negative", (long long) days),
				 errhint("Give the own care days of the period, e.g. care_days(census).")));
	check_daily_cost(price);
	return alt_record(fcinfo, days, alt_price_days(days, price), true, PG_GETARG_SEK(2));
}

/* Raise 22023 for rows or states of one group with another own cost. */
static void
pg_attribute_noreturn()
alt_own_differs(Sek a, Sek b)
{
	char		b1[SEK_OUT_MAX],
				b2[SEK_OUT_MAX];

	sek_to_plain(a, b1);
	sek_to_plain(b, b2);
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("own cost differs between rows of one group: %s kr and %s kr", b1, b2),
			 errhint("Pass the group's booked own cost for the period on every row (a join or a subquery), not cost rows.")));
	pg_unreachable();
}

/* Take an own cost into the state: one per group. */
static void
alt_own(AltState *st, Sek own)
{
	if (!st->has_own)
	{
		st->own = own;
		st->has_own = 1;
	}
	else if (st->own != own)
		alt_own_differs(st->own, own);
}

/* Raise 22023 for states or rows of one group with other periods. */
static void
pg_attribute_noreturn()
alt_period_differs(int32 lo1, int32 hi1, int32 lo2, int32 hi2)
{
	char		a[16],
				b[16],
				c[16],
				d[16];

	day_iso(lo1, a);
	day_iso(hi1, b);
	day_iso(lo2, c);
	day_iso(hi2, d);
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("period [%s,%s) differs from period [%s,%s) earlier in the same group", c, d, a, b),
			 errhint("Use one period per group, the period of the booked own cost.")));
	pg_unreachable();
}

PG_FUNCTION_INFO_V1(alternative_cost_accum);
/* Transition: a stay's care days within the period at its external daily price. */
Datum
alternative_cost_accum(PG_FUNCTION_ARGS)
{
	MemoryContext ctx;
	AltState   *st = PG_ARGISNULL(0) ? NULL : (AltState *) PG_GETARG_POINTER(0);
	DayRange	p,
				s;
	Sek			price;
	int32		lo,
				hi;

	if (!AggCheckCallContext(fcinfo, &ctx))
		elog(ERROR, "alternative_cost_accum called in non-aggregate context");
	if (PG_ARGISNULL(3))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("the period is NULL"),
				 errhint("Give the period of the comparison, e.g. '[2022-01-01,2023-01-01)'.")));
	day_range_fast(fcinfo, PG_GETARG_DATUM(3), &p);
	if (p.empty || p.lo_inf || p.hi_inf)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("period %s must have a first and a last day",
						OidOutputFunctionCall(F_RANGE_OUT, PG_GETARG_DATUM(3))),
				 errhint("Give a bounded period such as '[2022-01-01,2023-01-01)'.")));
	if (st == NULL)
	{
		st = MemoryContextAllocZero(ctx, sizeof(AltState));
		st->plo = p.lo;
		st->phi = p.hi;
	}
	else if (st->plo != p.lo || st->phi != p.hi)
		alt_period_differs(st->plo, st->phi, p.lo, p.hi);
	if (PG_NARGS() > 4 && !PG_ARGISNULL(4))
		alt_own(st, PG_GETARG_SEK(4));
	/* a row without a stay or a price is left out entirely */
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
		PG_RETURN_POINTER(st);
	price = PG_GETARG_SEK(2);
	check_daily_cost(price);
	day_range_fast(fcinfo, PG_GETARG_DATUM(1), &s);
	if (s.empty)
		PG_RETURN_POINTER(st);
	/* an unbounded side of a stay runs to the period's edge */
	lo = s.lo_inf ? st->plo : Max(s.lo, st->plo);
	hi = s.hi_inf ? st->phi : Min(s.hi, st->phi);
	if (hi <= lo)
		PG_RETURN_POINTER(st);
	if (pg_add_s64_overflow(st->care_days, (int64) hi - lo, &st->care_days) ||
		pg_add_s64_overflow(st->external, alt_price_days((int64) hi - lo, price), &st->external))
		alt_out_of_range("the sum of external costs", (int64) hi - lo, price);
	PG_RETURN_POINTER(st);
}

PG_FUNCTION_INFO_V1(alternative_cost_combine);
/* Combine: add care days and external cost of two partial states (same period and own cost). */
Datum
alternative_cost_combine(PG_FUNCTION_ARGS)
{
	AltState   *b;
	AltState   *a = combine_fixed(fcinfo, sizeof(AltState), (void **) &b);

	if (b == NULL)
		return state_result(fcinfo, a);
	if (a->plo != b->plo || a->phi != b->phi)
		alt_period_differs(a->plo, a->phi, b->plo, b->phi);
	if (b->has_own)
		alt_own(a, b->own);
	if (pg_add_s64_overflow(a->care_days, b->care_days, &a->care_days) ||
		pg_add_s64_overflow(a->external, b->external, &a->external))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("the sum of external costs is out of range for sek"),
				 errhint("Amounts must lie within ±92 233 720 368 547 758,07 kr: check the prices and the period.")));
	PG_RETURN_POINTER(a);
}

PG_FUNCTION_INFO_V1(alternative_cost_serialize);
/* Serialisation: the fixed-size state's bytes (same build both ends). */
Datum
alternative_cost_serialize(PG_FUNCTION_ARGS)
{
	PG_RETURN_BYTEA_P(fixed_to_bytea(PG_GETARG_POINTER(0), sizeof(AltState)));
}

PG_FUNCTION_INFO_V1(alternative_cost_deserialize);
/* Deserialisation, every field checked (22P03 when malformed). */
Datum
alternative_cost_deserialize(PG_FUNCTION_ARGS)
{
	AltState   *st = fixed_from_bytea(PG_GETARG_BYTEA_PP(0), sizeof(AltState), "alternative_cost");

	if (DATE_NOT_FINITE(st->plo) || DATE_NOT_FINITE(st->phi) || !IS_VALID_DATE(st->plo) ||
		!IS_VALID_DATE(st->phi) || st->phi <= st->plo || (st->has_own != 0 && st->has_own != 1) ||
		st->pad != 0 || st->care_days < 0 || st->external < 0 ||
		(st->care_days == 0 && st->external != 0) || (!st->has_own && st->own != 0) ||
		st->own == PG_INT64_MIN)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid serialized alternative_cost state: impossible period, care days or costs"),
				 errhint("Serialized states are made by alternative_cost_serialize for parallel aggregation; they are not to be written by hand.")));
	PG_RETURN_POINTER(st);
}

PG_FUNCTION_INFO_V1(alternative_cost_final);
/* Final: the comparison record; NULL when there were no rows. */
Datum
alternative_cost_final(PG_FUNCTION_ARGS)
{
	AltState   *st;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	st = (AltState *) PG_GETARG_POINTER(0);
	return alt_record(fcinfo, st->care_days, st->external, st->has_own != 0, st->own);
}
