/*
 * survival.c — stay survival curves (Kaplan–Meier) of placement lengths.
 *
 * A stay is a daterange [start, end): the arrival day is a care day, the
 * departure day is not, so its length in care days is end - start.  Seen at
 * as_of, a stay with end <= as_of has ended (an event at end - start days);
 * a stay still open at as_of (no end, or end > as_of) is censored at
 * as_of - start days (it is known to last longer than that); a stay that
 * starts after as_of is left out.
 *
 * stay_survival(stay, as_of) counts events and censorings per duration day:
 * a dense array for durations below SURV_DENSE_MAX days, a hash beyond, so
 * memory grows with the longest stay, never with the number of rows, and
 * two states merge exactly by adding counts.  The result is a
 * survival_curve: as_of and the distinct durations, each with its number of
 * events and censorings.  Accessors compute the Kaplan–Meier estimate, its
 * log-scale Greenwood confidence interval, the median and the expected
 * remaining care days exactly as R's survival::survfit does.
 *
 * Text form (documented in survival.sql):
 *     2024-06-30|1:3/0,7:1/2,30:0/5
 * as_of in ISO form (independent of DateStyle), a bar, then days:events/
 * censored for each distinct duration in increasing order.
 */
#include "postgres.h"

#include <float.h>
#include <math.h>

#include "access/htup_details.h"
#include "common/int.h"
#include "datatype/timestamp.h"
#include "fmgr.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/float.h"
#include "utils/hsearch.h"
#include "utils/lsyscache.h"
#include "utils/rangetypes.h"
#include "utils/typcache.h"

#include "aggutil.h"
#include "kaplan_meier.h"
#include "stats.h"
#include "stay.h"

/* ---------- the survival_curve type ---------- */

/* One distinct duration of a curve. */
typedef struct SurvPoint
{
	int64		events;			/* stays that ended after exactly `days` */
	int64		censored;		/* stays open at as_of after `days` */
	int32		days;			/* duration in care days, >= 0 */
	int32		pad;			/* always zero */
} SurvPoint;

/* The varlena value: points sorted by days, no duplicates, none all-zero. */
typedef struct SurvivalCurve
{
	int32		vl_len_;		/* varlena header (do not touch directly) */
	DateADT		as_of;			/* finite observation date */
	int32		npoints;
	int32		pad;			/* always zero */
	SurvPoint	points[FLEXIBLE_ARRAY_MEMBER];
} SurvivalCurve;

#define SURV_HDRSZ			offsetof(SurvivalCurve, points)
#define SURV_MAX_POINTS		((int64) ((MaxAllocSize - SURV_HDRSZ) / sizeof(SurvPoint)))
#define SURV_BIN_VERSION	1
#define SURV_BIN_POINT		20	/* int32 days + int64 events + int64 censored */
#define PG_GETARG_SURVIVAL_CURVE(n) \
	((SurvivalCurve *) PG_DETOAST_DATUM(PG_GETARG_DATUM(n)))

/* Smallest valid date value (4714-11-24 BC). */
#define SURV_MIN_DATE		(DATETIME_MIN_JULIAN - POSTGRES_EPOCH_JDATE)

/* Durations below this many days are counted in a dense array. */
#define SURV_DENSE_MAX		65536

#define SURV_TEXT_HINT \
	"Write as_of|days:events/censored,... with durations in increasing order, e.g. '2024-06-30|1:3/0,7:1/2,30:0/5'."

/* Raise 54000 for a curve with more points than fit in one value. */
static void
pg_attribute_noreturn()
too_many_points(int64 n)
{
	ereport(ERROR,
			(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
			 errmsg("survival curve with %lld distinct durations is too large",
					(long long) n),
			 errhint("A curve holds at most %lld distinct durations.",
					 (long long) SURV_MAX_POINTS)));
	pg_unreachable();
}

/* A new curve with room for n points, zeroed. */
static SurvivalCurve *
curve_alloc(DateADT as_of, int64 n)
{
	SurvivalCurve *c;

	if (n > SURV_MAX_POINTS)
		too_many_points(n);
	c = palloc0(SURV_HDRSZ + n * sizeof(SurvPoint));
	SET_VARSIZE(c, SURV_HDRSZ + n * sizeof(SurvPoint));
	c->as_of = as_of;
	c->npoints = (int32) n;
	return c;
}

/* Is d a finite, valid date? */
static inline bool
date_ok(DateADT d)
{
	return !DATE_NOT_FINITE(d) && IS_VALID_DATE(d);
}

/* Longest duration a stay observed at as_of can have (its start is a valid date). */
static inline int64
max_days_at(DateADT as_of)
{
	return (int64) as_of - SURV_MIN_DATE;
}

/*
 * Validation of a curve's points as they are read, shared by text input
 * (22P02), binary input and state deserialisation (22P03).
 */
