/*
 * forecast.c — statistical forecasts of monthly series: exponential smoothing
 * in Hyndman's state-space taxonomy (ETS), the theta method, a damped trend
 * on seasonally adjusted data, and their equal-weight combination.
 *
 * The aggregates only collect monthly sums in an order-free state (so they
 * are parallel safe); the fit happens in the final function.  Months with no
 * rows between the first and the last are missing values: the filters step
 * over them.  A fitted model is a forecast_model value with exact text and
 * binary I/O, so it can be stored and forecast from later.
 *
 * ETS: initial states estimated as R's forecast::ets starts them (seasonal
 * ones by a classical decomposition, level and slope by a line through the
 * first months), the smoothing and damping parameters by maximum likelihood
 * given those states (Nelder–Mead within the usual bounds and, for seasonal
 * models, the admissible region); the states count as parameters in AICc,
 * and the model is chosen by AICc among the 15 of R's ets default set
 * (multiplicative error and seasonality only for positive series).
 * Optimising the initial states as well fits them to the first year's
 * noise: on the M3 series it forecast worse, and so does R's ets when its
 * Nelder–Mead is started with a simplex that lets it move them (R's default
 * simplex, 10 % of the largest parameter in the data's units, barely does).
 * Intervals are analytic for additive errors and simulated with a fixed seed
 * for multiplicative ones.
 */
#include "postgres.h"

#include <float.h>
#include <math.h>

#include "funcapi.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/float.h"

#include "aggutil.h"
#include "monthseries.h"
#include "stats.h"

#define SEASON 12				/* months in a season */
#define MAX_HORIZON 600			/* furthest forecast: 50 years */
#define MIN_OBS 6				/* fewest observed months to fit */
#define MIN_SEASONAL_OBS 24		/* fewest observed months for seasonality */
#define NSIM 4000				/* simulated paths for multiplicative errors */
#define METHOD_LEN 16
#define MAX_COMP 3
#define MAX_PARS NM_MAX_DIM		/* alpha, beta, gamma, phi, level, slope */
#define Z_SEASONAL 1.6448536269514722	/* one-sided 95 %: seasonality test */

/* ---------- methods ---------- */

typedef enum Kind
{
	KIND_ETS = 1,				/* exponential smoothing on the series */
	KIND_THETA,					/* SES with drift on the adjusted series */
	KIND_DAMPED,				/* damped trend on the adjusted series */
	KIND_COMB					/* mean of ets, theta and damped */
} Kind;

typedef struct Method
{
	int			kind;			/* Kind */
	char		error;			/* ETS pinned model: 'A'/'M', '\0' = choose */
	char		trend;			/* 'N', 'A' or 'D' (damped) */
	char		season;			/* 'N', 'A' or 'M' */
} Method;

/* Parse a method name: ets, ets(E,T,S), theta, damped or comb; false if none. */
static bool
method_parse(const char *s, Method *m, char *canon)
{
	memset(m, 0, sizeof(*m));
	if (pg_strcasecmp(s, "ets") == 0)
		m->kind = KIND_ETS;
	else if (pg_strcasecmp(s, "theta") == 0)
		m->kind = KIND_THETA;
	else if (pg_strcasecmp(s, "damped") == 0)
		m->kind = KIND_DAMPED;
	else if (pg_strcasecmp(s, "comb") == 0)
		m->kind = KIND_COMB;
	else if (pg_strncasecmp(s, "ets(", 4) == 0)
	{
		const char *p = s + 4;

		m->kind = KIND_ETS;
		m->error = pg_toupper((unsigned char) *p++);
		if (*p++ != ',')
			return false;
		m->trend = pg_toupper((unsigned char) *p++);
		if (m->trend == 'A' && (*p == 'd' || *p == 'D'))
		{
			m->trend = 'D';
			p++;
		}
		if (*p++ != ',')
			return false;
		m->season = pg_toupper((unsigned char) *p++);
		if (*p++ != ')' || *p != '\0')
			return false;
		if ((m->error != 'A' && m->error != 'M') ||
			(m->trend != 'N' && m->trend != 'A' && m->trend != 'D') ||
			(m->season != 'N' && m->season != 'A' && m->season != 'M'))
			return false;
		if (canon)
			snprintf(canon, METHOD_LEN, "ets(%c,%s,%c)", m->error,
					 m->trend == 'D' ? "Ad" : (m->trend == 'A' ? "A" : "N"),
					 m->season);
		return true;
	}
	else
		return false;
	if (canon)
		snprintf(canon, METHOD_LEN, "%s",
				 m->kind == KIND_ETS ? "ets" : m->kind == KIND_THETA ? "theta" :
				 m->kind == KIND_DAMPED ? "damped" : "comb");
	return true;
}

/* Parse a method name or raise 22023 naming it. */
static void
method_require(const char *s, Method *m, char *canon)
{
	if (strlen(s) >= METHOD_LEN || !method_parse(s, m, canon))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown forecast method \"%s\"", s),
				 errhint("Use 'ets', 'theta', 'damped', 'comb' or a pinned ETS model such as 'ets(A,Ad,N)'.")));
}

/* ---------- the aggregate state: monthly sums (monthseries.h) and the method ---------- */

typedef struct SeriesState
{
	MonthSeries s;				/* first: month_series_combine */
	char		method[METHOD_LEN]; /* zero-padded: compared as bytes */
} SeriesState;

/* A new, empty state in the aggregate context. */
static SeriesState *
series_new(MemoryContext cxt, const char *method)
{
	SeriesState *st = MemoryContextAllocZero(cxt, sizeof(SeriesState));

	strlcpy(st->method, method, METHOD_LEN);
	return st;
}

/* Raise the error for rows of one group that name different methods. */
pg_attribute_noreturn()
static void
method_differs(const char *a, const char *b)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("forecast_fit method differs between rows: \"%s\" and \"%s\"", a, b),
			 errhint("Pass the method as a constant.")));
}

/* Transition of ets_fit and forecast_fit: add a row's value (float8 or sek) to its month. */
static Datum
series_accum(FunctionCallInfo fcinfo, bool sek)
{
	MemoryContext aggcxt;
	SeriesState *st = PG_ARGISNULL(0) ? NULL : (SeriesState *) PG_GETARG_POINTER(0);
	double		v;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "forecast_series_accum called in non-aggregate context");
	if (PG_NARGS() > 3)
	{
		char		canon[METHOD_LEN];
		Method		m;

		if (PG_ARGISNULL(3))
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("forecast_fit method must not be NULL"),
					 errhint("Use 'ets', 'theta', 'damped' or 'comb'.")));
		if (st == NULL || PG_ARGISNULL(1) == false)
		{
			char	   *s = text_to_cstring(PG_GETARG_TEXT_PP(3));

			method_require(s, &m, canon);
			if (st == NULL)
				st = series_new(aggcxt, canon);
			else if (strcmp(st->method, canon) != 0)
				method_differs(st->method, canon);
			pfree(s);
		}
	}
	else if (st == NULL)
		st = series_new(aggcxt, "ets");
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
		PG_RETURN_POINTER(st);
	v = month_value_arg(fcinfo, 2, sek);
	if (isnan(v) || isinf(v))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("forecast value must be finite, got %s", float8out_internal(v))));
	month_series_add(aggcxt, &st->s, month_of(PG_GETARG_DATEADT(1)), 1, v);
	PG_RETURN_POINTER(st);
}

PG_FUNCTION_INFO_V1(forecast_series_accum);
/* Transition of ets_fit and forecast_fit over float8 values. */
Datum
forecast_series_accum(PG_FUNCTION_ARGS)
{
	return series_accum(fcinfo, false);
}

PG_FUNCTION_INFO_V1(forecast_series_accum_sek);
/* Transition of ets_fit and forecast_fit over sek values (kronor). */
Datum
forecast_series_accum_sek(PG_FUNCTION_ARGS)
{
	return series_accum(fcinfo, true);
}

/* method_differs for two series states. */
static void
series_method_differs(const void *a, const void *b)
{
	method_differs(((const SeriesState *) a)->method, ((const SeriesState *) b)->method);
}

/* The key of a serialized series state: the method's canonical name. */
static void
series_key_send(StringInfo buf, const void *state)
{
	pq_sendstring(buf, ((const SeriesState *) state)->method);
}

/* The method back, validated: a known method in its canonical spelling. */
static void
series_key_recv(StringInfo buf, void *state)
{
	const char *method;
	Method		m;
	char		canon[METHOD_LEN];

	/* a method without its terminator would be a protocol violation (08P01) in pq_getmsgstring */
	if (memchr(buf->data + buf->cursor, '\0', buf->len - buf->cursor) == NULL)
		month_series_invalid("forecast series", "Unterminated method.");
	method = pq_getmsgstring(buf);
	if (strlen(method) >= METHOD_LEN || !method_parse(method, &m, canon) || strcmp(canon, method) != 0)
		month_series_invalid("forecast series", "Unknown method.");
	strlcpy(((SeriesState *) state)->method, canon, METHOD_LEN);
}

