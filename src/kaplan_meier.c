/*
 * kaplan_meier.c — the table of stays by length that the stay aggregates
 * keep as their state: growth, totals and the serialised form.  Integers
 * only, so a state does not depend on the order of the rows or on how
 * parallel workers split them.
 */
#include "postgres.h"

#include "common/int.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"

#include "aggutil.h"
#include "kaplan_meier.h"

/* Add counts at one length (0 .. max), growing the table in cxt; false when a count overflows. */
bool
lengths_add(MemoryContext cxt, StayLengths *t, int32 days, int64 events, int64 censored)
{
	LengthCounts *c;

	Assert(days >= 0 && days <= t->max);
	if (days >= t->cap)
	{
		int32		newcap = Max(t->cap, 64);

		while (newcap <= days)
			newcap = Min(newcap * 2, t->max + 1);
		t->n = grow_zeroed(cxt, t->n, sizeof(LengthCounts), t->cap, newcap);
		t->cap = newcap;
	}
	c = &t->n[days];
	return !pg_add_s64_overflow(c->events, events, &c->events) &&
		!pg_add_s64_overflow(c->censored, censored, &c->censored);
}

/* All stays of a table (added with checks, and a table's total is checked on reading). */
int64
lengths_total(const StayLengths *t)
{
	int64		total = 0;

	for (int32 d = 0; d < t->cap; d++)
		total += t->n[d].events + t->n[d].censored;
	return total;
}

/* Write the lengths that have stays: their number, then (days, events, censored) each, days increasing. */
void
lengths_send(StringInfo buf, const StayLengths *t)
{
	int32		n = 0;

	for (int32 d = 0; d < t->cap; d++)
		if (lengths_used_at(t, d))
			n++;
	pq_sendint32(buf, (uint32) n);
	for (int32 d = 0; d < t->cap; d++)
	{
		CHECK_FOR_INTERRUPTS();
		if (!lengths_used_at(t, d))
			continue;
		pq_sendint32(buf, (uint32) d);
		pq_sendint64(buf, t->n[d].events);
		pq_sendint64(buf, t->n[d].censored);
	}
}

/*
 * Read what lengths_send wrote into an empty table, every length checked
 * (increasing, within max, some stays, no event at 0 days, a total within
 * bigint); invalid raises the caller's 22P03 error.  Returns the stays read.
 */
int64
lengths_recv(StringInfo buf, MemoryContext cxt, StayLengths *t,
			 void (*invalid) (const char *detail))
{
	int32		n,
				prev = -1;
	int64		total = 0;

	if (buf->len - buf->cursor < 4)
		invalid("it ends before a number of lengths");
	n = (int32) pq_getmsgint(buf, 4);
	if (n < 0 || n > t->max + 1 || (int64) n * LENGTH_BYTES > buf->len - buf->cursor)
		invalid(psprintf("%d lengths do not fit in the %d bytes left", n, buf->len - buf->cursor));
	for (int32 i = 0; i < n; i++)
	{
		int32		d = (int32) pq_getmsgint(buf, 4);
		int64		ev = pq_getmsgint64(buf);
		int64		cens = pq_getmsgint64(buf);

		CHECK_FOR_INTERRUPTS();
		if (d <= prev || d > t->max)
			invalid(psprintf("length %d days out of order or beyond %d", d, t->max));
		if (ev < 0 || cens < 0 || (ev == 0 && cens == 0) || (d == 0 && ev != 0))
			invalid(psprintf("impossible counts at %d days", d));
		if (pg_add_s64_overflow(total, ev, &total) ||
			pg_add_s64_overflow(total, cens, &total) ||
			!lengths_add(cxt, t, d, ev, cens))
			invalid("more stays than a bigint counts");
		prev = d;
	}
	return total;
}
