/*
 * monthseries.h — an order-free monthly series for aggregates: per calendar
 * month the number of rows and the sum of their values, over a contiguous
 * span of months (months with no rows are missing).  Shared by the forecast
 * aggregates and its_effect.
 */
#ifndef ACTIONPLAN_MONTHSERIES_H
#define ACTIONPLAN_MONTHSERIES_H

#include "fmgr.h"
#include "lib/stringinfo.h"
#include "utils/date.h"

#include "sek.h"

#define MAX_MONTHS 1200			/* longest series: 100 years */

typedef struct MonthSeries
{
	int32		first;			/* month index of slot 0 */
	int32		n;				/* slots in use: first .. first + n - 1 */
	int32		cap;
	int64	   *count;			/* rows per month; 0 = missing */
	double	   *sum;
} MonthSeries;

/*
 * The value argument n of a series transition as float8 kronor: a float8, or
 * a sek (int64 öre) when the aggregate's sek overload called, converted as
 * the cast sek::float8 does so both overloads see the same numbers.
 */
static inline double
month_value_arg(FunctionCallInfo fcinfo, int n, bool sek)
{
	return sek ? sek_kronor(DatumGetSek(fcinfo->args[n].value))
		: DatumGetFloat8(fcinfo->args[n].value);
}

extern int32 month_of(DateADT d);
extern DateADT month_date(int32 mi);
extern void month_series_add(MemoryContext cxt, MonthSeries *s, int32 mi, int64 count, double v);
extern void month_series_add_row(FunctionCallInfo fcinfo, MemoryContext cxt, MonthSeries *s, bool sek);
extern void month_series_add_value(MemoryContext cxt, MonthSeries *s, DateADT d, double v);
extern void month_series_merge(MemoryContext cxt, MonthSeries *into, const MonthSeries *from);
extern void month_series_invalid(const char *what, const char *detail) pg_attribute_noreturn();

/*
 * An aggregate whose state (size bytes) is a MonthSeries followed by a key
 * every row of a group shares (its_effect's intervention, forecast_fit's
 * method): the hooks by which one combine, serialise and deserialise serve
 * them all.  The key is compared as bytes, so it must be zero-padded.
 */
typedef struct MonthSeriesKind
{
	const char *what;			/* the state's name in messages */
	Size		size;
	/* raise the error for partial states of one group with other keys */
	void		(*differs) (const void *a, const void *b);
	/* write the key, and read it back into a zeroed state, validated (22P03) */
	void		(*key_send) (StringInfo buf, const void *state);
	void		(*key_recv) (StringInfo buf, void *state);
} MonthSeriesKind;

extern Datum month_series_combine(FunctionCallInfo fcinfo, const MonthSeriesKind *k);
extern Datum month_series_serialize(FunctionCallInfo fcinfo, const MonthSeriesKind *k);
extern Datum month_series_deserialize(FunctionCallInfo fcinfo, const MonthSeriesKind *k);

#endif							/* ACTIONPLAN_MONTHSERIES_H */