static const MonthSeriesKind series_kind = {
	"forecast series", sizeof(SeriesState), series_method_differs, series_key_send, series_key_recv
};

PG_FUNCTION_INFO_V1(forecast_series_combine);
/* Combine two partial series states (parallel aggregation). */
Datum
forecast_series_combine(PG_FUNCTION_ARGS)
{
	return month_series_combine(fcinfo, &series_kind);
}

PG_FUNCTION_INFO_V1(forecast_series_serialize);
/* Series state to bytea: version 1, method, then the monthly series. */
Datum
forecast_series_serialize(PG_FUNCTION_ARGS)
{
	return month_series_serialize(fcinfo, &series_kind);
}

PG_FUNCTION_INFO_V1(forecast_series_deserialize);
/* Series state from bytea, validated (22P03). */
Datum
forecast_series_deserialize(PG_FUNCTION_ARGS)
{
	return month_series_deserialize(fcinfo, &series_kind);
}

/* ---------- series prepared for fitting ---------- */

typedef struct Data
{
	double	   *y;				/* scaled values, NaN where missing */
	int			n;				/* span in months */
	int			nobs;			/* observed months */
	int			c0;				/* calendar month (0..11) of y[0] */
	bool		positive;		/* every observed value > 0 */
} Data;

/* ---------- exponential smoothing ---------- */

typedef struct Spec
{
	char		error;			/* 'A' or 'M' */
	char		trend;			/* 'N', 'A' or 'D' */
	char		season;			/* 'N', 'A' or 'M' */
} Spec;

typedef struct Ets
{
	double		alpha,
				beta,
				gamma,
				phi;
	double		level,
				slope;
	double		s[SEASON];		/* seasonal state by calendar month */
} Ets;

/*
 * Run the ETS recursions over the series from the initial states in *e,
 * leaving the final states there.  Returns the likelihood criterion
 * n log(SSE) (+ 2 Σ log ŷ for multiplicative errors), +inf where a
 * multiplicative model's forecast is not positive.
 */
static double
ets_run(const Spec *sp, const Data *d, Ets *e, double *sse_out)
{
	double		l = e->level,
				b = sp->trend == 'N' ? 0.0 : e->slope,
				phi = sp->trend == 'D' ? e->phi : 1.0;
	double		sse = 0,
				slog = 0,
				prod = 1;		/* Σ log ŷ as the log of running products: far fewer logs */
	int			c = d->c0,
				nprod = 0;

	for (int t = 0; t < d->n; t++)
	{
		double		y = d->y[t],
					q = l + phi * b,
					s = e->s[c],
					yhat,
					err,
					p;

		yhat = sp->season == 'A' ? q + s : sp->season == 'M' ? q * s : q;
		if (isnan(y))
		{
			l = q;
			b *= phi;
		}
		else
		{
			if (sp->error == 'A')
				err = y - yhat;
			else
			{
				if (!(yhat > 0))
					return get_float8_infinity();
				err = (y - yhat) / yhat;
				prod *= yhat;
				if (++nprod == 16 || prod > 1e100 || prod < 1e-100)
				{
					slog += log(prod);
					prod = 1;
					nprod = 0;
				}
			}
			sse += err * err;
			p = sp->season == 'A' ? y - s : sp->season == 'M' ? y / s : y;
			l = q + e->alpha * (p - q);
			b = phi * b + e->beta * (p - q);
			if (sp->season == 'A')
				e->s[c] = s + e->gamma * (y - q - s);
			else if (sp->season == 'M')
			{
				if (!(q > 0))
					return get_float8_infinity();
				e->s[c] = s + e->gamma * (y / q - s);
			}
		}
		c = c == SEASON - 1 ? 0 : c + 1;
	}
	slog += log(prod);
	e->level = l;
	e->slope = b;
	if (sse_out)
		*sse_out = sse;
	return d->nobs * log(Max(sse, DBL_MIN)) + 2.0 * slog;
}

/*
 * Whether a seasonal model's smoothing parameters lie in its forecastability
 * (admissible) region: every root of the characteristic polynomial of its
 * transition inside the unit circle (Hyndman et al. 2008, ch. 10; R's ets
 * checks the same by default).  Without a trend the polynomial always has
 * the root 1 (level and seasonal states share a direction), which R's check
 * lets pass by a tolerance: it is divided out here.  Schur-Cohn reduction:
 * when |k| < 1 for k = a0 / an, p has all its roots inside iff
 * (p(z) - k z^n p(1/z)) / z has.  For the non-seasonal models the usual
 * bounds already imply admissibility.
 */
static bool
seasonal_admissible(const Ets *e, bool trend)
{
	double		phi = e->phi,
				a[SEASON + 2],
				c = e->alpha + e->beta - e->alpha * phi;
	int			n = SEASON + 1;

	a[0] = phi * (1.0 - e->alpha - e->gamma);
	a[1] = c + e->gamma - 1.0;
	for (int j = 2; j < SEASON; j++)
		a[j] = c;
	a[SEASON] = e->alpha + e->beta - phi;
	a[SEASON + 1] = 1.0;
	if (!trend)
	{
		/* synthetic division by (z - 1), from the leading coefficient down */
		double		q[SEASON + 1];

		q[n - 1] = a[n];
		for (int j = n - 1; j > 0; j--)
			q[j - 1] = a[j] + q[j];
		n--;
		memcpy(a, q, (n + 1) * sizeof(double));
	}
	for (; n > 0; n--)
	{
		double		b[SEASON + 2],
					k = a[0] / a[n];

		if (!(fabs(k) < 1.0))
			return false;
		/* divided by a[n]: the coefficients would shrink to underflow */
		for (int j = 0; j < n; j++)
			b[j] = a[j + 1] - k * a[n - j - 1];
		memcpy(a, b, n * sizeof(double));
	}
	return true;
}

/*
 * What the optimiser varies: parameter positions in its vector (-1 = fixed).
 * beta is given as a share of alpha and gamma as a share of 1 - alpha, so
 * that the usual bounds (1e-4 <= beta <= alpha, 1e-4 <= gamma <= 1 -
 * alpha) are a box; a point outside the box is evaluated at its projection
 * onto it, plus a penalty for the distance.  Nelder–Mead then slides along
 * a bound where the optimum often lies (beta = alpha, gamma and phi at
 * their limits) instead of stalling against an infinite wall.
 */
typedef struct Objective
{
	Spec		sp;
	const Data *d;
	Ets			init;			/* fixed parts: the initial states not optimised */
	int			i_beta,
				i_gamma,
				i_phi,
				i_level,
				i_slope;
} Objective;

/* v clamped into [lo, hi]; adds the squared distance, in units of unit, to *excess. */
static double
clamp_to(double v, double lo, double hi, double unit, double *excess)
{
	double		c = v < lo ? lo : v > hi ? hi : v;

	*excess += (v - c) * (v - c) / (unit * unit);
	return c;
}

/*
 * Fill an Ets from an optimiser vector, projected onto the usual bounds
 * (the squared distance into *excess if not NULL); false outside the
 * admissible region.
 */
static bool
objective_unpack(const Objective *o, const double *x, Ets *e, double *excess)
{
	double		ex = 0;

	*e = o->init;
	e->alpha = clamp_to(x[0], 1e-4, 0.9999, 1.0, &ex);
	if (o->i_beta >= 0)
		e->beta = clamp_to(e->alpha * x[o->i_beta], 1e-4, e->alpha, e->alpha, &ex);
	if (o->i_gamma >= 0)
		e->gamma = clamp_to((1.0 - e->alpha) * x[o->i_gamma], 1e-4, 1.0 - e->alpha, 1.0 - e->alpha, &ex);
	e->phi = o->i_phi >= 0 ? clamp_to(x[o->i_phi], 0.8, 0.98, 1.0, &ex) : 1.0;
	if (o->i_level >= 0)
		e->level = x[o->i_level];
	if (o->i_slope >= 0)
		e->slope = x[o->i_slope];
	if (excess)
		*excess = ex;
	return o->sp.season == 'N' || seasonal_admissible(e, o->sp.trend != 'N');
}

/* The criterion at an optimiser vector: penalised outside the bounds, +inf outside the admissible region. */
static double
objective_value(const double *x, void *arg)
{
	const Objective *o = arg;
	Ets			e;
	double		excess;

	if (!objective_unpack(o, x, &e, &excess))
		return get_float8_infinity();
	return ets_run(&o->sp, o->d, &e, NULL) + 1e3 * excess;
}

