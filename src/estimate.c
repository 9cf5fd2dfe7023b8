/*
 * estimate.c — an expected effect: a closed range [low, high] of sek.
 *
 * Action plans write effects as "ca 2-3 mkr", "2–3 mkr", "ca 4,6 mkr" or
 * "ingen effekt".  Every estimate is approximate, so a "ca" prefix is
 * accepted and not stored.  Arithmetic is interval arithmetic on exact öre.
 */
#include "postgres.h"

#include "common/hashfn.h"
#include "common/int.h"
#include "fmgr.h"
#include "lib/stringinfo.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"
#include "utils/fmgrprotos.h"

#include "sek.h"

typedef struct Estimate
{
	int64		low;
	int64		high;
} Estimate;

#define PG_GETARG_ESTIMATE(n) ((Estimate *) PG_GETARG_POINTER(n))

/* A new estimate, checked; sqlstate says how a bad range is reported. */
static Estimate *
estimate_new(int64 low, int64 high, int sqlstate)
{
	Estimate   *e;

	if (low > high)
	{
		char		a[SEK_OUT_MAX],
					b[SEK_OUT_MAX];

		sek_to_plain(low, a);
		sek_to_plain(high, b);
		ereport(ERROR,
				(errcode(sqlstate),
				 errmsg("estimate low %s kr is above high %s kr", a, b),
				 errhint("Write the range low-high, e.g. '2-3 mkr'.")));
	}
	e = palloc(sizeof(Estimate));
	e->low = low;
	e->high = high;
	return e;
}

/* Case-insensitive match of an ASCII word at p, followed by a non-letter. */
static const char *
match_word(const char *p, const char *end, const char *word)
{
	size_t		n = strlen(word);

	if ((size_t) (end - p) < n || pg_strncasecmp(p, word, n) != 0)
		return NULL;
	if (p + n < end && ((p[n] >= 'a' && p[n] <= 'z') ||
						(p[n] >= 'A' && p[n] <= 'Z') ||
						(unsigned char) p[n] >= 0x80))
	{
		/* "ungefär" ends in a multibyte letter; other words must end here */
		return NULL;
	}
	return p + n;
}

/* Skip an "approximately" prefix: ca, ca., cirka, ungefär, ~, ≈. */
static const char *
skip_approx(const char *p, const char *end)
{
	const char *q;

	if ((q = match_word(p, end, "ca.")) || (q = match_word(p, end, "ca")) ||
		(q = match_word(p, end, "cirka")) ||
		(q = match_word(p, end, "ungef\xC3\xA4r")))
		return sek_skip_space(q, end);
	if (p < end && *p == '~')
		return sek_skip_space(p + 1, end);
	if (end - p >= 3 && memcmp(p, "\xE2\x89\x88", 3) == 0)
		return sek_skip_space(p + 3, end);
	return p;
}

/* Skip a range separator: -, – (en dash), — (em dash), .., "till". */
static const char *
skip_range_sep(const char *p, const char *end)
{
	const char *q;

	if (end - p >= 2 && p[0] == '.' && p[1] == '.')
		return p + 2;
	if (p < end && *p == '-')
		return p + 1;
	if (end - p >= 3 && (memcmp(p, "\xE2\x80\x93", 3) == 0 ||
						 memcmp(p, "\xE2\x80\x94", 3) == 0))
		return p + 3;
	if ((q = match_word(p, end, "till")))
		return q;
	return NULL;
}

/*
 * Parse estimate text.  A unit written once applies to both ends
 * ("2-3 mkr"); each end may also carry its own ("500 tkr-1 mkr").
 */
