/*
 * monthseries.c — the order-free monthly series of monthseries.h: months of
 * dates, adding rows, merging partial series and their binary form.
 */
#include "postgres.h"

#include <math.h>

#include "libpq/pqformat.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/float.h"

#include "aggutil.h"
#include "monthseries.h"
#include "stay.h"

/* Month index (year * 12 + month - 1) of a date; periods must be finite dates of years 1..9999. */
int32
month_of(DateADT d)
{
	int			y,
				m,
				day;

	if (DATE_NOT_FINITE(d))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("period must be a finite date"),
				 errhint("A monthly series has one value per month; pass a date in each month.")));
	j2date(d + POSTGRES_EPOCH_JDATE, &y, &m, &day);
	if (y < 1 || y > 9999)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("period %s is outside the years 1 to 9999",
						date_iso(d))));
	return y * 12 + m - 1;
}

/* First day of a month index. */
DateADT
month_date(int32 mi)
{
	return date2j(mi / 12, mi % 12 + 1, 1) - POSTGRES_EPOCH_JDATE;
}

/* Raise the error for a series longer than MAX_MONTHS. */
pg_attribute_noreturn()
static void
series_too_long(int32 lo, int32 hi)
{
	ereport(ERROR,
			(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
			 errmsg("monthly series spans %d months, more than the limit of %d", hi - lo + 1, MAX_MONTHS),
			 errhint("Use the last years only, e.g. WHERE period >= as_of - interval '10 years'.")));
}

/* Add count rows summing to v in month mi, widening the span as needed. */
void
month_series_add(MemoryContext cxt, MonthSeries *st, int32 mi, int64 count, double v)
{
	if (st->n == 0 || mi < st->first || mi >= st->first + st->cap)
	{
		int32		lo = st->n == 0 ? mi : Min(mi, st->first);
		int32		hi = st->n == 0 ? mi : Max(mi, st->first + st->n - 1);
		int32		cap;
		int64	   *count_new;
		double	   *sum_new;

		if (hi - lo + 1 > MAX_MONTHS)
			series_too_long(lo, hi);
		cap = Min(MAX_MONTHS, Max(hi - lo + 1, 2 * st->cap));
		cap = Max(cap, Min(MAX_MONTHS, 24));
		count_new = MemoryContextAllocZero(cxt, cap * sizeof(int64));
		sum_new = MemoryContextAllocZero(cxt, cap * sizeof(double));
		if (st->n > 0)
		{
			memcpy(count_new + (st->first - lo), st->count, st->n * sizeof(int64));
			memcpy(sum_new + (st->first - lo), st->sum, st->n * sizeof(double));
			pfree(st->count);
			pfree(st->sum);
		}
		st->count = count_new;
		st->sum = sum_new;
		st->cap = cap;
		st->n = st->n == 0 ? 1 : hi - lo + 1;
		st->first = lo;
	}
	else if (mi >= st->first + st->n)
		st->n = mi - st->first + 1;
	st->count[mi - st->first] += count;
	st->sum[mi - st->first] += v;
	if (isinf(st->sum[mi - st->first]))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("sum of the values of month %04d-%02d is out of range for type double precision",
						mi / 12, mi % 12 + 1),
				 errhint("Scale the values down (e.g. to thousands) before the aggregate.")));
}

/*
 * Add a row of a series transition to its month: period argument 1 and
 * value argument 2 (float8, or sek with sek true); a row with either NULL is
 * skipped, a value that is not finite is refused (22023).
 */
void
month_series_add_row(FunctionCallInfo fcinfo, MemoryContext cxt, MonthSeries *s, bool sek)
{
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
		return;
	month_series_add_value(cxt, s, PG_GETARG_DATEADT(1), month_value_arg(fcinfo, 2, sek));
}

/* Add a value dated d to its month; a value that is not finite is refused (22023). */
void
month_series_add_value(MemoryContext cxt, MonthSeries *s, DateADT d, double v)
{
	if (isnan(v) || isinf(v))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("value must be finite, got %s", float8out_internal(v)),
				 errhint("Leave out or correct the row of period %s.", date_iso(d))));
	month_series_add(cxt, s, month_of(d), 1, v);
}

