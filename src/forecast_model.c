/*
 * forecast_model.c — the forecast_model type: its range checks, its name,
 * and exact text and binary I/O, so that a fitted model can be stored and
 * forecast from later.
 */
#include "postgres.h"

#include <math.h>

#include "libpq/pqformat.h"
#include "utils/builtins.h"
#include "utils/float.h"

#include "forecast.h"
#include "monthseries.h"

/* The component's model code, e.g. "MAdM" (error, trend, season or adjustment). */
static void
component_code(const Component *c, char *buf)
{
	snprintf(buf, 8, "%c%s%c", c->error,
			 c->trend == 'D' ? "Ad" : c->trend == 'A' ? "A" : "N", c->season);
}

PG_FUNCTION_INFO_V1(forecast_model_name);
/* model_name(model): e.g. 'ETS(M,Ad,M)', 'theta', 'comb(ETS(A,N,A), theta, damped)'. */
Datum
forecast_model_name(PG_FUNCTION_ARGS)
{
	ForecastModel *fm = PG_GETARG_MODEL(0);
	StringInfoData buf;

	initStringInfo(&buf);
	if (fm->kind == KIND_COMB)
		appendStringInfoString(&buf, "comb(");
	for (int i = 0; i < fm->ncomp; i++)
	{
		const Component *c = &fm->comp[i];

		if (i > 0)
			appendStringInfoString(&buf, ", ");
		if (c->kind == KIND_ETS)
			appendStringInfo(&buf, "ETS(%c,%s,%c)", c->error,
							 c->trend == 'D' ? "Ad" : c->trend == 'A' ? "A" : "N", c->season);
		else
			appendStringInfoString(&buf, c->kind == KIND_THETA ? "theta" : "damped");
	}
	if (fm->kind == KIND_COMB)
		appendStringInfoChar(&buf, ')');
	PG_RETURN_TEXT_P(cstring_to_text(buf.data));
}

/* ---------- text and binary I/O ---------- */

static const char *const kind_names[] = {"", "ets", "theta", "damped", "comb"};

/* Append key=value for a double, in the shortest exact form. */
static void
put_double(StringInfo buf, const char *key, double v)
{
	appendStringInfo(buf, " %s=%s", key, float8out_internal(v));
}

/* Append a month index as YYYY-MM. */
static void
put_month(StringInfo buf, const char *key, int32 mi)
{
	appendStringInfo(buf, " %s=%04d-%02d", key, mi / 12, mi % 12 + 1);
}

PG_FUNCTION_INFO_V1(forecast_model_out);
/* Text output: the header, then each component after '|', every number exact. */
Datum
forecast_model_out(PG_FUNCTION_ARGS)
{
	ForecastModel *fm = PG_GETARG_MODEL(0);
	StringInfoData buf;

	initStringInfo(&buf);
	appendStringInfo(&buf, "method=%s", kind_names[fm->kind]);
	put_month(&buf, "first", fm->first);
	put_month(&buf, "last", fm->last);
	appendStringInfo(&buf, " n=%d ytd_months=%d", fm->nobs, fm->ytd_months);
	put_double(&buf, "ytd", fm->ytd);
	for (int i = 0; i < fm->ncomp; i++)
	{
		const Component *c = &fm->comp[i];
		char		code[8];

		component_code(c, code);
		appendStringInfo(&buf, " | kind=%s model=%s n=%d", kind_names[c->kind], code, c->nobs);
		put_double(&buf, "alpha", c->alpha);
		put_double(&buf, "beta", c->beta);
		put_double(&buf, "gamma", c->gamma);
		put_double(&buf, "phi", c->phi);
		put_double(&buf, "level", c->level);
		put_double(&buf, "slope", c->slope);
		put_double(&buf, "drift", c->drift);
		put_double(&buf, "offset", c->offset);
		put_double(&buf, "sigma2", c->sigma2);
		put_double(&buf, "aicc", c->aicc);
		appendStringInfoString(&buf, " season=");
		for (int j = 0; j < SEASON; j++)
			appendStringInfo(&buf, "%s%s", j ? "," : "", float8out_internal(c->season_state[j]));
		/* absent (0) in the models of 0.1.0, which had no calibration */
		if (c->calib != 0)
			put_double(&buf, "calib", c->calib);
		/* absent (0) before 0.2.0's log-scale theta and damped */
		if (c->logged)
			appendStringInfoString(&buf, " log=1");
	}
	PG_RETURN_CSTRING(buf.data);
}