/*
 * A start for a model that cannot run from R's start values (a
 * multiplicative model whose one-step forecast leaves the positive range
 * there): the best point of a coarse grid of smoothing parameters, the rest
 * of x kept.  False when no grid point runs either.
 */
static bool
grid_start(const Objective *o, int k, double *x)
{
	static const double alphas[] = {0.05, 0.2, 0.5, 0.8, 0.95},
				shares[] = {0.05, 0.3, 0.9};
	double		cand[MAX_PARS],
				best[MAX_PARS],
				fbest = get_float8_infinity();

	memcpy(cand, x, k * sizeof(double));
	for (int ia = 0; ia < (int) lengthof(alphas); ia++)
		for (int ib = 0; ib < (o->i_beta >= 0 ? (int) lengthof(shares) : 1); ib++)
			for (int ig = 0; ig < (o->i_gamma >= 0 ? (int) lengthof(shares) : 1); ig++)
			{
				double		f;

				cand[0] = alphas[ia];
				if (o->i_beta >= 0)
					cand[o->i_beta] = shares[ib];
				if (o->i_gamma >= 0)
					cand[o->i_gamma] = shares[ig];
				f = objective_value(cand, (void *) o);
				if (f < fbest)
				{
					fbest = f;
					memcpy(best, cand, k * sizeof(double));
				}
			}
	if (!isfinite(fbest))
		return false;
	memcpy(x, best, k * sizeof(double));
	return true;
}

/* A fitted component, in the series' own units. */
typedef struct Component
{
	int32		kind;			/* KIND_ETS, KIND_THETA or KIND_DAMPED */
	char		error;			/* 'A'/'M' */
	char		trend;			/* 'N', 'A', 'D' */
	char		season;			/* ETS: its seasonality; theta/damped: the adjustment ('N', 'A', 'M') */
	char		pad;
	int32		nobs;
	int32		pad2;
	double		alpha,
				beta,
				gamma,
				phi;
	double		level,
				slope;
	double		drift,			/* theta: half the slope of the adjusted series */
				offset;			/* theta: (1 - (1 - alpha)^n) / alpha */
	double		sigma2;			/* variance of the one-step errors (relative for 'M' error) */
	double		aicc;
	double		season_state[SEASON];	/* by calendar month: ETS seasonal states or adjustment indices */
} Component;

/*
 * Classical decomposition's seasonal indices over y[0 .. len): a centred
 * 2x12 moving average as the trend, the ratios ('M') or differences ('A')
 * to it averaged by calendar month and normalised (mean 1 or 0).  False
 * when a multiplicative index would not be positive.
 */
static bool
classical_indices(const Data *d, int len, char kind, double *idx)
{
	double		sum[SEASON] = {0},
				tot = 0;
	int			cnt[SEASON] = {0};

	for (int t = SEASON / 2; t + SEASON / 2 < len; t++)
	{
		double		tr = 0;
		bool		ok = !isnan(d->y[t]);

		for (int j = -SEASON / 2; j <= SEASON / 2 && ok; j++)
		{
			double		v = d->y[t + j];

			ok = !isnan(v);
			tr += (j == -SEASON / 2 || j == SEASON / 2) ? 0.5 * v : v;
		}
		tr /= SEASON;
		if (!ok || (kind == 'M' && !(tr > 0)))
			continue;
		sum[(d->c0 + t) % SEASON] += kind == 'M' ? d->y[t] / tr : d->y[t] - tr;
		cnt[(d->c0 + t) % SEASON]++;
	}
	for (int c = 0; c < SEASON; c++)
	{
		idx[c] = cnt[c] > 0 ? sum[c] / cnt[c] : (kind == 'M' ? 1.0 : 0.0);
		tot += idx[c] / SEASON;
	}
	for (int c = 0; c < SEASON; c++)
	{
		if (kind == 'M')
		{
			if (!(tot > 0) || !(idx[c] > 0))
				return false;
			idx[c] /= tot;
		}
		else
			idx[c] -= tot;
	}
	return true;
}

/* Initial seasonal states: classical decomposition of the series (as R's ets). */
static bool
seasonal_init(const Data *d, char season, double *s)
{
	return classical_indices(d, d->n, season, s);
}

/*
 * Fit one ETS model to the series; false when it cannot be fitted (too few
 * observations for its parameters, or a multiplicative model that leaves
 * the positive range).  The initial states are estimated as R's ets starts
 * them: seasonal states by a classical decomposition, the level and slope
 * by a line through the first (seasonally adjusted) months.  The smoothing
 * parameters are then estimated by maximum likelihood given those states;
 * with fit_states the initial level and slope are optimised with them.
 * The component is in scaled units.
 */
static bool
ets_fit_spec(const Data *d, Spec sp, bool fit_states, Component *out)
{
	Objective	o;
	double		x[MAX_PARS],
				step[MAX_PARS],
				a,
				b,
				crit,
				sse;
	int			k = 1,
				np,
				maxn;
	double		adj[2 * SEASON];
	Ets			e;

	memset(&o, 0, sizeof(o));
	o.sp = sp;
	o.d = d;
	for (int c = 0; c < SEASON; c++)
		o.init.s[c] = sp.season == 'M' ? 1.0 : 0.0;
	if (sp.season != 'N' && !seasonal_init(d, sp.season, o.init.s))
		return false;
	/* parameters counted as R's ets does: smoothing, initial states, sigma */
	np = 2 + (sp.trend != 'N' ? 2 : 0) + (sp.trend == 'D' ? 1 : 0) +
		(sp.season != 'N' ? SEASON : 0) + 1;
	if (d->nobs - np - 1 <= 0)
		return false;

	/* initial level and slope: a line through the adjusted first months */
	maxn = Min(d->n, sp.season != 'N' ? 2 * SEASON : 10);
	for (int t = 0; t < maxn; t++)
	{
		double		s = o.init.s[(d->c0 + t) % SEASON];

		adj[t] = isnan(d->y[t]) ? d->y[t] : sp.season == 'M' ? d->y[t] / s : d->y[t] - s;
	}
	ols_line(adj, maxn, &a, &b);
	if (sp.trend == 'N')
	{
		double		sum = 0;
		int			cnt = 0;

		for (int t = 0; t < maxn; t++)
			if (!isnan(adj[t]))
			{
				sum += adj[t];
				cnt++;
			}
		a = sum / Max(cnt, 1);
		b = 0;
	}
	else
		a -= b;					/* the line at t = -1, before the first month */
	if (sp.season == 'M' && !(a > 0))
		return false;
	o.init.level = a;
	o.init.slope = b;

	/* R's ets start values; beta and gamma as shares (see Objective) */
	x[0] = sp.season != 'N' ? 1e-4 + 0.2 * (0.9999 - 1e-4) / SEASON : 1e-4 + 0.2 * (0.9999 - 1e-4);
	step[0] = 0.1;
	o.i_beta = o.i_gamma = o.i_phi = o.i_level = o.i_slope = -1;
	if (sp.trend != 'N')
	{
		o.i_beta = k;
		x[k] = (1e-4 + 0.1 * (x[0] - 1e-4)) / x[0];
		step[k++] = 0.4;
	}
	if (sp.season != 'N')
	{
		o.i_gamma = k;
		x[k] = (1e-4 + 0.05 * (1.0 - x[0] - 1e-4)) / (1.0 - x[0]);
		step[k++] = 0.05;
	}
	if (sp.trend == 'D')
	{
		o.i_phi = k;
		x[k] = 0.8 + 0.99 * (0.98 - 0.8);
		step[k++] = -0.05;
	}
	if (fit_states)
	{
		/* steps take the sign of the start: -y then fits as the mirror of y */
		o.i_level = k;
		x[k] = a;
		step[k++] = a < 0 ? -0.1 : 0.1;
		if (sp.trend != 'N')
		{
			o.i_slope = k;
			x[k] = b;
			step[k++] = b < 0 ? -0.01 : 0.01;
		}
	}
	if (!isfinite(objective_value(x, &o)) && !grid_start(&o, k, x))
		return false;
	crit = nelder_mead(objective_value, &o, k, x, step, 300 * k);
	if (!isfinite(crit))
		return false;
	/*
	 * Fresh simplexes around the optimum, of a tenth and a hundredth of the
	 * first size too: Nelder–Mead can stall short of it, against the
	 * admissible region's boundary most.  Until a round of the three sizes
	 * gains nothing.
	 */
	for (int r = 0, idle = 0; r < 12 && idle < 3; r++)
	{
		double		prev = crit,
					scale = r % 3 == 0 ? 1.0 : r % 3 == 1 ? 0.1 : 0.01,
					st[MAX_PARS];

		for (int j = 0; j < k; j++)
			st[j] = step[j] * scale;
		crit = nelder_mead(objective_value, &o, k, x, st, 100 * k);
		idle = crit < prev - 1e-7 * fabs(prev) ? 0 : idle + 1;
	}
	objective_unpack(&o, x, &e, NULL);
	crit = ets_run(&sp, d, &e, &sse);

	memset(out, 0, sizeof(*out));
	out->kind = KIND_ETS;
	out->error = sp.error;
	out->trend = sp.trend;
	out->season = sp.season;
	out->nobs = d->nobs;
	out->alpha = e.alpha;
	out->beta = e.beta;
	out->gamma = e.gamma;
	out->phi = sp.trend == 'D' ? e.phi : 1.0;
	out->level = e.level;
	out->slope = e.slope;
	memcpy(out->season_state, e.s, sizeof(e.s));
	out->sigma2 = sse / Max(d->nobs - (np - 1), 1);
	out->aicc = crit + 2.0 * np + 2.0 * np * (np + 1.0) / (d->nobs - np - 1);
	return true;
}

