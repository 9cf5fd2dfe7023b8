/*
 * accounts.c — budget periodisation, month profiles, the monthly
 * follow-up (budget, period budget, outcome, deviation, consumption, year-end
 * forecast) and the year-end methods offices use today.
 *
 * The budget year is the calendar year of as_of (a Swedish municipality's
 * financial year).  The elapsed part of it counts as_of itself: by days,
 * day-of-year ÷ days in the year; by months, completed months plus the
 * elapsed days of as_of's month ÷ its days (exactly 8 after 31 August).
 * Shares by days and months are exact rationals; a profile's share is a
 * float8, applied to öre exactly and rounded once.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "common/int.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "nodes/primnodes.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"

#include "aggutil.h"
#include "sek.h"

/* ---------- keys: how a year's amount spreads over its days ---------- */

typedef enum KeyKind
{
	KEY_DAYS = 1,
	KEY_MONTHS,
	KEY_PROFILE
} KeyKind;

typedef struct Key
{
	int32		kind;			/* KeyKind */
	float8		share[12];		/* KEY_PROFILE: normalised, sums to 1 */
} Key;

/* Whether two keys spread a year alike. */
static bool
key_equal(const Key *a, const Key *b)
{
	if (a->kind != b->kind)
		return false;
	for (int i = 0; i < 12; i++)
		if (a->share[i] != b->share[i])
			return false;
	return true;
}

/* Parse a text key: 'days' or 'months'. */
static void
key_from_text(text *t, Key *k)
{
	char	   *s = text_to_cstring(t);

	memset(k, 0, sizeof(*k));
	if (pg_strcasecmp(s, "days") == 0)
		k->kind = KEY_DAYS;
	else if (pg_strcasecmp(s, "months") == 0)
		k->kind = KEY_MONTHS;
	else
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown periodisation key \"%s\"", s),
				 errhint("Use 'days', 'months' or a float8[] of 12 monthly weights (see month_profile).")));
}

/* Validate and normalise a 12-month profile. */
static void
key_from_profile(ArrayType *a, Key *k)
{
	Datum	   *elems;
	bool	   *nulls;
	int			n;
	float8		total = 0;

	if (ARR_ELEMTYPE(a) != FLOAT8OID)
		elog(ERROR, "profile must be float8[]");
	deconstruct_array(a, FLOAT8OID, sizeof(float8), FLOAT8PASSBYVAL, TYPALIGN_DOUBLE,
					  &elems, &nulls, &n);
	if (ARR_NDIM(a) != 1 || n != 12)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("a month profile has 12 weights, not %d", n),
				 errhint("Give one non-negative weight per month, January first.")));
	memset(k, 0, sizeof(*k));
	k->kind = KEY_PROFILE;
	for (int i = 0; i < 12; i++)
	{
		float8		w = nulls[i] ? -1 : DatumGetFloat8(elems[i]);

		if (nulls[i] || isnan(w) || isinf(w) || w < 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("month profile weight %d is %s", i + 1,
							nulls[i] ? "NULL" : "not a finite non-negative number"),
					 errhint("Give one non-negative weight per month, January first.")));
		k->share[i] = w;
		total += w;
	}
	if (!(total > 0) || isinf(total))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("month profile weights sum to %s", isinf(total) ? "infinity" : "zero"),
				 errhint("At least one month needs a positive weight.")));
	for (int i = 0; i < 12; i++)
		k->share[i] /= total;
}

/* Budget year of as_of and the position of as_of in it. */
typedef struct YearPos
{
	int			year;
	int			month;			/* 1..12 */
	int			day;			/* 1..days in month */
	int			mdays;			/* days in as_of's month */
	int32		start;			/* 1 January (DateADT) */
	int32		end;			/* 1 January of the next year */
	int32		as_of;
} YearPos;

/* Locate as_of in its year; an infinite as_of is an error. */
static void
year_pos(DateADT as_of, YearPos *p)
{
	if (DATE_NOT_FINITE(as_of))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("as_of must be a finite date"),
				 errhint("Give the last day of the follow-up period, e.g. '2023-08-31'.")));
	j2date(as_of + POSTGRES_EPOCH_JDATE, &p->year, &p->month, &p->day);
	p->mdays = day_tab[isleap(p->year)][p->month - 1];
	p->start = date2j(p->year, 1, 1) - POSTGRES_EPOCH_JDATE;
	p->end = date2j(p->year + 1, 1, 1) - POSTGRES_EPOCH_JDATE;
	p->as_of = as_of;
}

