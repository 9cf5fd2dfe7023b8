/*
 * refresh.c — read a registered ledger, or a report's table, with a lesser
 * role's rights.
 *
 * The nightly refresh is called by pg_cron as a superuser, but the ledger it
 * reads belongs to someone else: a view, a key column's cast to json, an
 * operator on a column can all run code the ledger's owner wrote.
 * ledger_month_sums runs the one query over the ledger as a role the caller
 * already has the privileges of (the role that registered it), inside a
 * security-restricted operation with search_path pinned to pg_catalog, as
 * PostgreSQL runs VACUUM, ANALYZE and REFRESH MATERIALIZED VIEW over user
 * tables: that code cannot SET ROLE back, create temporary objects or
 * otherwise act with the caller's rights.  Only sums leave the function.
 * read_as_owner does the same for the report functions' tables: it reads
 * their rows as the table's owner when the caller has the owner's rights
 * (a superuser, the nightly job, always has), else as the caller.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_authid.h"
#include "catalog/pg_class.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/acl.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/lsyscache.h"
#include "utils/syscache.h"

PG_FUNCTION_INFO_V1(ledger_month_sums);
PG_FUNCTION_INFO_V1(read_as_owner);

/* The role's name for messages, or its OID when it has none any more. */
static char *
role_label(Oid role)
{
	char	   *name = GetUserNameFromId(role, true);

	return name ? name : psprintf("%u", role);
}

/*
 * Refuse what would hand a less trusted role's code a more trusted role's
 * rights.  Whatever the ledger's query reaches (a view's tables and
 * functions, a key column's type and its cast to json, an operator) may be
 * code some ordinary role wrote, so no ledger is read as a superuser; and a
 * ledger read on another role's behalf (the nightly refresh) is read as a
 * role with no rights its owner lacks, so the owner's code gains nothing.
 */
static void
check_run_as(Oid run_as, Oid ledger)
{
	HeapTuple	tup;
	Form_pg_class rel;
	Oid			owner;
	char		persistence;
	char	   *relname;

	if (!SearchSysCacheExists1(AUTHOID, ObjectIdGetDatum(run_as)))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("role with OID %u does not exist", run_as),
				 errhint("Register the ledger again as a role that exists.")));
	if (!has_privs_of_role(GetUserId(), run_as))
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("permission denied to read a ledger as role \"%s\"", role_label(run_as)),
				 errhint("Only a role with the privileges of \"%s\" (or a superuser) may.",
						 role_label(run_as))));
	tup = SearchSysCache1(RELOID, ObjectIdGetDatum(ledger));
	if (!HeapTupleIsValid(tup))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("relation with OID %u does not exist", ledger)));
	rel = (Form_pg_class) GETSTRUCT(tup);
	owner = rel->relowner;
	persistence = rel->relpersistence;
	relname = pstrdup(NameStr(rel->relname));
	ReleaseSysCache(tup);
	if (persistence == RELPERSISTENCE_TEMP)
		ereport(ERROR,
				(errcode(ERRCODE_WRONG_OBJECT_TYPE),
				 errmsg("ledger %s is a temporary table", relname),
				 errhint("A ledger must outlive the session: register a permanent table or view.")));
	if (superuser_arg(run_as))
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("ledger %s may not be read as superuser \"%s\"", relname, role_label(run_as)),
				 errhint("A ledger's query can reach code an ordinary role wrote (a view, a column's type or cast): register it as the ledger's owner, an ordinary role (SET ROLE first).")));
	if (run_as != GetUserId() && owner != run_as && !has_privs_of_role(owner, run_as))
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("ledger %s, owned by \"%s\", may not be read on its behalf as \"%s\", which has rights its owner lacks",
						relname, role_label(owner), role_label(run_as)),
				 errhint("Let the ledger's owner (or a role whose rights the owner has) register it: the refresh reads it with the registering role's rights.")));
}

