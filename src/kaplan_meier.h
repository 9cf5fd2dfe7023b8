/*
 * kaplan_meier.h — stays counted by length in days as seen from a day
 * (as_of), and the Kaplan–Meier curve over them: the one estimator that
 * stay_survival, stay_effect and placement_forecast read.  kaplan_meier.c
 * has the count table's growth, merge and serialised form.
 */
#ifndef ACTIONPLAN_KAPLAN_MEIER_H
#define ACTIONPLAN_KAPLAN_MEIER_H

#include "lib/stringinfo.h"

/* Stays of one length in days. */
typedef struct LengthCounts
{
	int64		events;			/* ended after exactly this many days */
	int64		censored;		/* open at as_of after this many days */
} LengthCounts;

/* Counts per length 0 .. cap - 1, grown as longer stays come, up to max days. */
typedef struct StayLengths
{
	int32		cap;
	int32		max;
	LengthCounts *n;
} StayLengths;

/* Bytes of one serialised length: int32 days, int64 events, int64 censored. */
#define LENGTH_BYTES 20

/* A table's counts: none yet, lengths up to max days. */
static inline void
lengths_init(StayLengths *t, int32 max)
{
	t->cap = 0;
	t->max = max;
	t->n = NULL;
}

/* Whether length d (< cap) has stays. */
static inline bool
lengths_used_at(const StayLengths *t, int32 d)
{
	return t->n[d].events != 0 || t->n[d].censored != 0;
}

extern bool lengths_add(MemoryContext cxt, StayLengths *t, int32 days, int64 events, int64 censored);
extern int64 lengths_total(const StayLengths *t);
extern void lengths_send(StringInfo buf, const StayLengths *t);
extern int64 lengths_recv(StringInfo buf, MemoryContext cxt, StayLengths *t,
						  void (*invalid) (const char *detail));

/*
 * A walk along a Kaplan–Meier curve in increasing length: the stays still at
 * risk and S after the lengths passed.
 */
typedef struct KmWalk
{
	int64		at_risk;
	double		surv;
	bool		to_zero;		/* S has fallen to 0: no stay was left at risk */
} KmWalk;

/* Start a walk over `total` stays, S = 1. */
static inline void
km_start(KmWalk *w, int64 total)
{
	w->at_risk = total;
	w->surv = 1.0;
	w->to_zero = false;
}

/*
 * Step past the stays of one length: S falls by the factor (n - d) / n of
 * its events; returns Greenwood's term d / (n (n - d)) of the variance of
 * log S, 0 without events and where S falls to 0 (the caller decides what
 * an exhausted curve's variance is).
 */
static inline double
km_step(KmWalk *w, int64 events, int64 censored)
{
	double		g = 0.0;

	if (events > 0)
	{
		double		n = (double) w->at_risk,
					d = (double) events;

		w->surv *= (n - d) / n;
		if (n > d)
			g = d / (n * (n - d));
		else
			w->to_zero = true;
	}
	w->at_risk -= events + censored;
	return g;
}

#endif							/* ACTIONPLAN_KAPLAN_MEIER_H */