/*
 * Check a model's fields; returns NULL when it is valid, else what is wrong.
 * Shared by text and binary input so neither can build a model the
 * forecasting code does not expect.
 */
const char *
model_check(const ForecastModel *fm)
{
	if (fm->kind < KIND_ETS || fm->kind > KIND_COMB)
		return "Unknown method.";
	if (fm->ncomp != (fm->kind == KIND_COMB ? 3 : 1))
		return "Wrong number of components for the method.";
	if (fm->first < 12 || fm->last > 9999 * 12 + 11 || fm->first > fm->last ||
		fm->last - fm->first >= MAX_MONTHS)
		return "The first and last months are out of range.";
	if (fm->nobs < 1 || fm->nobs > fm->last - fm->first + 1)
		return "The key n is out of range.";
	if (fm->ytd_months < 1 || fm->ytd_months > fm->last % 12 + 1 || fm->ytd_months > fm->nobs)
		return "The key ytd_months is out of range.";
	if (!isfinite(fm->ytd))
		return "The key ytd must be finite.";
	for (int i = 0; i < fm->ncomp; i++)
	{
		const Component *c = &fm->comp[i];
		int			want = fm->kind == KIND_COMB ? i + 1 : fm->kind;

		if (c->kind != want)
			return fm->kind == KIND_COMB ? "comb components must be ets, theta and damped" :
				"component kind differs from the method";
		if ((c->error != 'A' && c->error != 'M') ||
			(c->trend != 'N' && c->trend != 'A' && c->trend != 'D') ||
			(c->season != 'N' && c->season != 'A' && c->season != 'M'))
			return "Bad model code.";
		if (c->kind != KIND_ETS && (c->error != 'A' || c->trend != (c->kind == KIND_THETA ? 'N' : 'D')))
			return "A theta component must be ANx and a damped one AAdx.";
		if (c->nobs < 1 || c->nobs > fm->nobs)
			return "A component's n is out of range.";
		if (!isfinite(c->alpha) || !isfinite(c->beta) || !isfinite(c->gamma) || !isfinite(c->phi) ||
			!isfinite(c->level) || !isfinite(c->slope) || !isfinite(c->drift) ||
			!isfinite(c->offset) || !isfinite(c->sigma2) || isnan(c->aicc))
			return "The parameters must be finite.";
		if (c->alpha <= 0 || c->alpha > 1 || c->beta < 0 || c->beta > 1 || c->gamma < 0 ||
			c->gamma > 1 || c->phi <= 0 || c->phi > 1 || c->sigma2 < 0)
			return "The smoothing parameters must lie in (0, 1] and sigma2 must not be negative.";
		if (c->error == 'M' && c->sigma2 > 100)
			return "The sigma2 of a multiplicative error is out of range.";
		if (c->calib != 0 && !(c->calib >= 1 && c->calib <= MAX_CALIB))
			return "The key calib must be 0 (none) or between 1 and 10.";
		if (c->logged != 0 && (c->logged != 1 || c->kind == KIND_ETS || c->season == 'A'))
			return "The key log must be 0 or 1, and 1 only for a theta or damped component without additive adjustment.";
		for (int j = 0; j < SEASON; j++)
		{
			double		s = c->season_state[j];

			if (!isfinite(s) || (c->season == 'M' && !(s > 0)))
				return "Seasonal values must be finite, and positive when multiplicative.";
		}
	}
	return NULL;
}

/* Raise the text input error for a model. */
pg_attribute_noreturn()
static void
model_syntax(const char *str, const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
			 errmsg("invalid input syntax for type forecast_model: \"%s\"", str),
			 errdetail("%s", detail)));
}

