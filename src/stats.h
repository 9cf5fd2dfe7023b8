/*
 * stats.h — the numerics the models share (stats.c).
 */
#ifndef ACTIONPLAN_STATS_H
#define ACTIONPLAN_STATS_H

/* The standard normal quantile of a two-sided 95 % interval. */
#define Z95 1.9599639845400540

/*
 * Most parameters nelder_mead minimises over: an ETS fit's smoothing and
 * damping parameters, initial level and slope and 11 seasonal states.
 */
#define NM_MAX_DIM 17

/* z with P(Z <= z) = p for a standard normal Z and 0.5 <= p <= 1 (R's qnorm). */
extern double normal_quantile(double p);

/* qt((1 + level) / 2, df): the two-sided level quantile of Student's t, any df > 0. */
extern double t_quantile(double level, double df);

/* The p[j]-quantiles (ascending) of a sample (linear interpolation, R's type 7) into q[j]; reorders v. */
extern void sample_quantiles(double *v, int n, const double *p, int np, double *q);

/* Least-squares line of y[t] on t over the non-NaN t in [0, len); returns their number. */
extern int	ols_line(const double *y, int len, double *a, double *b);

/* Nelder–Mead minimisation of fn over d <= NM_MAX_DIM parameters from x (in place). */
extern double nelder_mead(double (*fn) (const double *, void *, double), void *arg, int d,
						  double *x, double fx, const double *step, int maxeval);

/* Fill z[0 .. n) (n even) with standard normal variates from the seed *s. */
extern void rng_normals(uint64 *s, double *z, int n);

#endif							/* ACTIONPLAN_STATS_H */
