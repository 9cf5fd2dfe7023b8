/*
 * sek.c — exact money: an int64 number of öre.
 *
 * Text input takes what finance documents contain ("-15 000 tkr",
 * "81,5 mnkr"); text output is plain and round-trips ("-81500000.00").
 * Every operation checks overflow (22003) and never wraps.  The value
 * INT64_MIN is not a valid sek, so negation and abs() are always safe.
 *
 * Rounding rule, everywhere a result falls between two öre: to the nearest
 * öre, halves away from zero (as numeric's round()).  Products and
 * quotients with float8 are computed exactly from the float8's binary value
 * and rounded once.
 */
#include "postgres.h"

#include <math.h>

#include "common/int.h"
#include "fmgr.h"
#include "lib/stringinfo.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"
#include "utils/fmgrprotos.h"
#include "utils/numeric.h"
#include "utils/sortsupport.h"

#include "aggutil.h"
#include "sek.h"

/* ---------- errors ---------- */

/* Raise the error for a failed parse of `input` as type `typname`. */
void
sek_report_parse(SekStatus st, const char *input, const char *typname)
{
	switch (st)
	{
		case SEK_ERR_RANGE:
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("value \"%s\" is out of range for type %s",
							input, typname),
					 errhint("Amounts must lie within ±92 233 720 368 547 758,07 kr.")));
			break;
		case SEK_ERR_PRECISION:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					 errmsg("invalid input syntax for type %s: \"%s\"",
							typname, input),
					 errdetail("The amount is finer than one öre after scaling to kronor."),
					 errhint("Round the amount to whole öre (two decimals in kronor).")));
			break;
		case SEK_ERR_AMBIGUOUS:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					 errmsg("invalid input syntax for type %s: \"%s\"",
							typname, input),
					 errdetail("A point followed by exactly three digits after one to three digits "
							   "may be a thousands separator (15.000 = 15 000 kr) or a decimal mark."),
					 errhint("Write '15 000 kr' (or '15000') for fifteen thousand kronor, "
							 "'15,0' or '15.0' for fifteen.")));
			break;
		default:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					 errmsg("invalid input syntax for type %s: \"%s\"",
							typname, input),
					 strcmp(typname, "estimate") == 0 ?
					 errhint("Write an estimate such as 'ca 2-3 mkr', '2–3 mkr', "
							 "'4,6 mkr' or 'ingen effekt'.") :
					 errhint("Write an amount such as '-15 000 tkr', '81,5 mnkr', "
							 "'2 300 kr' or '1750000.50'.")));
	}
	pg_unreachable();
}

/* Raise 22003 for a result beyond the range of sek. */
void
sek_out_of_range(const char *what)
{
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("sek out of range in %s", what),
			 errhint("Amounts must lie within ±92 233 720 368 547 758,07 kr.")));
	pg_unreachable();
}

/* Is v a valid sek (INT64_MIN is not)? */
static inline bool
sek_valid(int64 v)
{
	return v != PG_INT64_MIN;
}

/* ---------- checked arithmetic shared with other areas ---------- */

/* Checked a + b. */
Sek
sek_add(Sek a, Sek b)
{
	int64		r;

	if (pg_add_s64_overflow(a, b, &r) || !sek_valid(r))
		sek_out_of_range("addition");
	return r;
}

/* Checked a - b. */
Sek
sek_sub(Sek a, Sek b)
{
	int64		r;

	if (pg_sub_s64_overflow(a, b, &r) || !sek_valid(r))
		sek_out_of_range("subtraction");
	return r;
}

/* Magnitude of a valid sek as unsigned. */
static inline uint64
sek_mag(Sek a)
{
	return a < 0 ? (uint64) (-a) : (uint64) a;
}

/* Apply a sign to a rounded magnitude, checking the range. */
static Sek
sek_signed(uint128 mag, bool neg, const char *what)
{
	if (mag > (uint128) PG_INT64_MAX)
		sek_out_of_range(what);
	return neg ? -(int64) mag : (int64) mag;
}

/* Split a finite non-zero float8 into an integer mantissa and a power of 2. */
static void
float_split(float8 f, uint64 *mant, int *exp2, bool *neg)
{
	int			e;
	double		m = frexp(fabs(f), &e);

	*mant = (uint64) ldexp(m, 53);	/* exact: m has at most 53 bits */
	*exp2 = e - 53;
	*neg = (f < 0);
}

