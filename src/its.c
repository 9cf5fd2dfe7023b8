/*
 * its.c — its_effect(period, value, intervention): interrupted time
 * series on a monthly series.  The level change and the trend change after
 * a measure, seasonality adjusted, with 95 % intervals that account for
 * autocorrelated months.
 *
 * Model (t = months since the intervention month, after = t >= 0):
 *   y_t = b0 + b1 t + b2 after + b3 t after [+ 11 month-of-year effects] + e_t,
 *   e_t stationary AR(1): corr(e_s, e_t) = rho^|s - t|,
 * fitted by generalised least squares with rho by restricted maximum
 * likelihood (REML), as R's nlme::gls(..., correlation = corAR1(form = ~ t),
 * method = "REML").  REML, not ML: ML's rho and sigma are biased down in
 * series of a few dozen months, which makes the intervals too narrow.
 * Months without rows are missing: the AR(1) correlation spans the gap.
 * The intervals take the uncertainty of rho and sigma into account by the
 * small-sample method of Kenward & Roger (1997): an adjusted variance and
 * Satterthwaite's degrees of freedom for each estimate (kr_setup).  Plain
 * GLS t intervals cover about 91 % at rho 0.5 with 48 months; these 95 %.
 *
 * The aggregate only collects monthly sums (monthseries.h), so it is order
 * free and parallel safe; the fit happens in the final function.
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
#include "stay.h"

#define MIN_SIDE 4				/* fewest observed months before and after */
#define MIN_SEASONAL_OBS 24		/* fewest observed months for month-of-year terms */
#define MIN_SEASONAL_EACH 2		/* ... with each calendar month observed this often, and a side spanning 13 months */
#define NBASE 4					/* intercept, trend, level change, trend change */
#define MAX_COLS (NBASE + 11)
#define RHO_MAX 0.99			/* |rho| searched up to this */
#define RHO_GRID 40				/* grid steps over [-RHO_MAX, RHO_MAX] before refining */
#define LEVEL 0.95				/* of every interval */

/* ---------- the aggregate state ---------- */

typedef struct ItsState
{
	MonthSeries s;				/* first: month_series_combine */
	DateADT		intervention;	/* as given: every row must give the same */
} ItsState;

/* Whether an intervention date is finite and in the years 1..9999, as periods must be. */
static bool
intervention_valid(DateADT d)
{
	return !DATE_NOT_FINITE(d) && d >= date2j(1, 1, 1) - POSTGRES_EPOCH_JDATE &&
		d <= date2j(9999, 12, 31) - POSTGRES_EPOCH_JDATE;
}

/* Check an intervention date (22023 unless intervention_valid). */
static void
check_intervention(DateADT d)
{
	if (!intervention_valid(d))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("intervention %s is not a date of the years 1 to 9999", date_iso(d)),
				 errhint("Give the day the measure took effect, e.g. '2024-03-01'.")));
}

/* Raise the error for rows of one group with different intervention dates. */
pg_attribute_noreturn()
static void
intervention_differs(DateADT a, DateADT b)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("intervention differs between rows: %s and %s",
					date_iso(a), date_iso(b)),
			 errhint("Pass the intervention as a constant, or GROUP BY it.")));
}

/* A new, empty state in the aggregate context. */
static ItsState *
its_new(MemoryContext cxt, DateADT intervention)
{
	ItsState   *st = MemoryContextAllocZero(cxt, sizeof(ItsState));

	st->intervention = intervention;
	return st;
}

/* Transition of its_effect: add a row's value (float8 or sek) to its month. */
static Datum
accum(FunctionCallInfo fcinfo, bool sek)
{
	MemoryContext aggcxt;
	ItsState   *st = PG_ARGISNULL(0) ? NULL : (ItsState *) PG_GETARG_POINTER(0);
	DateADT		iv;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "its_accum called in non-aggregate context");
	if (PG_ARGISNULL(3))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("intervention must not be NULL"),
				 errhint("Give the day the measure took effect; leave out series without a measure (WHERE intervention IS NOT NULL).")));
	iv = PG_GETARG_DATEADT(3);
	if (st == NULL)
	{
		check_intervention(iv);
		st = its_new(aggcxt, iv);
	}
	else if (st->intervention != iv)
		intervention_differs(st->intervention, iv);
	month_series_add_row(fcinfo, aggcxt, &st->s, sek);
	PG_RETURN_POINTER(st);
}