typedef struct CurveCheck
{
	int			sqlstate;
	const char *input;			/* text input for messages, or NULL */
	int64		max_days;
	int64		prev_days;		/* -1 before the first point */
	int64		total;			/* stays so far */
} CurveCheck;

/* Raise a validation error about a curve. */
static void
pg_attribute_noreturn()
curve_invalid(const CurveCheck *cc, const char *detail)
{
	if (cc->input != NULL)
	{
		/* name the offending input, shortened when it is long */
		char	   *shown = pnstrdup(cc->input, 60);

		ereport(ERROR,
				(errcode(cc->sqlstate),
				 errmsg("invalid input syntax for type survival_curve: \"%s%s\"",
						shown, strlen(cc->input) > 60 ? "..." : ""),
				 errdetail_internal("%s", detail),
				 errhint(SURV_TEXT_HINT)));
	}
	ereport(ERROR,
			(errcode(cc->sqlstate),
			 errmsg("invalid binary survival_curve: %s", detail),
			 errhint("Binary survival_curve is a version byte 1, as_of (int4 date), "
					 "the number of durations (int4), then days (int4), events (int8) "
					 "and censored (int8) for each, durations increasing.")));
	pg_unreachable();
}

/* Check one point (in order) and count its stays. */
static void
curve_check_point(CurveCheck *cc, int64 days, int64 events, int64 censored)
{
	if (days < 0)
		curve_invalid(cc, psprintf("Duration %lld days is negative.", (long long) days));
	if (days > cc->max_days)
		curve_invalid(cc, psprintf("Duration %lld days is longer than any stay "
								   "observed at as_of can be (at most %lld days).",
								   (long long) days, (long long) cc->max_days));
	if (days <= cc->prev_days)
		curve_invalid(cc, psprintf(days == cc->prev_days ?
								   "Duration %lld days is listed twice." :
								   "Duration %lld days comes after %lld days; durations must increase.",
								   (long long) days, (long long) cc->prev_days));
	if (events < 0 || censored < 0)
		curve_invalid(cc, psprintf("Duration %lld days has a negative count (%lld events, %lld censored).",
								   (long long) days, (long long) events,
								   (long long) censored));
	if (events == 0 && censored == 0)
		curve_invalid(cc, psprintf("Duration %lld days has no stays; leave it out.",
								   (long long) days));
	if (days == 0 && events > 0)
		curve_invalid(cc, psprintf("%lld events at 0 days: a stay that ended has at least one care day.",
								   (long long) events));
	if (pg_add_s64_overflow(cc->total, events, &cc->total) ||
		pg_add_s64_overflow(cc->total, censored, &cc->total))
		curve_invalid(cc, psprintf("The number of stays exceeds %lld at duration %lld days.",
								   (long long) PG_INT64_MAX, (long long) days));
	cc->prev_days = days;
}

/* Total number of stays in a curve (validated curves cannot overflow). */
static int64
curve_total(const SurvivalCurve *c)
{
	int64		total = 0;

	for (int i = 0; i < c->npoints; i++)
		total += c->points[i].events + c->points[i].censored;
	return total;
}

/* ---------- text I/O ---------- */

/* Skip ASCII white space. */
static const char *
skip_ws(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	return p;
}

/* Where a text parse stopped, for messages: "at \"...\"" or "at the end". */
static char *
text_at(const char *p)
{
	if (*p == '\0')
		return "at the end";
	return psprintf("at \"%s%s\"", pnstrdup(p, 30), strlen(p) > 30 ? "..." : "");
}

/* Parse an unsigned decimal integer; NULL if there are no digits. */
static const char *
parse_count(const char *p, int64 *out, const CurveCheck *cc, const char *what)
{
	const char *start = p;
	int64		v = 0;

	if (*p == '-' && p[1] >= '0' && p[1] <= '9')
		curve_invalid(cc, psprintf("The %s \"%s\" is negative.", what,
								   pnstrdup(p, strspn(p + 1, "0123456789") + 1)));
	while (*p >= '0' && *p <= '9')
	{
		if (pg_mul_s64_overflow(v, 10, &v) || pg_add_s64_overflow(v, *p - '0', &v))
		{
			size_t		len = strspn(start, "0123456789");

			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("value \"%s\" is out of range for a %s in type survival_curve",
							pnstrdup(start, Min(len, 40)), what),
					 errhint("Counts and durations must fit in a bigint.")));
		}
		p++;
	}
	if (p == start)
		return NULL;
	*out = v;
	return p;
}