/* Reject NaN and infinity as a factor or divisor. */
static void
float_check(float8 f, const char *what)
{
	if (isnan(f) || isinf(f))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("cannot use %s in sek %s", isnan(f) ? "NaN" : "infinity",
						what)));
}

/* Number of significant bits of v. */
static inline int
bitlen(uint64 v)
{
	return v ? 64 - __builtin_clzll(v) : 0;
}

/* a × f for a float8 f, exact, rounded once half away from zero. */
Sek
sek_mul_float(Sek a, float8 f)
{
	uint64		m;
	int			e;
	bool		neg;
	uint128		p;

	float_check(f, "multiplication");
	if (a == 0 || f == 0.0)
		return 0;
	float_split(f, &m, &e, &neg);
	neg = (neg != (a < 0));
	p = (uint128) sek_mag(a) * m;	/* < 2^63 · 2^53 */
	if (e >= 0)
	{
		if (e >= 63 || p > ((uint128) PG_INT64_MAX >> e))
			sek_out_of_range("multiplication");
		return sek_signed(p << e, neg, "multiplication");
	}
	else
	{
		int			k = -e;
		uint128		q,
					rem;

		if (k >= 118)
			return 0;			/* |p| < 2^116, so the product is below ½ öre */
		q = p >> k;
		rem = p - (q << k);
		if (rem >= ((uint128) 1 << (k - 1)))
			q++;
		return sek_signed(q, neg, "multiplication");
	}
}

/* a ÷ f for a float8 f, exact, rounded once half away from zero. */
Sek
sek_div_float(Sek a, float8 f)
{
	uint64		m;
	int			e;
	bool		neg;
	uint128		num,
				den,
				q,
				rem;

	float_check(f, "division");
	if (f == 0.0)
		ereport(ERROR,
				(errcode(ERRCODE_DIVISION_BY_ZERO),
				 errmsg("division by zero")));
	if (a == 0)
		return 0;
	float_split(f, &m, &e, &neg);
	neg = (neg != (a < 0));
	/* a / (m·2^e): scale whichever side the exponent belongs to */
	if (e >= 0)
	{
		if (e >= 12)
			return 0;			/* divisor ≥ 2^64 > 2|a| */
		num = sek_mag(a);
		den = (uint128) m << e;
	}
	else
	{
		int			k = -e;

		if (bitlen(sek_mag(a)) + k >= 117)
			sek_out_of_range("division");	/* quotient ≥ 2^63 */
		num = (uint128) sek_mag(a) << k;
		den = m;
	}
	q = num / den;
	rem = num - q * den;
	if (rem * 2 >= den)
		q++;
	return sek_signed(q, neg, "division");
}

/* a × num ÷ den for den > 0, exact, rounded once half away from zero. */
Sek
sek_mul_ratio(Sek a, int64 num, int64 den)
{
	uint128		p,
				q,
				rem;
	uint64		un = num < 0 ? (uint64) 0 - (uint64) num : (uint64) num;

	Assert(den > 0);
	p = (uint128) sek_mag(a) * un;	/* < 2^127 */
	q = p / (uint64) den;
	rem = p - q * (uint64) den;
	if (rem * 2 >= (uint128) (uint64) den)
		q++;
	if (q > (uint128) PG_INT64_MAX)
		sek_out_of_range("multiplication");
	return sek_signed(q, (a < 0) != (num < 0), "multiplication");
}

/* ---------- I/O ---------- */

PG_FUNCTION_INFO_V1(sek_in);
/* Text input: amounts as finance documents write them. */
Datum
sek_in(PG_FUNCTION_ARGS)
{
	char	   *s = PG_GETARG_CSTRING(0);
	int64		v;
	const char *errpos;
	SekStatus	st = sek_parse(s, strlen(s), &v, &errpos);

	if (st != SEK_OK)
		sek_report_parse(st, s, "sek");
	PG_RETURN_SEK(v);
}

PG_FUNCTION_INFO_V1(sek_out);
/* Text output: plain kronor with two decimals, e.g. -81500000.00. */
Datum
sek_out(PG_FUNCTION_ARGS)
{
	char	   *buf = palloc(SEK_OUT_MAX);

	sek_to_plain(PG_GETARG_SEK(0), buf);
	PG_RETURN_CSTRING(buf);
}