/*
 * Parse a double value; false unless the whole token is a number.  strtod
 * flags subnormal results with ERANGE although they are exact values that
 * output writes (and binary input accepts): only an overflow, or an
 * underflow to zero of a nonzero literal, is refused.
 */
static bool
parse_double(const char *s, double *out)
{
	char	   *end;

	if (*s == '\0')
		return false;
	errno = 0;
	*out = strtod(s, &end);
	if (*end != '\0' || isnan(*out))
		return false;
	return errno == 0 || (errno == ERANGE && *out != 0 && !isinf(*out));
}

/* Parse an int value; false unless the whole token is a non-negative int. */
static bool
parse_int(const char *s, int32 *out)
{
	char	   *end;
	long		v;

	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	v = strtol(s, &end, 10);
	if (*end != '\0' || errno != 0 || v > PG_INT32_MAX)
		return false;
	*out = (int32) v;
	return true;
}

/* Parse YYYY-MM into a month index. */
static bool
parse_month(const char *s, int32 *out)
{
	int			y,
				m;

	if (strlen(s) != 7 || s[4] != '-')
		return false;
	for (int i = 0; i < 7; i++)
		if (i != 4 && (s[i] < '0' || s[i] > '9'))
			return false;
	y = atoi(s);
	m = atoi(s + 5);
	if (y < 1 || m < 1 || m > 12)
		return false;
	*out = y * 12 + m - 1;
	return true;
}

/* Parse a model code such as MAdM into a component. */
static bool
parse_code(const char *s, Component *c)
{
	c->error = s[0];
	if (s[0] == '\0')
		return false;
	s++;
	if (s[0] == 'A' && s[1] == 'd')
	{
		c->trend = 'D';
		s += 2;
	}
	else if (s[0] == 'A' || s[0] == 'N')
		c->trend = *s++;
	else
		return false;
	c->season = s[0];
	return s[0] != '\0' && s[1] == '\0';
}

static const char *const header_keys[] = {"method", "first", "last", "n", "ytd_months", "ytd"};
static const char *const comp_keys[] = {"kind", "model", "n", "alpha", "beta", "gamma", "phi",
	"level", "slope", "drift", "offset", "sigma2", "aicc", "season", "calib", "log"};

/*
 * The optional component keys: calib (absent in 0.1.0's text form, read as
 * 0 = none) and log (absent before the log-scale theta and damped: 0).
 */
#define KEY_CALIB 14
#define KEY_LOG 15
#define COMP_REQUIRED ((1u << KEY_CALIB) - 1)

/* Store one header key's value; false if it does not parse. */
static bool
header_set(ForecastModel *fm, int key, const char *v)
{
	switch (key)
	{
		case 0:
			for (int k = KIND_ETS; k <= KIND_COMB; k++)
				if (strcmp(v, kind_names[k]) == 0)
					fm->kind = k;
			return fm->kind != 0;
		case 1:
			return parse_month(v, &fm->first);
		case 2:
			return parse_month(v, &fm->last);
		case 3:
			return parse_int(v, &fm->nobs);
		case 4:
			return parse_int(v, &fm->ytd_months);
		default:
			return parse_double(v, &fm->ytd);
	}
}

/* Store one component key's value; false if it does not parse. */
static bool
comp_set(Component *c, int key, char *v)
{
	double	   *d[] = {&c->alpha, &c->beta, &c->gamma, &c->phi, &c->level, &c->slope,
		&c->drift, &c->offset, &c->sigma2, &c->aicc};

	switch (key)
	{
		case 0:
			for (int k = KIND_ETS; k <= KIND_DAMPED; k++)
				if (strcmp(v, kind_names[k]) == 0)
					c->kind = k;
			return c->kind != 0;
		case 1:
			return parse_code(v, c);
		case 2:
			return parse_int(v, &c->nobs);
		case 13:
			for (int j = 0; j < SEASON; j++)
			{
				char	   *comma = strchr(v, ',');

				if ((comma == NULL) != (j == SEASON - 1))
					return false;
				if (comma)
					*comma = '\0';
				if (!parse_double(v, &c->season_state[j]))
					return false;
				v = comma + 1;
			}
			return true;
		case KEY_CALIB:
			{
				double		k;

				/* float4 holds it; a value it cannot hold exactly is refused */
				if (!parse_double(v, &k) || (double) (float4) k != k)
					return false;
				c->calib = (float4) k;
				return true;
			}
		case KEY_LOG:
			{
				int32		k;

				if (!parse_int(v, &k) || k > 1)
					return false;
				c->logged = (char) k;
				return true;
			}
		default:
			return parse_double(v, d[key - 3]);
	}
}