/*
 * The column must still exist (a key column: want InvalidOid, any type) and
 * be of the type registered: a changed type could reach other code.
 */
static void
check_column(Oid ledger, const char *col, Oid want)
{
	AttrNumber	att = get_attnum(ledger, col);
	Oid			have;

	if (att == InvalidAttrNumber)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_COLUMN),
				 errmsg("column \"%s\" of ledger %s does not exist", col, get_rel_name(ledger)),
				 errhint("A registered column was dropped or renamed: register the ledger again.")));
	have = get_atttype(ledger, att);
	if (OidIsValid(want) && have != want)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("column \"%s\" of ledger %s is %s, not %s", col, get_rel_name(ledger),
						format_type_be(have), format_type_be(want)),
				 errhint("A registered column changed type: register the ledger again.")));
}

/*
 * Throw again the error raised while reading the relation, what it is
 * ("ledger orders"), and the role named in its message (the parser's and
 * executor's errors name neither) and our own query taken out of its CONTEXT
 * (it is no help to the reader); what the relation's own code added to the
 * CONTEXT stays.
 */
static void
pg_attribute_noreturn()
rethrow_naming(MemoryContext cxt, const char *query, const char *what, const char *role)
{
	ErrorData  *ed;

	MemoryContextSwitchTo(cxt);
	ed = CopyErrorData();
	FlushErrorState();
	ed->message = psprintf("%s (read as \"%s\"): %s", what, role,
						   ed->message ? ed->message : "error");
	if (ed->internalquery && strcmp(ed->internalquery, query) == 0)
	{
		ed->internalquery = NULL;
		ed->internalpos = 0;
	}
	if (ed->context)
	{
		char	   *ours = psprintf("SQL statement \"%s\"", query);
		char	   *at = strstr(ed->context, ours);

		if (at)
		{
			StringInfoData c;
			const char *rest = at + strlen(ours);

			/* the line and its line break, before or after it */
			initStringInfo(&c);
			if (at > ed->context && at[-1] == '\n')
				appendBinaryStringInfo(&c, ed->context, at - 1 - ed->context);
			else
			{
				appendBinaryStringInfo(&c, ed->context, at - ed->context);
				if (*rest == '\n')
					rest++;
			}
			appendStringInfoString(&c, rest);
			ed->context = c.len > 0 ? c.data : NULL;
		}
	}
	ReThrowError(ed);
}

/*
 * Run the query (its two arguments may be NULL) through a cursor into the
 * result's tuplestore; an error is thrown again naming what was read and
 * the role (rethrow_naming).
 */
static void
read_rows(ReturnSetInfo *rsinfo, const char *query, Oid *argtypes, Datum *args, const char *argnulls,
		  MemoryContext caller_cxt, const char *what, const char *role)
{
	Portal		portal;
	uint64		r;
	int			natts = rsinfo->setDesc->natts;
	Datum	   *values = palloc(natts * sizeof(Datum));
	bool	   *nulls = palloc(natts * sizeof(bool));

	PG_TRY();
	{
		portal = SPI_cursor_open_with_args(NULL, query, 2, argtypes, args, argnulls, true, 0);
		for (;;)
		{
			SPI_cursor_fetch(portal, true, 1000);
			if (SPI_processed == 0)
				break;
			for (r = 0; r < SPI_processed; r++)
			{
				int			c;

				for (c = 0; c < natts; c++)
					values[c] = SPI_getbinval(SPI_tuptable->vals[r], SPI_tuptable->tupdesc, c + 1, &nulls[c]);
				/* the tuplestore copies the values into the caller's memory */
				tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
			}
			SPI_freetuptable(SPI_tuptable);
			CHECK_FOR_INTERRUPTS();
		}
		SPI_cursor_close(portal);
	}
	PG_CATCH();
	{
		rethrow_naming(caller_cxt, query, what, role);
	}
	PG_END_TRY();
}