PG_FUNCTION_INFO_V1(sek_recv);
/* Binary input: exactly 8 bytes of öre, validated like text input. */
Datum
sek_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int64		v;

	if (buf->len - buf->cursor != 8)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary sek: expected 8 bytes, got %d",
						buf->len - buf->cursor)));
	v = pq_getmsgint64(buf);
	if (!sek_valid(v))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary sek: %lld öre is out of range",
						(long long) v)));
	PG_RETURN_SEK(v);
}

PG_FUNCTION_INFO_V1(sek_send);
/* Binary output: 8 bytes of öre, network order. */
Datum
sek_send(PG_FUNCTION_ARGS)
{
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendint64(&buf, PG_GETARG_SEK(0));
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* ---------- display ---------- */

/* Resolve unit text ('auto', 'kr', 'tkr', …) for amounts up to abs_max. */
int
sek_resolve_unit(text *unit, Sek abs_max, const char **name)
{
	char	   *u = text_to_cstring(unit);
	int			e;

	if (pg_strcasecmp(u, "auto") == 0)
	{
		e = sek_auto_unit(abs_max);
		*name = sek_unit_name(e);
		return e;
	}
	e = sek_unit_exp(u, strlen(u));
	if (e == SEK_UNIT_NONE)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown unit \"%s\"", u),
				 errhint("Use 'auto', 'kr', 'tkr', 'mkr', 'mnkr' or 'mdkr'.")));
	/* print the unit as the caller named it, in lower case */
	for (char *c = u; *c; c++)
		*c = pg_ascii_tolower((unsigned char) *c);
	*name = u;
	return e;
}

/* Resolve the decimals argument (NULL = the unit's default). */
int
sek_resolve_decimals(FunctionCallInfo fcinfo, int argno, int exp10)
{
	int32		d;

	if (PG_NARGS() <= argno || PG_ARGISNULL(argno))
		return sek_default_decimals(exp10);
	d = PG_GETARG_INT32(argno);
	if (d < 0 || d > 12)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("decimals must be between 0 and 12, not %d", d)));
	return d;
}

/* Resolve the thousands-separator argument (NULL = no-break space). */
char *
sek_resolve_sep(FunctionCallInfo fcinfo, int argno)
{
	char	   *sep;

	if (PG_NARGS() <= argno || PG_ARGISNULL(argno))
		return "\xC2\xA0";
	sep = text_to_cstring(PG_GETARG_TEXT_PP(argno));
	if (strlen(sep) > 8)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("thousands separator \"%s\" is longer than 8 bytes", sep)));
	return sep;
}

/* Swedish display text of an amount in a unit (palloc'd). */
char *
sek_display(Sek ore, int exp10, const char *unit_name, int decimals,
			const char *sep)
{
	char		digits[SEK_DISPLAY_MAX];
	bool		is_zero;

	sek_display_digits(ore, exp10, decimals, sep, digits, &is_zero);
	return psprintf("%s%s %s", (ore < 0 && !is_zero) ? "-" : "", digits,
					unit_name);
}

PG_FUNCTION_INFO_V1(sek_format);
/* sek_format(amount, unit, decimals, thousands): '-81,5 mnkr'. */
Datum
sek_format(PG_FUNCTION_ARGS)
{
	Sek			v;
	const char *name;
	int			e;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
		PG_RETURN_NULL();
	v = PG_GETARG_SEK(0);
	e = sek_resolve_unit(PG_GETARG_TEXT_PP(1), (Sek) sek_mag(v), &name);
	PG_RETURN_TEXT_P(cstring_to_text(
									 sek_display(v, e, name,
												 sek_resolve_decimals(fcinfo, 2, e),
												 sek_resolve_sep(fcinfo, 3))));
}

/* |v| rounded half away from zero to whole 10^exp10 kronor, sign kept. */
static Sek
sek_round_unit(Sek v, int exp10)
{
	uint64		step = 100;
	uint64		mag = sek_mag(v);
	uint64		q;

	for (int i = 0; i < exp10; i++)
		step *= 10;
	q = mag / step + ((mag % step) * 2 >= step ? 1 : 0);
	if (q > (uint64) PG_INT64_MAX / step)
	{
		char		buf[SEK_OUT_MAX];

		sek_to_plain(v, buf);
		sek_out_of_range(psprintf("round(%s, '%s')", buf, sek_unit_name(exp10)));
	}
	return v < 0 ? -(Sek) (q * step) : (Sek) (q * step);
}

