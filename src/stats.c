/*
 * stats.c — the numerics the models share: normal and Student t quantiles,
 * the least-squares line, Nelder–Mead, sample quantiles and the generator of
 * the simulations.  No SQL-callable functions live here.
 */
#include "postgres.h"

#include <math.h>

#include "utils/float.h"

#include "stats.h"

/* ---------- quantiles ---------- */

/*
 * z with P(Z <= z) = p for a standard normal Z and 0.5 <= p <= 1, as R's
 * qnorm(p): Newton steps on the upper tail 1 - p = erfc(z/√2)/2 from a
 * rational first guess, to full double precision.
 */
double
normal_quantile(double p)
{
	double		tail = 1.0 - p; /* exact for p in [0.5, 1] */
	double		t,
				z;

	if (tail <= 0.0)
		return get_float8_infinity();
	if (tail >= 0.5)
		return 0.0;
	t = sqrt(-2.0 * log(tail));
	z = t - (2.515517 + t * (0.802853 + t * 0.010328)) /
		(1.0 + t * (1.432788 + t * (0.189269 + t * 0.001308)));
	for (int i = 0; i < 50; i++)
	{
		double		f = 0.5 * erfc(z * M_SQRT1_2) - tail;
		double		step = f / (exp(-0.5 * z * z) / sqrt(2.0 * M_PI));

		z += step;
		if (fabs(step) <= 1e-16 * z)
			break;
	}
	return z;
}

/*
 * Continued fraction of the regularised incomplete beta function I_x(a, b)
 * (modified Lentz), good for x < (a + 1) / (a + b + 2).
 */
static double
beta_cf(double a, double b, double x)
{
	const double tiny = 1e-300;
	double		c = 1.0,
				d = 1.0 - (a + b) * x / (a + 1.0),
				h;

	d = 1.0 / (fabs(d) < tiny ? tiny : d);
	h = d;
	for (int m = 1; m <= 10000; m++)
	{
		double		num,
					delta;

		/* even step: m (b - m) x / ((a + 2m - 1)(a + 2m)) */
		num = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m));
		d = 1.0 + num * d;
		c = 1.0 + num / c;
		d = 1.0 / (fabs(d) < tiny ? tiny : d);
		c = fabs(c) < tiny ? tiny : c;
		h *= d * c;
		/* odd step: -(a + m)(a + b + m) x / ((a + 2m)(a + 2m + 1)) */
		num = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1));
		d = 1.0 + num * d;
		c = 1.0 + num / c;
		d = 1.0 / (fabs(d) < tiny ? tiny : d);
		c = fabs(c) < tiny ? tiny : c;
		delta = d * c;
		h *= delta;
		if (fabs(delta - 1.0) < 1e-16)
			break;
	}
	return h;
}

/* Regularised incomplete beta function I_x(a, b) for 0 <= x <= 1, a, b > 0. */
static double
beta_inc(double a, double b, double x)
{
	double		front;

	if (x <= 0)
		return 0;
	if (x >= 1)
		return 1;
	front = exp(a * log(x) + b * log1p(-x) - (lgamma(a) + lgamma(b) - lgamma(a + b)));
	if (x < (a + 1) / (a + b + 2))
		return front * beta_cf(a, b, x) / a;
	return 1.0 - front * beta_cf(b, a, 1.0 - x) / b;
}

/* qt((1 + level) / 2, df): the two-sided level quantile of Student's t, any df > 0. */
double
t_quantile(double level, double df)
{
	/* P(|T| > t) = I_x(df/2, 1/2) with x = df / (df + t^2), falling in t: bisect on x */
	double		lo = 0.0,
				hi = 1.0,
				x;

	for (int i = 0; i < 200 && hi - lo > 1e-17; i++)
	{
		x = 0.5 * (lo + hi);
		if (beta_inc(df / 2, 0.5, x) > 1.0 - level)
			hi = x;
		else
			lo = x;
	}
	x = 0.5 * (lo + hi);
	return sqrt(df * (1.0 - x) / x);
}