/* Fit the ETS model of a method: the pinned one, or the best by AICc. */
static bool
ets_choose(const Data *d, const Method *m, Component *best)
{
	static const char errors[] = "AM",
				trends[] = "NAD",
				seasons[] = "NAM";
	bool		found = false;

	for (int ie = 0; ie < 2; ie++)
		for (int it = 0; it < 3; it++)
			for (int is = 0; is < 3; is++)
			{
				Spec		sp = {errors[ie], trends[it], seasons[is]};
				Component	c;

				if (m->error != '\0')
				{
					if (sp.error != m->error || sp.trend != m->trend || sp.season != m->season)
						continue;
				}
				else if ((sp.error == 'M' && !d->positive) ||
						 (sp.season == 'M' && (!d->positive || sp.error == 'A')) ||
						 (sp.season != 'N' && d->nobs < MIN_SEASONAL_OBS))
					continue;
				CHECK_FOR_INTERRUPTS();
				if (ets_fit_spec(d, sp, false, &c) && (!found || c.aicc < best->aicc))
				{
					*best = c;
					found = true;
				}
			}
	return found;
}

/* ---------- theta and damped trend on the seasonally adjusted series ---------- */

/*
 * Classical seasonal adjustment when the lag-12 autocorrelation is
 * significant (as R's thetaf tests it, one-sided 90 %): multiplicative for
 * positive series, additive otherwise.  Fills idx by calendar month and the
 * adjusted series; returns the adjustment 'N', 'A' or 'M'.
 */
static char
seasonal_adjust(const Data *d, double *idx, double *adj)
{
	char		kind = 'N';
	double		mean = 0,
				var = 0,
				r[SEASON + 1],
				acc = 0;

	for (int c = 0; c < SEASON; c++)
		idx[c] = 1.0;
	memcpy(adj, d->y, d->n * sizeof(double));
	if (d->n <= 2 * SEASON || d->nobs < MIN_SEASONAL_OBS)
		return 'N';
	for (int t = 0; t < d->n; t++)
		if (!isnan(d->y[t]))
			mean += d->y[t] / d->nobs;
	for (int t = 0; t < d->n; t++)
		if (!isnan(d->y[t]))
			var += (d->y[t] - mean) * (d->y[t] - mean);
	if (!(var > 0))
		return 'N';
	for (int k = 1; k <= SEASON; k++)
	{
		r[k] = 0;
		for (int t = 0; t + k < d->n; t++)
			if (!isnan(d->y[t]) && !isnan(d->y[t + k]))
				r[k] += (d->y[t] - mean) * (d->y[t + k] - mean);
		r[k] /= var;
		if (k < SEASON)
			acc += r[k] * r[k];
	}
	if (!(fabs(r[SEASON]) / sqrt((1.0 + 2.0 * acc) / d->nobs) > Z_SEASONAL))
		return 'N';
	kind = d->positive ? 'M' : 'A';
	if (!classical_indices(d, d->n, kind, idx))
	{
		for (int c = 0; c < SEASON; c++)
			idx[c] = 1.0;
		return 'N';
	}
	for (int t = 0; t < d->n; t++)
	{
		int			c = (d->c0 + t) % SEASON;

		if (!isnan(d->y[t]))
			adj[t] = kind == 'M' ? d->y[t] / idx[c] : d->y[t] - idx[c];
	}
	return kind;
}

/* Fit theta (kind KIND_THETA) or the damped trend (KIND_DAMPED) on the adjusted series. */
static bool
adjusted_fit(const Data *d, int kind, Component *out)
{
	double		idx[SEASON];
	double	   *adj = palloc(d->n * sizeof(double));
	Data		da = *d;
	char		adjust;
	Spec		sp = {'A', kind == KIND_THETA ? 'N' : 'D', 'N'};

	adjust = seasonal_adjust(d, idx, adj);
	da.y = adj;
	/*
	 * damped is estimated as ETS(A,Ad,N) is; theta optimises the initial
	 * level too, as R's thetaf (its ses) does
	 */
	if (!ets_fit_spec(&da, sp, kind == KIND_THETA, out))
		return false;
	out->kind = kind;
	out->season = adjust;
	memcpy(out->season_state, idx, sizeof(idx));
	if (kind == KIND_THETA)
	{
		double		a,
					b;

		ols_line(adj, d->n, &a, &b);
		out->drift = b / 2.0;
		out->offset = (1.0 - pow(1.0 - out->alpha, d->n)) / out->alpha;
	}
	pfree(adj);
	return true;
}

/* ---------- the model type ---------- */

typedef struct ForecastModel
{
	int32		vl_len_;
	int32		kind;			/* Kind of the method */
	int32		first,			/* month indexes of the first and last observed months */
				last;
	int32		nobs;			/* observed months */
	int32		ytd_months;		/* observed months in last's calendar year */
	double		ytd;			/* their sum */
	int32		ncomp;
	int32		pad;
	Component	comp[FLEXIBLE_ARRAY_MEMBER];
} ForecastModel;

#define MODEL_SIZE(n) (offsetof(ForecastModel, comp) + (n) * sizeof(Component))

/* Rescale a component fitted on y / scale back to the series' units. */
static void
component_unscale(Component *c, double scale)
{
	c->level *= scale;
	c->slope *= scale;
	c->drift *= scale;
	if (c->error == 'A')
		c->sigma2 *= scale * scale;
	if (c->season == 'A')
		for (int i = 0; i < SEASON; i++)
			c->season_state[i] *= scale;
	/* the criterion of y / scale differs by a constant from that of y */
	c->aicc += 2.0 * c->nobs * log(scale);
}

/* Raise the error for a series the method cannot fit. */
pg_attribute_noreturn()
static void
cannot_fit(const char *method, int nobs, const char *why)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("cannot fit forecast method \"%s\" to a series of %d observed months", method, nobs),
			 errdetail("%s", why),
			 errhint("Seasonal models need at least %d observed months, multiplicative ones positive values; use 'ets' to let the data choose.", MIN_SEASONAL_OBS)));
}

static const char *model_check(const ForecastModel *fm);

/*
 * Refuse (22003) a fitted model that text input would refuse: values so
 * large that the year-to-date sum or the variance (in squared units)
 * overflows float8.  Without this the fit returned Infinity and NaN states,
 * forecasts of NaN, and a value that does not read back from its text.
 */
static void
model_fit_check(const ForecastModel *fm)
{
	const char *why = model_check(fm);

	if (why != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("the forecast model of this series is out of range for type double precision"),
				 errdetail("%s The year-to-date sum is %s.", why, float8out_internal(fm->ytd)),
				 errhint("Scale the values down (e.g. to thousands or millions) before fitting.")));
}