PG_FUNCTION_INFO_V1(its_accum);
/* Transition of its_effect over float8 values. */
Datum
its_accum(PG_FUNCTION_ARGS)
{
	return accum(fcinfo, false);
}

PG_FUNCTION_INFO_V1(its_accum_sek);
/* Transition of its_effect over sek values (kronor). */
Datum
its_accum_sek(PG_FUNCTION_ARGS)
{
	return accum(fcinfo, true);
}

/* intervention_differs for two states. */
static void
states_differ(const void *a, const void *b)
{
	intervention_differs(((const ItsState *) a)->intervention, ((const ItsState *) b)->intervention);
}

/* The key of a serialized state: the intervention date. */
static void
its_key_send(StringInfo buf, const void *state)
{
	pq_sendint32(buf, ((const ItsState *) state)->intervention);
}

/* The intervention date back, validated. */
static void
its_key_recv(StringInfo buf, void *state)
{
	DateADT		iv;

	if (buf->len - buf->cursor < 4)
		month_series_invalid("its_effect", "Intervention date cut short.");
	iv = (DateADT) pq_getmsgint(buf, 4);
	if (!intervention_valid(iv))
		month_series_invalid("its_effect", "Intervention date out of range.");
	((ItsState *) state)->intervention = iv;
}

static const MonthSeriesKind its_kind = {
	"its_effect", sizeof(ItsState), states_differ, its_key_send, its_key_recv
};

PG_FUNCTION_INFO_V1(its_combine);
/* Combine two partial states (parallel aggregation). */
Datum
its_combine(PG_FUNCTION_ARGS)
{
	return month_series_combine(fcinfo, &its_kind);
}

PG_FUNCTION_INFO_V1(its_serialize);
/* State to bytea: version 1, the intervention date, then the monthly series. */
Datum
its_serialize(PG_FUNCTION_ARGS)
{
	return month_series_serialize(fcinfo, &its_kind);
}

PG_FUNCTION_INFO_V1(its_deserialize);
/* State from bytea in the current context, validated (22P03). */
Datum
its_deserialize(PG_FUNCTION_ARGS)
{
	return month_series_deserialize(fcinfo, &its_kind);
}

/* ---------- the fit ---------- */

typedef struct Design
{
	int			nobs;			/* observed months */
	int			p;				/* columns of X */
	int		   *pos;			/* month of each observation, from 0 */
	double	   *f;				/* rho^gap to the previous observation (0 for the first) */
	double	   *s;				/* 1 / sqrt(1 - f^2) */
	double	   *a;				/* column-major nobs x (p + 1): X, then y */
	double	   *w;				/* work: whitened, then triangularised */
} Design;

/* Whitening factors for rho: with them z_i = s_i (x_i - f_i x_{i-1}) are uncorrelated of unit variance. */
static double
whitening(Design *d, double rho)
{
	double		logdet_r = 0;

	d->f[0] = 0;
	d->s[0] = 1;
	for (int i = 1; i < d->nobs; i++)
	{
		d->f[i] = pow(rho, d->pos[i] - d->pos[i - 1]);
		d->s[i] = 1.0 / sqrt(1.0 - d->f[i] * d->f[i]);
		logdet_r += log(1.0 - d->f[i] * d->f[i]);
	}
	return logdet_r;			/* log det of the correlation matrix */
}

