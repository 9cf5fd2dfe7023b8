/*
 * forecast.c — statistical forecasts of monthly series: exponential smoothing
 * in Hyndman's state-space taxonomy (ETS), the theta method, a damped trend
 * on seasonally adjusted data (both on the log scale for a positive
 * series), and their equal-weight combination.
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
 * Not on a series shorter than SHORT_SPAN (36 months): there a seasonal
 * model's heuristic states rest on a decomposition of one or two years, and
 * they are estimated by maximum likelihood with the smoothing parameters
 * (on M3's series cut to 24 months that forecast better).
 * Intervals are analytic for additive errors and simulated with a fixed seed
 * for multiplicative ones, then widened by each component's calibration
 * factor, which the fit measures from refits at two earlier origins of the
 * series (component_calibrate; docs/forecast_intervals.md).
 */
#include "postgres.h"

#include <float.h>
#include <math.h>

#include "catalog/pg_type.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/float.h"

#include "aggutil.h"
#include "monthseries.h"
#include "forecast.h"
#include "stats.h"

#define MAX_HORIZON 600			/* furthest forecast: 50 years */
#define MIN_OBS 6				/* fewest observed months to fit */
#define NSIM 4000				/* simulated paths for multiplicative errors */
#define CAL_NSIM 500				/* simulated paths at a calibration origin */
#define CAL_H 18				/* months held out at a calibration origin */
#define CAL_PRIOR 12.0			/* calibration: pseudo-errors that fit the model exactly */
#define T_CACHE 1024			/* t quantiles kept for df below this */

typedef struct Dist Dist;
static void component_forecast(const Component *c, int32 last, int H, Dist *per, Dist *sum, int from, int nsim);
static void component_calibrate(const Data *d, Component *c);

/* ---------- methods ---------- */

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
	month_series_add_row(fcinfo, aggcxt, &st->s, sek);
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

/* ---------- the model type ---------- */

/* Rescale a component fitted on y / scale back to the series' units. */
static void
component_unscale(Component *c, double scale)
{
	if (c->logged)
	{
		/* log(y / scale) = log(y) - log(scale): only the level moves; the criterion is the same */
		c->level += log(scale);
		return;
	}
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
	{
		component_calibrate(&d, &fm->comp[i]);
		component_unscale(&fm->comp[i], scale);
	}
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

PG_FUNCTION_INFO_V1(forecast_fit_arrays);

/*
 * forecast_fit(months, values, method): the model forecast_fit's aggregate
 * fits, from a series already gathered into two arrays (one row a key).
 * The fit then runs where the row is read: in a parallel worker of a
 * parallel scan, where the aggregate's final function always runs in the
 * leader.  Elements as the aggregate's rows: a NULL month or value is
 * skipped, values of one month are summed.
 */
Datum
forecast_fit_arrays(PG_FUNCTION_ARGS)
{
	ArrayType  *ma,
			   *va;
	Datum	   *months,
			   *values;
	bool	   *mnull,
			   *vnull;
	int			nm,
				nv;
	char		canon[METHOD_LEN];
	Method		m;
	char	   *method;
	SeriesState *st;
	ForecastModel *fm;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
		PG_RETURN_NULL();
	if (PG_ARGISNULL(2))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("forecast_fit method must not be NULL"),
				 errhint("Use 'ets', 'theta', 'damped' or 'comb'.")));
	method = text_to_cstring(PG_GETARG_TEXT_PP(2));
	method_require(method, &m, canon);
	ma = PG_GETARG_ARRAYTYPE_P(0);
	va = PG_GETARG_ARRAYTYPE_P(1);
	if (ARR_NDIM(ma) > 1 || ARR_NDIM(va) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("months and values must be one-dimensional arrays")));
	deconstruct_array(ma, DATEOID, sizeof(DateADT), true, TYPALIGN_INT, &months, &mnull, &nm);
	deconstruct_array(va, FLOAT8OID, sizeof(float8), FLOAT8PASSBYVAL, TYPALIGN_DOUBLE, &values, &vnull, &nv);
	if (nm != nv)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("months has %d elements but values has %d", nm, nv),
				 errhint("Give one value for each month, in the same order.")));
	st = series_new(CurrentMemoryContext, canon);
	for (int i = 0; i < nm; i++)
	{
		if (mnull[i] || vnull[i])
			continue;
		month_series_add_value(CurrentMemoryContext, &st->s, DatumGetDateADT(months[i]),
							   DatumGetFloat8(values[i]));
		if ((i & 1023) == 0)
			CHECK_FOR_INTERRUPTS();
	}
	if (st->s.n == 0)
		PG_RETURN_NULL();
	fm = model_fit(&st->s, st->method);
	if (fm == NULL)
		PG_RETURN_NULL();
	PG_RETURN_POINTER(fm);
}