/*
 * The elapsed share of the year under a key: num/den exactly for days and
 * months (*exact = true), else *f.
 */
static void
year_share(const Key *k, const YearPos *p, int64 *num, int64 *den, float8 *f, bool *exact)
{
	*exact = true;
	switch (k->kind)
	{
		case KEY_DAYS:
			*num = p->as_of - p->start + 1;
			*den = p->end - p->start;
			break;
		case KEY_MONTHS:
			/* (month - 1 + day / mdays) / 12 */
			*num = (int64) (p->month - 1) * p->mdays + p->day;
			*den = (int64) 12 * p->mdays;
			break;
		default:
			{
				float8		s = 0;

				for (int i = 0; i < p->month - 1; i++)
					s += k->share[i];
				s += k->share[p->month - 1] * p->day / p->mdays;
				*exact = false;
				*f = Min(s, 1.0);
			}
	}
}

/* annual × the elapsed share of the year. */
static Sek
spread(Sek annual, const Key *k, const YearPos *p)
{
	int64		num,
				den;
	float8		f;
	bool		exact;

	year_share(k, p, &num, &den, &f, &exact);
	return exact ? sek_mul_ratio(annual, num, den) : sek_mul_float(annual, f);
}

/*
 * outcome ÷ the elapsed share of the year; false when the key gives no part
 * of the year up to as_of (a profile with zero weights so far).
 */
static bool
extrapolate(Sek outcome, const Key *k, const YearPos *p, Sek *result)
{
	int64		num,
				den;
	float8		f;
	bool		exact;

	year_share(k, p, &num, &den, &f, &exact);
	if (exact)
	{
		*result = sek_mul_ratio(outcome, den, num);
		return true;
	}
	if (!(f > 0))
		return false;
	*result = sek_div_float(outcome, f);
	return true;
}

/* ---------- scalars ---------- */

PG_FUNCTION_INFO_V1(period_budget_text);
/* period_budget(annual, as_of, 'days' | 'months') */
Datum
period_budget_text(PG_FUNCTION_ARGS)
{
	Key			k;
	YearPos		p;

	year_pos(PG_GETARG_DATEADT(1), &p);
	key_from_text(PG_GETARG_TEXT_PP(2), &k);
	PG_RETURN_SEK(spread(PG_GETARG_SEK(0), &k, &p));
}

PG_FUNCTION_INFO_V1(period_budget_profile);
/* period_budget(annual, as_of, profile float8[12]) */
Datum
period_budget_profile(PG_FUNCTION_ARGS)
{
	Key			k;
	YearPos		p;

	year_pos(PG_GETARG_DATEADT(1), &p);
	key_from_profile(PG_GETARG_ARRAYTYPE_P(2), &k);
	PG_RETURN_SEK(spread(PG_GETARG_SEK(0), &k, &p));
}

PG_FUNCTION_INFO_V1(forecast_runrate);
/* forecast_runrate(outcome, as_of): outcome ÷ elapsed months × 12 */
Datum
forecast_runrate(PG_FUNCTION_ARGS)
{
	Key			k = {.kind = KEY_MONTHS};
	YearPos		p;
	Sek			r;

	year_pos(PG_GETARG_DATEADT(1), &p);
	extrapolate(PG_GETARG_SEK(0), &k, &p, &r);
	PG_RETURN_SEK(r);
}

/* forecast_profile for a key already parsed; NULL when the share is zero. */
static Datum
forecast_profile_key(FunctionCallInfo fcinfo, const Key *k)
{
	YearPos		p;
	Sek			r;

	year_pos(PG_GETARG_DATEADT(1), &p);
	if (!extrapolate(PG_GETARG_SEK(0), k, &p, &r))
		PG_RETURN_NULL();
	PG_RETURN_SEK(r);
}