/* Fit a model of the method to the monthly series. */
static ForecastModel *
model_fit(const MonthSeries *st, const char *method)
{
	Method		m;
	Data		d;
	ForecastModel *fm;
	double		scale = 0,
				v0 = 0;
	bool		constant = true;
	int			last_obs = -1,
				first_obs = -1;

	method_require(method, &m, NULL);
	for (int i = 0; i < st->n; i++)
		if (st->count[i] > 0)
		{
			if (first_obs < 0)
				first_obs = i;
			last_obs = i;
		}
	if (first_obs < 0)
		return NULL;
	memset(&d, 0, sizeof(d));
	d.n = last_obs - first_obs + 1;
	d.c0 = (st->first + first_obs) % SEASON;
	d.y = palloc(d.n * sizeof(double));
	d.positive = true;
	for (int t = 0; t < d.n; t++)
	{
		int			i = first_obs + t;

		if (st->count[i] == 0)
		{
			d.y[t] = get_float8_nan();
			continue;
		}
		if (d.nobs == 0)
			v0 = st->sum[i];
		constant &= st->sum[i] == v0;
		d.y[t] = st->sum[i];
		d.positive &= st->sum[i] > 0;
		scale += fabs(st->sum[i]);
		d.nobs++;
	}
	if (d.nobs < MIN_OBS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("a forecast needs at least %d observed months, the series has %d", MIN_OBS, d.nobs),
				 errhint("For a young series use forecast_runrate or forecast_profile.")));
	scale /= d.nobs;
	if (isinf(scale))
	{
		/* values near the float8 limit: their sum overflows, the mean of their shares does not */
		scale = 0;
		for (int t = 0; t < d.n; t++)
			if (!isnan(d.y[t]))
				scale += fabs(d.y[t]) / d.nobs;
	}
	if (!(scale > 0))
		scale = 1.0;
	for (int t = 0; t < d.n; t++)
		d.y[t] /= scale;

	fm = palloc0(MODEL_SIZE(m.kind == KIND_COMB ? 3 : 1));
	fm->kind = m.kind;
	fm->first = st->first + first_obs;
	fm->last = st->first + last_obs;
	fm->nobs = d.nobs;
	for (int i = last_obs; i >= 0 && st->first + i >= fm->last - fm->last % SEASON; i--)
		if (st->count[i] > 0)
		{
			fm->ytd += st->sum[i];
			fm->ytd_months++;
		}

	if (constant)
	{
		/* nothing to estimate: the value itself, with no spread */
		Component  *c = &fm->comp[0];

		c->kind = m.kind == KIND_COMB ? KIND_ETS : m.kind;
		c->error = 'A';
		c->trend = c->kind == KIND_DAMPED ? 'D' : 'N';
		c->season = 'N';
		c->nobs = d.nobs;
		c->alpha = 0.9999;
		c->phi = c->trend == 'D' ? 0.98 : 1.0;
		c->level = v0;
		c->offset = c->kind == KIND_THETA ? (1.0 - pow(1.0 - c->alpha, d.n)) / c->alpha : 0;
		c->aicc = -get_float8_infinity();
		for (int i = 0; i < SEASON; i++)
			c->season_state[i] = c->kind == KIND_ETS ? 0.0 : 1.0;
		fm->ncomp = 1;
		if (m.kind == KIND_COMB)
			fm->kind = KIND_ETS;
		SET_VARSIZE(fm, MODEL_SIZE(fm->ncomp));
		model_fit_check(fm);
		return fm;
	}

	if (m.kind == KIND_ETS || m.kind == KIND_COMB)
	{
		if (!ets_choose(&d, &m, &fm->comp[fm->ncomp]))
			cannot_fit(method, d.nobs, "No ETS model of the method can be estimated from this series.");
		fm->ncomp++;
	}
	if (m.kind == KIND_THETA || m.kind == KIND_COMB)
	{
		if (!adjusted_fit(&d, KIND_THETA, &fm->comp[fm->ncomp]))
			cannot_fit(method, d.nobs, "Simple exponential smoothing of the adjusted series failed.");
		fm->ncomp++;
	}
	if (m.kind == KIND_DAMPED || m.kind == KIND_COMB)
	{
		if (!adjusted_fit(&d, KIND_DAMPED, &fm->comp[fm->ncomp]))
			cannot_fit(method, d.nobs, "A damped trend needs more observed months than it has parameters.");
		fm->ncomp++;
	}
	for (int i = 0; i < fm->ncomp; i++)
		component_unscale(&fm->comp[i], scale);
	SET_VARSIZE(fm, MODEL_SIZE(fm->ncomp));
	pfree(d.y);
	model_fit_check(fm);
	return fm;
}

PG_FUNCTION_INFO_V1(forecast_series_final);
/* Final function of ets_fit and forecast_fit: fit the model (NULL without observed months). */
Datum
forecast_series_final(PG_FUNCTION_ARGS)
{
	SeriesState *st = PG_ARGISNULL(0) ? NULL : (SeriesState *) PG_GETARG_POINTER(0);
	ForecastModel *fm;

	if (!AggCheckCallContext(fcinfo, NULL))
		elog(ERROR, "forecast_series_final called in non-aggregate context");
	if (st == NULL)
		PG_RETURN_NULL();
	fm = model_fit(&st->s, st->method);
	if (fm == NULL)
		PG_RETURN_NULL();
	PG_RETURN_POINTER(fm);
}

/* ---------- forecasting from a model ---------- */

typedef struct Dist
{
	double		point;
	double		lo95,
				lo80,
				hi80,
				hi95;
} Dist;

/* Bounds around a point: t quantiles, since sigma is estimated with df degrees of freedom. */
static void
dist_normal(Dist *dd, double point, double sd, double df)
{
	/* df below 3 is read as 3: the bands of very short fits stay usable */
	double		t80 = t_quantile(0.80, Max(df, 3.0)),
				t95 = t_quantile(0.95, Max(df, 3.0));

	dd->point = point;
	dd->lo95 = point - t95 * sd;
	dd->lo80 = point - t80 * sd;
	dd->hi80 = point + t80 * sd;
	dd->hi95 = point + t95 * sd;
}

/* Degrees of freedom of a component's sigma: observed months less estimated parameters and states. */
static double
component_df(const Component *c)
{
	int			np = 2;			/* alpha, initial level */

	if (c->trend != 'N' || c->kind == KIND_THETA)
		np += c->kind == KIND_THETA ? 1 : 2;	/* drift, or beta and initial slope */
	if (c->trend == 'D')
		np++;
	if (c->season != 'N')
		np += c->kind == KIND_ETS ? SEASON : SEASON - 1;	/* gamma and states, or indices */
	return c->nobs - np;
}

/* Sample bounds around a point. */
static void
dist_sample(Dist *dd, double point, double *v, int n)
{
	dd->point = point;
	dd->lo95 = sample_quantile(v, n, 0.025);
	dd->lo80 = sample_quantile(v, n, 0.10);
	dd->hi80 = sample_quantile(v, n, 0.90);
	dd->hi95 = sample_quantile(v, n, 0.975);
}

/* Mean of the component at horizon h (1-based) ahead of month last, in the series' units. */
static double
component_point(const Component *c, int32 last, int h)
{
	int			cm = (last + h) % SEASON;
	double		phih = 0,
				pk = 1,
				base;

	for (int k = 1; k <= h; k++)
	{
		pk *= c->phi;
		phih += c->trend == 'D' ? pk : 1.0;
	}
	if (c->kind == KIND_THETA)
		base = c->level + c->drift * (h - 1 + c->offset);
	else
		base = c->level + (c->trend == 'N' ? 0.0 : phih * c->slope);
	if (c->season == 'A')
		return base + c->season_state[cm];
	if (c->season == 'M')
		return base * c->season_state[cm];
	return base;
}

/*
 * Forecast distribution of one component for horizons 1..H (per[] if not
 * NULL) and of the sum of horizons from..H (*sum if not NULL).  Additive errors: the
 * innovations form's analytic variance, where the forecast at j carries an
 * error made k months earlier with weight alpha + beta (phi + .. + phi^k)
 * + gamma [k a multiple of 12], scaled by the seasonal index of month j for
 * a multiplicatively adjusted series.  Multiplicative errors or
 * seasonality: NSIM simulated paths from a fixed seed.
 */