/* dst = W src for ncols columns of length nobs (W the whitening of the current factors). */
static void
whiten(const Design *d, const double *src, double *dst, int ncols)
{
	int			n = d->nobs;

	for (int j = 0; j < ncols; j++)
	{
		dst[j * n] = src[j * n];
		for (int i = 1; i < n; i++)
			dst[j * n + i] = d->s[i] * (src[j * n + i] - d->f[i] * src[j * n + i - 1]);
	}
}

/* dst = W' src for ncols columns (so W' W src = R^-1 src). */
static void
whiten_t(const Design *d, const double *src, double *dst, int ncols)
{
	int			n = d->nobs;

	for (int j = 0; j < ncols; j++)
		for (int i = 0; i < n; i++)
			dst[j * n + i] = d->s[i] * src[j * n + i] -
				(i + 1 < n ? d->f[i + 1] * d->s[i + 1] * src[j * n + i + 1] : 0);
}

/*
 * Whiten the design for rho (AR(1) over the gaps), triangularise it by
 * Householder reflections in place, and return the REML criterion
 *   (n - p) log RSS + log|R| + log|X' R^-1 X|   (R the correlation matrix),
 * which is minus twice the restricted log-likelihood up to a constant.
 * *rss gets the residual sum of squares; false if X is rank deficient.
 */
static bool
reml_at(Design *d, double rho, double *crit, double *rss)
{
	int			n = d->nobs,
				q = d->p + 1;
	double		logdet_r = whitening(d, rho),
				logdet_x = 0,
				r = 0;

	whiten(d, d->a, d->w, q);
	for (int j = 0; j < d->p; j++)
	{
		double	   *cj = d->w + j * n;
		double		norm = 0,
					orig = 0,
					alpha,
					vv;

		for (int i = 0; i < n; i++)
			orig += cj[i] * cj[i];
		for (int i = j; i < n; i++)
			norm += cj[i] * cj[i];
		norm = sqrt(norm);
		if (!(norm > 1e-9 * sqrt(orig)))
			return false;
		alpha = cj[j] > 0 ? -norm : norm;
		vv = 2 * norm * (norm + fabs(cj[j]));	/* |x - alpha e1|^2 */
		cj[j] -= alpha;			/* cj[j..] is now the reflection vector */
		for (int k = j + 1; k < q; k++)
		{
			double	   *ck = d->w + k * n;
			double		s = 0;

			for (int i = j; i < n; i++)
				s += cj[i] * ck[i];
			s *= 2.0 / vv;
			for (int i = j; i < n; i++)
				ck[i] -= s * cj[i];
		}
		cj[j] = alpha;
		logdet_x += 2.0 * log(fabs(alpha));
	}
	for (int i = d->p; i < n; i++)
		r += d->w[d->p * n + i] * d->w[d->p * n + i];
	*rss = r;
	*crit = (n - d->p) * log(r) + logdet_r + logdet_x;
	return true;
}

/* Raise the error for a design that does not identify the model. */
pg_attribute_noreturn()
static void
singular_design(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("the months with values do not identify a level and a trend on each side of the intervention"),
			 errhint("Give more months on each side of the intervention.")));
}

/* REML criterion at rho, raising the singular-design error. */
static double
reml_crit(Design *d, double rho)
{
	double		crit,
				rss;

	if (!reml_at(d, rho, &crit, &rss))
		singular_design();
	return crit;
}

/*
 * rho minimising the REML criterion on [-RHO_MAX, RHO_MAX]: the best point
 * of a grid, then Brent's minimisation (parabolic steps, golden-section
 * steps when they fail) within a grid step either side of it.
 */