PG_FUNCTION_INFO_V1(forecast_model_in);
/* Text input: key=value tokens as written by the output function, validated. */
Datum
forecast_model_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	char	   *s = pstrdup(str);
	ForecastModel *fm = palloc0(MODEL_SIZE(MAX_COMP));
	int			section = -1;	/* -1 header, else component */
	uint32		seen = 0;
	const char *why;
	char	   *tok,
			   *save;

	for (tok = strtok_r(s, " \t\n\r", &save); tok; tok = strtok_r(NULL, " \t\n\r", &save))
	{
		char	   *eq;
		int			nkeys = section < 0 ? lengthof(header_keys) : lengthof(comp_keys);
		int			key = -1;

		if (strcmp(tok, "|") == 0)
		{
			uint32		need = section < 0 ? (1u << nkeys) - 1 : COMP_REQUIRED;

			if ((seen & need) != need)
				model_syntax(str, "A section lacks keys.");
			if (++section >= MAX_COMP)
				model_syntax(str, "Too many components.");
			seen = 0;
			continue;
		}
		eq = strchr(tok, '=');
		if (eq == NULL)
			model_syntax(str, "Expected key=value.");
		*eq = '\0';
		for (int k = 0; k < nkeys; k++)
			if (strcmp(tok, section < 0 ? header_keys[k] : comp_keys[k]) == 0)
				key = k;
		if (key < 0 || (seen & (1u << key)))
			model_syntax(str, key < 0 ? "Unknown key." : "Repeated key.");
		seen |= 1u << key;
		if (!(section < 0 ? header_set(fm, key, eq + 1) : comp_set(&fm->comp[section], key, eq + 1)))
			model_syntax(str, "Bad value.");
	}
	if (section < 0 || (seen & COMP_REQUIRED) != COMP_REQUIRED)
		model_syntax(str, "A model has a header and at least one complete component.");
	fm->ncomp = section + 1;
	if ((why = model_check(fm)) != NULL)
		model_syntax(str, why);
	SET_VARSIZE(fm, MODEL_SIZE(fm->ncomp));
	PG_RETURN_POINTER(fm);
}

PG_FUNCTION_INFO_V1(forecast_model_send);
/*
 * Binary output: version 3, the header, then each component's fields in
 * text order (calib, then the log flag's byte, last).  Version 1 (0.1.0)
 * had no calib, version 2 no log flag.
 */
Datum
forecast_model_send(PG_FUNCTION_ARGS)
{
	ForecastModel *fm = PG_GETARG_MODEL(0);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, 3);
	pq_sendint32(&buf, fm->kind);
	pq_sendint32(&buf, fm->first);
	pq_sendint32(&buf, fm->last);
	pq_sendint32(&buf, fm->nobs);
	pq_sendint32(&buf, fm->ytd_months);
	pq_sendfloat8(&buf, fm->ytd);
	pq_sendint32(&buf, fm->ncomp);
	for (int i = 0; i < fm->ncomp; i++)
	{
		const Component *c = &fm->comp[i];

		pq_sendint32(&buf, c->kind);
		pq_sendbyte(&buf, c->error);
		pq_sendbyte(&buf, c->trend);
		pq_sendbyte(&buf, c->season);
		pq_sendint32(&buf, c->nobs);
		pq_sendfloat8(&buf, c->alpha);
		pq_sendfloat8(&buf, c->beta);
		pq_sendfloat8(&buf, c->gamma);
		pq_sendfloat8(&buf, c->phi);
		pq_sendfloat8(&buf, c->level);
		pq_sendfloat8(&buf, c->slope);
		pq_sendfloat8(&buf, c->drift);
		pq_sendfloat8(&buf, c->offset);
		pq_sendfloat8(&buf, c->sigma2);
		pq_sendfloat8(&buf, c->aicc);
		for (int j = 0; j < SEASON; j++)
			pq_sendfloat8(&buf, c->season_state[j]);
		pq_sendfloat4(&buf, c->calib);
		pq_sendbyte(&buf, c->logged);
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* Binary sizes written by forecast_model_send: version, five int4, ytd, ncomp; per component (version 1, 2, 3). */
#define MODEL_HEADER_BYTES (1 + 5 * 4 + 8 + 4)
#define COMPONENT_BYTES_V1 (4 + 3 + 4 + 10 * 8 + SEASON * 8)
#define COMPONENT_BYTES_V2 (COMPONENT_BYTES_V1 + 4)
#define COMPONENT_BYTES (COMPONENT_BYTES_V2 + 1)

/* Raise the binary input error (22P03) for a model, with its length and what is wrong. */
pg_attribute_noreturn()
static void
model_binary_invalid(StringInfo buf, const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
			 errmsg("invalid binary forecast_model of %d bytes", buf->len),
			 errdetail("%s", detail)));
}