PG_FUNCTION_INFO_V1(sek_round);
/* round(sek): to whole kronor, halves away from zero. */
Datum
sek_round(PG_FUNCTION_ARGS)
{
	PG_RETURN_SEK(sek_round_unit(PG_GETARG_SEK(0), 0));
}

PG_FUNCTION_INFO_V1(sek_round_to);
/* round(sek, unit): to whole kronor, thousands ('tkr'), millions ('mnkr'). */
Datum
sek_round_to(PG_FUNCTION_ARGS)
{
	text	   *t = PG_GETARG_TEXT_PP(1);
	char	   *u = text_to_cstring(t);
	int			e = sek_unit_exp(u, strlen(u));

	if (e == SEK_UNIT_NONE)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown unit \"%s\" for round(sek, unit)", u),
				 errhint("Use 'kr', 'tkr', 'mkr', 'mnkr' or 'mdkr'.")));
	PG_RETURN_SEK(sek_round_unit(PG_GETARG_SEK(0), e));
}

/* ---------- arithmetic ---------- */

PG_FUNCTION_INFO_V1(sek_pl);
/* sek + sek */
Datum
sek_pl(PG_FUNCTION_ARGS)
{
	PG_RETURN_SEK(sek_add(PG_GETARG_SEK(0), PG_GETARG_SEK(1)));
}

PG_FUNCTION_INFO_V1(sek_sum_accum);
/*
 * sum(sek) transition.  Not strict, so the executor runs no separate NULL
 * check and initial-value step per row (the int8 sum pays neither): it
 * skips NULL inputs and starts from the first non-NULL itself.
 */
Datum
sek_sum_accum(PG_FUNCTION_ARGS)
{
	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	if (PG_ARGISNULL(0))
		PG_RETURN_DATUM(PG_GETARG_DATUM(1));
	PG_RETURN_SEK(sek_add(PG_GETARG_SEK(0), PG_GETARG_SEK(1)));
}

PG_FUNCTION_INFO_V1(sek_mi);
/* sek - sek */
Datum
sek_mi(PG_FUNCTION_ARGS)
{
	PG_RETURN_SEK(sek_sub(PG_GETARG_SEK(0), PG_GETARG_SEK(1)));
}

PG_FUNCTION_INFO_V1(sek_um);
/* -sek (never overflows: INT64_MIN is not a sek) */
Datum
sek_um(PG_FUNCTION_ARGS)
{
	PG_RETURN_SEK(-PG_GETARG_SEK(0));
}

PG_FUNCTION_INFO_V1(sek_abs);
/* abs(sek) */
Datum
sek_abs(PG_FUNCTION_ARGS)
{
	PG_RETURN_SEK((Sek) sek_mag(PG_GETARG_SEK(0)));
}

PG_FUNCTION_INFO_V1(sek_mul_int8);
/* sek * bigint, exact */
Datum
sek_mul_int8(PG_FUNCTION_ARGS)
{
	int64		r;

	if (pg_mul_s64_overflow(PG_GETARG_SEK(0), PG_GETARG_INT64(1), &r) ||
		!sek_valid(r))
		sek_out_of_range("multiplication");
	PG_RETURN_SEK(r);
}

PG_FUNCTION_INFO_V1(sek_mul_int4);
/* sek * integer, exact */
Datum
sek_mul_int4(PG_FUNCTION_ARGS)
{
	int64		r;

	if (pg_mul_s64_overflow(PG_GETARG_SEK(0), (int64) PG_GETARG_INT32(1), &r) ||
		!sek_valid(r))
		sek_out_of_range("multiplication");
	PG_RETURN_SEK(r);
}

/* a ÷ d for an integer d, rounded half away from zero. */
static Sek
sek_div_int(Sek a, int64 d)
{
	uint64		ud,
				q,
				rem;

	if (d == 0)
		ereport(ERROR,
				(errcode(ERRCODE_DIVISION_BY_ZERO),
				 errmsg("division by zero")));
	ud = d < 0 ? (uint64) 0 - (uint64) d : (uint64) d;
	q = sek_mag(a) / ud;
	rem = sek_mag(a) - q * ud;
	if (rem >= ud - rem)		/* rem*2 >= ud without overflow */
		q++;
	return sek_signed(q, (a < 0) != (d < 0), "division");
}