static void
component_forecast(const Component *c, int32 last, int H, Dist *per, Dist *sum, int from)
{
	double	   *mu = palloc(H * sizeof(double));
	double		musum = 0;

	for (int h = 1; h <= H; h++)
	{
		mu[h - 1] = component_point(c, last, h);
		if (h >= from)
			musum += mu[h - 1];
	}
	if (c->error == 'A' && !(c->kind == KIND_ETS && c->season == 'M'))
	{
		double	   *w = palloc(H * sizeof(double)),	/* error weight at lag k */
				   *m = palloc(H * sizeof(double)),	/* scale at horizon */
					df = component_df(c),
					acc = 0,
					pk = 1,
					phik = 0,
					vsum = 0;

		for (int k = 1; k < H; k++)
		{
			pk *= c->phi;
			phik += c->trend == 'D' ? pk : 1.0;
			w[k] = c->alpha;
			if (c->kind != KIND_THETA && c->trend != 'N')
				w[k] += c->beta * phik;
			if (c->kind == KIND_ETS && c->season == 'A' && k % SEASON == 0)
				w[k] += c->gamma;
		}
		for (int h = 1; h <= H; h++)
			m[h - 1] = (c->kind != KIND_ETS && c->season == 'M') ?
				c->season_state[(last + h) % SEASON] : 1.0;
		for (int h = 1; h <= H; h++)
		{
			if (per)
				dist_normal(&per[h - 1], mu[h - 1], sqrt(c->sigma2 * (1.0 + acc)) * m[h - 1], df);
			if (h < H)
				acc += w[h] * w[h];
		}
		if (sum)
		{
			for (int i = 1; i <= H; i++)
			{
				double		coef = i >= from ? m[i - 1] : 0.0;

				for (int j = Max(i + 1, from); j <= H; j++)
					coef += m[j - 1] * w[j - i];
				vsum += coef * coef;
			}
			dist_normal(sum, musum, sqrt(c->sigma2 * vsum), df);
		}
		pfree(w);
		pfree(m);
	}
	else
	{
		double	   *paths = palloc((Size) H * NSIM * sizeof(double)),
				   *sums = palloc(NSIM * sizeof(double)),
				   *z = palloc((H + 2) * sizeof(double)),
					sd = sqrt(c->sigma2),
					v = 2.0 / (9.0 * Max(component_df(c), 3.0));
		uint64		seed = UINT64CONST(20261122);

		for (int i = 0; i < NSIM; i++)
		{
			double		l = c->level,
						b = c->trend == 'N' ? 0.0 : c->slope,
						s[SEASON],
						tot = 0,
						r,
						sdp;

			memcpy(s, c->season_state, sizeof(s));
			rng_normals(&seed, z, (H + 2) & ~1);

			/*
			 * sigma is estimated: each path draws its own from the sampling
			 * distribution (df sigma_hat^2 / sigma^2 ~ chi2(df), by the
			 * Wilson-Hilferty cube), so that one month's error is Student t
			 * as in the analytic intervals and a path's errors share a scale
			 */
			r = Max(1.0 - v + z[H] * sqrt(v), 0.05);
			sdp = sd / sqrt(r * r * r);
			for (int h = 1; h <= H; h++)
			{
				int			cm = (last + h) % SEASON;
				double		q = l + c->phi * b,
							sc = s[cm],
							yhat = c->season == 'A' ? q + sc : c->season == 'M' ? q * sc : q,
							e = sdp * z[h - 1],
							y = c->error == 'M' ? yhat * (1.0 + e) : yhat + e,
							p = c->season == 'A' ? y - sc : c->season == 'M' ? y / sc : y;

				l = q + c->alpha * (p - q);
				b = c->phi * b + c->beta * (p - q);
				if (c->season == 'A')
					s[cm] = sc + c->gamma * (y - q - sc);
				else if (c->season == 'M' && q != 0)
					s[cm] = sc + c->gamma * (y / q - sc);
				paths[(Size) (h - 1) * NSIM + i] = y;
				if (h >= from)
					tot += y;
			}
			sums[i] = tot;
			if ((i & 255) == 0)
				CHECK_FOR_INTERRUPTS();
		}
		if (per)
			for (int h = 1; h <= H; h++)
				dist_sample(&per[h - 1], mu[h - 1], paths + (Size) (h - 1) * NSIM, NSIM);
		if (sum)
			dist_sample(sum, musum, sums, NSIM);
		pfree(paths);
		pfree(sums);
		pfree(z);
	}
	pfree(mu);
}

/* Model forecast (horizons 1..H, and the sum of from..H): the components' points and bounds averaged (equal weights). */
static void
model_forecast(const ForecastModel *fm, int H, Dist *per, Dist *sum, int from)
{
	Dist	   *cp = per ? palloc(H * sizeof(Dist)) : NULL;
	Dist		cs;

	if (per)
		memset(per, 0, H * sizeof(Dist));
	if (sum)
		memset(sum, 0, sizeof(Dist));
	for (int i = 0; i < fm->ncomp; i++)
	{
		component_forecast(&fm->comp[i], fm->last, H, cp, sum ? &cs : NULL, from);
		for (int h = 0; per && h < H; h++)
		{
			per[h].point += cp[h].point / fm->ncomp;
			per[h].lo95 += cp[h].lo95 / fm->ncomp;
			per[h].lo80 += cp[h].lo80 / fm->ncomp;
			per[h].hi80 += cp[h].hi80 / fm->ncomp;
			per[h].hi95 += cp[h].hi95 / fm->ncomp;
		}
		if (sum)
		{
			sum->point += cs.point / fm->ncomp;
			sum->lo95 += cs.lo95 / fm->ncomp;
			sum->lo80 += cs.lo80 / fm->ncomp;
			sum->hi80 += cs.hi80 / fm->ncomp;
			sum->hi95 += cs.hi95 / fm->ncomp;
		}
	}
	if (cp)
		pfree(cp);
}

#define PG_GETARG_MODEL(n) ((ForecastModel *) PG_DETOAST_DATUM(PG_GETARG_DATUM(n)))

/*
 * Refuse (22003) a forecast that is not a finite number: a model of values
 * near the float8 limit, carried far enough ahead, overflows (and then gives
 * NaN from Infinity - Infinity), which must not pass as a forecast.
 */
static void
dist_require_finite(const Dist *dd, double shift, const char *what, int32 month)
{
	if (!isfinite(shift + dd->point) || !isfinite(shift + dd->lo95) || !isfinite(shift + dd->lo80) ||
		!isfinite(shift + dd->hi80) || !isfinite(shift + dd->hi95))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("%s for %04d-%02d is out of range for type double precision", what,
						month / SEASON, month % SEASON + 1),
				 errhint("Fit the model on values scaled down (e.g. to thousands or millions), or forecast fewer months ahead.")));
}

PG_FUNCTION_INFO_V1(forecast_model_forecast);
/* forecast(model, horizon): one row per month ahead with point and 80/95 % bounds. */
Datum
forecast_model_forecast(PG_FUNCTION_ARGS)
{
	ForecastModel *fm = PG_GETARG_MODEL(0);
	int32		H = PG_GETARG_INT32(1);
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	Dist	   *per;

	if (H < 1 || H > MAX_HORIZON)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("forecast horizon must be between 1 and %d months, got %d", MAX_HORIZON, H)));
	InitMaterializedSRF(fcinfo, 0);
	per = palloc(H * sizeof(Dist));
	model_forecast(fm, H, per, NULL, 1);
	for (int h = 0; h < H; h++)
		dist_require_finite(&per[h], 0.0, "forecast", fm->last + h + 1);
	for (int h = 0; h < H; h++)
	{
		Datum		values[6];
		bool		nulls[6] = {0};

		values[0] = DateADTGetDatum(month_date(fm->last + h + 1));
		values[1] = Float8GetDatum(per[h].point);
		values[2] = Float8GetDatum(per[h].lo80);
		values[3] = Float8GetDatum(per[h].hi80);
		values[4] = Float8GetDatum(per[h].lo95);
		values[5] = Float8GetDatum(per[h].hi95);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}

PG_FUNCTION_INFO_V1(forecast_model_year_end);
/*
 * year_end(model [, year]): a calendar year's outcome so far (the observed
 * months of the model's last year, none for a later year) plus the forecast
 * of its months after the last observed one.
 */
Datum
forecast_model_year_end(PG_FUNCTION_ARGS)
{
	ForecastModel *fm = PG_GETARG_MODEL(0);
	int32		last_year = fm->last / SEASON;
	int32		year = PG_NARGS() > 1 ? PG_GETARG_INT32(1) : last_year;
	int			H,
				from;
	double		outcome = year == last_year ? fm->ytd : 0.0;
	TupleDesc	tupdesc;
	Datum		values[9];
	bool		nulls[9] = {0};
	Dist		sum = {0};

	if (year < last_year || (int64) year * SEASON + SEASON - 1 - fm->last > MAX_HORIZON)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("year_end year %d is outside %d .. %d", year, last_year,
						(fm->last + MAX_HORIZON - (SEASON - 1)) / SEASON),
				 errdetail("The model's last observed month is %04d-%02d.", last_year, fm->last % SEASON + 1),
				 errhint("A year-end forecast is for the year of the last observed month or a later one, at most %d months ahead.", MAX_HORIZON)));
	H = year * SEASON + SEASON - 1 - fm->last;
	from = Max(1, year * SEASON - fm->last);
	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "year_end must return a record");
	tupdesc = BlessTupleDesc(tupdesc);
	if (H > 0)
		model_forecast(fm, H, NULL, &sum, from);
	dist_require_finite(&sum, outcome, "year-end forecast", year * SEASON + SEASON - 1);
	values[0] = Int32GetDatum(year);
	values[1] = Float8GetDatum(outcome);
	values[2] = Int32GetDatum(year == last_year ? fm->ytd_months : 0);
	values[3] = Int32GetDatum(H - from + 1);
	values[4] = Float8GetDatum(outcome + sum.point);
	values[5] = Float8GetDatum(outcome + sum.lo80);
	values[6] = Float8GetDatum(outcome + sum.hi80);
	values[7] = Float8GetDatum(outcome + sum.lo95);
	values[8] = Float8GetDatum(outcome + sum.hi95);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}