/* Parse an ISO date YYYY-MM-DD with an optional " BC"; false if malformed. */
static bool
parse_iso_date(const char **pp, DateADT *out)
{
	const char *p = *pp;
	int64		y = 0;
	int			m = 0,
				d = 0,
				n;

	for (n = 0; *p >= '0' && *p <= '9' && n < 8; n++, p++)
		y = y * 10 + (*p - '0');
	if (n < 4 || y == 0 || *p != '-')
		return false;
	p++;
	for (n = 0; *p >= '0' && *p <= '9' && n < 2; n++, p++)
		m = m * 10 + (*p - '0');
	if (n != 2 || *p != '-')
		return false;
	p++;
	for (n = 0; *p >= '0' && *p <= '9' && n < 2; n++, p++)
		d = d * 10 + (*p - '0');
	if (n != 2 || (*p >= '0' && *p <= '9'))
		return false;
	{
		const char *q = skip_ws(p);

		if ((q[0] == 'B' || q[0] == 'b') && (q[1] == 'C' || q[1] == 'c'))
		{
			if (y == 0)
				return false;
			y = 1 - y;			/* 1 BC is year 0 */
			p = q + 2;
		}
	}
	if (m < 1 || m > 12 || d < 1 || d > day_tab[isleap(y) ? 1 : 0][m - 1])
		return false;
	if (!IS_VALID_JULIAN(y, m, d))
		return false;
	{
		int64		v = (int64) date2j((int) y, m, d) - POSTGRES_EPOCH_JDATE;

		if (!IS_VALID_DATE(v))
			return false;
		*out = (DateADT) v;
	}
	*pp = p;
	return true;
}

PG_FUNCTION_INFO_V1(survival_curve_in);
/* Text input: 'as_of|days:events/censored,...', validated. */
Datum
survival_curve_in(PG_FUNCTION_ARGS)
{
	char	   *s = PG_GETARG_CSTRING(0);
	const char *p = skip_ws(s);
	CurveCheck	cc = {ERRCODE_INVALID_TEXT_REPRESENTATION, s, 0, -1, 0};
	DateADT		as_of;
	SurvPoint  *pts;
	int64		n = 0,
				cap = 16;
	SurvivalCurve *c;

	if (!parse_iso_date(&p, &as_of))
		curve_invalid(&cc, psprintf("It does not start with a finite as_of date in ISO form (YYYY-MM-DD): \"%s\".",
									pnstrdup(p, 30)));
	cc.max_days = max_days_at(as_of);
	p = skip_ws(p);
	if (*p != '|')
		curve_invalid(&cc, "A \"|\" must follow the as_of date.");
	p = skip_ws(p + 1);
	pts = palloc(cap * sizeof(SurvPoint));
	while (*p != '\0')
	{
		int64		days,
					ev,
					cens;
		const char *q;

		CHECK_FOR_INTERRUPTS();
		if ((q = parse_count(p, &days, &cc, "duration")) == NULL)
			curve_invalid(&cc, psprintf("Expected a duration in days %s.", text_at(p)));
		p = skip_ws(q);
		if (*p != ':')
			curve_invalid(&cc, psprintf("Expected \":\" after duration %lld %s.",
										(long long) days, text_at(p)));
		p = skip_ws(p + 1);
		if ((q = parse_count(p, &ev, &cc, "number of events")) == NULL)
			curve_invalid(&cc, psprintf("Expected the number of events of duration %lld %s.",
										(long long) days, text_at(p)));
		p = skip_ws(q);
		if (*p != '/')
			curve_invalid(&cc, psprintf("Expected \"/\" after the events of duration %lld %s.",
										(long long) days, text_at(p)));
		p = skip_ws(p + 1);
		if ((q = parse_count(p, &cens, &cc, "number censored")) == NULL)
			curve_invalid(&cc, psprintf("Expected the number censored at duration %lld %s.",
										(long long) days, text_at(p)));
		p = skip_ws(q);
		curve_check_point(&cc, days, ev, cens);
		if (n == cap)
		{
			if (cap >= SURV_MAX_POINTS)
				too_many_points(cap + 1);
			cap = Min(cap * 2, SURV_MAX_POINTS);
			pts = repalloc_huge(pts, cap * sizeof(SurvPoint));
		}
		pts[n].days = (int32) days;
		pts[n].events = ev;
		pts[n].censored = cens;
		pts[n].pad = 0;
		n++;
		if (*p == ',')
		{
			p = skip_ws(p + 1);
			if (*p == '\0')
				curve_invalid(&cc, "A \",\" at the end must be followed by a duration.");
		}
		else if (*p != '\0')
			curve_invalid(&cc, psprintf("Expected \",\" or the end after duration %lld %s.",
										(long long) days, text_at(p)));
	}
	c = curve_alloc(as_of, n);
	if (n > 0)
		memcpy(c->points, pts, n * sizeof(SurvPoint));
	pfree(pts);
	PG_RETURN_POINTER(c);
}

