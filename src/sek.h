/*
 * sek.h — the sek money type as the server sees it: an int64 of öre passed
 * by value, and the checked arithmetic other areas (estimate, census, …)
 * build on.
 */
#ifndef ACTIONPLAN_SEK_H
#define ACTIONPLAN_SEK_H

#include "fmgr.h"

#include "sek_text.h"

typedef int64 Sek;

#define DatumGetSek(X)	 DatumGetInt64(X)
#define SekGetDatum(X)	 Int64GetDatum(X)
#define PG_GETARG_SEK(n) DatumGetSek(PG_GETARG_DATUM(n))
#define PG_RETURN_SEK(x) return SekGetDatum(x)

/* An amount in kronor as float8 (the sek → float8 cast). */
static inline float8
sek_kronor(Sek a)
{
	return (float8) a / 100.0;
}

/* sek / bigint, rounded half away from zero (fmgr entry, for DirectFunctionCall). */
extern Datum sek_div_int8(PG_FUNCTION_ARGS);

/* Raise the error for a failed parse of `input` as type `typname`. */
extern void sek_report_parse(SekStatus st, const char *input,
							 const char *typname) pg_attribute_noreturn();

/* Raise 22003 for a result beyond the range of sek. */
extern void sek_out_of_range(const char *what) pg_attribute_noreturn();

/* Checked a + b. */
extern Sek	sek_add(Sek a, Sek b);

/* Checked a - b. */
extern Sek	sek_sub(Sek a, Sek b);

/* a × f for a float8 f, exact, rounded once half away from zero. */
extern Sek	sek_mul_float(Sek a, float8 f);

/* a ÷ f for a float8 f, exact, rounded once half away from zero. */
extern Sek	sek_div_float(Sek a, float8 f);

/* a × num ÷ den (den > 0), exact, rounded once half away from zero. */
extern Sek	sek_mul_ratio(Sek a, int64 num, int64 den);

/* Swedish display text of an amount in a unit (palloc'd). */
extern char *sek_display(Sek ore, int exp10, const char *unit_name,
						 int decimals, const char *sep);

/* Resolve unit text ('auto', 'kr', 'tkr', …) for amounts up to abs_max. */
extern int	sek_resolve_unit(text *unit, Sek abs_max, const char **name);

/* Resolve the decimals argument (NULL = the unit's default). */
extern int	sek_resolve_decimals(FunctionCallInfo fcinfo, int argno, int exp10);

/* Resolve the thousands-separator argument (NULL = no-break space). */
extern char *sek_resolve_sep(FunctionCallInfo fcinfo, int argno);

#endif							/* ACTIONPLAN_SEK_H */