/* ---------- forecasting from a model ---------- */

struct Dist
{
	double		point;
	double		lo95,
				lo80,
				hi80,
				hi95;
};

/* Bounds around a point: quantiles q80 and q95 (two-sided) of sd-scaled errors. */
static void
dist_normal(Dist *dd, double point, double sd, double q80, double q95)
{
	dd->point = point;
	dd->lo95 = point - q95 * sd;
	dd->lo80 = point - q80 * sd;
	dd->hi80 = point + q80 * sd;
	dd->hi95 = point + q95 * sd;
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
	static const double p[4] = {0.025, 0.10, 0.90, 0.975};
	double		q[4];

	sample_quantiles(v, n, p, 4, q);
	dd->point = point;
	dd->lo95 = q[0];
	dd->lo80 = q[1];
	dd->hi80 = q[2];
	dd->hi95 = q[3];
}

/*
 * The lower bounds of a logged component: a delta-method half-width x ×
 * point below the point is a log-scale one of x, so the bound is point ×
 * e^-x, above both the delta method's point (1 - x) and 0 (a series fitted
 * on its logs is positive; where x is large the delta method went far below
 * 0).  The upper bounds keep the delta method's point (1 + x), below e^x.
 */
static void
dist_log_lower(Dist *dd)
{
	if (!(dd->point > 0))
		return;
	dd->lo95 = dd->point * exp((dd->lo95 - dd->point) / dd->point);
	dd->lo80 = dd->point * exp((dd->lo80 - dd->point) / dd->point);
}

/* Move the bounds of a distribution k times as far from its point. */
static void
dist_widen(Dist *dd, double k)
{
	dd->lo95 = dd->point + k * (dd->lo95 - dd->point);
	dd->lo80 = dd->point + k * (dd->lo80 - dd->point);
	dd->hi80 = dd->point + k * (dd->hi80 - dd->point);
	dd->hi95 = dd->point + k * (dd->hi95 - dd->point);
}

/*
 * Point forecast of the component at horizon h (1-based) ahead of month
 * last, in the series' units: the mean, or for a logged component the
 * median (exp of the log scale's mean).
 */
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
	if (c->logged)
		return exp(base) * c->season_state[cm];
	if (c->season == 'A')
		return base + c->season_state[cm];
	if (c->season == 'M')
		return base * c->season_state[cm];
	return base;
}

/*
 * The two-sided 80 and 95 % quantiles of Student's t with df degrees of
 * freedom.  Each fit forecasts at its calibration origins, and t_quantile
 * bisects on the incomplete beta function: the quantiles of whole df (all
 * that component_df gives) are kept per backend once computed.
 */
static void
t_quantiles(double df, double *t80, double *t95)
{
	static double cache[T_CACHE][2];	/* by df; 0 = not yet computed */
	int			i = (int) df;

	if (i != df || i < 0 || i >= T_CACHE)
	{
		*t80 = t_quantile(0.80, df);
		*t95 = t_quantile(0.95, df);
		return;
	}
	if (cache[i][0] == 0)
	{
		cache[i][0] = t_quantile(0.80, df);
		cache[i][1] = t_quantile(0.95, df);
	}
	*t80 = cache[i][0];
	*t95 = cache[i][1];
}

/*
 * Forecast distribution of one component for horizons 1..H (per[] if not
 * NULL) and of the sum of horizons from..H (*sum if not NULL).  Additive errors: the
 * innovations form's analytic variance, where the forecast at j carries an
 * error made k months earlier with weight alpha + beta (phi + .. + phi^k)
 * + gamma [k a multiple of 12], scaled by the seasonal index of month j for
 * a multiplicatively adjusted series, or for a logged component by its
 * point (a log-scale error e is a relative error of about e: the delta
 * method; exp of the log scale's bounds made the upper ones explode where
 * that variance is large, docs/forecast_intervals.md; its lower bounds are
 * the log scale's, dist_log_lower).  Multiplicative
 * errors or seasonality: nsim simulated paths from a fixed seed.
 */