PG_FUNCTION_INFO_V1(survival_curve_out);
/* Text output: '2024-06-30|1:3/0,7:1/2', durations increasing. */
Datum
survival_curve_out(PG_FUNCTION_ARGS)
{
	SurvivalCurve *c = PG_GETARG_SURVIVAL_CURVE(0);
	StringInfoData buf;

	initStringInfo(&buf);
	appendStringInfo(&buf, "%s|", date_iso(c->as_of));
	for (int i = 0; i < c->npoints; i++)
	{
		CHECK_FOR_INTERRUPTS();
		appendStringInfo(&buf, "%s%d:" INT64_FORMAT "/" INT64_FORMAT,
						 i > 0 ? "," : "", c->points[i].days,
						 c->points[i].events, c->points[i].censored);
	}
	PG_RETURN_CSTRING(buf.data);
}

/* ---------- binary I/O ---------- */

/* Read a binary curve from buf (all of it), validated; 22P03 when bad. */
static SurvivalCurve *
curve_from_binary(StringInfo buf)
{
	CurveCheck	cc = {ERRCODE_INVALID_BINARY_REPRESENTATION, NULL, 0, -1, 0};
	int			version;
	DateADT		as_of;
	int32		n;
	int64		left;
	SurvivalCurve *c;

	if (buf->len - buf->cursor < 9)
		curve_invalid(&cc, psprintf("%d bytes is too short: at least 9 are needed.",
									buf->len - buf->cursor));
	version = pq_getmsgbyte(buf);
	if (version != SURV_BIN_VERSION)
		curve_invalid(&cc, psprintf("Unknown format version %d (expected %d).",
									version, SURV_BIN_VERSION));
	as_of = (DateADT) pq_getmsgint(buf, 4);
	if (!date_ok(as_of))
		curve_invalid(&cc, psprintf("as_of %d is not a finite date.", (int) as_of));
	n = (int32) pq_getmsgint(buf, 4);
	left = buf->len - buf->cursor;
	if (n < 0)
		curve_invalid(&cc, psprintf("Negative number of durations %d.", n));
	if ((int64) n * SURV_BIN_POINT != left)
		curve_invalid(&cc, psprintf("%d durations need %lld bytes, but %lld follow.",
									n, (long long) n * SURV_BIN_POINT, (long long) left));
	cc.max_days = max_days_at(as_of);
	c = curve_alloc(as_of, n);
	for (int i = 0; i < n; i++)
	{
		int64		days = (int32) pq_getmsgint(buf, 4);
		int64		ev = pq_getmsgint64(buf);
		int64		cens = pq_getmsgint64(buf);

		CHECK_FOR_INTERRUPTS();
		curve_check_point(&cc, days, ev, cens);
		c->points[i].days = (int32) days;
		c->points[i].events = ev;
		c->points[i].censored = cens;
	}
	return c;
}

/* Write a curve in binary form into buf. */
static void
curve_to_binary(const SurvivalCurve *c, StringInfo buf)
{
	pq_sendbyte(buf, SURV_BIN_VERSION);
	pq_sendint32(buf, (uint32) c->as_of);
	pq_sendint32(buf, (uint32) c->npoints);
	for (int i = 0; i < c->npoints; i++)
	{
		CHECK_FOR_INTERRUPTS();
		pq_sendint32(buf, (uint32) c->points[i].days);
		pq_sendint64(buf, c->points[i].events);
		pq_sendint64(buf, c->points[i].censored);
	}
}

PG_FUNCTION_INFO_V1(survival_curve_recv);
/* Binary input, validated like text input (22P03 when bad). */
Datum
survival_curve_recv(PG_FUNCTION_ARGS)
{
	PG_RETURN_POINTER(curve_from_binary((StringInfo) PG_GETARG_POINTER(0)));
}

PG_FUNCTION_INFO_V1(survival_curve_send);
/* Binary output: version, as_of, count, then (days, events, censored). */
Datum
survival_curve_send(PG_FUNCTION_ARGS)
{
	SurvivalCurve *c = PG_GETARG_SURVIVAL_CURVE(0);
	StringInfoData buf;

	pq_begintypsend(&buf);
	curve_to_binary(c, &buf);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* ---------- aggregate state: counts per duration day ---------- */

typedef struct SurvSparseEntry
{
	int32		days;			/* hash key */
	LengthCounts c;
} SurvSparseEntry;

typedef struct SurvState
{
	DateADT		as_of;
	StayLengths dense;			/* durations below SURV_DENSE_MAX */
	HTAB	   *sparse;			/* durations >= SURV_DENSE_MAX, or NULL */
	MemoryContext ctx;			/* where the state lives */
} SurvState;

/* A new, empty state in ctx. */
static SurvState *
state_new(MemoryContext ctx, DateADT as_of)
{
	SurvState  *st = MemoryContextAllocZero(ctx, sizeof(SurvState));

	st->as_of = as_of;
	lengths_init(&st->dense, SURV_DENSE_MAX - 1);
	st->ctx = ctx;
	return st;
}

/* Raise 22023 for groups that mix as_of dates. */
static void
pg_attribute_noreturn()
as_of_mismatch(DateADT have, DateADT got)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("as_of %s differs from as_of %s earlier in the same group",
					date_iso(got), date_iso(have)),
			 errhint("A survival curve is seen from one as_of date: pass the same "
					 "as_of for every row of a group (or group by it).")));
	pg_unreachable();
}