static SekStatus
estimate_parse(const char *s, int64 *low, int64 *high)
{
	const char *end = s + strlen(s);
	const char *p = sek_skip_space(s, end);
	const char *q;
	SekNumber	n1,
				n2;
	int			u1,
				u2;
	SekStatus	st;

	p = skip_approx(p, end);
	if ((q = match_word(p, end, "ingen")))
	{
		/* "ingen effekt" / "ingen": no effect */
		q = sek_skip_space(q, end);
		if ((p = match_word(q, end, "effekt")))
			q = p;
		if (sek_skip_space(q, end) != end)
			return SEK_ERR_SYNTAX;
		*low = *high = 0;
		return SEK_OK;
	}
	q = sek_parse_number(p, end, &n1);
	if (q == p)
		return SEK_ERR_SYNTAX;
	if (n1.ambiguous)
		return SEK_ERR_AMBIGUOUS;
	p = sek_parse_unit(q, end, &u1);
	p = sek_skip_space(p, end);
	if (p == end)
	{
		st = sek_scale(&n1, u1, low);
		*high = *low;
		return st;
	}
	q = skip_range_sep(p, end);
	if (q == NULL)
		return SEK_ERR_SYNTAX;
	p = sek_skip_space(q, end);
	q = sek_parse_number(p, end, &n2);
	if (q == p)
		return SEK_ERR_SYNTAX;
	if (n2.ambiguous)
		return SEK_ERR_AMBIGUOUS;
	p = sek_parse_unit(q, end, &u2);
	if (sek_skip_space(p, end) != end)
		return SEK_ERR_SYNTAX;
	if (u1 == SEK_UNIT_NONE)
		u1 = u2;
	if (u2 == SEK_UNIT_NONE)
		u2 = u1;
	if ((st = sek_scale(&n1, u1, low)) != SEK_OK)
		return st;
	return sek_scale(&n2, u2, high);
}

PG_FUNCTION_INFO_V1(estimate_in);
/* Text input: '2-3 mkr', 'ca 4,6 mkr', '2–3 mkr', 'ingen effekt'. */
Datum
estimate_in(PG_FUNCTION_ARGS)
{
	char	   *s = PG_GETARG_CSTRING(0);
	int64		low,
				high;
	SekStatus	st = estimate_parse(s, &low, &high);

	if (st != SEK_OK)
		sek_report_parse(st, s, "estimate");
	PG_RETURN_POINTER(estimate_new(low, high, ERRCODE_INVALID_TEXT_REPRESENTATION));
}

PG_FUNCTION_INFO_V1(estimate_out);
/* Text output: '2000000.00..3000000.00', or one amount for a point. */
Datum
estimate_out(PG_FUNCTION_ARGS)
{
	Estimate   *e = PG_GETARG_ESTIMATE(0);
	char		a[SEK_OUT_MAX],
				b[SEK_OUT_MAX];

	sek_to_plain(e->low, a);
	if (e->low == e->high)
		PG_RETURN_CSTRING(pstrdup(a));
	sek_to_plain(e->high, b);
	PG_RETURN_CSTRING(psprintf("%s..%s", a, b));
}

PG_FUNCTION_INFO_V1(estimate_recv);
/* Binary input: low and high öre (8 bytes each), validated. */
Datum
estimate_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int64		low,
				high;

	if (buf->len - buf->cursor != 16)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary estimate: expected 16 bytes, got %d",
						buf->len - buf->cursor)));
	low = pq_getmsgint64(buf);
	high = pq_getmsgint64(buf);
	if (low == PG_INT64_MIN || high == PG_INT64_MIN)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary estimate: bound out of range")));
	PG_RETURN_POINTER(estimate_new(low, high, ERRCODE_INVALID_BINARY_REPRESENTATION));
}

