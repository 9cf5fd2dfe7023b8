/*
 * sek_text.c — parsing and formatting of Swedish money text.
 *
 * What finance documents contain: "-15 000 tkr", "−15 000 tkr" (U+2212),
 * "81,5 mnkr", "2 300 kr", "1750000.50", with space, no-break space or thin
 * space between thousands groups.  The parser never rounds: a value finer
 * than one öre is an error.
 */
#include "sek_text.h"

#include <string.h>

/* Powers of ten that fit in uint64. */
static const uint64_t pow10_u64[20] = {
	1ULL, 10ULL, 100ULL, 1000ULL, 10000ULL, 100000ULL, 1000000ULL,
	10000000ULL, 100000000ULL, 1000000000ULL, 10000000000ULL,
	100000000000ULL, 1000000000000ULL, 10000000000000ULL,
	100000000000000ULL, 1000000000000000ULL, 10000000000000000ULL,
	100000000000000000ULL, 1000000000000000000ULL,
	10000000000000000000ULL
};

/* Length of a space-like character at p (0 if none); tabs/newlines only if
 * `any` is set, since they never separate thousands groups. */
static int
space_len(const char *p, const char *end, bool any)
{
	const unsigned char *u = (const unsigned char *) p;
	ptrdiff_t	left = end - p;

	if (left <= 0)
		return 0;
	if (u[0] == ' ')
		return 1;
	if (any && (u[0] == '\t' || u[0] == '\n' || u[0] == '\r' ||
				u[0] == '\f' || u[0] == '\v'))
		return 1;
	/* U+00A0 no-break space */
	if (left >= 2 && u[0] == 0xC2 && u[1] == 0xA0)
		return 2;
	/* U+2000..U+200A (en quad .. hair space, incl. thin space U+2009) and
	 * U+202F narrow no-break space */
	if (left >= 3 && u[0] == 0xE2 && u[1] == 0x80 &&
		(u[2] <= 0x8A || u[2] == 0xAF) && u[2] >= 0x80)
		return 3;
	return 0;
}

/* Skip white space (ASCII and the Unicode spaces of typeset documents). */
const char *
sek_skip_space(const char *p, const char *end)
{
	int			n;

	while ((n = space_len(p, end, true)) > 0)
		p += n;
	return p;
}

/* Is p at an ASCII digit? */
static inline bool
at_digit(const char *p, const char *end)
{
	return p < end && *p >= '0' && *p <= '9';
}

/* Append one digit to num; remembers overflow instead of wrapping. */
static inline void
push_digit(SekNumber *num, int d)
{
	if (num->overflow)
		return;
	if (num->mant > (UINT64_MAX - (uint64_t) d) / 10)
		num->overflow = true;
	else
		num->mant = num->mant * 10 + (uint64_t) d;
}

/* Parse a signed number with optional thousands groups and decimals. */
const char *
sek_parse_number(const char *p, const char *end, SekNumber *num)
{
	const char *start = p;
	const unsigned char *u;
	int			run = 0;
	int			pending = 0;	/* fraction zeros not yet pushed */

	memset(num, 0, sizeof(*num));

	u = (const unsigned char *) p;
	if (p < end && (*p == '-' || *p == '+'))
	{
		num->neg = (*p == '-');
		p++;
	}
	else if (end - p >= 3 && u[0] == 0xE2 && u[1] == 0x88 && u[2] == 0x92)
	{
		num->neg = true;		/* U+2212 minus sign */
		p += 3;
	}

	if (!at_digit(p, end))
		return start;			/* no number here */

	while (at_digit(p, end))
	{
		push_digit(num, *p - '0');
		p++;
		run++;
	}

	/* thousands groups: a single space, exactly three digits, no fourth */
	if (run <= 3)
	{
		const char *ungrouped = p;

		for (;;)
		{
			int			sl = space_len(p, end, false);
			const char *q = p + sl;

			if (sl == 0 || end - q < 3 ||
				!at_digit(q, end) || !at_digit(q + 1, end) ||
				!at_digit(q + 2, end) || at_digit(q + 3, end))
				break;
			push_digit(num, q[0] - '0');
			push_digit(num, q[1] - '0');
			push_digit(num, q[2] - '0');
			p = q + 3;
		}

		/*
		 * "15.000", "1.234.567": a point after one to three digits (the
		 * first not 0) with exactly three digits after it reads as
		 * thousands in a European paste and as decimals in machine text.
		 */
		num->ambiguous = p == ungrouped && *(p - run) != '0' &&
			end - p >= 4 && p[0] == '.' && at_digit(p + 1, end) &&
			at_digit(p + 2, end) && at_digit(p + 3, end) &&
			!at_digit(p + 4, end);
	}

	/* decimals after a comma or a point */
	if (p < end && (*p == ',' || *p == '.') && at_digit(p + 1, end))
	{
		bool		int_overflow = num->overflow;

		p++;
		while (at_digit(p, end))
		{
			int			d = *p - '0';

			if (d == 0)
				pending++;
			else
			{
				for (; pending > 0; pending--)
				{
					push_digit(num, 0);
					num->frac++;
				}
				push_digit(num, d);
				num->frac++;
			}
			p++;
		}
		/* an integer part that overflows is too large whatever follows */
		if (int_overflow)
			num->frac = 0;
	}
	return p;
}