/* Raise 22003 for more stays of one duration than a bigint counts. */
static void
pg_attribute_noreturn()
stays_overflow(int32 days)
{
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("more than %lld stays of %d days in one survival curve",
					(long long) PG_INT64_MAX, days),
			 errhint("Counts of a survival curve must fit in a bigint.")));
	pg_unreachable();
}

/* Add counts for one duration to a state, checking overflow. */
static void
state_add(SurvState *st, int32 days, int64 events, int64 censored)
{
	LengthCounts *c;

	if (days < SURV_DENSE_MAX)
	{
		if (!lengths_add(st->ctx, &st->dense, days, events, censored))
			stays_overflow(days);
		return;
	}
	else
	{
		SurvSparseEntry *e;
		bool		found;

		if (st->sparse == NULL)
		{
			HASHCTL		hc;

			hc.keysize = sizeof(int32);
			hc.entrysize = sizeof(SurvSparseEntry);
			hc.hcxt = st->ctx;
			st->sparse = hash_create("stay_survival long durations", 64, &hc,
									 HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
		}
		e = hash_search(st->sparse, &days, HASH_ENTER, &found);
		if (!found)
			e->c.events = e->c.censored = 0;
		c = &e->c;
	}
	if (pg_add_s64_overflow(c->events, events, &c->events) ||
		pg_add_s64_overflow(c->censored, censored, &c->censored))
		stays_overflow(days);
}

/* Add every point of a curve to a state (same as_of checked by the caller). */
static void
state_add_curve(SurvState *st, const SurvivalCurve *c)
{
	for (int i = 0; i < c->npoints; i++)
	{
		CHECK_FOR_INTERRUPTS();
		state_add(st, c->points[i].days, c->points[i].events, c->points[i].censored);
	}
}

/* Add all counts of state b to state a. */
static void
state_merge(SurvState *a, SurvState *b)
{
	for (int32 d = 0; d < b->dense.cap; d++)
	{
		CHECK_FOR_INTERRUPTS();
		if (lengths_used_at(&b->dense, d))
			state_add(a, d, b->dense.n[d].events, b->dense.n[d].censored);
	}
	if (b->sparse != NULL)
	{
		HASH_SEQ_STATUS hs;
		SurvSparseEntry *e;

		hash_seq_init(&hs, b->sparse);
		while ((e = hash_seq_search(&hs)) != NULL)
			state_add(a, e->days, e->c.events, e->c.censored);
	}
}

/* qsort comparator: points by days. */
static int
point_cmp(const void *x, const void *y)
{
	int32		a = ((const SurvPoint *) x)->days;
	int32		b = ((const SurvPoint *) y)->days;

	return (a > b) - (a < b);
}

/* The curve of a state; 22003 if the total number of stays overflows. */
static SurvivalCurve *
state_to_curve(SurvState *st)
{
	int64		n = 0,
				k = 0,
				total = 0;
	SurvivalCurve *c;

	for (int32 d = 0; d < st->dense.cap; d++)
		if (lengths_used_at(&st->dense, d))
			n++;
	if (st->sparse != NULL)
		n += hash_get_num_entries(st->sparse);
	c = curve_alloc(st->as_of, n);
	for (int32 d = 0; d < st->dense.cap; d++)
	{
		CHECK_FOR_INTERRUPTS();
		if (lengths_used_at(&st->dense, d))
		{
			c->points[k].days = d;
			c->points[k].events = st->dense.n[d].events;
			c->points[k].censored = st->dense.n[d].censored;
			k++;
		}
	}
	if (st->sparse != NULL)
	{
		HASH_SEQ_STATUS hs;
		SurvSparseEntry *e;
		int64		first = k;

		hash_seq_init(&hs, st->sparse);
		while ((e = hash_seq_search(&hs)) != NULL)
		{
			c->points[k].days = e->days;
			c->points[k].events = e->c.events;
			c->points[k].censored = e->c.censored;
			k++;
		}
		/* sparse durations are all >= SURV_DENSE_MAX, after the dense ones */
		qsort(c->points + first, k - first, sizeof(SurvPoint), point_cmp);
	}
	for (int64 i = 0; i < n; i++)
	{
		if (pg_add_s64_overflow(total, c->points[i].events, &total) ||
			pg_add_s64_overflow(total, c->points[i].censored, &total))
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("more than %lld stays in one survival curve",
							(long long) PG_INT64_MAX),
					 errhint("The number of stays of a survival curve must fit in a bigint.")));
	}
	return c;
}