/* The component's model code, e.g. "MAdM" (error, trend, season or adjustment). */
static void
component_code(const Component *c, char *buf)
{
	snprintf(buf, 8, "%c%s%c", c->error,
			 c->trend == 'D' ? "Ad" : c->trend == 'A' ? "A" : "N", c->season);
}

PG_FUNCTION_INFO_V1(forecast_model_name);
/* model_name(model): e.g. 'ETS(M,Ad,M)', 'theta', 'comb(ETS(A,N,A), theta, damped)'. */
Datum
forecast_model_name(PG_FUNCTION_ARGS)
{
	ForecastModel *fm = PG_GETARG_MODEL(0);
	StringInfoData buf;

	initStringInfo(&buf);
	if (fm->kind == KIND_COMB)
		appendStringInfoString(&buf, "comb(");
	for (int i = 0; i < fm->ncomp; i++)
	{
		const Component *c = &fm->comp[i];

		if (i > 0)
			appendStringInfoString(&buf, ", ");
		if (c->kind == KIND_ETS)
			appendStringInfo(&buf, "ETS(%c,%s,%c)", c->error,
							 c->trend == 'D' ? "Ad" : c->trend == 'A' ? "A" : "N", c->season);
		else
			appendStringInfoString(&buf, c->kind == KIND_THETA ? "theta" : "damped");
	}
	if (fm->kind == KIND_COMB)
		appendStringInfoChar(&buf, ')');
	PG_RETURN_TEXT_P(cstring_to_text(buf.data));
}

/* ---------- text and binary I/O ---------- */

static const char *const kind_names[] = {"", "ets", "theta", "damped", "comb"};

/* Append key=value for a double, in the shortest exact form. */
static void
put_double(StringInfo buf, const char *key, double v)
{
	appendStringInfo(buf, " %s=%s", key, float8out_internal(v));
}

/* Append a month index as YYYY-MM. */
static void
put_month(StringInfo buf, const char *key, int32 mi)
{
	appendStringInfo(buf, " %s=%04d-%02d", key, mi / 12, mi % 12 + 1);
}

PG_FUNCTION_INFO_V1(forecast_model_out);
/* Text output: the header, then each component after '|', every number exact. */
Datum
forecast_model_out(PG_FUNCTION_ARGS)
{
	ForecastModel *fm = PG_GETARG_MODEL(0);
	StringInfoData buf;

	initStringInfo(&buf);
	appendStringInfo(&buf, "method=%s", kind_names[fm->kind]);
	put_month(&buf, "first", fm->first);
	put_month(&buf, "last", fm->last);
	appendStringInfo(&buf, " n=%d ytd_months=%d", fm->nobs, fm->ytd_months);
	put_double(&buf, "ytd", fm->ytd);
	for (int i = 0; i < fm->ncomp; i++)
	{
		const Component *c = &fm->comp[i];
		char		code[8];

		component_code(c, code);
		appendStringInfo(&buf, " | kind=%s model=%s n=%d", kind_names[c->kind], code, c->nobs);
		put_double(&buf, "alpha", c->alpha);
		put_double(&buf, "beta", c->beta);
		put_double(&buf, "gamma", c->gamma);
		put_double(&buf, "phi", c->phi);
		put_double(&buf, "level", c->level);
		put_double(&buf, "slope", c->slope);
		put_double(&buf, "drift", c->drift);
		put_double(&buf, "offset", c->offset);
		put_double(&buf, "sigma2", c->sigma2);
		put_double(&buf, "aicc", c->aicc);
		appendStringInfoString(&buf, " season=");
		for (int j = 0; j < SEASON; j++)
			appendStringInfo(&buf, "%s%s", j ? "," : "", float8out_internal(c->season_state[j]));
	}
	PG_RETURN_CSTRING(buf.data);
}

/*
 * Check a model's fields; returns NULL when it is valid, else what is wrong.
 * Shared by text and binary input so neither can build a model the
 * forecasting code does not expect.
 */
static const char *
model_check(const ForecastModel *fm)
{
	if (fm->kind < KIND_ETS || fm->kind > KIND_COMB)
		return "Unknown method.";
	if (fm->ncomp != (fm->kind == KIND_COMB ? 3 : 1))
		return "Wrong number of components for the method.";
	if (fm->first < 12 || fm->last > 9999 * 12 + 11 || fm->first > fm->last ||
		fm->last - fm->first >= MAX_MONTHS)
		return "The first and last months are out of range.";
	if (fm->nobs < 1 || fm->nobs > fm->last - fm->first + 1)
		return "The key n is out of range.";
	if (fm->ytd_months < 1 || fm->ytd_months > fm->last % 12 + 1 || fm->ytd_months > fm->nobs)
		return "The key ytd_months is out of range.";
	if (!isfinite(fm->ytd))
		return "The key ytd must be finite.";
	for (int i = 0; i < fm->ncomp; i++)
	{
		const Component *c = &fm->comp[i];
		int			want = fm->kind == KIND_COMB ? i + 1 : fm->kind;

		if (c->kind != want)
			return fm->kind == KIND_COMB ? "comb components must be ets, theta and damped" :
				"component kind differs from the method";
		if ((c->error != 'A' && c->error != 'M') ||
			(c->trend != 'N' && c->trend != 'A' && c->trend != 'D') ||
			(c->season != 'N' && c->season != 'A' && c->season != 'M'))
			return "Bad model code.";
		if (c->kind != KIND_ETS && (c->error != 'A' || c->trend != (c->kind == KIND_THETA ? 'N' : 'D')))
			return "A theta component must be ANx and a damped one AAdx.";
		if (c->nobs < 1 || c->nobs > fm->nobs)
			return "A component's n is out of range.";
		if (!isfinite(c->alpha) || !isfinite(c->beta) || !isfinite(c->gamma) || !isfinite(c->phi) ||
			!isfinite(c->level) || !isfinite(c->slope) || !isfinite(c->drift) ||
			!isfinite(c->offset) || !isfinite(c->sigma2) || isnan(c->aicc))
			return "The parameters must be finite.";
		if (c->alpha <= 0 || c->alpha > 1 || c->beta < 0 || c->beta > 1 || c->gamma < 0 ||
			c->gamma > 1 || c->phi <= 0 || c->phi > 1 || c->sigma2 < 0)
			return "The smoothing parameters must lie in (0, 1] and sigma2 must not be negative.";
		if (c->error == 'M' && c->sigma2 > 100)
			return "The sigma2 of a multiplicative error is out of range.";
		for (int j = 0; j < SEASON; j++)
		{
			double		s = c->season_state[j];

			if (!isfinite(s) || (c->season == 'M' && !(s > 0)))
				return "Seasonal values must be finite, and positive when multiplicative.";
		}
	}
	return NULL;
}

/* Raise the text input error for a model. */
pg_attribute_noreturn()
static void
model_syntax(const char *str, const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
			 errmsg("invalid input syntax for type forecast_model: \"%s\"", str),
			 errdetail("%s", detail)));
}

/*
 * Parse a double value; false unless the whole token is a number.  strtod
 * flags subnormal results with ERANGE although they are exact values that
 * output writes (and binary input accepts): only an overflow, or an
 * underflow to zero of a nonzero literal, is refused.
 */
static bool
parse_double(const char *s, double *out)
{
	char	   *end;

	if (*s == '\0')
		return false;
	errno = 0;
	*out = strtod(s, &end);
	if (*end != '\0' || isnan(*out))
		return false;
	return errno == 0 || (errno == ERANGE && *out != 0 && !isinf(*out));
}

/* Parse an int value; false unless the whole token is a non-negative int. */
static bool
parse_int(const char *s, int32 *out)
{
	char	   *end;
	long		v;

	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	v = strtol(s, &end, 10);
	if (*end != '\0' || errno != 0 || v > PG_INT32_MAX)
		return false;
	*out = (int32) v;
	return true;
}

/* Parse YYYY-MM into a month index. */
static bool
parse_month(const char *s, int32 *out)
{
	int			y,
				m;

	if (strlen(s) != 7 || s[4] != '-')
		return false;
	for (int i = 0; i < 7; i++)
		if (i != 4 && (s[i] < '0' || s[i] > '9'))
			return false;
	y = atoi(s);
	m = atoi(s + 5);
	if (y < 1 || m < 1 || m > 12)
		return false;
	*out = y * 12 + m - 1;
	return true;
}

/* Parse a model code such as MAdM into a component. */
static bool
parse_code(const char *s, Component *c)
{
	c->error = s[0];
	if (s[0] == '\0')
		return false;
	s++;
	if (s[0] == 'A' && s[1] == 'd')
	{
		c->trend = 'D';
		s += 2;
	}
	else if (s[0] == 'A' || s[0] == 'N')
		c->trend = *s++;
	else
		return false;
	c->season = s[0];
	return s[0] != '\0' && s[1] == '\0';
}