static double
reml_rho(Design *d)
{
	const double step = 2 * RHO_MAX / RHO_GRID;
	const double cgold = (3 - sqrt(5.0)) / 2;
	const double tol = 1e-10;
	double		best = 0,
				best_crit = get_float8_infinity(),
				a,
				b,
				x,
				w,
				v,
				fx,
				fw,
				fv,
				dstep = 0,
				e = 0;

	for (int k = 0; k <= RHO_GRID; k++)
	{
		double		rho = -RHO_MAX + k * step;
		double		c = reml_crit(d, rho);

		CHECK_FOR_INTERRUPTS();
		if (c < best_crit)
		{
			best_crit = c;
			best = rho;
		}
	}
	a = Max(-RHO_MAX, best - step);
	b = Min(RHO_MAX, best + step);
	x = w = v = best;
	fx = fw = fv = best_crit;
	for (int it = 0; it < 200; it++)
	{
		double		m = (a + b) / 2,
					tol1 = sqrt(DBL_EPSILON) * fabs(x) + tol,
					tol2 = 2 * tol1,
					u,
					fu;

		if (fabs(x - m) <= tol2 - (b - a) / 2)
			break;
		if (fabs(e) > tol1)
		{
			/* a parabola through x, w, v */
			double		r = (x - w) * (fx - fv),
						q = (x - v) * (fx - fw),
						p = (x - v) * q - (x - w) * r;

			q = 2 * (q - r);
			if (q > 0)
				p = -p;
			else
				q = -q;
			r = e;
			e = dstep;
			if (fabs(p) < fabs(q * r / 2) && p > q * (a - x) && p < q * (b - x))
			{
				dstep = p / q;
				u = x + dstep;
				if (u - a < tol2 || b - u < tol2)
					dstep = x < m ? tol1 : -tol1;
			}
			else
			{
				e = (x < m ? b : a) - x;
				dstep = cgold * e;
			}
		}
		else
		{
			e = (x < m ? b : a) - x;
			dstep = cgold * e;
		}
		u = x + (fabs(dstep) >= tol1 ? dstep : (dstep > 0 ? tol1 : -tol1));
		fu = reml_crit(d, u);
		if (fu <= fx)
		{
			if (u < x)
				b = x;
			else
				a = x;
			v = w;
			fv = fw;
			w = x;
			fw = fx;
			x = u;
			fx = fu;
		}
		else
		{
			if (u < x)
				a = u;
			else
				b = u;
			if (fu <= fw || w == x)
			{
				v = w;
				fv = fw;
				w = u;
				fw = fu;
			}
			else if (fu <= fv || v == x || v == w)
			{
				v = u;
				fv = fu;
			}
		}
	}
	return x;
}

/*
 * The small-sample inference of Kenward & Roger (1997) for Sigma =
 * sigma^2 R(rho), theta = (sigma^2, rho), after reml_at at the estimate:
 * with M = X'R^-1X, A = R^-1X, D1 and D2 the first and second derivatives
 * of R in rho, G = A'D1A, H = (D1A)'R^-1(D1A), K = A'D2A, their P_i, Q_ij,
 * R_ij reduce to (every sigma^2 term but R_12 cancels)
 *   Phi_A = s2 Minv + 2 Minv [s2 W22 (H - G Minv G - K/4) - W12 G/2] Minv,
 * W the inverse expected information of REML:
 *   I11 = (n - p) / (2 s2^2),  I12 = tr(S D1) / (2 s2),  I22 = tr(S D1 S D1) / 2,
 *   S = R^-1 - A Minv A'.
 * For one contrast c their F test is t with Satterthwaite's df
 *   m = 2 g^2 / (grad g' W grad g),  g = s2 c'Minv c,
 *   grad g = (c'Minv c, s2 c'Minv G Minv c).
 */
typedef struct KR
{
	int			p;
	double		s2;				/* sigma^2 (REML) */
	double		minv[MAX_COLS * MAX_COLS];
	double		g[MAX_COLS * MAX_COLS];
	double		adj[MAX_COLS * MAX_COLS];	/* s2 W22 (H - G Minv G - K/4) - W12 G/2 */
	double		w11,
				w12,
				w22;
} KR;