/* Text of a range value, for messages. */
static char *
range_text(RangeType *r)
{
	Oid			outfn;
	bool		isvarlena;

	getTypeOutputInfo(RangeTypeGetOid(r), &outfn, &isvarlena);
	return OidOutputFunctionCall(outfn, RangeTypePGetDatum(r));
}

/* The aggregate memory context, or an error outside an aggregate. */
static MemoryContext
agg_context(FunctionCallInfo fcinfo, const char *fn)
{
	MemoryContext ctx;

	if (!AggCheckCallContext(fcinfo, &ctx))
		elog(ERROR, "%s called in non-aggregate context", fn);
	return ctx;
}

PG_FUNCTION_INFO_V1(stay_survival_accum);
/* stay_survival transition: count one stay as an event or a censoring. */
Datum
stay_survival_accum(PG_FUNCTION_ARGS)
{
	MemoryContext ctx = agg_context(fcinfo, "stay_survival_accum");
	SurvState  *st = PG_ARGISNULL(0) ? NULL : (SurvState *) PG_GETARG_POINTER(0);
	RangeType  *r;
	TypeCacheEntry *tc;
	RangeBound	lower,
				upper;
	bool		empty;
	DateADT		as_of,
				start,
				end;

	/* a NULL stay or a NULL as_of: the row is skipped */
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
	{
		if (st == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(st);
	}
	as_of = PG_GETARG_DATEADT(2);
	check_as_of_finite(as_of);
	if (st == NULL)
		st = state_new(ctx, as_of);
	else if (st->as_of != as_of)
		as_of_mismatch(st->as_of, as_of);

	r = PG_GETARG_RANGE_P(1);
	tc = range_get_typcache(fcinfo, RangeTypeGetOid(r));
	range_deserialize(tc, r, &lower, &upper, &empty);
	if (empty)
		PG_RETURN_POINTER(st);
	if (lower.infinite || DATE_NOT_FINITE(DatumGetDateADT(lower.val)))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("stay %s has no start date",
						range_text(r)),
				 errhint("A stay must have a finite arrival day; filter out or correct "
						 "rows with an unknown start.")));
	start = DatumGetDateADT(lower.val);
	if (start > as_of)
		PG_RETURN_POINTER(st);	/* starts after as_of: left out */
	end = upper.infinite ? DATEVAL_NOEND : DatumGetDateADT(upper.val);
	if (!DATE_NOT_FINITE(end) && end <= as_of)
		state_add(st, end - start, 1, 0);	/* ended: an event */
	else
		state_add(st, as_of - start, 0, 1); /* open at as_of: censored */
	PG_RETURN_POINTER(st);
}