PG_FUNCTION_INFO_V1(estimate_send);
/* Binary output: low and high öre, network order. */
Datum
estimate_send(PG_FUNCTION_ARGS)
{
	Estimate   *e = PG_GETARG_ESTIMATE(0);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendint64(&buf, e->low);
	pq_sendint64(&buf, e->high);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

PG_FUNCTION_INFO_V1(estimate_make);
/* estimate(low, high): a range from two amounts. */
Datum
estimate_make(PG_FUNCTION_ARGS)
{
	PG_RETURN_POINTER(estimate_new(PG_GETARG_SEK(0), PG_GETARG_SEK(1),
								   ERRCODE_INVALID_PARAMETER_VALUE));
}

PG_FUNCTION_INFO_V1(estimate_from_sek);
/* sek → estimate: a point estimate. */
Datum
estimate_from_sek(PG_FUNCTION_ARGS)
{
	PG_RETURN_POINTER(estimate_new(PG_GETARG_SEK(0), PG_GETARG_SEK(0),
								   ERRCODE_INVALID_PARAMETER_VALUE));
}

PG_FUNCTION_INFO_V1(estimate_low);
/* low(estimate) */
Datum
estimate_low(PG_FUNCTION_ARGS)
{
	PG_RETURN_SEK(PG_GETARG_ESTIMATE(0)->low);
}

PG_FUNCTION_INFO_V1(estimate_high);
/* high(estimate) */
Datum
estimate_high(PG_FUNCTION_ARGS)
{
	PG_RETURN_SEK(PG_GETARG_ESTIMATE(0)->high);
}

PG_FUNCTION_INFO_V1(estimate_mid);
/* mid(estimate): the midpoint, rounded half away from zero */
Datum
estimate_mid(PG_FUNCTION_ARGS)
{
	Estimate   *e = PG_GETARG_ESTIMATE(0);
	int128		s = (int128) e->low + e->high;
	int128		h = s / 2;		/* truncates toward zero */

	if (s % 2 != 0)
		h += (s > 0) ? 1 : -1;
	PG_RETURN_SEK((int64) h);	/* between low and high, so in range */
}

PG_FUNCTION_INFO_V1(estimate_width);
/* width(estimate) = high - low */
Datum
estimate_width(PG_FUNCTION_ARGS)
{
	Estimate   *e = PG_GETARG_ESTIMATE(0);

	PG_RETURN_SEK(sek_sub(e->high, e->low));
}

PG_FUNCTION_INFO_V1(estimate_pl);
/* estimate + estimate: [l1+l2, h1+h2] */
Datum
estimate_pl(PG_FUNCTION_ARGS)
{
	Estimate   *a = PG_GETARG_ESTIMATE(0);
	Estimate   *b = PG_GETARG_ESTIMATE(1);

	PG_RETURN_POINTER(estimate_new(sek_add(a->low, b->low),
								   sek_add(a->high, b->high),
								   ERRCODE_INTERNAL_ERROR));
}

PG_FUNCTION_INFO_V1(estimate_sum_inv);
/* sum(estimate) inverse transition: remove one term, [l1-l2, h1-h2] */
Datum
estimate_sum_inv(PG_FUNCTION_ARGS)
{
	Estimate   *a = PG_GETARG_ESTIMATE(0);
	Estimate   *b = PG_GETARG_ESTIMATE(1);
	int64		low = sek_sub(a->low, b->low);
	int64		high = sek_sub(a->high, b->high);

	/* cannot invert a term that was never added: let the frame restart */
	if (low > high)
		PG_RETURN_NULL();
	PG_RETURN_POINTER(estimate_new(low, high, ERRCODE_INTERNAL_ERROR));
}

PG_FUNCTION_INFO_V1(estimate_mi);
/* estimate - estimate: [l1-h2, h1-l2], the range of possible differences */
Datum
estimate_mi(PG_FUNCTION_ARGS)
{
	Estimate   *a = PG_GETARG_ESTIMATE(0);
	Estimate   *b = PG_GETARG_ESTIMATE(1);

	PG_RETURN_POINTER(estimate_new(sek_sub(a->low, b->high),
								   sek_sub(a->high, b->low),
								   ERRCODE_INTERNAL_ERROR));
}

PG_FUNCTION_INFO_V1(estimate_um);
/* -estimate: [-h, -l] */
Datum
estimate_um(PG_FUNCTION_ARGS)
{
	Estimate   *a = PG_GETARG_ESTIMATE(0);

	PG_RETURN_POINTER(estimate_new(-a->high, -a->low, ERRCODE_INTERNAL_ERROR));
}

PG_FUNCTION_INFO_V1(estimate_mul_float8);
/* estimate * float8: both ends scaled (and swapped for a negative factor) */
Datum
estimate_mul_float8(PG_FUNCTION_ARGS)
{
	Estimate   *a = PG_GETARG_ESTIMATE(0);
	float8		f = PG_GETARG_FLOAT8(1);
	int64		l = sek_mul_float(a->low, f);
	int64		h = sek_mul_float(a->high, f);

	PG_RETURN_POINTER(f < 0 ? estimate_new(h, l, ERRCODE_INTERNAL_ERROR)
					  : estimate_new(l, h, ERRCODE_INTERNAL_ERROR));
}

PG_FUNCTION_INFO_V1(estimate_contains_sek);
/* estimate @> sek: the outcome lies within the range */
Datum
estimate_contains_sek(PG_FUNCTION_ARGS)
{
	Estimate   *a = PG_GETARG_ESTIMATE(0);
	int64		v = PG_GETARG_SEK(1);

	PG_RETURN_BOOL(a->low <= v && v <= a->high);
}

PG_FUNCTION_INFO_V1(estimate_contains);
/* estimate @> estimate: the second range lies within the first */
Datum
estimate_contains(PG_FUNCTION_ARGS)
{
	Estimate   *a = PG_GETARG_ESTIMATE(0);
	Estimate   *b = PG_GETARG_ESTIMATE(1);

	PG_RETURN_BOOL(a->low <= b->low && b->high <= a->high);
}

PG_FUNCTION_INFO_V1(estimate_overlaps);
/* estimate && estimate: the ranges share at least one amount */
Datum
estimate_overlaps(PG_FUNCTION_ARGS)
{
	Estimate   *a = PG_GETARG_ESTIMATE(0);
	Estimate   *b = PG_GETARG_ESTIMATE(1);

	PG_RETURN_BOOL(a->low <= b->high && b->low <= a->high);
}

/* Order by low, then by high. */
static int
estimate_cmp_internal(const Estimate *a, const Estimate *b)
{
	if (a->low != b->low)
		return a->low < b->low ? -1 : 1;
	if (a->high != b->high)
		return a->high < b->high ? -1 : 1;
	return 0;
}

/* One boolean comparison function per operator. */
#define ESTIMATE_CMP_FN(name, test) \
PG_FUNCTION_INFO_V1(name); \
Datum name(PG_FUNCTION_ARGS) \
{ \
	int c = estimate_cmp_internal(PG_GETARG_ESTIMATE(0), PG_GETARG_ESTIMATE(1)); \
	PG_RETURN_BOOL(test); \
}

ESTIMATE_CMP_FN(estimate_eq, c == 0)
ESTIMATE_CMP_FN(estimate_ne, c != 0)
ESTIMATE_CMP_FN(estimate_lt, c < 0)
ESTIMATE_CMP_FN(estimate_le, c <= 0)
ESTIMATE_CMP_FN(estimate_gt, c > 0)
ESTIMATE_CMP_FN(estimate_ge, c >= 0)

PG_FUNCTION_INFO_V1(estimate_cmp);
/* btree support: order by low, then high */
Datum
estimate_cmp(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(estimate_cmp_internal(PG_GETARG_ESTIMATE(0),
										  PG_GETARG_ESTIMATE(1)));
}

PG_FUNCTION_INFO_V1(estimate_hash);
/* hash support: hash of both ends */
Datum
estimate_hash(PG_FUNCTION_ARGS)
{
	Estimate   *a = PG_GETARG_ESTIMATE(0);

	return hash_any((unsigned char *) a, sizeof(Estimate));
}

PG_FUNCTION_INFO_V1(estimate_format);
/* estimate_format(e, unit, decimals, thousands): '9,2–10,2 mkr' */
Datum
estimate_format(PG_FUNCTION_ARGS)
{
	Estimate   *a;
	const char *name;
	const char *sep;
	int			u,
				d;
	char		lo[SEK_DISPLAY_MAX],
				hi[SEK_DISPLAY_MAX];
	bool		lo_zero,
				hi_zero;
	int64		absmax;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
		PG_RETURN_NULL();
	a = PG_GETARG_ESTIMATE(0);
	absmax = Max(a->high < 0 ? -a->high : a->high, a->low < 0 ? -a->low : a->low);
	u = sek_resolve_unit(PG_GETARG_TEXT_PP(1), absmax, &name);
	d = sek_resolve_decimals(fcinfo, 2, u);
	/* by default, no more decimals than the ends need: '2–3 mkr', '9,2–10,2 mkr' */
	if (PG_ARGISNULL(2))
	{
		for (int k = 0; k < d; k++)
			if (sek_exact_at(a->low, u, k) && sek_exact_at(a->high, u, k))
			{
				d = k;
				break;
			}
	}
	sep = sek_resolve_sep(fcinfo, 3);
	sek_display_digits(a->low, u, d, sep, lo, &lo_zero);
	sek_display_digits(a->high, u, d, sep, hi, &hi_zero);
	/* a range that rounds to one figure is shown as that figure */
	if (strcmp(lo, hi) == 0 && (a->low < 0) == (a->high < 0))
		PG_RETURN_TEXT_P(cstring_to_text(sek_display(a->low, u, name, d, sep)));
	PG_RETURN_TEXT_P(cstring_to_text(psprintf("%s%s\xE2\x80\x93%s%s %s",
											  (a->low < 0 && !lo_zero) ? "-" : "", lo,
											  (a->high < 0 && !hi_zero) ? "-" : "", hi,
											  name)));
}