/* Inverse of the p x p matrix R'R from the triangular factor R left in d->w. */
static void
inverse_rtr(const Design *d, double *minv)
{
	int			n = d->nobs,
				p = d->p;
	double		rinv[MAX_COLS * MAX_COLS] = {0};

	/* R^-1, upper triangular, column by column */
	for (int j = 0; j < p; j++)
		for (int i = j; i >= 0; i--)
		{
			double		v = i == j ? 1.0 : 0.0;

			for (int k = i + 1; k <= j; k++)
				v -= d->w[k * n + i] * rinv[k * p + j];
			rinv[i * p + j] = v / d->w[i * n + i];
		}
	/* Minv = R^-1 R^-T */
	for (int i = 0; i < p; i++)
		for (int j = 0; j < p; j++)
		{
			double		v = 0;

			for (int k = Max(i, j); k < p; k++)
				v += rinv[i * p + k] * rinv[j * p + k];
			minv[i * p + j] = v;
		}
}

/* C = A B for p x p matrices (row-major). */
static void
matmul(int p, const double *a, const double *b, double *c)
{
	for (int i = 0; i < p; i++)
		for (int j = 0; j < p; j++)
		{
			double		v = 0;

			for (int k = 0; k < p; k++)
				v += a[i * p + k] * b[k * p + j];
			c[i * p + j] = v;
		}
}

/* tr(A B) for p x p matrices. */
static double
trace_prod(int p, const double *a, const double *b)
{
	double		v = 0;

	for (int i = 0; i < p; i++)
		for (int k = 0; k < p; k++)
			v += a[i * p + k] * b[k * p + i];
	return v;
}

/* The Kenward–Roger quantities at rho (reml_at must have run at rho; rss its RSS). */
static void
kr_setup(Design *d, double rho, double rss, KR *kr)
{
	int			n = d->nobs,
				p = d->p,
				span = d->pos[n - 1] + 1;
	double	   *d1 = palloc(span * sizeof(double)),
			   *d2 = palloc(span * sizeof(double)),
			   *z = palloc(n * p * sizeof(double)),
			   *am = palloc(n * p * sizeof(double)),
			   *u = palloc0(n * p * sizeof(double)),
			   *du = palloc0(n * p * sizeof(double)),
			   *wu = palloc(n * p * sizeof(double));
	double		h[MAX_COLS * MAX_COLS],
				k[MAX_COLS * MAX_COLS],
				mg[MAX_COLS * MAX_COLS],
				gmg[MAX_COLS * MAX_COLS],
				tr_rd1 = 0,
				tr_e2 = 0,
				i11,
				i12,
				i22,
				det;

	kr->p = p;
	kr->s2 = rss / (n - p);
	inverse_rtr(d, kr->minv);
	/* d/drho rho^k and d2/drho2 rho^k, by lag k */
	for (int l = 0; l < span; l++)
	{
		d1[l] = l == 0 ? 0 : l * pow(rho, l - 1);
		d2[l] = l < 2 ? 0 : (double) l * (l - 1) * pow(rho, l - 2);
	}
	/* A = R^-1 X = W'(W X); U = D1 A, D2A */
	whiten(d, d->a, z, p);
	whiten_t(d, z, am, p);
	for (int i = 0; i < n; i++)
	{
		CHECK_FOR_INTERRUPTS();
		for (int j = 0; j < n; j++)
		{
			int			lag = abs(d->pos[i] - d->pos[j]);

			if (lag == 0)
				continue;
			for (int c = 0; c < p; c++)
			{
				u[c * n + i] += d1[lag] * am[c * n + j];
				du[c * n + i] += d2[lag] * am[c * n + j];
			}
		}
	}
	whiten(d, u, wu, p);
	for (int i = 0; i < p; i++)
		for (int j = 0; j < p; j++)
		{
			double		gv = 0,
						hv = 0,
						kv = 0;

			for (int r = 0; r < n; r++)
			{
				gv += am[i * n + r] * u[j * n + r];
				hv += wu[i * n + r] * wu[j * n + r];
				kv += am[i * n + r] * du[j * n + r];
			}
			kr->g[i * p + j] = gv;
			h[i * p + j] = hv;
			k[i * p + j] = kv;
		}

	/*
	 * tr(R^-1 D1): R^-1 = W'W is tridiagonal and D1 has a zero diagonal;
	 * tr((R^-1 D1)^2) = |W D1 W'|_F^2, entry (i, j) of W D1 W' from four
	 * entries of D1.
	 */
	for (int i = 0; i + 1 < n; i++)
		tr_rd1 -= 2 * d->f[i + 1] * d->s[i + 1] * d->s[i + 1] * d1[d->pos[i + 1] - d->pos[i]];
	for (int i = 0; i < n; i++)
	{
		CHECK_FOR_INTERRUPTS();
		for (int j = 0; j < n; j++)
		{
			/* T(r, j) = (W D1)(r, j) for r = i and the row i - 1 whitened */
#define D1AT(r, c) d1[abs(d->pos[r] - d->pos[c])]
			double		t_ij = i == 0 ? D1AT(0, j) : d->s[i] * (D1AT(i, j) - d->f[i] * D1AT(i - 1, j));
			double		v = t_ij;

			if (j > 0)
			{
				double		t_ij1 = i == 0 ? D1AT(0, j - 1) : d->s[i] * (D1AT(i, j - 1) - d->f[i] * D1AT(i - 1, j - 1));

				v = d->s[j] * (t_ij - d->f[j] * t_ij1);
			}
#undef D1AT
			tr_e2 += v * v;
		}
	}

	matmul(p, kr->minv, kr->g, mg);
	matmul(p, kr->g, mg, gmg);
	i11 = (n - p) / (2 * kr->s2 * kr->s2);
	i12 = (tr_rd1 - trace_prod(p, kr->minv, kr->g)) / (2 * kr->s2);
	i22 = (tr_e2 - 2 * trace_prod(p, kr->minv, h) + trace_prod(p, mg, mg)) / 2;
	det = i11 * i22 - i12 * i12;
	if (!(det > 0))
	{
		/* rho is not identified by the information: no correction, df n - p */
		kr->w11 = 2 * kr->s2 * kr->s2 / (n - p);
		kr->w12 = kr->w22 = 0;
	}
	else
	{
		kr->w11 = i22 / det;
		kr->w12 = -i12 / det;
		kr->w22 = i11 / det;
	}
	for (int i = 0; i < p * p; i++)
		kr->adj[i] = kr->s2 * kr->w22 * (h[i] - gmg[i] - k[i] / 4) - kr->w12 * kr->g[i] / 2;
	pfree(d1);
	pfree(d2);
	pfree(z);
	pfree(am);
	pfree(u);
	pfree(du);
	pfree(wu);
}

