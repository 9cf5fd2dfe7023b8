/*
 * sek_text.h — parsing and formatting of Swedish money text.
 *
 * Pure C (no PostgreSQL headers) so that the same code runs inside the
 * server and under a fuzzer.  Amounts are exact öre in an int64; the value
 * INT64_MIN is never produced, so negation can never overflow.
 */
#ifndef ACTIONPLAN_SEK_TEXT_H
#define ACTIONPLAN_SEK_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SEK_ORE_MAX INT64_MAX
#define SEK_ORE_MIN (-INT64_MAX)

/* Outcome of a parse; the caller turns it into an SQLSTATE. */
typedef enum SekStatus
{
	SEK_OK = 0,
	SEK_ERR_SYNTAX,				/* not an amount at all */
	SEK_ERR_RANGE,				/* an amount, but beyond ±INT64_MAX öre */
	SEK_ERR_PRECISION,			/* finer than one öre after scaling */
	SEK_ERR_AMBIGUOUS			/* "15.000": point thousands or decimals? */
} SekStatus;

/* A number as written, before its unit scales it. */
typedef struct SekNumber
{
	uint64_t	mant;			/* digits as an integer, trailing zeros of the
								 * fraction dropped */
	int			frac;			/* digits after the decimal mark up to the last
								 * non-zero one (may exceed the digits kept in
								 * mant when overflow is set) */
	bool		neg;
	bool		overflow;		/* more significant digits than fit */
	bool		ambiguous;		/* 1-3 digits (not 0...), a point, exactly
								 * three digits: "15.000", "1.234.567" */
} SekNumber;

/* Units: the power of ten of kronor they stand for, -1 for "no unit". */
#define SEK_UNIT_NONE (-1)

/* Skip white space (ASCII and the Unicode spaces of typeset documents). */
extern const char *sek_skip_space(const char *p, const char *end);

/* Parse a signed number with optional thousands groups and decimals. */
extern const char *sek_parse_number(const char *p, const char *end,
									SekNumber *num);

/* Parse an optional unit (kr, tkr, mkr, mnkr, mdkr, …); sets *exp10. */
extern const char *sek_parse_unit(const char *p, const char *end, int *exp10);

/* Scale a number written in 10^exp10 kronor to öre. */
extern SekStatus sek_scale(const SekNumber *num, int exp10, int64_t *ore);

/* Parse a whole amount text such as "-15 000 tkr"; nothing may follow.
 * A number such as "15.000" is SEK_ERR_AMBIGUOUS. */
extern SekStatus sek_parse(const char *s, size_t len, int64_t *ore,
						   const char **errpos);

/* sek_parse for machine text (numeric_out), where a point is always the
 * decimal mark: "15.000" is 15 kr. */
extern SekStatus sek_parse_machine(const char *s, size_t len, int64_t *ore,
								   const char **errpos);

/* Machine text "-81500000.00"; buf needs SEK_OUT_MAX bytes. Returns length. */
#define SEK_OUT_MAX 32
extern int	sek_to_plain(int64_t ore, char *buf);

/* Unit name to power of ten of kronor, or SEK_UNIT_NONE if unknown. */
extern int	sek_unit_exp(const char *name, size_t len);

/*
 * Swedish display: |ore| in 10^exp10 kronor, rounded half away from zero to
 * `decimals` decimals, comma decimal mark, `sep` between thousands groups.
 * Writes no sign; returns the digits written and sets *is_zero when the
 * rounded value is zero (so the caller prints no "-0").  buf needs
 * SEK_DISPLAY_MAX bytes (enough for 19 digits, 12 decimals and separators of
 * up to 8 bytes).
 */
#define SEK_DISPLAY_MAX 160
extern int	sek_display_digits(int64_t ore, int exp10, int decimals,
							   const char *sep, char *buf, bool *is_zero);

/* Is the amount shown exactly with `decimals` decimals in 10^exp10 kronor? */
extern bool sek_exact_at(int64_t ore, int exp10, int decimals);

/* The unit chosen by 'auto' for an amount: mnkr, tkr or kr. */
extern int	sek_auto_unit(int64_t ore_abs_max);

/* Default decimals for a unit in display. */
extern int	sek_default_decimals(int exp10);

/* The canonical display name of a unit power. */
extern const char *sek_unit_name(int exp10);

#endif							/* ACTIONPLAN_SEK_TEXT_H */
