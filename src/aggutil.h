/*
 * aggutil.h — small helpers shared by the aggregates' support functions.
 */
#ifndef ACTIONPLAN_AGGUTIL_H
#define ACTIONPLAN_AGGUTIL_H

#include "postgres.h"
#include "lib/stringinfo.h"

/* Read a serialized aggregate state (bytea) with the pq_getmsg functions. */
static inline void
bytea_reader(StringInfo buf, bytea *b)
{
	buf->data = VARDATA_ANY(b);
	buf->len = VARSIZE_ANY_EXHDR(b);
	buf->maxlen = buf->len;
	buf->cursor = 0;
}

#endif							/* ACTIONPLAN_AGGUTIL_H */