typedef struct Estimate
{
	double		point,
				se,				/* Kenward–Roger adjusted */
				df,				/* Satterthwaite */
				lo,
				hi;
} Estimate;

/* The estimate of c'b with its adjusted standard error, df and 95 % interval (in scaled units). */
static Estimate
contrast(const KR *kr, const double *b, const double *c, int nobs)
{
	int			p = kr->p;
	double		v[MAX_COLS],
				cmc = 0,
				vgv = 0,
				vav = 0,
				var,
				g,
				dg1,
				dg2,
				varg,
				q;
	Estimate	e;

	e.point = 0;
	for (int i = 0; i < p; i++)
	{
		e.point += c[i] * b[i];
		v[i] = 0;
		for (int j = 0; j < p; j++)
			v[i] += kr->minv[i * p + j] * c[j];
		cmc += c[i] * v[i];
	}
	for (int i = 0; i < p; i++)
		for (int j = 0; j < p; j++)
		{
			vgv += v[i] * kr->g[i * p + j] * v[j];
			vav += v[i] * kr->adj[i * p + j] * v[j];
		}
	g = kr->s2 * cmc;
	var = g + 2 * vav;
	if (!(var > 0))
		var = g;				/* the correction cannot make a variance vanish */
	dg1 = cmc;
	dg2 = kr->s2 * vgv;
	varg = dg1 * dg1 * kr->w11 + 2 * dg1 * dg2 * kr->w12 + dg2 * dg2 * kr->w22;
	/* at most the residual df, at least 1 */
	e.df = varg > 0 ? 2 * g * g / varg : nobs - p;
	e.df = Max(1.0, Min(e.df, (double) (nobs - p)));
	e.se = sqrt(var);
	q = t_quantile(LEVEL, e.df);
	e.lo = e.point - q * e.se;
	e.hi = e.point + q * e.se;
	return e;
}