PG_FUNCTION_INFO_V1(survival_rollup_accum);
/* rollup(survival_curve) transition: add one curve's counts. */
Datum
survival_rollup_accum(PG_FUNCTION_ARGS)
{
	MemoryContext ctx = agg_context(fcinfo, "survival_rollup_accum");
	SurvState  *st = PG_ARGISNULL(0) ? NULL : (SurvState *) PG_GETARG_POINTER(0);
	SurvivalCurve *c;

	if (PG_ARGISNULL(1))
	{
		if (st == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(st);
	}
	c = PG_GETARG_SURVIVAL_CURVE(1);
	if (st == NULL)
		st = state_new(ctx, c->as_of);
	else if (st->as_of != c->as_of)
		as_of_mismatch(st->as_of, c->as_of);
	state_add_curve(st, c);
	PG_RETURN_POINTER(st);
}

PG_FUNCTION_INFO_V1(survival_state_combine);
/* Combine two partial states by adding their counts (same as_of). */
Datum
survival_state_combine(PG_FUNCTION_ARGS)
{
	SurvState  *a,
			   *b;
	MemoryContext ctx = combine_args(fcinfo, (void **) &a, (void **) &b);

	if (b == NULL)
		return state_result(fcinfo, a);
	/* b may live in a short-lived context: copy it into the aggregate's */
	if (a == NULL)
		a = state_new(ctx, b->as_of);
	else if (a->as_of != b->as_of)
		as_of_mismatch(a->as_of, b->as_of);
	state_merge(a, b);
	PG_RETURN_POINTER(a);
}

PG_FUNCTION_INFO_V1(survival_state_serialize);
/* State → bytea: the binary form of its curve. */
Datum
survival_state_serialize(PG_FUNCTION_ARGS)
{
	SurvState  *st = (SurvState *) PG_GETARG_POINTER(0);
	StringInfoData buf;

	pq_begintypsend(&buf);
	curve_to_binary(state_to_curve(st), &buf);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

PG_FUNCTION_INFO_V1(survival_state_deserialize);
/* bytea → state, validated like binary input. */
Datum
survival_state_deserialize(PG_FUNCTION_ARGS)
{
	bytea	   *b = PG_GETARG_BYTEA_PP(0);
	StringInfoData buf;
	SurvivalCurve *c;
	SurvState  *st;

	(void) agg_context(fcinfo, "survival_state_deserialize");
	bytea_reader(&buf, b);
	c = curve_from_binary(&buf);
	st = state_new(CurrentMemoryContext, c->as_of);
	state_add_curve(st, c);
	PG_RETURN_POINTER(st);
}

PG_FUNCTION_INFO_V1(survival_state_final);
/* Final: the survival_curve of the state; NULL when every row was skipped. */
Datum
survival_state_final(PG_FUNCTION_ARGS)
{
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	PG_RETURN_POINTER(state_to_curve((SurvState *) PG_GETARG_POINTER(0)));
}

/* ---------- Kaplan–Meier ---------- */

/* Raise 22023 for a negative day count argument. */
static void
check_days(int32 v, const char *what)
{
	if (v < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must not be negative, not %d", what, v),
				 errhint("Durations are counted in whole care days from 0.")));
}

/*
 * Kaplan–Meier estimate at t days: S(t) = Π over event durations t_i <= t
 * of (1 - d_i/n_i), n_i the stays at risk (duration >= t_i), and the
 * Greenwood variance of log S, Σ d_i / (n_i (n_i - d_i)).  Beyond the last
 * duration the estimate stays at its last value.
 */
static void
km_at(const SurvivalCurve *c, int64 t, double *surv, double *var)
{
	KmWalk		km;
	double		v = 0.0;

	km_start(&km, curve_total(c));
	for (int i = 0; i < c->npoints && c->points[i].days <= t; i++)
	{
		CHECK_FOR_INTERRUPTS();
		v += km_step(&km, c->points[i].events, c->points[i].censored);
	}
	*surv = km.surv;
	/* log S of an exhausted curve has no finite variance */
	*var = km.to_zero ? get_float8_infinity() : v;
}

PG_FUNCTION_INFO_V1(survival_at);
/* survival(curve, days): Kaplan–Meier S(days) = P(length > days). */
Datum
survival_at(PG_FUNCTION_ARGS)
{
	SurvivalCurve *c = PG_GETARG_SURVIVAL_CURVE(0);
	int32		t = PG_GETARG_INT32(1);
	double		s,
				v;

	check_days(t, "days");
	if (c->npoints == 0)
		PG_RETURN_NULL();
	km_at(c, t, &s, &v);
	PG_RETURN_FLOAT8(s);
}

PG_FUNCTION_INFO_V1(survival_interval);
/* survival_interval(curve, days, level): S(days) with R survfit's log-scale interval. */
Datum
survival_interval(PG_FUNCTION_ARGS)
{
	SurvivalCurve *c = PG_GETARG_SURVIVAL_CURVE(0);
	int32		t = PG_GETARG_INT32(1);
	float8		level = PG_GETARG_FLOAT8(2);
	TupleDesc	td;
	Datum		vals[3];
	bool		nulls[3] = {false, false, false};
	double		s,
				v;

	check_days(t, "days");
	if (!(level > 0.0 && level < 1.0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("confidence level must lie strictly between 0 and 1, not %s",
						float8out_internal(level)),
				 errhint("Use e.g. 0.95 for a 95 %% interval.")));
	if (get_call_result_type(fcinfo, NULL, &td) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "survival_interval must return a composite");
	td = BlessTupleDesc(td);
	if (c->npoints == 0)
	{
		nulls[0] = nulls[1] = nulls[2] = true;
		PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(td, vals, nulls)));
	}
	km_at(c, t, &s, &v);
	vals[0] = Float8GetDatum(s);
	if (s <= 0.0)
	{
		/* log(0): no interval on the log scale (R gives NA) */
		nulls[1] = nulls[2] = true;
	}
	else if (v == 0.0)
	{
		/* before the first event: no uncertainty */
		vals[1] = vals[2] = Float8GetDatum(s);
	}
	else
	{
		double		z = normal_quantile(1.0 - (1.0 - level) / 2.0);
		double		se = sqrt(v);

		vals[1] = Float8GetDatum(exp(log(s) - z * se));
		vals[2] = Float8GetDatum(Min(exp(log(s) + z * se), 1.0));
	}
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(td, vals, nulls)));
}