static const struct
{
	const char *name;
	int			exp10;
}			unit_table[] = {
	/* longer names before their prefixes */
	{"kronor", 0}, {"mdsek", 9}, {"mdkr", 9}, {"mnkr", 6}, {"msek", 6},
	{"mkr", 6}, {"tsek", 3}, {"tkr", 3}, {"sek", 0}, {"kr", 0}
};

/* ASCII lower case of one byte. */
static inline char
lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char) (c - 'A' + 'a') : c;
}

/* Is the byte part of a word (so a unit name must not be followed by it)? */
static inline bool
word_byte(char c)
{
	unsigned char u = (unsigned char) c;

	return (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') ||
		(u >= '0' && u <= '9') || u == '_' || u >= 0x80;
}

/* Unit name to power of ten of kronor, or SEK_UNIT_NONE if unknown. */
int
sek_unit_exp(const char *name, size_t len)
{
	for (size_t i = 0; i < sizeof(unit_table) / sizeof(unit_table[0]); i++)
	{
		size_t		n = strlen(unit_table[i].name);
		size_t		k;

		if (n != len)
			continue;
		for (k = 0; k < n; k++)
			if (lower(name[k]) != unit_table[i].name[k])
				break;
		if (k == n)
			return unit_table[i].exp10;
	}
	return SEK_UNIT_NONE;
}

/* Parse an optional unit (kr, tkr, mkr, mnkr, mdkr, …); sets *exp10. */
const char *
sek_parse_unit(const char *p, const char *end, int *exp10)
{
	const char *q = sek_skip_space(p, end);
	const char *w = q;

	while (w < end && word_byte(*w) && (unsigned char) *w < 0x80 &&
		   !(*w >= '0' && *w <= '9'))
		w++;
	/* a unit ends at the end, a space or punctuation, never inside a word */
	if (w == q || (w < end && word_byte(*w) && space_len(w, end, true) == 0))
	{
		*exp10 = SEK_UNIT_NONE;
		return p;
	}
	*exp10 = sek_unit_exp(q, (size_t) (w - q));
	return (*exp10 == SEK_UNIT_NONE) ? p : w;
}

/* Scale a number written in 10^exp10 kronor to öre. */
SekStatus
sek_scale(const SekNumber *num, int exp10, int64_t *ore)
{
	int			shift;
	uint64_t	mag;

	if (exp10 == SEK_UNIT_NONE)
		exp10 = 0;
	/* more than 19 significant digits: too fine if the last non-zero digit
	 * is below one öre, else too large */
	if (num->overflow)
		return num->frac > exp10 + 2 ? SEK_ERR_PRECISION : SEK_ERR_RANGE;
	if (num->mant == 0)
	{
		*ore = 0;
		return SEK_OK;
	}
	shift = exp10 + 2 - num->frac;
	if (shift < 0)
		return SEK_ERR_PRECISION;	/* last digit is non-zero by construction */
	if (shift > 19 || num->mant > (uint64_t) INT64_MAX / pow10_u64[shift])
		return SEK_ERR_RANGE;
	mag = num->mant * pow10_u64[shift];
	if (mag > (uint64_t) INT64_MAX)
		return SEK_ERR_RANGE;
	*ore = num->neg ? -(int64_t) mag : (int64_t) mag;
	return SEK_OK;
}

/* sek_parse and sek_parse_machine: `machine` reads "15.000" as 15 kr. */
static SekStatus
parse_amount(const char *s, size_t len, int64_t *ore, const char **errpos,
			 bool machine)
{
	const char *end = s + len;
	const char *p = sek_skip_space(s, end);
	const char *q;
	SekNumber	num;
	int			exp10;

	q = sek_parse_number(p, end, &num);
	if (q == p)
	{
		*errpos = p;
		return SEK_ERR_SYNTAX;
	}
	if (num.ambiguous && !machine)
	{
		*errpos = p;
		return SEK_ERR_AMBIGUOUS;
	}
	q = sek_parse_unit(q, end, &exp10);
	q = sek_skip_space(q, end);
	if (q != end)
	{
		*errpos = q;
		return SEK_ERR_SYNTAX;
	}
	*errpos = p;
	return sek_scale(&num, exp10, ore);
}

/* Parse a whole amount text such as "-15 000 tkr"; nothing may follow. */
SekStatus
sek_parse(const char *s, size_t len, int64_t *ore, const char **errpos)
{
	return parse_amount(s, len, ore, errpos, false);
}

/* sek_parse for machine text, where a point is always the decimal mark. */
SekStatus
sek_parse_machine(const char *s, size_t len, int64_t *ore, const char **errpos)
{
	return parse_amount(s, len, ore, errpos, true);
}

/* Write the decimal digits of v at the end of buf, returning the start. */
static char *
utoa_back(uint64_t v, char *bufend)
{
	char	   *p = bufend;

	do
	{
		*--p = (char) ('0' + v % 10);
		v /= 10;
	} while (v);
	return p;
}

/* Machine text "-81500000.00"; buf needs SEK_OUT_MAX bytes. Returns length. */
int
sek_to_plain(int64_t ore, char *buf)
{
	char		tmp[SEK_OUT_MAX];
	char	   *end = tmp + sizeof(tmp);
	uint64_t	mag = ore < 0 ? (uint64_t) 0 - (uint64_t) ore : (uint64_t) ore;
	char	   *p;
	int			n = 0;

	*--end = (char) ('0' + mag % 10);
	*--end = (char) ('0' + (mag / 10) % 10);
	*--end = '.';
	p = utoa_back(mag / 100, end);
	if (ore < 0)
		buf[n++] = '-';
	memcpy(buf + n, p, (size_t) (tmp + sizeof(tmp) - p));
	n += (int) (tmp + sizeof(tmp) - p);
	buf[n] = '\0';
	return n;
}

/*
 * Swedish display digits of |ore| in 10^exp10 kronor, rounded half away from
 * zero to `decimals` decimals, with `sep` between thousands groups.
 */
int
sek_display_digits(int64_t ore, int exp10, int decimals, const char *sep,
				   char *buf, bool *is_zero)
{
	uint64_t	mag = ore < 0 ? (uint64_t) 0 - (uint64_t) ore : (uint64_t) ore;
	int			exact = exp10 + 2;	/* decimals that hold every öre */
	int			d = decimals < exact ? decimals : exact;
	uint64_t	q = mag;
	uint64_t	ipart,
				fpart;
	char		digits[24];
	char	   *dend = digits + sizeof(digits);
	char	   *ds;
	int			ndig;
	size_t		seplen = strlen(sep);
	int			n = 0;

	if (exact - d > 0)
	{
		uint64_t	div = pow10_u64[exact - d];

		q = mag / div + ((mag % div) * 2 >= div ? 1 : 0);
	}
	*is_zero = (q == 0);
	ipart = q / pow10_u64[d];
	fpart = q % pow10_u64[d];

	ds = utoa_back(ipart, dend);
	ndig = (int) (dend - ds);
	for (int i = 0; i < ndig; i++)
	{
		if (i > 0 && (ndig - i) % 3 == 0)
		{
			memcpy(buf + n, sep, seplen);
			n += (int) seplen;
		}
		buf[n++] = ds[i];
	}
	if (decimals > 0)
	{
		buf[n++] = ',';
		for (int i = d - 1; i >= 0; i--)
			buf[n++] = (char) ('0' + (fpart / pow10_u64[i]) % 10);
		for (int i = d; i < decimals; i++)
			buf[n++] = '0';
	}
	buf[n] = '\0';
	return n;
}

/* Is the amount shown exactly with `decimals` decimals in 10^exp10 kronor? */
bool
sek_exact_at(int64_t ore, int exp10, int decimals)
{
	int			drop = exp10 + 2 - decimals;

	return drop <= 0 || ore % (int64_t) pow10_u64[drop] == 0;
}

/* The unit chosen by 'auto' for an amount: mnkr, tkr or kr. */
int
sek_auto_unit(int64_t ore_abs_max)
{
	if (ore_abs_max >= 100000000)	/* 1 000 000 kr */
		return 6;
	if (ore_abs_max >= 1000000)	/* 10 000 kr */
		return 3;
	return 0;
}

/* Default decimals for a unit in display. */
int
sek_default_decimals(int exp10)
{
	switch (exp10)
	{
		case 6:
			return 1;
		case 9:
			return 2;
		default:
			return 0;
	}
}

/* The canonical display name of a unit power. */
const char *
sek_unit_name(int exp10)
{
	switch (exp10)
	{
		case 3:
			return "tkr";
		case 6:
			return "mnkr";
		case 9:
			return "mdkr";
		default:
			return "kr";
	}
}