PG_FUNCTION_INFO_V1(forecast_profile_text);
/* forecast_profile(outcome, as_of, 'days' | 'months') */
Datum
forecast_profile_text(PG_FUNCTION_ARGS)
{
	Key			k;

	key_from_text(PG_GETARG_TEXT_PP(2), &k);
	return forecast_profile_key(fcinfo, &k);
}

PG_FUNCTION_INFO_V1(forecast_profile_array);
/* forecast_profile(outcome, as_of, profile float8[12]) */
Datum
forecast_profile_array(PG_FUNCTION_ARGS)
{
	Key			k;

	key_from_profile(PG_GETARG_ARRAYTYPE_P(2), &k);
	return forecast_profile_key(fcinfo, &k);
}

/* ---------- the follow-up record ---------- */

typedef enum Convention
{
	CONV_LEDGER = 1,			/* costs positive, income negative */
	CONV_REPORT					/* costs negative, income positive */
} Convention;

/* Parse a sign convention name. */
static int32
convention_from_text(text *t)
{
	char	   *s = text_to_cstring(t);

	if (pg_strcasecmp(s, "ledger") == 0)
		return CONV_LEDGER;
	if (pg_strcasecmp(s, "report") == 0)
		return CONV_REPORT;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("unknown sign convention \"%s\"", s),
			 errhint("Use 'ledger' (costs positive, the default) or 'report' (costs negative, as in the reports).")));
}

PG_FUNCTION_INFO_V1(convention_sign);

/* The sign a convention gives costs, for the SQL report functions. */
Datum
convention_sign(PG_FUNCTION_ARGS)
{
	if (PG_ARGISNULL(0))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("sign convention is NULL"),
				 errhint("Use 'ledger' (costs positive, the default) or 'report' (costs negative, as in the reports).")));
	PG_RETURN_INT32(convention_from_text(PG_GETARG_TEXT_PP(0)) == CONV_LEDGER ? 1 : -1);
}

/* a − b in the direction where positive means better than budget. */
static Sek
better_by(int32 conv, Sek budget, Sek actual)
{
	return conv == CONV_LEDGER ? sek_sub(budget, actual) : sek_sub(actual, budget);
}

/*
 * Build the follow_up_result record; budget-derived columns are NULL without a
 * budget, forecast-derived ones without a forecast, ratios when the budget is 0.
 */
static Datum
follow_up_record(FunctionCallInfo fcinfo, int32 conv, bool has_budget, Sek budget,
				 bool has_pb, Sek pb, Sek outcome, bool has_fc, Sek fc)
{
	TupleDesc	td;
	Datum		v[8];
	bool		n[8];

	if (get_call_result_type(fcinfo, NULL, &td) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "follow_up must return a composite type");
	td = BlessTupleDesc(td);
	memset(n, 0, sizeof(n));
	v[0] = SekGetDatum(budget);
	n[0] = !has_budget;
	v[1] = SekGetDatum(pb);
	n[1] = !has_pb;
	v[2] = SekGetDatum(outcome);
	v[3] = has_pb ? SekGetDatum(better_by(conv, pb, outcome)) : (Datum) 0;
	n[3] = !has_pb;
	n[4] = !has_budget || budget == 0;
	if (!n[4])
		v[4] = Float8GetDatum((float8) outcome / (float8) budget * 100.0);
	v[5] = SekGetDatum(fc);
	n[5] = !has_fc;
	n[6] = !has_budget || !has_fc;
	if (!n[6])
		v[6] = SekGetDatum(better_by(conv, budget, fc));
	n[7] = n[6] || budget == 0;
	if (!n[7])
		v[7] = Float8GetDatum((float8) DatumGetSek(v[6]) / fabs((float8) budget) * 100.0);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(td, v, n)));
}