PG_FUNCTION_INFO_V1(sek_div_int8);
/* sek / bigint, rounded half away from zero */
Datum
sek_div_int8(PG_FUNCTION_ARGS)
{
	PG_RETURN_SEK(sek_div_int(PG_GETARG_SEK(0), PG_GETARG_INT64(1)));
}

PG_FUNCTION_INFO_V1(sek_div_int4);
/* sek / integer, rounded half away from zero */
Datum
sek_div_int4(PG_FUNCTION_ARGS)
{
	PG_RETURN_SEK(sek_div_int(PG_GETARG_SEK(0), PG_GETARG_INT32(1)));
}

PG_FUNCTION_INFO_V1(sek_mul_float8);
/* sek * float8, exact product rounded once */
Datum
sek_mul_float8(PG_FUNCTION_ARGS)
{
	PG_RETURN_SEK(sek_mul_float(PG_GETARG_SEK(0), PG_GETARG_FLOAT8(1)));
}

PG_FUNCTION_INFO_V1(sek_div_float8);
/* sek / float8, exact quotient rounded once */
Datum
sek_div_float8(PG_FUNCTION_ARGS)
{
	PG_RETURN_SEK(sek_div_float(PG_GETARG_SEK(0), PG_GETARG_FLOAT8(1)));
}

PG_FUNCTION_INFO_V1(sek_div_sek);
/* sek / sek: a ratio, as float8 */
Datum
sek_div_sek(PG_FUNCTION_ARGS)
{
	Sek			b = PG_GETARG_SEK(1);

	if (b == 0)
		ereport(ERROR,
				(errcode(ERRCODE_DIVISION_BY_ZERO),
				 errmsg("division by zero")));
	PG_RETURN_FLOAT8((float8) PG_GETARG_SEK(0) / (float8) b);
}

/* öre as numeric (exact). */
static Numeric
ore_numeric(Sek v)
{
	return int64_to_numeric(v);
}

/* Round a numeric number of öre half away from zero and make it a sek. */
static Sek
numeric_ore_to_sek(Numeric n, const char *what)
{
	Datum		r;

	if (numeric_is_nan(n) || numeric_is_inf(n))
		sek_out_of_range(what);
	r = DirectFunctionCall2(numeric_round, NumericGetDatum(n), Int32GetDatum(0));
	if (DatumGetInt32(DirectFunctionCall2(numeric_cmp, r,
										  NumericGetDatum(int64_to_numeric(PG_INT64_MAX)))) > 0 ||
		DatumGetInt32(DirectFunctionCall2(numeric_cmp, r,
										  NumericGetDatum(int64_to_numeric(-PG_INT64_MAX)))) < 0)
		sek_out_of_range(what);
	return DatumGetInt64(DirectFunctionCall1(numeric_int8, r));
}

PG_FUNCTION_INFO_V1(sek_mul_numeric);
/* sek * numeric, exact product rounded once */
Datum
sek_mul_numeric(PG_FUNCTION_ARGS)
{
	Numeric		p = DatumGetNumeric(DirectFunctionCall2(numeric_mul,
														NumericGetDatum(ore_numeric(PG_GETARG_SEK(0))),
														PG_GETARG_DATUM(1)));

	PG_RETURN_SEK(numeric_ore_to_sek(p, "multiplication"));
}