/*
 * Run the query as run_as inside a security-restricted operation with
 * search_path pinned, as REFRESH MATERIALIZED VIEW runs the view's query as
 * its owner, its rows into the result's tuplestore.  Fetched through a
 * cursor in batches: a relation of many rows spills to disk past work_mem
 * where one SPI result would hold them all in memory.
 */
static void
read_restricted(ReturnSetInfo *rsinfo, Oid run_as, const char *query, Oid *argtypes, Datum *args,
				const char *argnulls, const char *what)
{
	Oid			save_userid;
	int			save_sec_context;
	int			save_nestlevel;
	MemoryContext caller_cxt = CurrentMemoryContext;
	const char *run_as_name = role_label(run_as);

	GetUserIdAndSecContext(&save_userid, &save_sec_context);
	SetUserIdAndSecContext(run_as, save_sec_context | SECURITY_LOCAL_USERID_CHANGE |
						   SECURITY_RESTRICTED_OPERATION);
	save_nestlevel = NewGUCNestLevel();
	(void) set_config_option("search_path", "pg_catalog, pg_temp", PGC_USERSET, PGC_S_SESSION,
							 GUC_ACTION_SAVE, true, 0, false);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	read_rows(rsinfo, query, argtypes, args, argnulls, caller_cxt, what, run_as_name);
	SPI_finish();
	AtEOXact_GUC(false, save_nestlevel);
	SetUserIdAndSecContext(save_userid, save_sec_context);
}

/*
 * ledger_month_sums(ledger, date_column, amount_column, key_columns, run_as,
 * from_date, to_date): the ledger's amounts summed per key (as jsonb) and
 * calendar month over from_date .. to_date, read as run_as.
 */
Datum
ledger_month_sums(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	Oid			ledger;
	Name		date_col,
				amount_col;
	ArrayType  *keys;
	Oid			run_as;
	TupleDesc	result;
	Datum		args[2];
	Oid			argtypes[2] = {DATEOID, DATEOID};
	Datum	   *key_names;
	bool	   *key_nulls;
	int			nkeys;
	char	   *extschema;
	char	   *relname;
	StringInfoData q,
				inner,
				groups;
	int			i;

	for (i = 0; i < 7; i++)
		if (PG_ARGISNULL(i))
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("ledger_month_sums needs a ledger, its date, amount and key columns, a role and two dates")));
	ledger = PG_GETARG_OID(0);
	date_col = PG_GETARG_NAME(1);
	amount_col = PG_GETARG_NAME(2);
	keys = PG_GETARG_ARRAYTYPE_P(3);
	run_as = PG_GETARG_OID(4);
	args[0] = PG_GETARG_DATUM(5);
	args[1] = PG_GETARG_DATUM(6);

	check_run_as(run_as, ledger);
	/* the amount column is the type of our result's third column: sek */
	if (get_call_result_type(fcinfo, NULL, &result) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "ledger_month_sums must return a row type");
	check_column(ledger, NameStr(*date_col), DATEOID);
	check_column(ledger, NameStr(*amount_col), TupleDescAttr(result, 2)->atttypid);

	deconstruct_array(keys, NAMEOID, NAMEDATALEN, false, TYPALIGN_CHAR,
					  &key_names, &key_nulls, &nkeys);
	if (ARR_NDIM(keys) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("key_columns must be a one-dimensional array")));

	/*
	 * Everything named is qualified: the extension's sum by its schema, the
	 * built-ins by pg_catalog, the columns through the relation's alias; the
	 * output columns are grouped by position, so no column name of the
	 * ledger can collide with ours.
	 */
	extschema = get_namespace_name(get_func_namespace(fcinfo->flinfo->fn_oid));
	relname = get_rel_name(ledger);
	if (extschema == NULL || relname == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("relation with OID %u does not exist", ledger)));
	/*
	 * Summed by the key columns themselves, the key made jsonb once per
	 * group rather than once per entry.
	 */
	initStringInfo(&q);
	initStringInfo(&inner);
	initStringInfo(&groups);
	appendStringInfoString(&q, "SELECT pg_catalog.jsonb_build_object(");
	for (i = 0; i < nkeys; i++)
	{
		const char *k;

		if (key_nulls[i])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("key_columns must not contain NULL")));
		k = NameStr(*DatumGetName(key_names[i]));
		/* told by name here, not by the query's parser with its text */
		check_column(ledger, k, InvalidOid);
		appendStringInfo(&q, "%s%s, ap_sums.k%d", i ? ", " : "", quote_literal_cstr(k), i + 1);
		appendStringInfo(&inner, "ap_ledger.%s AS k%d, ", quote_identifier(k), i + 1);
		appendStringInfo(&groups, "%d, ", i + 1);
	}
	appendStringInfo(&q,
					 "), ap_sums.m, ap_sums.a FROM (SELECT %s"
					 "pg_catalog.date_trunc('month', ap_ledger.%s::pg_catalog.timestamp)::pg_catalog.date AS m,"
					 " %s.sum(ap_ledger.%s) AS a"
					 " FROM %s AS ap_ledger"
					 " WHERE ap_ledger.%s OPERATOR(pg_catalog.>=) $1 AND ap_ledger.%s OPERATOR(pg_catalog.<=) $2"
					 " GROUP BY %s%d) AS ap_sums",
					 inner.data, quote_identifier(NameStr(*date_col)),
					 quote_identifier(extschema), quote_identifier(NameStr(*amount_col)),
					 quote_qualified_identifier(get_namespace_name(get_rel_namespace(ledger)), relname),
					 quote_identifier(NameStr(*date_col)), quote_identifier(NameStr(*date_col)),
					 groups.data, nkeys + 1);

	InitMaterializedSRF(fcinfo, 0);
	read_restricted(rsinfo, run_as, q.data, argtypes, args, NULL, psprintf("ledger %s", relname));
	return (Datum) 0;
}