PG_FUNCTION_INFO_V1(follow_up_scalar);
/* follow_up(budget, period_budget, outcome, forecast [, convention]): the record from given figures */
Datum
follow_up_scalar(PG_FUNCTION_ARGS)
{
	int32		conv = PG_NARGS() > 4 && !PG_ARGISNULL(4) ?
		convention_from_text(PG_GETARG_TEXT_PP(4)) : CONV_LEDGER;

	if (PG_ARGISNULL(2))
		PG_RETURN_NULL();
	return follow_up_record(fcinfo, conv,
							!PG_ARGISNULL(0), PG_ARGISNULL(0) ? 0 : PG_GETARG_SEK(0),
							!PG_ARGISNULL(1), PG_ARGISNULL(1) ? 0 : PG_GETARG_SEK(1),
							PG_GETARG_SEK(2),
							!PG_ARGISNULL(3), PG_ARGISNULL(3) ? 0 : PG_GETARG_SEK(3));
}

/* ---------- follow_up(entry_date, amount, annual_budget, as_of [, method [, key [, convention]]]) ---------- */

typedef enum Method
{
	METHOD_RUNRATE = 1,
	METHOD_PROFILE
} Method;

/* Aggregate state: fixed size, so serialisation is a plain copy. */
typedef struct FollowUpState
{
	int64		outcome;		/* öre, entries of the budget year up to as_of */
	int64		budget;
	int32		as_of;
	int32		method;			/* Method */
	int32		conv;			/* Convention */
	bool		has_budget;
	bool		args_const;		/* as_of, method, key, convention are constants */
	int32		ystart;			/* 1 January of the budget year */
	Key			key;
} FollowUpState;

/* Parse a method name. */
static int32
method_from_text(text *t)
{
	char	   *s = text_to_cstring(t);

	if (pg_strcasecmp(s, "runrate") == 0)
		return METHOD_RUNRATE;
	if (pg_strcasecmp(s, "profile") == 0)
		return METHOD_PROFILE;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("unknown follow-up forecast method \"%s\"", s),
			 errhint("Use 'runrate' (outcome ÷ elapsed months × 12) or 'profile' (outcome ÷ the key's share of the year so far).")));
}

/* Read the settings arguments (as_of onwards) of one row into a state. */
static void
follow_up_settings(FunctionCallInfo fcinfo, FollowUpState *st)
{
	int			nargs = PG_NARGS();
	YearPos		p;

	if (PG_ARGISNULL(4))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("as_of must not be NULL"),
				 errhint("Give the last day of the follow-up period, e.g. '2023-08-31'.")));
	year_pos(PG_GETARG_DATEADT(4), &p);
	st->as_of = p.as_of;
	st->ystart = p.start;
	st->method = METHOD_RUNRATE;
	st->conv = CONV_LEDGER;
	st->key.kind = KEY_MONTHS;
	for (int i = 5; i < nargs; i++)
		if (PG_ARGISNULL(i))
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("follow_up's %s must not be NULL",
							i == 5 ? "method" : i == 6 ? "key" : "sign convention")));
	if (nargs > 5)
		st->method = method_from_text(PG_GETARG_TEXT_PP(5));
	if (nargs > 6)
	{
		if (get_fn_expr_argtype(fcinfo->flinfo, 6) == FLOAT8ARRAYOID)
			key_from_profile(PG_GETARG_ARRAYTYPE_P(6), &st->key);
		else
			key_from_text(PG_GETARG_TEXT_PP(6), &st->key);
	}
	if (nargs > 7)
		st->conv = convention_from_text(PG_GETARG_TEXT_PP(7));
}

/* Whether every settings argument of the aggregate call is a constant. */
static bool
settings_are_const(FunctionCallInfo fcinfo)
{
	Aggref	   *ref = AggGetAggref(fcinfo);
	ListCell   *lc;
	int			i = 0;

	if (ref == NULL)
		return false;
	foreach(lc, ref->args)
	{
		TargetEntry *te = lfirst_node(TargetEntry, lc);

		if (i++ >= 3 && !IsA(te->expr, Const))
			return false;
	}
	return true;
}

/* An error for two states or rows that disagree on a setting. */
static void
settings_differ(const char *what)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("follow_up's %s differs between rows of one group", what),
			 errhint("Give one as_of, method, key and convention per follow_up call.")));
}