/* Add every observed month of from into into (the combine step). */
void
month_series_merge(MemoryContext cxt, MonthSeries *into, const MonthSeries *from)
{
	for (int i = 0; i < from->n; i++)
		if (from->count[i] > 0)
			month_series_add(cxt, into, from->first + i, from->count[i], from->sum[i]);
}

/* Append the series to buf: first month, months, then count and sum of each. */
static void
month_series_send(StringInfo buf, const MonthSeries *st)
{
	pq_sendint32(buf, st->first);
	pq_sendint32(buf, st->n);
	for (int i = 0; i < st->n; i++)
	{
		pq_sendint64(buf, st->count[i]);
		pq_sendfloat8(buf, st->sum[i]);
	}
}

/* Raise 22P03 for a malformed serialized state of the aggregate named what. */
void
month_series_invalid(const char *what, const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
			 errmsg("invalid %s state", what),
			 errdetail("%s", detail)));
}

/* Read a series written by month_series_send, the rest of buf, validated (22P03 naming what). */
static void
month_series_recv(MemoryContext cxt, StringInfo buf, MonthSeries *st, const char *what)
{
	int32		first,
				n;

	/* checked here: pq_getmsgint would call a short state a protocol violation (08P01) */
	if (buf->len - buf->cursor < 8)
		month_series_invalid(what, "Span cut short.");
	first = pq_getmsgint(buf, 4);
	n = pq_getmsgint(buf, 4);
	if (n < 0 || n > MAX_MONTHS || first < 12 || first > 9999 * 12 + 11 - Max(n - 1, 0) ||
		buf->len - buf->cursor != n * 16)
		month_series_invalid(what, "Span out of range or wrong length.");
	for (int i = 0; i < n; i++)
	{
		int64		c = pq_getmsgint64(buf);
		double		s = pq_getmsgfloat8(buf);

		if (c < 0 || isnan(s) || isinf(s) || (c == 0 && s != 0.0))
			month_series_invalid(what, "Bad month count or sum.");
		if (c > 0)
			month_series_add(cxt, st, first + i, c, s);
	}
}

/* Combine two partial states of a kind (parallel aggregation); NULL when both are. */
Datum
month_series_combine(FunctionCallInfo fcinfo, const MonthSeriesKind *k)
{
	MonthSeries *a,
			   *b;
	MemoryContext aggcxt = combine_args(fcinfo, (void **) &a, (void **) &b);

	if (b == NULL)
		return state_result(fcinfo, a);
	if (a == NULL)
	{
		/* a copy of b's key with an empty series, in the aggregate context (b may live shorter) */
		a = MemoryContextAllocZero(aggcxt, k->size);
		memcpy(a + 1, b + 1, k->size - sizeof(MonthSeries));
	}
	else if (memcmp(a + 1, b + 1, k->size - sizeof(MonthSeries)) != 0)
		k->differs(a, b);
	month_series_merge(aggcxt, a, b);
	PG_RETURN_POINTER(a);
}

/* A state of a kind as bytea: version 1, the key, the series. */
Datum
month_series_serialize(FunctionCallInfo fcinfo, const MonthSeriesKind *k)
{
	const MonthSeries *st = (const MonthSeries *) PG_GETARG_POINTER(0);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, 1);
	k->key_send(&buf, st);
	month_series_send(&buf, st);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/*
 * A state of a kind from bytea in the current context, validated (22P03).
 * No aggregate context is needed (combine copies what it keeps), so the
 * tests can feed it crafted bytes.
 */
Datum
month_series_deserialize(FunctionCallInfo fcinfo, const MonthSeriesKind *k)
{
	StringInfoData buf;
	MonthSeries *st;

	bytea_reader(&buf, PG_GETARG_BYTEA_PP(0));
	if (buf.len < 1 || pq_getmsgbyte(&buf) != 1)
		month_series_invalid(k->what, "Unknown version.");
	st = palloc0(k->size);
	k->key_recv(&buf, st);
	month_series_recv(CurrentMemoryContext, &buf, st, k->what);
	pq_getmsgend(&buf);
	PG_RETURN_POINTER(st);
}
