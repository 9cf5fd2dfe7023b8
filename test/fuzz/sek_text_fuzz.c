/*
 * sek_text_fuzz.c — libFuzzer target for src/sek_text.c (see run.sh).
 *
 * Every violated invariant calls abort() so libFuzzer records the input.
 */
#include "sek_text.h"

#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHECK(c) do { if (!(c)) { fprintf(stderr, "invariant failed: %s (line %d)\n", #c, __LINE__); abort(); } } while (0)

static const int units[] = {0, 3, 6, 9};
/* " ", NBSP, and the longest separator src/sek.c accepts (8 bytes) */
static const char *const seps[] = {" ", "\xC2\xA0", "\xE2\x80\xAF\xE2\x80\xAF.."};

/* Compile a POSIX extended regex once, aborting on a bad pattern. */
static regex_t *
compile(regex_t *re, const char *pat)
{
	CHECK(regcomp(re, pat, REG_EXTENDED) == 0);
	return re;
}

/* Does the display of ore at (exp10, decimals), signed and with its unit
 * name, parse back to exactly ore? */
static bool
display_reparses(int64_t ore, int exp10, int decimals)
{
	char		buf[SEK_DISPLAY_MAX];
	char		txt[SEK_DISPLAY_MAX + 16];
	bool		zero;
	int64_t		back = 1;
	const char *err;

	sek_display_digits(ore, exp10, decimals, "", buf, &zero);
	CHECK(zero == (ore == 0) || decimals < exp10 + 2);
	snprintf(txt, sizeof(txt), "%s%s %s", (ore < 0 && !zero) ? "-" : "",
			 buf, sek_unit_name(exp10));
	return sek_parse(txt, strlen(txt), &back, &err) == SEK_OK && back == ore;
}

/* sek_display_digits: no overflow for any unit/decimals/separator; the
 * exact-decimals form re-parses; sek_exact_at agrees with re-parsing. */
static void
check_display(int64_t ore)
{
	char		buf[SEK_DISPLAY_MAX];
	bool		zero;

	for (int u = 0; u < 4; u++)
	{
		int			e = units[u];

		for (int dec = 0; dec <= 12; dec++)
		{
			for (int s = 0; s < 3; s++)
			{
				memset(buf, 'X', sizeof(buf));
				int			n = sek_display_digits(ore, e, dec, seps[s], buf, &zero);

				CHECK(n >= 0 && n < SEK_DISPLAY_MAX);
				CHECK(strlen(buf) == (size_t) n);
			}
			CHECK(sek_exact_at(ore, e, dec) == display_reparses(ore, e, dec));
		}
		CHECK(display_reparses(ore, e, e + 2));
	}
}

/* sek_to_plain output parses back to the same öre. */
static void
check_plain(int64_t ore)
{
	char		buf[SEK_OUT_MAX];
	int64_t		back = 1;
	const char *err;
	int			n = sek_to_plain(ore, buf);

	CHECK(n > 0 && n < SEK_OUT_MAX && strlen(buf) == (size_t) n);
	CHECK(sek_parse(buf, (size_t) n, &back, &err) == SEK_OK);
	CHECK(back == ore);
}

/* Reference for ^-?[0-9]{1,15}(\.[0-9]{1,2})?$ via strtoll. */
static void
check_simple_ref(const char *z, SekStatus st, int64_t ore)
{
	static regex_t re;
	static regex_t *rp;
	const char *dot;
	long long	ip;
	long long	fp = 0;

	if (!rp)
		rp = compile(&re, "^-?[0-9]{1,15}(\\.[0-9]{1,2})?$");
	if (regexec(rp, z, 0, NULL, 0) != 0)
		return;
	ip = strtoll(z, NULL, 10);
	if ((dot = strchr(z, '.')) != NULL)
		fp = strtoll(dot + 1, NULL, 10) * (strlen(dot + 1) == 1 ? 10 : 1);
	ip = llabs(ip) * 100 + fp;
	CHECK(st == SEK_OK);
	CHECK(ore == (z[0] == '-' ? -ip : ip));
}

/* Reference for long plain numbers with an optional unit: exact status and
 * value computed with 128-bit arithmetic from the stripped digit strings
 * (sek_parse_machine's, where "15.000" is 15 kr; sek_parse's otherwise). */