/* Take a row's annual budget into the state: one budget per group. */
static void
follow_up_budget(FollowUpState *st, Sek b)
{
	if (!st->has_budget)
	{
		st->budget = b;
		st->has_budget = true;
	}
	else if (st->budget != b)
	{
		char		b1[SEK_OUT_MAX],
					b2[SEK_OUT_MAX];

		sek_to_plain(st->budget, b1);
		sek_to_plain(b, b2);
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("annual budget differs between rows of one group: %s kr and %s kr", b1, b2),
				 errhint("Pass each group's annual budget in force at as_of on every row (a join or a subquery on the budget table), not budget rows.")));
	}
}

PG_FUNCTION_INFO_V1(follow_up_accum);
/* follow_up transition: add a ledger row of the budget year up to as_of */
Datum
follow_up_accum(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	FollowUpState *st;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "follow_up_accum called in non-aggregate context");
	if (PG_ARGISNULL(0))
	{
		st = MemoryContextAllocZero(aggcxt, sizeof(FollowUpState));
		follow_up_settings(fcinfo, st);
		st->args_const = settings_are_const(fcinfo);
	}
	else
	{
		st = (FollowUpState *) PG_GETARG_POINTER(0);
		if (!st->args_const)
		{
			FollowUpState row;

			memset(&row, 0, sizeof(row));
			follow_up_settings(fcinfo, &row);
			if (row.as_of != st->as_of || row.method != st->method || row.conv != st->conv ||
				!key_equal(&row.key, &st->key))
				settings_differ("as_of, method, key or convention");
		}
	}
	if (!PG_ARGISNULL(3))
		follow_up_budget(st, PG_GETARG_SEK(3));
	if (!PG_ARGISNULL(1) && !PG_ARGISNULL(2))
	{
		DateADT		d = PG_GETARG_DATEADT(1);

		if (d >= st->ystart && d <= st->as_of)
			st->outcome = sek_add(st->outcome, PG_GETARG_SEK(2));
		/* other years, and later days of this one, are not in the period */
	}
	PG_RETURN_POINTER(st);
}

PG_FUNCTION_INFO_V1(follow_up_combine);
/* follow_up combine: add two partial states of one group */
Datum
follow_up_combine(PG_FUNCTION_ARGS)
{
	FollowUpState *b;
	FollowUpState *a = combine_fixed(fcinfo, sizeof(FollowUpState), (void **) &b);

	if (b == NULL)
		return state_result(fcinfo, a);
	if (a->as_of != b->as_of || a->method != b->method || a->conv != b->conv ||
		!key_equal(&a->key, &b->key))
		settings_differ("as_of, method, key or convention");
	if (b->has_budget)
		follow_up_budget(a, b->budget);
	a->outcome = sek_add(a->outcome, b->outcome);
	PG_RETURN_POINTER(a);
}

PG_FUNCTION_INFO_V1(follow_up_serialize);
/* follow_up serialisation: the fixed-size state's bytes (same build both ends) */
Datum
follow_up_serialize(PG_FUNCTION_ARGS)
{
	PG_RETURN_BYTEA_P(fixed_to_bytea(PG_GETARG_POINTER(0), sizeof(FollowUpState)));
}

PG_FUNCTION_INFO_V1(follow_up_deserialize);
/* follow_up deserialisation */
Datum
follow_up_deserialize(PG_FUNCTION_ARGS)
{
	PG_RETURN_POINTER(fixed_from_bytea(PG_GETARG_BYTEA_PP(0), sizeof(FollowUpState), "follow_up"));
}

PG_FUNCTION_INFO_V1(follow_up_final);
/* follow_up final: period budget, deviation, forecast by the method, ratios */
Datum
follow_up_final(PG_FUNCTION_ARGS)
{
	FollowUpState *st;
	YearPos		p;
	Key			months = {.kind = KEY_MONTHS};
	Sek			fc = 0,
				pb = 0;
	bool		has_fc;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	st = (FollowUpState *) PG_GETARG_POINTER(0);
	year_pos(st->as_of, &p);
	if (st->has_budget)
		pb = spread(st->budget, &st->key, &p);
	has_fc = extrapolate(st->outcome, st->method == METHOD_RUNRATE ? &months : &st->key,
						 &p, &fc);
	return follow_up_record(fcinfo, st->conv, st->has_budget, st->budget,
							st->has_budget, pb, st->outcome, has_fc, fc);
}