PG_FUNCTION_INFO_V1(survival_median);
/*
 * median_stay(curve): as R's quantile.survfit(fit, 0.5): the first event
 * duration where 1 - S reaches 0.5 (within √ε); where the curve is flat at
 * exactly 0.5, the midpoint of that stretch (up to the last duration when
 * it stays flat to the end); NULL if 1 - S never reaches 0.5.
 */
Datum
survival_median(PG_FUNCTION_ARGS)
{
	SurvivalCurve *c = PG_GETARG_SURVIVAL_CURVE(0);
	const double tol = ldexp(1.0, -26); /* sqrt(.Machine$double.eps) */
	const double p = 0.5;
	KmWalk		km;
	double		yprev = 0.0,
				ymax = 0.0,
				x1 = 0.0,
				x2 = 0.0,
				xmax;
	bool		have1 = false,
				have2 = false;

	if (c->npoints == 0)
		PG_RETURN_NULL();
	km_start(&km, curve_total(c));
	xmax = c->points[c->npoints - 1].days;
	/* x = 0 with y = 0 (never >= p - tol), then each event duration where y = 1 - S rises */
	for (int i = 0; i < c->npoints; i++)
	{
		const SurvPoint *pt = &c->points[i];

		CHECK_FOR_INTERRUPTS();
		(void) km_step(&km, pt->events, pt->censored);
		if (pt->events > 0)
		{
			double		y = 1.0 - km.surv;

			if (y != yprev)		/* R drops duplicated y values */
			{
				if (!have1 && y + tol >= p)
				{
					have1 = true;
					x1 = pt->days;
				}
				if (!have2 && y - tol >= p)
				{
					have2 = true;
					x2 = pt->days;
				}
				ymax = y;
				yprev = y;
			}
		}
	}
	if (ymax < p)
		PG_RETURN_NULL();
	if (fabs(p - ymax) < tol)
		PG_RETURN_FLOAT8((x1 + xmax) / 2.0);	/* flat at 0.5 to the end */
	if (!have1 || !have2)
		PG_RETURN_NULL();		/* unreachable: ymax >= p + tol here */
	PG_RETURN_FLOAT8((x1 + x2) / 2.0);
}

PG_FUNCTION_INFO_V1(survival_expected_remaining_days);
/*
 * expected_remaining_days(curve, elapsed, horizon): for a stay that has lasted
 * elapsed days and is still open, the expected care days among the next
 * horizon days, Σ_{k=0}^{horizon-1} S(elapsed+k) / S(elapsed) (the k = 0
 * term is 1: an open stay's next day is a care day).  NULL when
 * S(elapsed) = 0.  Computed piecewise over the steps of S, not per day.
 */
Datum
survival_expected_remaining_days(PG_FUNCTION_ARGS)
{
	SurvivalCurve *c = PG_GETARG_SURVIVAL_CURVE(0);
	int32		e = PG_GETARG_INT32(1);
	int32		h = PG_GETARG_INT32(2);
	int64		stop = (int64) e + h;	/* first day not counted */
	int64		cur = e;
	KmWalk		km;
	double		se,
				acc = 0.0;
	int			i;

	check_days(e, "elapsed_days");
	check_days(h, "horizon_days");
	if (c->npoints == 0)
		PG_RETURN_NULL();
	km_start(&km, curve_total(c));
	/* S(e): every event duration <= e */
	for (i = 0; i < c->npoints && c->points[i].days <= e; i++)
	{
		CHECK_FOR_INTERRUPTS();
		(void) km_step(&km, c->points[i].events, c->points[i].censored);
	}
	se = km.surv;
	if (se <= 0.0)
		PG_RETURN_NULL();
	/* S is constant between event durations: sum it stretch by stretch */
	for (; i < c->npoints && c->points[i].days < stop; i++)
	{
		const SurvPoint *pt = &c->points[i];

		CHECK_FOR_INTERRUPTS();
		if (pt->events > 0)
		{
			acc += (km.surv / se) * (double) (pt->days - cur);
			cur = pt->days;
		}
		(void) km_step(&km, pt->events, pt->censored);
	}
	acc += (km.surv / se) * (double) (stop - cur);
	PG_RETURN_FLOAT8(acc);
}

PG_FUNCTION_INFO_V1(survival_stay_count);
/* stay_count(curve): stays in the curve (events and censored). */
Datum
survival_stay_count(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(curve_total(PG_GETARG_SURVIVAL_CURVE(0)));
}

PG_FUNCTION_INFO_V1(survival_event_count);
/* event_count(curve): stays that ended by as_of. */
Datum
survival_event_count(PG_FUNCTION_ARGS)
{
	SurvivalCurve *c = PG_GETARG_SURVIVAL_CURVE(0);
	int64		n = 0;

	for (int i = 0; i < c->npoints; i++)
		n += c->points[i].events;
	PG_RETURN_INT64(n);
}