PG_FUNCTION_INFO_V1(sek_div_numeric);
/* sek / numeric, exact quotient rounded once */
Datum
sek_div_numeric(PG_FUNCTION_ARGS)
{
	Sek			a = PG_GETARG_SEK(0);
	Datum		an = NumericGetDatum(ore_numeric(a));
	Datum		d = PG_GETARG_DATUM(1);
	Numeric		dn = DatumGetNumeric(d);
	Datum		zero = NumericGetDatum(int64_to_numeric(0));
	int			dsign;
	Datum		q,
				twice_rem;

	if (numeric_is_nan(dn))
		sek_out_of_range("division");
	if (numeric_is_inf(dn))
		PG_RETURN_SEK(0);
	dsign = DatumGetInt32(DirectFunctionCall2(numeric_cmp, d, zero));
	if (dsign == 0)
		ereport(ERROR,
				(errcode(ERRCODE_DIVISION_BY_ZERO),
				 errmsg("division by zero")));
	/* truncated quotient, then round on the exact remainder */
	q = DirectFunctionCall2(numeric_div_trunc, an, d);
	twice_rem = DirectFunctionCall2(numeric_sub, an,
									DirectFunctionCall2(numeric_mul, q, d));
	twice_rem = DirectFunctionCall1(numeric_abs,
									DirectFunctionCall2(numeric_add, twice_rem, twice_rem));
	if (DatumGetInt32(DirectFunctionCall2(numeric_cmp, twice_rem,
										  DirectFunctionCall1(numeric_abs, d))) >= 0)
		q = DirectFunctionCall2(numeric_add, q,
								NumericGetDatum(int64_to_numeric(((a < 0) != (dsign < 0)) ? -1 : 1)));
	PG_RETURN_SEK(numeric_ore_to_sek(DatumGetNumeric(q), "division"));
}

/* ---------- comparison, hashing, sorting ---------- */

/* Three-way comparison of two sek. */
static inline int
sek_cmp_internal(Sek a, Sek b)
{
	return (a > b) - (a < b);
}

/* One boolean comparison function per operator. */
#define SEK_CMP_FN(name, test) \
PG_FUNCTION_INFO_V1(name); \
Datum name(PG_FUNCTION_ARGS) \
{ \
	int c = sek_cmp_internal(PG_GETARG_SEK(0), PG_GETARG_SEK(1)); \
	PG_RETURN_BOOL(test); \
}

SEK_CMP_FN(sek_eq, c == 0)
SEK_CMP_FN(sek_ne, c != 0)
SEK_CMP_FN(sek_lt, c < 0)
SEK_CMP_FN(sek_le, c <= 0)
SEK_CMP_FN(sek_gt, c > 0)
SEK_CMP_FN(sek_ge, c >= 0)

PG_FUNCTION_INFO_V1(sek_cmp);
/* btree support: three-way comparison */
Datum
sek_cmp(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(sek_cmp_internal(PG_GETARG_SEK(0), PG_GETARG_SEK(1)));
}

/* Sort comparator on by-value Datums. */
static int
sek_fastcmp(Datum x, Datum y, SortSupport ssup pg_attribute_unused())
{
	return sek_cmp_internal(DatumGetSek(x), DatumGetSek(y));
}

PG_FUNCTION_INFO_V1(sek_sortsupport);
/* btree support: a direct comparator for sorting */
Datum
sek_sortsupport(PG_FUNCTION_ARGS)
{
	SortSupport ssup = (SortSupport) PG_GETARG_POINTER(0);

	ssup->comparator = sek_fastcmp;
	PG_RETURN_VOID();
}

PG_FUNCTION_INFO_V1(sek_in_range);
/* btree support: RANGE BETWEEN '1 000 kr' PRECEDING … in window frames */
Datum
sek_in_range(PG_FUNCTION_ARGS)
{
	Sek			val = PG_GETARG_SEK(0);
	Sek			base = PG_GETARG_SEK(1);
	Sek			offset = PG_GETARG_SEK(2);
	bool		sub = PG_GETARG_BOOL(3);
	bool		less = PG_GETARG_BOOL(4);
	int128		bound;

	if (offset < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PRECEDING_OR_FOLLOWING_SIZE),
				 errmsg("invalid preceding or following size in window function"),
				 errhint("The offset must not be negative.")));
	bound = sub ? (int128) base - offset : (int128) base + offset;
	PG_RETURN_BOOL(less ? (int128) val <= bound : (int128) val >= bound);
}

PG_FUNCTION_INFO_V1(sek_hash);
/* hash support: the hash of the öre value */
Datum
sek_hash(PG_FUNCTION_ARGS)
{
	return DirectFunctionCall1(hashint8, PG_GETARG_DATUM(0));
}

PG_FUNCTION_INFO_V1(sek_hash_extended);
/* hash support: seeded 64-bit hash, for hash partitioning */
Datum
sek_hash_extended(PG_FUNCTION_ARGS)
{
	return DirectFunctionCall2(hashint8extended, PG_GETARG_DATUM(0),
							   PG_GETARG_DATUM(1));
}

