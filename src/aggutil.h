/*
 * aggutil.h — small helpers shared by the aggregates' support functions.
 */
#ifndef ACTIONPLAN_AGGUTIL_H
#define ACTIONPLAN_AGGUTIL_H

#include "fmgr.h"
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

/* Grow a zeroed array of elem-byte entries from oldn to newn in ctx (p NULL: a new one). */
static inline void *
grow_zeroed(MemoryContext ctx, void *p, Size elem, Size oldn, Size newn)
{
	if (p == NULL)
		return MemoryContextAllocZero(ctx, elem * newn);
	p = repalloc(p, elem * newn);
	memset((char *) p + elem * oldn, 0, elem * (newn - oldn));
	return p;
}

/* A fixed-size internal state as bytea: its bytes, read back by the same build. */
static inline bytea *
fixed_to_bytea(const void *state, Size size)
{
	bytea	   *b = palloc(VARHDRSZ + size);

	SET_VARSIZE(b, VARHDRSZ + size);
	memcpy(VARDATA(b), state, size);
	return b;
}

/* A fixed-size internal state back from fixed_to_bytea; 22P03 for another size. */
static inline void *
fixed_from_bytea(bytea *b, Size size, const char *what)
{
	void	   *state;

	if (VARSIZE_ANY_EXHDR(b) != size)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("%s state has %zu bytes, expected %zu",
						what, (size_t) VARSIZE_ANY_EXHDR(b), size)));
	state = palloc(size);
	memcpy(state, VARDATA_ANY(b), size);
	return state;
}

/*
 * The opening every combine function shares: the aggregate context (an
 * error outside an aggregate) and the two states, NULL for a NULL argument.
 * With *b NULL there is nothing to add: return state_result(fcinfo, *a).
 */
static inline MemoryContext
combine_args(FunctionCallInfo fcinfo, void **a, void **b)
{
	MemoryContext aggcxt;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "combine function called in non-aggregate context");
	*a = PG_ARGISNULL(0) ? NULL : PG_GETARG_POINTER(0);
	*b = PG_ARGISNULL(1) ? NULL : PG_GETARG_POINTER(1);
	return aggcxt;
}

/* A state as an aggregate support function's result: SQL NULL for none. */
static inline Datum
state_result(FunctionCallInfo fcinfo, void *state)
{
	if (state == NULL)
		PG_RETURN_NULL();
	PG_RETURN_POINTER(state);
}

/*
 * Combine opening for a fixed-size internal state: returns the state to add
 * into and sets *other to the state to add; when there is nothing to add
 * (*other NULL) the returned state (possibly NULL) is the result — a copy of
 * the second one in the aggregate context when the first is NULL.
 */
static inline void *
combine_fixed(FunctionCallInfo fcinfo, Size size, void **other)
{
	void	   *a;
	MemoryContext aggcxt = combine_args(fcinfo, &a, other);
	void	   *copy;

	if (*other == NULL || a != NULL)
		return a;
	copy = MemoryContextAlloc(aggcxt, size);
	memcpy(copy, *other, size);
	*other = NULL;
	return copy;
}

#endif							/* ACTIONPLAN_AGGUTIL_H */