/* ---------- month_profile(entry_date, amount) ---------- */

/* Aggregate state: the amount per calendar month, over all years given. */
typedef struct ProfileState
{
	int64		month[12];
	int64		n;
} ProfileState;

PG_FUNCTION_INFO_V1(month_profile_accum);
/* month_profile transition: add an amount to its calendar month */
Datum
month_profile_accum(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	ProfileState *st;
	DateADT		d;
	int			y,
				m,
				dd;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "month_profile_accum called in non-aggregate context");
	st = PG_ARGISNULL(0) ? MemoryContextAllocZero(aggcxt, sizeof(ProfileState)) :
		(ProfileState *) PG_GETARG_POINTER(0);
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
		PG_RETURN_POINTER(st);
	d = PG_GETARG_DATEADT(1);
	if (DATE_NOT_FINITE(d))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("entry date must be finite"),
				 errhint("An entry is booked on a calendar day.")));
	j2date(d + POSTGRES_EPOCH_JDATE, &y, &m, &dd);
	st->month[m - 1] = sek_add(st->month[m - 1], PG_GETARG_SEK(2));
	st->n++;
	PG_RETURN_POINTER(st);
}

PG_FUNCTION_INFO_V1(month_profile_combine);
/* month_profile combine: add month by month */
Datum
month_profile_combine(PG_FUNCTION_ARGS)
{
	ProfileState *b;
	ProfileState *a = combine_fixed(fcinfo, sizeof(ProfileState), (void **) &b);

	if (b == NULL)
		return state_result(fcinfo, a);
	for (int i = 0; i < 12; i++)
		a->month[i] = sek_add(a->month[i], b->month[i]);
	a->n += b->n;
	PG_RETURN_POINTER(a);
}

PG_FUNCTION_INFO_V1(month_profile_serialize);
/* month_profile serialisation: 13 int64 in network order */
Datum
month_profile_serialize(PG_FUNCTION_ARGS)
{
	ProfileState *st = (ProfileState *) PG_GETARG_POINTER(0);
	StringInfoData buf;

	pq_begintypsend(&buf);
	for (int i = 0; i < 12; i++)
		pq_sendint64(&buf, st->month[i]);
	pq_sendint64(&buf, st->n);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

PG_FUNCTION_INFO_V1(month_profile_deserialize);
/* month_profile deserialisation */
Datum
month_profile_deserialize(PG_FUNCTION_ARGS)
{
	StringInfoData buf;
	ProfileState *st = palloc(sizeof(ProfileState));

	bytea_reader(&buf, PG_GETARG_BYTEA_PP(0));
	if (buf.len != 13 * sizeof(int64))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("month_profile state has %d bytes, expected %d",
						buf.len, (int) (13 * sizeof(int64)))));
	for (int i = 0; i < 12; i++)
		st->month[i] = pq_getmsgint64(&buf);
	st->n = pq_getmsgint64(&buf);
	pq_getmsgend(&buf);
	PG_RETURN_POINTER(st);
}

PG_FUNCTION_INFO_V1(month_profile_final);
/* month_profile final: each month's share of the total, as float8[12] */
Datum
month_profile_final(PG_FUNCTION_ARGS)
{
	ProfileState *st;
	int128		total = 0;
	Datum		out[12];

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	st = (ProfileState *) PG_GETARG_POINTER(0);
	if (st->n == 0)
		PG_RETURN_NULL();
	for (int i = 0; i < 12; i++)
		total += st->month[i];
	if (total == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the monthly amounts add up to zero: no profile"),
				 errhint("Derive a profile from an account group whose amounts do not cancel out.")));
	for (int i = 0; i < 12; i++)
	{
		/* a month against the year's sign (a refund month on a cost account) */
		if ((st->month[i] < 0 && total > 0) || (st->month[i] > 0 && total < 0))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("month %d's amount has the opposite sign of the total", i + 1),
					 errhint("A profile needs every month on the same side; take it from gross costs or gross income.")));
		out[i] = Float8GetDatum((float8) st->month[i] / (float8) total);
	}
	PG_RETURN_ARRAYTYPE_P(construct_array(out, 12, FLOAT8OID, sizeof(float8),
										  FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
}
