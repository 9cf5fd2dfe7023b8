/*
 * forecast_ets.c — the estimators of forecast components: exponential
 * smoothing in Hyndman's state-space taxonomy (ETS), its parameters by
 * maximum likelihood and the model by AICc, and theta and the damped trend,
 * which are ETS fits to the seasonally adjusted series.  How the initial
 * states are chosen, and why, is told at the top of forecast.c.
 */
#include "postgres.h"

#include <float.h>
#include <math.h>

#include "miscadmin.h"
#include "utils/float.h"

#include "forecast.h"
#include "stats.h"

#define MAX_PARS NM_MAX_DIM		/* alpha, beta, gamma, phi, level, slope, 11 seasonal states */
#define Z_SEASONAL 1.6448536269514722	/* one-sided 95 %: seasonality test */
#define WARM_STEP 0.1			/* first simplex of a warm-started fit, in its steps */
#define WARM_IDLE 1				/* its restart rounds that gain nothing before it ends */
#define STATES_EVALS 80		/* fitted seasonal states: evaluations a parameter (no restarts) */

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
 * Run the ETS recursions of model (error, trend, season) over the series
 * from the initial states in *e, leaving the final states there.  Returns
 * the likelihood criterion n log(SSE) (+ 2 Σ log ŷ for multiplicative
 * errors), +inf where a multiplicative model's forecast is not positive,
 * and +inf as soon as an additive model's SSE exceeds stop_sse (its
 * criterion can only grow; +inf: run to the end).
 * Always inlined with constant letters by ets_run, so that each model gets
 * a loop without the tests of the others (most of a fit's time is here).
 */
static pg_attribute_always_inline double
ets_run_model(char error, char trend, char season, const Data *d, Ets *e, double stop_sse,
			  double *sse_out)
{
	double		l = e->level,
				b = trend == 'N' ? 0.0 : e->slope,
				phi = trend == 'D' ? e->phi : 1.0,
				alpha = e->alpha,
				beta = e->beta,
				gamma = e->gamma,
				alpha1 = 1.0 - alpha;
	double		sse = 0,
				slog = 0,
				prod = 1;		/* Σ log ŷ as the log of running products: far fewer logs */
	const double *y = d->y;
	int			c = d->c0,
				n = d->n,
				nprod = 0;

	for (int t = 0; t < n; t++)
	{
		double		yt = y[t],
					q = trend == 'N' ? l : trend == 'A' ? l + b : l + phi * b,
					s = e->s[c],
					yhat,
					err,
					p;

		yhat = season == 'A' ? q + s : season == 'M' ? q * s : q;
		if (isnan(yt))
		{
			l = q;
			if (trend == 'D')
				b *= phi;
		}
		else
		{
			if (error == 'A')
				err = yt - yhat;
			else
			{
				if (!(yhat > 0))
					return get_float8_infinity();
				err = (yt - yhat) / yhat;
				prod *= yhat;
				if (++nprod == 16 || prod > 1e100 || prod < 1e-100)
				{
					slog += log(prod);
					prod = 1;
					nprod = 0;
				}
			}
			sse += err * err;
			if (error == 'A' && sse > stop_sse)
				return get_float8_infinity();
			p = season == 'A' ? yt - s : season == 'M' ? yt / s : yt;
			/*
			 * l = q + alpha (p - q), b = phi b + beta (p - q) with q's terms
			 * apart: q, on which the next month waits, then passes through
			 * one product and one sum
			 */
			l = alpha1 * q + alpha * p;
			if (trend == 'A')
				b = (b + beta * p) - beta * q;
			else if (trend == 'D')
				b = (phi * b + beta * p) - beta * q;
			if (season == 'A')
				e->s[c] = s + gamma * (yt - q - s);
			else if (season == 'M')
			{
				if (!(q > 0))
					return get_float8_infinity();
				e->s[c] = s + gamma * (yt / q - s);
			}
		}
		c = c == SEASON - 1 ? 0 : c + 1;
	}
	if (error == 'M')
		slog += log(prod);
	e->level = l;
	e->slope = b;
	if (sse_out)
		*sse_out = sse;
	return d->nobs * log(Max(sse, DBL_MIN)) + 2.0 * slog;
}

/* Per trend and seasonality: ets_run_model of one error type. */
#define ETS_RUN_SEASONS(E, T) \
	(sp->season == 'N' ? ets_run_model(E, T, 'N', d, e, stop_sse, sse_out) : \
	 sp->season == 'A' ? ets_run_model(E, T, 'A', d, e, stop_sse, sse_out) : \
	 ets_run_model(E, T, 'M', d, e, stop_sse, sse_out))
#define ETS_RUN_TRENDS(E) \
	(sp->trend == 'N' ? ETS_RUN_SEASONS(E, 'N') : \
	 sp->trend == 'A' ? ETS_RUN_SEASONS(E, 'A') : ETS_RUN_SEASONS(E, 'D'))

/* ets_run_model for the model of sp: the criterion, the final states in *e. */
static double
ets_run(const Spec *sp, const Data *d, Ets *e, double stop_sse, double *sse_out)
{
	return sp->error == 'A' ? ETS_RUN_TRENDS('A') : ETS_RUN_TRENDS('M');
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
 *
 * Each step is taken multiplied through by a[n] (no division, the slowest
 * link of the step's chain) and by a power of two near 1 / a[n], which is
 * exact and keeps the coefficients from shrinking to underflow or growing
 * to overflow; the test on |a0| < |an| is the same up to rounding.
 */
static bool
seasonal_admissible(const Ets *e, bool trend)
{
	double		phi = e->phi,
				buf[2][SEASON + 2],
			   *a = buf[0],
			   *b = buf[1],
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
		b[n - 1] = a[n];
		for (int j = n - 1; j > 0; j--)
			b[j - 1] = a[j] + b[j];
		n--;
		a = buf[1];
		b = buf[0];
	}
	for (; n > 0; n--)
	{
		double		a0 = a[0],
					an = a[n],
					s,
				   *t;
		uint64		bits;
		int			ex;

		if (!(fabs(a0) < fabs(an)))
			return false;
		/* s = 2^-e for an = m 2^e, 1 <= |m| < 2, from its exponent bits */
		memcpy(&bits, &an, sizeof(bits));
		ex = (int) ((bits >> 52) & 0x7FF);
		if (ex == 0 || ex >= 0x7FE)
			s = 1.0 / fabs(an);	/* subnormal or huge: never in practice */
		else
		{
			bits = (uint64) (0x7FE - ex) << 52;
			memcpy(&s, &bits, sizeof(s));
		}
		a0 *= s;
		an *= s;
		for (int j = 0; j < n; j++)
			b[j] = an * a[j + 1] - a0 * a[n - j - 1];
		t = a;
		a = b;
		b = t;
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
				i_slope,
				i_season;		/* the first of SEASON - 1 seasonal states (calendar months c0, c0 + 1, ...) */
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
 * (the squared distance into *excess if not NULL).
 */
static void
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
	if (o->i_season >= 0)
	{
		/* the last month's state keeps the sum at SEASON (mean 1) or 0 */
		double		sum = 0;
		int			c = o->d->c0;

		for (int j = 0; j < SEASON - 1; j++)
		{
			e->s[c] = x[o->i_season + j];
			sum += e->s[c];
			c = c == SEASON - 1 ? 0 : c + 1;
		}
		e->s[c] = (o->sp.season == 'M' ? SEASON : 0) - sum;
	}
	if (excess)
		*excess = ex;
}

/*
 * The criterion at an optimiser vector: penalised outside the bounds, +inf
 * outside the admissible region.  Where the optimiser only needs to know
 * that the value is not below bound (nelder_mead), a point whose run
 * reaches bound skips the admissibility test, and an additive model's run
 * stops there, returning +inf: the value of every point below bound, and
 * so the optimiser's path, is the same as without bound.
 */
static double
objective_value(const double *x, void *arg, double bound)
{
	const Objective *o = arg;
	Ets			e;
	double		excess,
				pen,
				v;
	bool		check = o->sp.season != 'N';

	objective_unpack(o, x, &e, &excess);
	/* fitted multiplicative seasonal states: a factor must be positive */
	if (o->i_season >= 0 && o->sp.season == 'M')
		for (int c = 0; c < SEASON; c++)
			if (!(e.s[c] > 0))
				return get_float8_infinity();
	pen = 1e3 * excess;
	if (!isfinite(bound))
	{
		if (check && !seasonal_admissible(&e, o->sp.trend != 'N'))
			return get_float8_infinity();
		return ets_run(&o->sp, o->d, &e, get_float8_infinity(), NULL) + pen;
	}
	/*
	 * n log(SSE) + pen >= bound once SSE exceeds exp((bound - pen) / n),
	 * with a margin above the rounding of log and exp (additive errors)
	 */
	v = ets_run(&o->sp, o->d, &e, o->sp.error == 'A' ?
				exp((bound - pen) / o->d->nobs + 1e-9) : get_float8_infinity(), NULL) + pen;
	if (check && !(v >= bound) && !seasonal_admissible(&e, o->sp.trend != 'N'))
		return get_float8_infinity();
	return v;
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
				f = objective_value(cand, (void *) o, get_float8_infinity());
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
 * Start a fit from the smoothing and damping parameters of warm, the same
 * model fitted to a part of the series (the earlier calibration origin,
 * component_refit): its optimum is near theirs.  The initial states (and
 * a fitted initial level) keep the start of a cold fit, since warm's are
 * its final ones.  False, x unchanged, where the criterion is not finite
 * there.
 */
static bool
warm_start(const Objective *o, const Component *warm, int k, double *x)
{
	double		cand[MAX_PARS];

	memcpy(cand, x, k * sizeof(double));
	cand[0] = warm->alpha;
	if (o->i_beta >= 0)
		cand[o->i_beta] = warm->beta / warm->alpha;
	if (o->i_gamma >= 0)
		cand[o->i_gamma] = warm->gamma / (1.0 - warm->alpha);
	if (o->i_phi >= 0)
		cand[o->i_phi] = warm->phi;
	if (!isfinite(objective_value(cand, (void *) o, get_float8_infinity())))
		return false;
	memcpy(x, cand, k * sizeof(double));
	return true;
}

/*
 * Fit one ETS model to the series; false when it cannot be fitted (too few
 * observations for its parameters, or a multiplicative model that leaves
 * the positive range).  The initial states are estimated as R's ets starts
 * them: seasonal states by a classical decomposition, the level and slope
 * by a line through the first (seasonally adjusted) months.  The smoothing
 * parameters are then estimated by maximum likelihood given those states;
 * with fit_states the initial level, slope and seasonal states (all but
 * the last month's, which the others' sum fixes) are optimised with them,
 * from those starts, in a shorter search: STATES_EVALS evaluations a
 * parameter and no restarts (up to 17 parameters; on M3's series cut to
 * 24 months searching to convergence, ten times the evaluations, forecast
 * no better).
 * warm, if not NULL, is a fit of the same model to a part of the series to
 * start from (see warm_start): the first simplex is then a tenth of the
 * size and the restarts end at the first round that gains nothing.  The
 * component is in scaled units.
 */
static bool
ets_fit_spec(const Data *d, Spec sp, bool fit_states, const Component *warm, Component *out)
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
				maxn,
				max_idle = 2,
				evals = 300,
				rounds = 12;
	double		adj[2 * SEASON],
				st0[MAX_PARS];
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
	o.i_beta = o.i_gamma = o.i_phi = o.i_level = o.i_slope = o.i_season = -1;
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
		if (sp.season != 'N')
		{
			o.i_season = k;
			for (int j = 0; j < SEASON - 1; j++)
			{
				x[k] = o.init.s[(d->c0 + j) % SEASON];
				step[k++] = 0.05;
			}
			evals = STATES_EVALS;
			rounds = 0;
		}
	}
	memcpy(st0, step, k * sizeof(double));
	if (warm != NULL && warm_start(&o, warm, k, x))
	{
		for (int j = 0; j < k; j++)
			st0[j] *= WARM_STEP;
		max_idle = WARM_IDLE;
	}
	else if (!isfinite(objective_value(x, &o, get_float8_infinity())) && !grid_start(&o, k, x))
		return false;
	crit = nelder_mead(objective_value, &o, k, x, get_float8_nan(), st0, evals * k);
	if (!isfinite(crit))
		return false;
	/*
	 * Fresh simplexes around the optimum, of a tenth and a hundredth of the
	 * first size too: Nelder–Mead can stall short of it, against the
	 * admissible region's boundary most.  Until two rounds in a row gain
	 * nothing (on M3 a third, of the smallest size, rarely gained and cost
	 * an eighth of a fit); a warm start: until one round gains nothing.
	 */
	for (int r = 0, idle = 0; r < rounds && idle < max_idle; r++)
	{
		double		prev = crit,
					scale = r % 3 == 0 ? 1.0 : r % 3 == 1 ? 0.1 : 0.01,
					st[MAX_PARS];

		for (int j = 0; j < k; j++)
			st[j] = step[j] * scale;
		crit = nelder_mead(objective_value, &o, k, x, crit, st, 100 * k);
		idle = crit < prev - 1e-7 * fabs(prev) ? 0 : idle + 1;
	}
	objective_unpack(&o, x, &e, NULL);
	crit = ets_run(&sp, d, &e, get_float8_infinity(), &sse);

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

/*
 * Fit the ETS model of a method: the pinned one, or the best by AICc.  A
 * seasonal model of a series shorter than SHORT_SPAN has its initial states
 * fitted too: the heuristic ones rest on one or two years' decomposition,
 * and on M3's series cut to 24 months fitted states forecast better (on
 * longer series, worse: see forecast.c).
 */
bool
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
				if (ets_fit_spec(d, sp, d->n < SHORT_SPAN && sp.season != 'N', NULL, &c) &&
					(!found || c.aicc < best->aicc))
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

/*
 * Fit theta (kind KIND_THETA) or the damped trend (KIND_DAMPED) to the
 * seasonally adjusted series adj (its logs when logged), started from warm
 * if not NULL (see ets_fit_spec).
 */
static bool
scaled_fit(const Data *d, const double *adj, bool logged, int kind, const Component *warm,
		   Component *out)
{
	double	   *y = palloc(d->n * sizeof(double));
	Data		da = *d;
	Spec		sp = {'A', kind == KIND_THETA ? 'N' : 'D', 'N'};
	bool		ok;

	for (int t = 0; t < d->n; t++)
		y[t] = logged && !isnan(adj[t]) ? log(adj[t]) : adj[t];
	da.y = y;
	da.positive = d->positive && !logged;
	/*
	 * damped is estimated as ETS(A,Ad,N) is; theta optimises the initial
	 * level too, as R's thetaf (its ses) does
	 */
	ok = ets_fit_spec(&da, sp, kind == KIND_THETA, warm, out);
	if (ok && kind == KIND_THETA)
	{
		double		a,
					b;

		ols_line(y, d->n, &a, &b);
		out->drift = b / 2.0;
		out->offset = (1.0 - pow(1.0 - out->alpha, d->n)) / out->alpha;
	}
	out->logged = logged;
	pfree(y);
	return ok;
}

/*
 * Fit theta (kind KIND_THETA) or the damped trend (KIND_DAMPED) on the
 * adjusted series, started from warm if not NULL (see ets_fit_spec).
 * scale: 0 the series' own scale, 1 its logs (a calibration refit keeps
 * its model's), -1 choose.
 *
 * A positive series may be fitted on the log scale: its trend then grows
 * by a rate rather than an amount, and its errors scale with its level.
 * On M3 the log scale made theta and damped more accurate at the
 * rolling-origin origins within the training months (docs/benchmarks.md),
 * but a series that ramps up from little (a new unit) would have its early
 * growth rate carried on.  So both are fitted and the log scale is kept
 * when its AICc, on the series' scale (the logs' Jacobian: + 2 Σ log y),
 * is lower.
 */
static bool
adjusted_fit_from(const Data *d, int kind, const Component *warm, int scale, Component *out)
{
	double		idx[SEASON];
	double	   *adj = palloc(d->n * sizeof(double));
	char		adjust;
	bool		ok;

	adjust = seasonal_adjust(d, idx, adj);
	if (!d->positive)
		scale = 0;
	ok = scaled_fit(d, adj, scale != 0, kind, warm, out);
	if (scale < 0)
	{
		Component	lev;
		double		jac = 0;

		for (int t = 0; t < d->n; t++)
			if (!isnan(adj[t]))
				jac += 2.0 * log(adj[t]);
		if (scaled_fit(d, adj, false, kind, NULL, &lev) &&
			(!ok || lev.aicc < out->aicc + jac))
		{
			*out = lev;
			ok = true;
		}
	}
	pfree(adj);
	if (!ok)
		return false;
	out->kind = kind;
	out->season = adjust;
	memcpy(out->season_state, idx, sizeof(idx));
	return true;
}

/* Fit theta (kind KIND_THETA) or the damped trend (KIND_DAMPED) on the adjusted series. */
bool
adjusted_fit(const Data *d, int kind, Component *out)
{
	return adjusted_fit_from(d, kind, NULL, -1, out);
}

/*
 * Fit component c's model (the same ETS form, or theta or the damped
 * trend) to d, started from warm's parameters if not NULL (a fit of the
 * model to less of the series; see ets_fit_spec): a calibration origin's
 * fit (component_calibrate).  short_span: the whole series is shorter than
 * SHORT_SPAN, so a seasonal ETS model's initial states are fitted, as
 * ets_choose fitted them (d itself is always shorter).
 */
bool
component_refit(const Data *d, const Component *c, const Component *warm, bool short_span,
				Component *out)
{
	Spec		sp = {c->error, c->trend, c->season};

	CHECK_FOR_INTERRUPTS();
	if (c->kind == KIND_ETS)
		return ets_fit_spec(d, sp, short_span && sp.season != 'N', warm, out);
	return adjusted_fit_from(d, c->kind, warm, c->logged ? 1 : 0, out);
}