/* Partially order v so that v[k] is the k-th smallest (Hoare's selection). */
static void
select_kth(double *v, int n, int k)
{
	int			lo = 0,
				hi = n - 1;

	while (lo < hi)
	{
		double		pivot = v[(lo + hi) / 2];
		int			i = lo,
					j = hi;

		while (i <= j)
		{
			while (v[i] < pivot)
				i++;
			while (v[j] > pivot)
				j--;
			if (i <= j)
			{
				double		t = v[i];

				v[i++] = v[j];
				v[j--] = t;
			}
		}
		if (k <= j)
			hi = j;
		else if (k >= i)
			lo = i;
		else
			return;
	}
}

/*
 * The p[j]-quantiles of a sample (linear interpolation, R's type 7) into
 * q[j], for np probabilities in ascending order; reorders v.  Each
 * quantile lies between the values of ranks i and i + 1: the selection
 * takes whichever of the two leaves the shorter side to scan for the other
 * (i + 1 below the median, i above), and searches only above the one
 * before, so that four quantiles cost little more than one.
 */
void
sample_quantiles(double *v, int n, const double *p, int np, double *q)
{
	int			part = 0;		/* v is partitioned at part: ranks part.. are at part.. */

	for (int k = 0; k < np; k++)
	{
		double		h = (n - 1) * p[k],
					cur,
					next;
		int			i = (int) floor(h),
					j = i + 1 < n && p[k] < 0.5 ? i + 1 : i,
					lo = part;

		/* rank j from the part of v that holds it */
		if (j >= part)
			select_kth(v + part, n - part, j - part);
		else
		{
			select_kth(v, part, j);
			lo = 0;
		}
		part = j;
		if (i >= n - 1)
		{
			q[k] = v[i];
			continue;
		}
		if (j == i + 1)
		{
			/* rank i: the largest before j, from the start of what was searched */
			next = v[j];
			if (i < lo)
				lo = 0;
			cur = v[lo];
			for (int m = lo + 1; m <= i; m++)
				cur = Max(cur, v[m]);
		}
		else
		{
			cur = v[i];
			next = v[i + 1];
			for (int m = i + 2; m < n; m++)
				next = Min(next, v[m]);
		}
		q[k] = cur + (h - i) * (next - cur);
	}
}

/* ---------- fitting ---------- */

/* Ordinary least squares of y[t] on t over the observed t in [0, len): intercept at t = 0 and slope. */
int
ols_line(const double *y, int len, double *a, double *b)
{
	double		st = 0,
				sy = 0,
				stt = 0,
				sty = 0;
	int			k = 0;

	for (int t = 0; t < len; t++)
		if (!isnan(y[t]))
		{
			st += t;
			sy += y[t];
			stt += (double) t * t;
			sty += t * y[t];
			k++;
		}
	if (k == 0)
	{
		*a = *b = 0;
		return 0;
	}
	if (k == 1 || stt * k - st * st <= 0)
	{
		*a = sy / k;
		*b = 0;
		return k;
	}
	*b = (k * sty - st * sy) / (k * stt - st * st);
	*a = (sy - *b * st) / k;
	return k;
}

/*
 * Nelder–Mead minimisation of fn from x (in place) with initial steps;
 * returns the minimum.  fx is fn at x when the caller knows it (a restart
 * from an earlier minimum), NaN otherwise.  fn(x, arg, bound) may return
 * any value >= bound in place of its value when that is >= bound: a trial
 * point is only compared with a bound (the worst vertex, the reflected
 * point), and bound is +inf where the value is kept.
 */