static const char *const header_keys[] = {"method", "first", "last", "n", "ytd_months", "ytd"};
static const char *const comp_keys[] = {"kind", "model", "n", "alpha", "beta", "gamma", "phi",
	"level", "slope", "drift", "offset", "sigma2", "aicc", "season"};

/* Store one header key's value; false if it does not parse. */
static bool
header_set(ForecastModel *fm, int key, const char *v)
{
	switch (key)
	{
		case 0:
			for (int k = KIND_ETS; k <= KIND_COMB; k++)
				if (strcmp(v, kind_names[k]) == 0)
					fm->kind = k;
			return fm->kind != 0;
		case 1:
			return parse_month(v, &fm->first);
		case 2:
			return parse_month(v, &fm->last);
		case 3:
			return parse_int(v, &fm->nobs);
		case 4:
			return parse_int(v, &fm->ytd_months);
		default:
			return parse_double(v, &fm->ytd);
	}
}

/* Store one component key's value; false if it does not parse. */
static bool
comp_set(Component *c, int key, char *v)
{
	double	   *d[] = {&c->alpha, &c->beta, &c->gamma, &c->phi, &c->level, &c->slope,
		&c->drift, &c->offset, &c->sigma2, &c->aicc};

	switch (key)
	{
		case 0:
			for (int k = KIND_ETS; k <= KIND_DAMPED; k++)
				if (strcmp(v, kind_names[k]) == 0)
					c->kind = k;
			return c->kind != 0;
		case 1:
			return parse_code(v, c);
		case 2:
			return parse_int(v, &c->nobs);
		case 13:
			for (int j = 0; j < SEASON; j++)
			{
				char	   *comma = strchr(v, ',');

				if ((comma == NULL) != (j == SEASON - 1))
					return false;
				if (comma)
					*comma = '\0';
				if (!parse_double(v, &c->season_state[j]))
					return false;
				v = comma + 1;
			}
			return true;
		default:
			return parse_double(v, d[key - 3]);
	}
}

PG_FUNCTION_INFO_V1(forecast_model_in);
/* Text input: key=value tokens as written by the output function, validated. */
Datum
forecast_model_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	char	   *s = pstrdup(str);
	ForecastModel *fm = palloc0(MODEL_SIZE(MAX_COMP));
	int			section = -1;	/* -1 header, else component */
	uint32		seen = 0;
	const char *why;
	char	   *tok,
			   *save;

	for (tok = strtok_r(s, " \t\n\r", &save); tok; tok = strtok_r(NULL, " \t\n\r", &save))
	{
		char	   *eq;
		int			nkeys = section < 0 ? lengthof(header_keys) : lengthof(comp_keys);
		int			key = -1;

		if (strcmp(tok, "|") == 0)
		{
			if (seen != (1u << nkeys) - 1)
				model_syntax(str, "A section lacks keys.");
			if (++section >= MAX_COMP)
				model_syntax(str, "Too many components.");
			seen = 0;
			continue;
		}
		eq = strchr(tok, '=');
		if (eq == NULL)
			model_syntax(str, "Expected key=value.");
		*eq = '\0';
		for (int k = 0; k < nkeys; k++)
			if (strcmp(tok, section < 0 ? header_keys[k] : comp_keys[k]) == 0)
				key = k;
		if (key < 0 || (seen & (1u << key)))
			model_syntax(str, key < 0 ? "Unknown key." : "repeated key");
		seen |= 1u << key;
		if (!(section < 0 ? header_set(fm, key, eq + 1) : comp_set(&fm->comp[section], key, eq + 1)))
			model_syntax(str, "Bad value.");
	}
	if (section < 0 || seen != (1u << lengthof(comp_keys)) - 1)
		model_syntax(str, "A model has a header and at least one complete component.");
	fm->ncomp = section + 1;
	if ((why = model_check(fm)) != NULL)
		model_syntax(str, why);
	SET_VARSIZE(fm, MODEL_SIZE(fm->ncomp));
	PG_RETURN_POINTER(fm);
}

PG_FUNCTION_INFO_V1(forecast_model_send);
/* Binary output: version 1, the header, then each component's fields in text order. */
Datum
forecast_model_send(PG_FUNCTION_ARGS)
{
	ForecastModel *fm = PG_GETARG_MODEL(0);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, 1);
	pq_sendint32(&buf, fm->kind);
	pq_sendint32(&buf, fm->first);
	pq_sendint32(&buf, fm->last);
	pq_sendint32(&buf, fm->nobs);
	pq_sendint32(&buf, fm->ytd_months);
	pq_sendfloat8(&buf, fm->ytd);
	pq_sendint32(&buf, fm->ncomp);
	for (int i = 0; i < fm->ncomp; i++)
	{
		const Component *c = &fm->comp[i];

		pq_sendint32(&buf, c->kind);
		pq_sendbyte(&buf, c->error);
		pq_sendbyte(&buf, c->trend);
		pq_sendbyte(&buf, c->season);
		pq_sendint32(&buf, c->nobs);
		pq_sendfloat8(&buf, c->alpha);
		pq_sendfloat8(&buf, c->beta);
		pq_sendfloat8(&buf, c->gamma);
		pq_sendfloat8(&buf, c->phi);
		pq_sendfloat8(&buf, c->level);
		pq_sendfloat8(&buf, c->slope);
		pq_sendfloat8(&buf, c->drift);
		pq_sendfloat8(&buf, c->offset);
		pq_sendfloat8(&buf, c->sigma2);
		pq_sendfloat8(&buf, c->aicc);
		for (int j = 0; j < SEASON; j++)
			pq_sendfloat8(&buf, c->season_state[j]);
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* Binary sizes written by forecast_model_send: version, five int4, ytd, ncomp; per component. */
#define MODEL_HEADER_BYTES (1 + 5 * 4 + 8 + 4)
#define COMPONENT_BYTES (4 + 3 + 4 + 10 * 8 + SEASON * 8)

/* Raise the binary input error (22P03) for a model, with its length and what is wrong. */
pg_attribute_noreturn()
static void
model_binary_invalid(StringInfo buf, const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
			 errmsg("invalid binary forecast_model of %d bytes", buf->len),
			 errdetail("%s", detail)));
}

PG_FUNCTION_INFO_V1(forecast_model_recv);
/* Binary input, validated like text input (ERROR 22P03). */
Datum
forecast_model_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	ForecastModel *fm = palloc0(MODEL_SIZE(MAX_COMP));
	const char *why;

	/* lengths first: pq_getmsg* would report a short value as a protocol violation (08P01) */
	if (buf->len - buf->cursor < MODEL_HEADER_BYTES)
		model_binary_invalid(buf, "Shorter than the header.");
	if (pq_getmsgbyte(buf) != 1)
		model_binary_invalid(buf, "Unknown version.");
	fm->kind = pq_getmsgint(buf, 4);
	fm->first = pq_getmsgint(buf, 4);
	fm->last = pq_getmsgint(buf, 4);
	fm->nobs = pq_getmsgint(buf, 4);
	fm->ytd_months = pq_getmsgint(buf, 4);
	fm->ytd = pq_getmsgfloat8(buf);
	fm->ncomp = pq_getmsgint(buf, 4);
	if (fm->ncomp < 1 || fm->ncomp > MAX_COMP)
		model_binary_invalid(buf, "Wrong number of components.");
	if (buf->len - buf->cursor != fm->ncomp * COMPONENT_BYTES)
		model_binary_invalid(buf, "Length does not match the number of components.");
	for (int i = 0; i < fm->ncomp; i++)
	{
		Component  *c = &fm->comp[i];

		c->kind = pq_getmsgint(buf, 4);
		c->error = pq_getmsgbyte(buf);
		c->trend = pq_getmsgbyte(buf);
		c->season = pq_getmsgbyte(buf);
		c->nobs = pq_getmsgint(buf, 4);
		c->alpha = pq_getmsgfloat8(buf);
		c->beta = pq_getmsgfloat8(buf);
		c->gamma = pq_getmsgfloat8(buf);
		c->phi = pq_getmsgfloat8(buf);
		c->level = pq_getmsgfloat8(buf);
		c->slope = pq_getmsgfloat8(buf);
		c->drift = pq_getmsgfloat8(buf);
		c->offset = pq_getmsgfloat8(buf);
		c->sigma2 = pq_getmsgfloat8(buf);
		c->aicc = pq_getmsgfloat8(buf);
		for (int j = 0; j < SEASON; j++)
			c->season_state[j] = pq_getmsgfloat8(buf);
	}
	if ((why = model_check(fm)) != NULL)
		model_binary_invalid(buf, why);
	SET_VARSIZE(fm, MODEL_SIZE(fm->ncomp));
	PG_RETURN_POINTER(fm);
}