/* Coefficients after reml_at: back substitution R b = Q'y. */
static void
coefficients(const Design *d, double *b)
{
	int			n = d->nobs;

	for (int i = d->p - 1; i >= 0; i--)
	{
		double		s = d->w[d->p * n + i];

		for (int k = i + 1; k < d->p; k++)
			s -= d->w[k * n + i] * b[k];
		b[i] = s / d->w[i * n + i];
	}
}

#define RESULT_COLS 27

PG_FUNCTION_INFO_V1(its_final);
/* Final function of its_effect: fit the model and build the its_effect_result (NULL without values). */
Datum
its_final(PG_FUNCTION_ARGS)
{
	ItsState   *st = PG_ARGISNULL(0) ? NULL : (ItsState *) PG_GETARG_POINTER(0);
	const MonthSeries *s;
	TupleDesc	td;
	Datum		v[RESULT_COLS];
	bool		nulls[RESULT_COLS] = {0};
	Design		d;
	KR			kr;
	int32		t0,
				first = -1,
				last = -1,
				last_before = -1,
				first_after = -1;
	int			nbefore = 0,
				nafter = 0,
				per_month[12] = {0},
				n,
				k,
				col = 0;
	bool		seasonal,
				exact;
	double		scale = 0,
				rho,
				crit,
				rss,
				b[MAX_COLS],
				c[MAX_COLS];
	Estimate	est[5];

	if (!AggCheckCallContext(fcinfo, NULL))
		elog(ERROR, "its_final called in non-aggregate context");
	if (st == NULL)
		PG_RETURN_NULL();
	s = &st->s;
	for (int i = 0; i < s->n; i++)
		if (s->count[i] > 0)
		{
			int32		mi = s->first + i;

			if (!isfinite(s->sum[i]))
				ereport(ERROR,
						(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
						 errmsg("the values of month %s sum to %s",
								date_iso(month_date(mi)), float8out_internal(s->sum[i])),
						 errhint("Scale the values down, e.g. to thousands.")));
			if (first < 0)
				first = mi;
			last = mi;
			per_month[mi % 12]++;
			scale = Max(scale, fabs(s->sum[i]));
		}
	if (first < 0)
		PG_RETURN_NULL();
	t0 = month_of(st->intervention);
	if (t0 < first || t0 > last)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("intervention %s is outside the series %s to %s",
						date_iso(st->intervention), date_iso(month_date(first)), date_iso(month_date(last))),
				 errhint("The intervention month is the first month after the measure; it must lie between the first and the last month with values.")));
	for (int i = 0; i < s->n; i++)
		if (s->count[i] > 0)
		{
			if (s->first + i < t0)
			{
				nbefore++;
				last_before = s->first + i;
			}
			else if (nafter++ == 0)
				first_after = s->first + i;
		}
	if (nbefore < MIN_SIDE || nafter < MIN_SIDE)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%d months with values before the intervention %s and %d from it on; at least %d are needed on each side",
						nbefore, date_iso(st->intervention), nafter, MIN_SIDE),
				 errhint("A level and a trend need months on each side of the intervention; two years before and one after are a useful minimum.")));
	n = nbefore + nafter;
	seasonal = n >= MIN_SEASONAL_OBS;
	for (int m = 0; m < 12; m++)
		seasonal &= per_month[m] >= MIN_SEASONAL_EACH;
	/* within a year a trend and a season can trade places: one side must span more than a year */
	seasonal &= last_before - first >= 12 || last - first_after >= 12;

	/* the design: values scaled to at most 1 in magnitude, so squares cannot overflow */
	if (!(scale > 0))
		scale = 1;
	d.nobs = n;
	d.p = NBASE + (seasonal ? 11 : 0);
	d.pos = palloc(n * sizeof(int));
	d.f = palloc(n * sizeof(double));
	d.s = palloc(n * sizeof(double));
	d.a = palloc0(n * (d.p + 1) * sizeof(double));
	d.w = palloc(n * (d.p + 1) * sizeof(double));
	k = 0;
	for (int i = 0; i < s->n; i++)
		if (s->count[i] > 0)
		{
			int32		mi = s->first + i;
			double		t = mi - t0;

			d.pos[k] = mi - first;
			d.a[k] = 1;
			d.a[n + k] = t;
			d.a[2 * n + k] = t >= 0;
			d.a[3 * n + k] = t >= 0 ? t : 0;
			/* month-of-year effects summing to zero over the year (December = minus the others) */
			if (seasonal)
				for (int m = 0; m < 11; m++)
					d.a[(NBASE + m) * n + k] = (mi % 12 == m) - (mi % 12 == 11);
			d.a[d.p * n + k] = s->sum[i] / scale;
			k++;
		}

	/* an exact fit leaves nothing to estimate rho from: rho 0, no spread */
	if (!reml_at(&d, 0.0, &crit, &rss))
		singular_design();
	exact = rss <= 1e-24 * n;
	rho = exact ? 0 : reml_rho(&d);
	if (!reml_at(&d, rho, &crit, &rss))
		singular_design();
	coefficients(&d, b);
	if (exact)
	{
		memset(&kr, 0, sizeof(kr));
		kr.p = d.p;
		inverse_rtr(&d, kr.minv);
	}
	else
		kr_setup(&d, rho, rss, &kr);

	/* level change, trend change, pre-intervention trend, effect at the last month, cumulative effect */
	for (int e = 0; e < 5; e++)
	{
		double		m = last - t0 + 1;	/* months from the intervention month to the last one */

		memset(c, 0, sizeof(c));
		switch (e)
		{
			case 0:
				c[2] = 1;
				break;
			case 1:
				c[3] = 1;
				break;
			case 2:
				c[1] = 1;
				break;
			case 3:
				c[2] = 1;
				c[3] = last - t0;
				break;
			case 4:
				c[2] = m;
				c[3] = m * (m - 1) / 2;
				break;
		}
		est[e] = contrast(&kr, b, c, n);
		est[e].point *= scale;
		est[e].se *= scale;
		est[e].lo *= scale;
		est[e].hi *= scale;
		if (!isfinite(est[e].lo) || !isfinite(est[e].hi))
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("the its_effect estimates overflow"),
					 errhint("Scale the values down, e.g. to thousands.")));
	}

	if (get_call_result_type(fcinfo, NULL, &td) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "its_final must return a composite");
	td = BlessTupleDesc(td);
	v[col++] = DateADTGetDatum(month_date(t0));
	v[col++] = DateADTGetDatum(month_date(first));
	v[col++] = DateADTGetDatum(month_date(last));
	v[col++] = Int32GetDatum(nbefore);
	v[col++] = Int32GetDatum(nafter);
	v[col++] = BoolGetDatum(seasonal);
	v[col++] = Float8GetDatum(rho);
	v[col++] = Float8GetDatum(sqrt(rss / (n - d.p)) * scale);
	for (int e = 0; e < 5; e++)
	{
		v[col++] = Float8GetDatum(est[e].point);
		if (e < 2)
		{
			v[col++] = Float8GetDatum(est[e].se);
			v[col++] = Float8GetDatum(est[e].df);
		}
		v[col++] = Float8GetDatum(est[e].lo);
		v[col++] = Float8GetDatum(est[e].hi);
	}
	if (col != td->natts)
		elog(ERROR, "its_effect_result has %d columns, expected %d", td->natts, col);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(td, v, nulls)));
}