static void
component_forecast(const Component *c, int32 last, int H, Dist *per, Dist *sum, int from, int nsim)
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

		/*
		 * t quantiles, since sigma is estimated with df degrees of freedom
		 * (below 3 read as 3: the bands of very short fits stay usable)
		 */
		double		t80,
					t95;

		t_quantiles(Max(df, 3.0), &t80, &t95);

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
			m[h - 1] = c->logged ? mu[h - 1] : (c->kind != KIND_ETS && c->season == 'M') ?
				c->season_state[(last + h) % SEASON] : 1.0;
		for (int h = 1; h <= H; h++)
		{
			if (per)
				dist_normal(&per[h - 1], mu[h - 1], sqrt(c->sigma2 * (1.0 + acc)) * m[h - 1], t80, t95);
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
			dist_normal(sum, musum, sqrt(c->sigma2 * vsum), t80, t95);
		}
		pfree(w);
		pfree(m);
	}
	else
	{
		double	   *paths = palloc((Size) H * nsim * sizeof(double)),
				   *sums = palloc(nsim * sizeof(double)),
				   *z = palloc((H + 2) * sizeof(double)),
					sd = sqrt(c->sigma2),
					v = 2.0 / (9.0 * Max(component_df(c), 3.0));
		uint64		seed = UINT64CONST(20261122);

		for (int i = 0; i < nsim; i++)
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
				paths[(Size) (h - 1) * nsim + i] = y;
				if (h >= from)
					tot += y;
			}
			sums[i] = tot;
			if ((i & 255) == 0)
				CHECK_FOR_INTERRUPTS();
		}
		if (per)
			for (int h = 1; h <= H; h++)
				dist_sample(&per[h - 1], mu[h - 1], paths + (Size) (h - 1) * nsim, nsim);
		if (sum)
			dist_sample(sum, musum, sums, nsim);
		pfree(paths);
		pfree(sums);
		pfree(z);
	}
	if (c->calib > 1)
	{
		for (int h = 0; per && h < H; h++)
			dist_widen(&per[h], c->calib);
		if (sum)
			dist_widen(sum, c->calib);
	}
	if (c->logged)
	{
		for (int h = 0; per && h < H; h++)
			dist_log_lower(&per[h]);
		if (sum)
			dist_log_lower(sum);
	}
	pfree(mu);
}

/*
 * Interval calibration from rolling-origin errors within the training data
 * (docs/forecast_intervals.md): the component's model (the same ETS form,
 * or theta / damped) is refitted on the series less its last CAL_H and
 * CAL_H / 2 months, and forecasts them.  Each error, in units of its own
 * 95 % half-width, says how much wider the interval should have been; the
 * mean square of these (times 1.96², so that 1 means "as wide as a normal
 * error needs"), pulled towards 1 by CAL_PRIOR pseudo-errors and never
 * below 1 (nor above MAX_CALIB), is the factor stored in c->calib.  Such errors carry what the
 * model's own variance leaves out: the estimation error of the parameters
 * and states, and change in the series.  Left 0 (none) when no origin fits.
 * The later origin's fit starts from the earlier one's parameters (fewer
 * Nelder–Mead steps; neither sees the months it forecasts, which a start
 * from c's own parameters would).
 */
static void
component_calibrate(const Data *d, Component *c)
{
	const int	holdouts[] = {CAL_H, CAL_H / 2};
	double		ss = 0;
	int			m = 0;
	Component	prev;			/* the fit at the earlier origin */
	bool		have_prev = false;

	for (int i = 0; i < (int) lengthof(holdouts); i++)
	{
		int			ho = holdouts[i],
					o = d->n - ho;
		Data		dt = *d;
		Component	ct;
		Dist		per[CAL_H];

		if (o < MIN_OBS)
			continue;
		dt.n = o;
		dt.nobs = 0;
		for (int t = 0; t < o; t++)
			dt.nobs += !isnan(d->y[t]);
		if (dt.nobs < Max(MIN_OBS, c->season != 'N' ? MIN_SEASONAL_OBS : 0))
			continue;
		if (!component_refit(&dt, c, have_prev ? &prev : NULL, d->n < SHORT_SPAN, &ct))
			continue;
		prev = ct;
		have_prev = true;
		component_forecast(&ct, d->c0 + o - 1, ho, per, NULL, 1, CAL_NSIM);
		for (int h = 1; h <= ho; h++)
		{
			double		y = d->y[o + h - 1],
						p = per[h - 1].point,
						half = y > p ? per[h - 1].hi95 - p : p - per[h - 1].lo95;

			if (isnan(y) || !(half > 0) || !isfinite(half))
				continue;
			ss += (y - p) * (y - p) / (half * half);
			m++;
		}
	}
	if (m > 0)
		c->calib = (float4) Min(sqrt(Max((Z95 * Z95 * ss + CAL_PRIOR) / (m + CAL_PRIOR), 1.0)), MAX_CALIB);
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
		component_forecast(&fm->comp[i], fm->last, H, cp, sum ? &cs : NULL, from, NSIM);
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


