/*
 * forecast.h — what the forecast layers share (internal, not installed):
 * the methods, a series prepared for fitting, the fitted components and the
 * forecast_model type.  forecast_ets.c estimates components, forecast_model.c
 * is the type (checks, text and binary I/O), forecast.c the aggregates,
 * the fit of a method and the forecasts with their intervals.
 */
#ifndef ACTIONPLAN_FORECAST_H
#define ACTIONPLAN_FORECAST_H

#include "fmgr.h"

#define SEASON 12				/* months in a season */
#define MIN_SEASONAL_OBS 24		/* fewest observed months for seasonality */
#define SHORT_SPAN 36			/* shorter series: seasonal ETS initial states by maximum likelihood */
#define METHOD_LEN 16
#define MAX_COMP 3
#define MAX_CALIB 10.0			/* widest interval calibration factor */

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

/* A monthly series prepared for fitting. */
typedef struct Data
{
	double	   *y;				/* scaled values, NaN where missing */
	int			n;				/* span in months */
	int			nobs;			/* observed months */
	int			c0;				/* calendar month (0..11) of y[0] */
	bool		positive;		/* every observed value > 0 */
} Data;

/* A fitted component, in the series' own units. */
typedef struct Component
{
	int32		kind;			/* KIND_ETS, KIND_THETA or KIND_DAMPED */
	char		error;			/* 'A'/'M' */
	char		trend;			/* 'N', 'A', 'D' */
	char		season;			/* ETS: its seasonality; theta/damped: the adjustment ('N', 'A', 'M') */
	char		logged;			/* theta/damped: 1 = fitted to the log of the adjusted series (0 before 0.2.0) */
	int32		nobs;
	float4		calib;			/* interval calibration factor; 0 = none (models of 0.1.0) */
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

/* The forecast_model value: the fitted components of a method and the series' calendar. */
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

#define PG_GETARG_MODEL(n) ((ForecastModel *) PG_DETOAST_DATUM(PG_GETARG_DATUM(n)))

/* forecast_ets.c: the ETS model of a method (pinned, or the best by AICc). */
extern bool ets_choose(const Data *d, const Method *m, Component *best);

/* forecast_ets.c: theta (KIND_THETA) or the damped trend (KIND_DAMPED) on the adjusted series. */
extern bool adjusted_fit(const Data *d, int kind, Component *out);

/*
 * forecast_ets.c: component c's model fitted to d (part of its series), started from warm if not NULL;
 * short_span: the whole series is shorter than SHORT_SPAN (fit as ets_choose fitted it).
 */
extern bool component_refit(const Data *d, const Component *c, const Component *warm, bool short_span,
							Component *out);

/* forecast_model.c: why a model is out of range for the type, or NULL. */
extern const char *model_check(const ForecastModel *fm);

#endif							/* ACTIONPLAN_FORECAST_H */