PG_FUNCTION_INFO_V1(forecast_model_recv);
/* Binary input, validated like text input (ERROR 22P03). */
Datum
forecast_model_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	ForecastModel *fm = palloc0(MODEL_SIZE(MAX_COMP));
	const char *why;
	int			version;

	/* lengths first: pq_getmsg* would report a short value as a protocol violation (08P01) */
	if (buf->len - buf->cursor < MODEL_HEADER_BYTES)
		model_binary_invalid(buf, "Shorter than the header.");
	version = pq_getmsgbyte(buf);
	if (version < 1 || version > 3)
		model_binary_invalid(buf, "Unknown version.");
	fm->kind = pq_getmsgint(buf, 4);
	fm->first = pq_getmsgint(buf, 4);
	fm->last = pq_getmsgint(buf, 4);
	fm->nobs = pq_getmsgint(buf, 4);
	fm->ytd_months = pq_getmsgint(buf, 4);
	fm->ytd = pq_getmsgfloat8(buf);
	fm->ncomp = pq_getmsgint(buf, 4);
	if (fm->ncomp < 1 || fm->ncomp > MAX_COMP)
		model_binary_invalid(buf, "Wrong number of components.");
	if (buf->len - buf->cursor != fm->ncomp * (version == 1 ? COMPONENT_BYTES_V1 :
												version == 2 ? COMPONENT_BYTES_V2 : COMPONENT_BYTES))
		model_binary_invalid(buf, "Length does not match the number of components.");
	for (int i = 0; i < fm->ncomp; i++)
	{
		Component  *c = &fm->comp[i];

		c->kind = pq_getmsgint(buf, 4);
		c->error = pq_getmsgbyte(buf);
		c->trend = pq_getmsgbyte(buf);
		c->season = pq_getmsgbyte(buf);
		c->nobs = pq_getmsgint(buf, 4);
		c->alpha = pq_getmsgfloat8(buf);
		c->beta = pq_getmsgfloat8(buf);
		c->gamma = pq_getmsgfloat8(buf);
		c->phi = pq_getmsgfloat8(buf);
		c->level = pq_getmsgfloat8(buf);
		c->slope = pq_getmsgfloat8(buf);
		c->drift = pq_getmsgfloat8(buf);
		c->offset = pq_getmsgfloat8(buf);
		c->sigma2 = pq_getmsgfloat8(buf);
		c->aicc = pq_getmsgfloat8(buf);
		for (int j = 0; j < SEASON; j++)
			c->season_state[j] = pq_getmsgfloat8(buf);
		c->calib = version == 1 ? 0 : pq_getmsgfloat4(buf);
		c->logged = version < 3 ? 0 : pq_getmsgbyte(buf);
	}
	if ((why = model_check(fm)) != NULL)
		model_binary_invalid(buf, why);
	SET_VARSIZE(fm, MODEL_SIZE(fm->ncomp));
	PG_RETURN_POINTER(fm);
}