PG_FUNCTION_INFO_V1(sek_smaller);
/* min() support */
Datum
sek_smaller(PG_FUNCTION_ARGS)
{
	PG_RETURN_SEK(Min(PG_GETARG_SEK(0), PG_GETARG_SEK(1)));
}

PG_FUNCTION_INFO_V1(sek_larger);
/* max() support */
Datum
sek_larger(PG_FUNCTION_ARGS)
{
	PG_RETURN_SEK(Max(PG_GETARG_SEK(0), PG_GETARG_SEK(1)));
}

/* ---------- casts ---------- */

PG_FUNCTION_INFO_V1(sek_from_numeric);
/* numeric (kronor) → sek; more than two decimals is an error */
Datum
sek_from_numeric(PG_FUNCTION_ARGS)
{
	Numeric		n = PG_GETARG_NUMERIC(0);
	char	   *s;
	int64		v;
	const char *errpos;
	SekStatus	st;

	if (numeric_is_nan(n) || numeric_is_inf(n))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("cannot convert %s to sek",
						numeric_is_nan(n) ? "NaN" : "infinity")));
	s = DatumGetCString(DirectFunctionCall1(numeric_out, NumericGetDatum(n)));
	st = sek_parse_machine(s, strlen(s), &v, &errpos);
	if (st == SEK_ERR_PRECISION)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("cannot convert %s to sek: finer than one öre", s),
				 errhint("Round it to two decimals first, e.g. round(x, 2)::sek.")));
	if (st != SEK_OK)
		sek_report_parse(st, s, "sek");
	PG_RETURN_SEK(v);
}

PG_FUNCTION_INFO_V1(sek_to_numeric);
/* sek → numeric kronor with two decimals */
Datum
sek_to_numeric(PG_FUNCTION_ARGS)
{
	PG_RETURN_NUMERIC(int64_div_fast_to_numeric(PG_GETARG_SEK(0), 2));
}

PG_FUNCTION_INFO_V1(sek_from_int8);
/* bigint kronor → sek */
Datum
sek_from_int8(PG_FUNCTION_ARGS)
{
	int64		r;

	if (pg_mul_s64_overflow(PG_GETARG_INT64(0), 100, &r) || !sek_valid(r))
		sek_out_of_range("conversion from bigint");
	PG_RETURN_SEK(r);
}

PG_FUNCTION_INFO_V1(sek_from_int4);
/* integer kronor → sek (always fits) */
Datum
sek_from_int4(PG_FUNCTION_ARGS)
{
	PG_RETURN_SEK((int64) PG_GETARG_INT32(0) * 100);
}

PG_FUNCTION_INFO_V1(sek_to_int8);
/* sek → bigint kronor, rounded half away from zero */
Datum
sek_to_int8(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(sek_div_int(PG_GETARG_SEK(0), 100));
}

PG_FUNCTION_INFO_V1(sek_from_float8);
/* float8 kronor → sek, rounded to the nearest öre */
Datum
sek_from_float8(PG_FUNCTION_ARGS)
{
	float8		f = PG_GETARG_FLOAT8(0);

	if (isnan(f) || isinf(f))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("cannot convert %s to sek", isnan(f) ? "NaN" : "infinity")));
	PG_RETURN_SEK(sek_mul_float(100, f));
}

PG_FUNCTION_INFO_V1(sek_to_float8);
/* sek → float8 kronor */
Datum
sek_to_float8(PG_FUNCTION_ARGS)
{
	PG_RETURN_FLOAT8(sek_kronor(PG_GETARG_SEK(0)));
}

PG_FUNCTION_INFO_V1(sek_ore);
/* the exact number of öre, as bigint */
Datum
sek_ore(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(PG_GETARG_SEK(0));
}

PG_FUNCTION_INFO_V1(sek_from_ore);
/* a sek from an exact number of öre */
Datum
sek_from_ore(PG_FUNCTION_ARGS)
{
	int64		v = PG_GETARG_INT64(0);

	if (!sek_valid(v))
		sek_out_of_range("conversion from öre");
	PG_RETURN_SEK(v);
}

/* ---------- avg(sek): exact int128 sum and count ---------- */

typedef struct SekAvgState
{
	int128		sum;
	int64		count;
} SekAvgState;

