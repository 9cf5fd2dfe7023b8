/*
 * stay.c — days as the messages and text forms print them, and the checks
 * every stay-based area shares (census, placement, effect, survival).
 */
#include "postgres.h"

#include "datatype/timestamp.h"
#include "utils/builtins.h"
#include "utils/datetime.h"

#include "sek_text.h"
#include "stay.h"

/* Write a DateADT as YYYY-MM-DD whatever DateStyle is; buf of 16 bytes. */
void
day_iso(int32 day, char *buf)
{
	int			y,
				m,
				d;

	j2date(day + POSTGRES_EPOCH_JDATE, &y, &m, &d);
	if (y > 0)
		snprintf(buf, 16, "%04d-%02d-%02d", y, m, d);
	else
		snprintf(buf, 16, "%04d-%02d-%02d BC", 1 - y, m, d);
}

/* A date as palloc'd ISO text for messages (infinities too), whatever DateStyle is. */
char *
date_iso(DateADT d)
{
	char		buf[16];

	if (DATE_NOT_FINITE(d))
		return pstrdup(DATE_IS_NOBEGIN(d) ? "-infinity" : "infinity");
	day_iso(d, buf);
	return pstrdup(buf);
}

/*
 * Reject an infinite date argument what, with hint: 22008, the code of an
 * out-of-range date, like the SQL functions' check_as_of.
 */
void
check_date_finite(DateADT d, const char *what, const char *hint)
{
	if (DATE_NOT_FINITE(d))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("%s %s is not a finite date", what, date_iso(d)),
				 errhint("%s", hint)));
}

/* Reject an infinite as_of: stays are seen from a day. */
void
check_as_of_finite(DateADT as_of)
{
	check_date_finite(as_of, "as_of", "Stays are seen from a day: pass a finite as_of such as current_date.");
}

/* Reject a negative daily cost: costs are positive, income is booked apart. */
void
check_daily_cost(int64 cost)
{
	if (cost < 0)
	{
		char		buf[SEK_OUT_MAX];

		sek_to_plain(cost, buf);
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("daily cost %s kr is negative", buf),
				 errhint("Costs are positive; book income and reimbursements separately.")));
	}
}