/*
 * read_as_owner(rel, columns, date_column, from_date, to_date): the named
 * columns of rel, each cast to the type the caller's column definition list
 * gives it, optionally only rows whose date_column lies in from_date ..
 * to_date (a NULL bound: none), read as rel's owner when the caller has the
 * owner's privileges (a superuser always has), else as the caller, in a
 * security-restricted operation.  Reading as the owner gives the caller no
 * right it lacks; reading as the caller is what a plain SELECT would do.
 */
Datum
read_as_owner(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	Oid			rel;
	ArrayType  *cols;
	Datum	   *col_names;
	bool	   *col_nulls;
	int			ncols;
	HeapTuple	tup;
	Form_pg_class form;
	Oid			owner,
				run_as;
	char		relkind;
	char	   *relname,
			   *qualified;
	TupleDesc	want;
	StringInfoData q;
	Datum		args[2];
	char		argnulls[2];
	Oid			argtypes[2] = {DATEOID, DATEOID};
	int			i;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("read_as_owner needs a relation and its columns, not NULL")));
	rel = PG_GETARG_OID(0);
	cols = PG_GETARG_ARRAYTYPE_P(1);
	if (rsinfo == NULL || !IsA(rsinfo, ReturnSetInfo) || rsinfo->expectedDesc == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("read_as_owner must be called with a column definition list in FROM")));
	want = rsinfo->expectedDesc;
	if (ARR_NDIM(cols) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("columns must be a one-dimensional array")));
	deconstruct_array(cols, NAMEOID, NAMEDATALEN, false, TYPALIGN_CHAR, &col_names, &col_nulls, &ncols);
	if (ncols != want->natts)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("read_as_owner is given %d columns but its column definition list has %d", ncols, want->natts)));

	tup = SearchSysCache1(RELOID, ObjectIdGetDatum(rel));
	if (!HeapTupleIsValid(tup))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("relation with OID %u does not exist", rel)));
	form = (Form_pg_class) GETSTRUCT(tup);
	owner = form->relowner;
	relkind = form->relkind;
	relname = pstrdup(NameStr(form->relname));
	qualified = quote_qualified_identifier(get_namespace_name(form->relnamespace), relname);
	ReleaseSysCache(tup);
	if (relkind != RELKIND_RELATION && relkind != RELKIND_VIEW && relkind != RELKIND_MATVIEW &&
		relkind != RELKIND_PARTITIONED_TABLE && relkind != RELKIND_FOREIGN_TABLE)
		ereport(ERROR,
				(errcode(ERRCODE_WRONG_OBJECT_TYPE),
				 errmsg("%s is not a table or a view", relname)));
	/* never more rights than the caller has; the owner's when they are no more */
	run_as = has_privs_of_role(GetUserId(), owner) ? owner : GetUserId();

	initStringInfo(&q);
	appendStringInfoString(&q, "SELECT ");
	for (i = 0; i < ncols; i++)
	{
		const char *c;
		AttrNumber	att;
		Form_pg_attribute w = TupleDescAttr(want, i);
		Oid			have;
		int32		have_mod;

		if (col_nulls[i])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("columns must not contain NULL")));
		c = NameStr(*DatumGetName(col_names[i]));
		att = get_attnum(rel, c);
		if (att == InvalidAttrNumber || att < 0)
			ereport(ERROR,
					(errcode(ERRCODE_UNDEFINED_COLUMN),
					 errmsg("column \"%s\" of %s does not exist", c, relname)));
		get_atttypetypmodcoll(rel, att, &have, &have_mod, &(Oid){InvalidOid});
		/* a cast only where the types differ: it runs as the reading role */
		if (have == w->atttypid && have_mod == w->atttypmod)
			appendStringInfo(&q, "%sap_t.%s", i ? ", " : "", quote_identifier(c));
		else
			appendStringInfo(&q, "%sCAST(ap_t.%s AS %s)", i ? ", " : "", quote_identifier(c),
							 format_type_extended(w->atttypid, w->atttypmod,
												  FORMAT_TYPE_TYPEMOD_GIVEN | FORMAT_TYPE_FORCE_QUALIFY));
	}
	appendStringInfo(&q, " FROM %s AS ap_t", qualified);
	argnulls[0] = PG_ARGISNULL(3) ? 'n' : ' ';
	argnulls[1] = PG_ARGISNULL(4) ? 'n' : ' ';
	args[0] = PG_ARGISNULL(3) ? (Datum) 0 : PG_GETARG_DATUM(3);
	args[1] = PG_ARGISNULL(4) ? (Datum) 0 : PG_GETARG_DATUM(4);
	if (!PG_ARGISNULL(2))
	{
		const char *dc = NameStr(*PG_GETARG_NAME(2));
		AttrNumber	att = get_attnum(rel, dc);

		if (att == InvalidAttrNumber || att < 0)
			ereport(ERROR,
					(errcode(ERRCODE_UNDEFINED_COLUMN),
					 errmsg("column \"%s\" of %s does not exist", dc, relname)));
		if (get_atttype(rel, att) != DATEOID)
			ereport(ERROR,
					(errcode(ERRCODE_DATATYPE_MISMATCH),
					 errmsg("column \"%s\" of %s is %s, not date", dc, relname,
							format_type_be(get_atttype(rel, att)))));
		appendStringInfo(&q, " WHERE ($1 IS NULL OR ap_t.%s OPERATOR(pg_catalog.>=) $1)"
						 " AND ($2 IS NULL OR ap_t.%s OPERATOR(pg_catalog.<=) $2)",
						 quote_identifier(dc), quote_identifier(dc));
	}
	else if (!PG_ARGISNULL(3) || !PG_ARGISNULL(4))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("read_as_owner's from_date and to_date need a date_column")));

	InitMaterializedSRF(fcinfo, MAT_SRF_USE_EXPECTED_DESC);
	read_restricted(rsinfo, run_as, q.data, argtypes, args, argnulls, psprintf("table %s", relname));
	return (Datum) 0;
}