/* The aggregate state, created in the aggregate's memory context. */
static SekAvgState *
sek_avg_state(FunctionCallInfo fcinfo, int argno)
{
	MemoryContext aggcxt;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("sek aggregate function called in non-aggregate context")));
	if (PG_ARGISNULL(argno))
		return MemoryContextAllocZero(aggcxt, sizeof(SekAvgState));
	return (SekAvgState *) PG_GETARG_POINTER(argno);
}

PG_FUNCTION_INFO_V1(sek_avg_accum);
/* avg(sek) transition: add one amount */
Datum
sek_avg_accum(PG_FUNCTION_ARGS)
{
	SekAvgState *st = sek_avg_state(fcinfo, 0);

	if (!PG_ARGISNULL(1))
	{
		st->sum += PG_GETARG_SEK(1);
		st->count++;
	}
	PG_RETURN_POINTER(st);
}

PG_FUNCTION_INFO_V1(sek_avg_accum_inv);
/* avg(sek) inverse transition for window frames: remove one amount */
Datum
sek_avg_accum_inv(PG_FUNCTION_ARGS)
{
	SekAvgState *st = sek_avg_state(fcinfo, 0);

	if (!PG_ARGISNULL(1))
	{
		st->sum -= PG_GETARG_SEK(1);
		st->count--;
	}
	PG_RETURN_POINTER(st);
}

PG_FUNCTION_INFO_V1(sek_avg_combine);
/* avg(sek) combine: add two partial states */
Datum
sek_avg_combine(PG_FUNCTION_ARGS)
{
	SekAvgState *a;
	SekAvgState *b;

	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_POINTER(PG_GETARG_POINTER(0));
	}
	a = sek_avg_state(fcinfo, 0);
	b = (SekAvgState *) PG_GETARG_POINTER(1);
	a->sum += b->sum;
	a->count += b->count;
	PG_RETURN_POINTER(a);
}

PG_FUNCTION_INFO_V1(sek_avg_serialize);
/* avg(sek) state → bytea (count, high and low 64 bits of the sum) */
Datum
sek_avg_serialize(PG_FUNCTION_ARGS)
{
	SekAvgState *st = (SekAvgState *) PG_GETARG_POINTER(0);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendint64(&buf, st->count);
	pq_sendint64(&buf, (int64) (st->sum >> 64));
	pq_sendint64(&buf, (int64) (uint64) st->sum);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

PG_FUNCTION_INFO_V1(sek_avg_deserialize);
/* bytea → avg(sek) state */
Datum
sek_avg_deserialize(PG_FUNCTION_ARGS)
{
	bytea	   *b = PG_GETARG_BYTEA_PP(0);
	StringInfoData buf;
	SekAvgState *st;
	int64		hi;
	uint64		lo;

	if (!AggCheckCallContext(fcinfo, NULL))
		elog(ERROR, "sek_avg_deserialize called in non-aggregate context");
	if (VARSIZE_ANY_EXHDR(b) != 24)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid avg(sek) state: %d bytes instead of 24",
						(int) VARSIZE_ANY_EXHDR(b))));
	bytea_reader(&buf, b);
	st = palloc(sizeof(SekAvgState));
	st->count = pq_getmsgint64(&buf);
	hi = pq_getmsgint64(&buf);
	lo = (uint64) pq_getmsgint64(&buf);
	st->sum = ((int128) hi << 64) | lo;
	PG_RETURN_POINTER(st);
}

PG_FUNCTION_INFO_V1(sek_avg_final);
/* avg(sek) final: mean rounded half away from zero; NULL for no rows */
Datum
sek_avg_final(PG_FUNCTION_ARGS)
{
	SekAvgState *st = PG_ARGISNULL(0) ? NULL : (SekAvgState *) PG_GETARG_POINTER(0);
	bool		neg;
	uint128		mag,
				q,
				rem;

	if (st == NULL || st->count == 0)
		PG_RETURN_NULL();
	neg = st->sum < 0;
	mag = neg ? (uint128) (-st->sum) : (uint128) st->sum;
	q = mag / (uint128) st->count;
	rem = mag - q * (uint128) st->count;
	if (rem * 2 >= (uint128) st->count)
		q++;
	PG_RETURN_SEK(sek_signed(q, neg, "avg"));
}