static void
check_wide_ref(const char *z, SekStatus st, int64_t ore, bool machine)
{
	static regex_t re;
	static regex_t *rp;
	regmatch_t	m[7];
	const char *ip, *fp;
	int			il, fl, e = 0;
	unsigned __int128 v = 0;
	bool		big = false, fine;

	if (!rp)
		rp = compile(&re, "^(-?)([0-9]+)([.,]([0-9]+))?( ?(kr|tkr|mnkr|mdkr))?$");
	if (regexec(rp, z, 7, m, 0) != 0)
		return;
	/* one to three digits, not 0..., a point and exactly three digits:
	 * ambiguous ("15.000"), whatever the value or unit */
	if (!machine && m[3].rm_so >= 0 && z[m[3].rm_so] == '.' &&
		m[2].rm_eo - m[2].rm_so <= 3 && z[m[2].rm_so] != '0' &&
		m[4].rm_eo - m[4].rm_so == 3)
	{
		CHECK(st == SEK_ERR_AMBIGUOUS);
		return;
	}
	if (m[6].rm_so >= 0)		/* kr, tkr, mnkr, mdkr */
		e = z[m[6].rm_so] == 't' ? 3 : z[m[6].rm_so + 1] == 'n' ? 6 :
			z[m[6].rm_so + 1] == 'd' ? 9 : 0;
	ip = z + m[2].rm_so;
	il = (int) (m[2].rm_eo - m[2].rm_so);
	while (il > 0 && *ip == '0')
		ip++, il--;
	fp = m[4].rm_so >= 0 ? z + m[4].rm_so : "";
	fl = m[4].rm_so >= 0 ? (int) (m[4].rm_eo - m[4].rm_so) : 0;
	while (fl > 0 && fp[fl - 1] == '0')
		fl--;
	fine = fl > e + 2;
	if (il > 19)
		big = true;
	else
	{
		for (int i = 0; i < il; i++)
			v = v * 10 + (unsigned) (ip[i] - '0');
		for (int i = 0; i < e + 2; i++)
			v = v * 10 + (i < fl ? (unsigned) (fp[i] - '0') : 0);
		big = v > (unsigned __int128) INT64_MAX;
	}
	if (fine && big)
		CHECK(st == SEK_ERR_RANGE || st == SEK_ERR_PRECISION);
	else if (fine)
		CHECK(st == SEK_ERR_PRECISION);
	else if (big)
	{
		CHECK(st == SEK_ERR_RANGE);
	}
	else
	{
		CHECK(st == SEK_OK);
		CHECK(ore == (z[0] == '-' ? -(int64_t) v : (int64_t) v));
	}
}

/* Parse s[0..len) and check every invariant that applies to the result. */
static void
check_parse(const char *s, size_t len)
{
	int64_t		ore = 0;
	const char *err = NULL;
	SekStatus	st = sek_parse(s, len, &ore, &err);
	int64_t		ore_m = 0;
	const char *err_m = NULL;
	SekStatus	st_m = sek_parse_machine(s, len, &ore_m, &err_m);

	CHECK(st >= SEK_OK && st <= SEK_ERR_AMBIGUOUS);
	/* the machine reading differs only where the text is ambiguous */
	CHECK(st_m != SEK_ERR_AMBIGUOUS);
	CHECK(st == SEK_ERR_AMBIGUOUS || (st == st_m && (st != SEK_OK || ore == ore_m)));
	CHECK(err >= s && err <= s + len);
	if (st == SEK_OK)
	{
		CHECK(ore != INT64_MIN);
		check_plain(ore);
		check_display(ore);
	}
	if (memchr(s, '\0', len) == NULL)
	{
		char	   *z = malloc(len + 1);

		memcpy(z, s, len);
		z[len] = '\0';
		check_simple_ref(z, st, ore);
		check_wide_ref(z, st, ore, false);
		check_wide_ref(z, st_m, ore_m, true);
		free(z);
	}
}

/* Lower-level pieces from every offset: results stay within [p, end]. */
static void
check_pieces(const char *s, size_t len)
{
	const char *end = s + len;

	for (const char *p = s; p <= end; p++)
	{
		SekNumber	num;
		int			e = 12345;
		const char *q;

		q = sek_skip_space(p, end);
		CHECK(q >= p && q <= end);
		q = sek_parse_number(p, end, &num);
		CHECK(q >= p && q <= end);
		q = sek_parse_unit(p, end, &e);
		CHECK(q >= p && q <= end);
		CHECK(e == SEK_UNIT_NONE || e == 0 || e == 3 || e == 6 || e == 9);
		CHECK((q == p) == (e == SEK_UNIT_NONE));
	}
}

/* libFuzzer entry: the raw bytes (no terminator, so ASan sees over-reads),
 * then the C-string prefix up to the first NUL, as a strlen caller would. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *) data;

	check_parse(s, size);
	check_pieces(s, size);
	if (memchr(s, '\0', size) != NULL)
		check_parse(s, strlen(s));
	return 0;
}