double
nelder_mead(double (*fn) (const double *, void *, double), void *arg, int d,
			double *x, double fx, const double *step, int maxeval)
{
	double		inf = get_float8_infinity();
	double		p[NM_MAX_DIM + 1][NM_MAX_DIM],
				f[NM_MAX_DIM + 1],
				c[NM_MAX_DIM],
				xr[NM_MAX_DIM],
				xe[NM_MAX_DIM];
	int			evals = 0;

	Assert(d >= 1 && d <= NM_MAX_DIM);
	for (int i = 0; i <= d; i++)
	{
		memcpy(p[i], x, d * sizeof(double));
		if (i > 0)
			p[i][i - 1] += step[i - 1];
		/* a known fx counts as an evaluation: the same budget either way */
		f[i] = i == 0 && !isnan(fx) ? fx : fn(p[i], arg, inf);
		evals++;
	}
	for (;;)
	{
		int			hi = 0,
					lo = 0,
					nh = 0;
		double		fr,
					fe;

		for (int i = 1; i <= d; i++)
		{
			if (f[i] > f[hi])
				hi = i;
			if (f[i] < f[lo])
				lo = i;
		}
		nh = lo;
		for (int i = 0; i <= d; i++)
			if (i != hi && f[i] > f[nh])
				nh = i;
		if (evals >= maxeval ||
			(isfinite(f[hi]) && f[hi] - f[lo] <= 1e-8 * (fabs(f[lo]) + 1e-8)))
		{
			memcpy(x, p[lo], d * sizeof(double));
			return f[lo];
		}
		for (int j = 0; j < d; j++)
		{
			c[j] = 0;
			for (int i = 0; i <= d; i++)
				if (i != hi)
					c[j] += p[i][j];
			c[j] /= d;
		}
		for (int j = 0; j < d; j++)
			xr[j] = c[j] + (c[j] - p[hi][j]);
		/* at or above the worst: contracted inside whatever its value */
		fr = fn(xr, arg, f[hi]);
		evals++;
		if (fr < f[lo])
		{
			for (int j = 0; j < d; j++)
				xe[j] = c[j] + 2.0 * (c[j] - p[hi][j]);
			fe = fn(xe, arg, fr);
			evals++;
			if (fe < fr)
			{
				memcpy(p[hi], xe, d * sizeof(double));
				f[hi] = fe;
			}
			else
			{
				memcpy(p[hi], xr, d * sizeof(double));
				f[hi] = fr;
			}
		}
		else if (fr < f[nh])
		{
			memcpy(p[hi], xr, d * sizeof(double));
			f[hi] = fr;
		}
		else
		{
			/* contract towards the better of the reflected and the worst point */
			bool		outside = fr < f[hi];
			double		fc;

			for (int j = 0; j < d; j++)
				xe[j] = outside ? c[j] + 0.5 * (xr[j] - c[j]) : c[j] + 0.5 * (p[hi][j] - c[j]);
			fc = fn(xe, arg, Min(fr, f[hi]));
			evals++;
			if (fc < Min(fr, f[hi]))
			{
				memcpy(p[hi], xe, d * sizeof(double));
				f[hi] = fc;
			}
			else
			{
				for (int i = 0; i <= d; i++)
				{
					if (i == lo)
						continue;
					for (int j = 0; j < d; j++)
						p[i][j] = p[lo][j] + 0.5 * (p[i][j] - p[lo][j]);
					f[i] = fn(p[i], arg, inf);
					evals++;
				}
			}
		}
	}
}

/* ---------- simulation ---------- */

/* splitmix64: a small deterministic generator for the simulations. */
static uint64
rng_next(uint64 *s)
{
	uint64		z = (*s += UINT64CONST(0x9E3779B97F4A7C15));

	z = (z ^ (z >> 30)) * UINT64CONST(0xBF58476D1CE4E5B9);
	z = (z ^ (z >> 27)) * UINT64CONST(0x94D049BB133111EB);
	return z ^ (z >> 31);
}

/* Fill z[0 .. n) (n even) with standard normal variates (Box–Muller, both of each pair). */
void
rng_normals(uint64 *s, double *z, int n)
{
	for (int i = 0; i + 1 < n; i += 2)
	{
		double		u1 = ((rng_next(s) >> 11) + 0.5) / 9007199254740992.0,
					u2 = (rng_next(s) >> 11) / 9007199254740992.0,
					r = sqrt(-2.0 * log(u1));

		z[i] = r * cos(2.0 * M_PI * u2);
		z[i + 1] = r * sin(2.0 * M_PI * u2);
	}
}
