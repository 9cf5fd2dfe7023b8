-- A description of the installed actionplan extension as text, one
-- "object | property | value" line each, sorted: what test/upgrade.sh
-- compares between a database updated from an older version and a fresh
-- CREATE EXTENSION.  Every member object (pg_depend deptype 'e') by name,
-- never by OID: functions and aggregates with everything CREATE FUNCTION /
-- CREATE AGGREGATE sets, types, domains, operators, casts, operator classes
-- and families with their members, tables, views and sequences with their
-- columns, constraints, indexes, triggers, policies, row-level security and
-- pg_dump configuration; the ACL, initial privileges and COMMENT of each.
-- A multi-line value (a function body, a view) gives one line per line.
-- The extension's version is left out (the update changes it on purpose).
--
-- Usage: psql -X -q -v ON_ERROR_STOP=1 -d DB -f test/lib/extension_catalog.sql
\pset format unaligned
\pset tuples_only on
SET search_path = public, pg_catalog;
-- (the estimated cost of the query below would make JIT compile it, for seconds)
SET jit = off;

-- a catalog row's columns as properties, minus the ones given, plus the ones given
CREATE FUNCTION pg_temp.props(obj text, j jsonb, drop_keys text[], add jsonb) RETURNS TABLE (obj text, prop text, val text)
LANGUAGE sql IMMUTABLE
AS $$ SELECT obj, e.key, e.value FROM jsonb_each_text((j - drop_keys) || add) e $$;

CREATE TEMP TABLE member AS
SELECT d.classid, d.objid, pg_describe_object(d.classid, d.objid, 0) AS obj
FROM pg_depend d JOIN pg_extension x ON x.oid = d.refobjid
WHERE d.refclassid = 'pg_extension'::regclass AND x.extname = 'actionplan' AND d.deptype = 'e';

CREATE TEMP VIEW description (obj, prop, val) AS
-- every member: that it is one, its COMMENT and its initial privileges
SELECT m.obj, 'member', m.classid::regclass::text FROM member m
UNION ALL
SELECT m.obj, 'comment', (SELECT ds.description FROM pg_description ds
                          WHERE ds.classoid = m.classid AND ds.objoid = m.objid AND ds.objsubid = 0)
FROM member m
UNION ALL
SELECT m.obj, 'initprivs ' || i.objsubid || ' ' || i.privtype::text, i.initprivs::text
FROM member m JOIN pg_init_privs i ON i.classoid = m.classid AND i.objoid = m.objid
UNION ALL
-- functions, procedures, aggregates
SELECT q.* FROM member m JOIN pg_proc p ON m.classid = 'pg_proc'::regclass AND p.oid = m.objid,
  pg_temp.props(m.obj, to_jsonb(p),
    ARRAY['oid', 'pronamespace', 'proowner', 'prolang', 'provariadic', 'prosupport', 'prorettype', 'proargtypes',
          'proallargtypes', 'proargdefaults', 'prosqlbody', 'protrftypes'],
    jsonb_build_object('owner', p.proowner::regrole::text, 'language', (SELECT lanname FROM pg_language WHERE oid = p.prolang),
                       'prosupport', p.prosupport::oid::regprocedure::text,
                       'arguments', pg_get_function_arguments(p.oid), 'result', pg_get_function_result(p.oid),
                       'prosqlbody', pg_get_function_sqlbody(p.oid))) q
UNION ALL
SELECT q.* FROM member m JOIN pg_aggregate a ON m.classid = 'pg_proc'::regclass AND a.aggfnoid = m.objid,
  pg_temp.props(m.obj, to_jsonb(a),
    ARRAY['aggfnoid', 'aggtransfn', 'aggfinalfn', 'aggcombinefn', 'aggserialfn', 'aggdeserialfn', 'aggmtransfn',
          'aggminvtransfn', 'aggmfinalfn', 'aggsortop', 'aggtranstype', 'aggmtranstype'],
    jsonb_build_object('aggtransfn', a.aggtransfn::oid::regprocedure::text, 'aggfinalfn', a.aggfinalfn::oid::regprocedure::text,
                       'aggcombinefn', a.aggcombinefn::oid::regprocedure::text, 'aggserialfn', a.aggserialfn::oid::regprocedure::text,
                       'aggdeserialfn', a.aggdeserialfn::oid::regprocedure::text, 'aggmtransfn', a.aggmtransfn::oid::regprocedure::text,
                       'aggminvtransfn', a.aggminvtransfn::oid::regprocedure::text, 'aggmfinalfn', a.aggmfinalfn::oid::regprocedure::text,
                       'aggsortop', a.aggsortop::regoperator::text, 'aggtranstype', a.aggtranstype::regtype::text,
                       'aggmtranstype', a.aggmtranstype::regtype::text)) q
UNION ALL
-- types and domains
SELECT q.* FROM member m JOIN pg_type t ON m.classid = 'pg_type'::regclass AND t.oid = m.objid,
  pg_temp.props(m.obj, to_jsonb(t),
    ARRAY['oid', 'typnamespace', 'typowner', 'typrelid', 'typsubscript', 'typelem', 'typarray', 'typinput', 'typoutput',
          'typreceive', 'typsend', 'typmodin', 'typmodout', 'typanalyze', 'typbasetype', 'typcollation', 'typdefaultbin'],
    jsonb_build_object('owner', t.typowner::regrole::text, 'typrelid', t.typrelid::regclass::text,
                       'typsubscript', t.typsubscript::oid::regprocedure::text, 'typelem', t.typelem::regtype::text,
                       'typarray', t.typarray::regtype::text, 'typinput', t.typinput::oid::regprocedure::text,
                       'typoutput', t.typoutput::oid::regprocedure::text, 'typreceive', t.typreceive::oid::regprocedure::text,
                       'typsend', t.typsend::oid::regprocedure::text, 'typmodin', t.typmodin::oid::regprocedure::text,
                       'typmodout', t.typmodout::oid::regprocedure::text, 'typanalyze', t.typanalyze::oid::regprocedure::text,
                       'typbasetype', t.typbasetype::regtype::text,
                       'typcollation', (SELECT collname FROM pg_collation WHERE oid = t.typcollation))) q
UNION ALL
SELECT m.obj, 'domain constraint ' || c.conname, pg_get_constraintdef(c.oid)
FROM member m JOIN pg_constraint c ON m.classid = 'pg_type'::regclass AND c.contypid = m.objid
UNION ALL
SELECT m.obj, 'attribute ' || lpad(row_number() OVER (PARTITION BY m.obj ORDER BY a.attnum)::text, 3, '0') || ' ' || a.attname,
       format_type(a.atttypid, a.atttypmod) || coalesce(' COLLATE ' || (SELECT collname FROM pg_collation WHERE oid = a.attcollation AND a.attcollation <> t.typcollation), '')
FROM member m JOIN pg_type t ON m.classid = 'pg_type'::regclass AND t.oid = m.objid
JOIN pg_attribute a ON a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped
JOIN pg_type at ON at.oid = a.atttypid
UNION ALL
-- operators
SELECT q.* FROM member m JOIN pg_operator o ON m.classid = 'pg_operator'::regclass AND o.oid = m.objid,
  pg_temp.props(m.obj, to_jsonb(o),
    ARRAY['oid', 'oprnamespace', 'oprowner', 'oprleft', 'oprright', 'oprresult', 'oprcom', 'oprnegate', 'oprcode', 'oprrest', 'oprjoin'],
    jsonb_build_object('owner', o.oprowner::regrole::text, 'oprleft', o.oprleft::regtype::text, 'oprright', o.oprright::regtype::text,
                       'oprresult', o.oprresult::regtype::text, 'oprcom', o.oprcom::regoperator::text,
                       'oprnegate', o.oprnegate::regoperator::text, 'oprcode', o.oprcode::oid::regprocedure::text,
                       'oprrest', o.oprrest::oid::regprocedure::text, 'oprjoin', o.oprjoin::oid::regprocedure::text)) q
UNION ALL
-- casts
SELECT m.obj, 'cast', format('%s -> %s via %s, context %s, method %s', c.castsource::regtype, c.casttarget::regtype,
                             c.castfunc::regprocedure, c.castcontext, c.castmethod)
FROM member m JOIN pg_cast c ON m.classid = 'pg_cast'::regclass AND c.oid = m.objid
UNION ALL
-- operator classes and families, with the operators and support functions of the family
SELECT m.obj, 'opclass', format('method %s, family %s, for %s, default %s, storage %s, owner %s',
                                (SELECT amname FROM pg_am WHERE oid = c.opcmethod), pg_describe_object('pg_opfamily'::regclass, c.opcfamily, 0),
                                c.opcintype::regtype, c.opcdefault, c.opckeytype::regtype, c.opcowner::regrole)
FROM member m JOIN pg_opclass c ON m.classid = 'pg_opclass'::regclass AND c.oid = m.objid
UNION ALL
SELECT m.obj, 'opfamily', format('method %s, owner %s', (SELECT amname FROM pg_am WHERE oid = f.opfmethod), f.opfowner::regrole)
FROM member m JOIN pg_opfamily f ON m.classid = 'pg_opfamily'::regclass AND f.oid = m.objid
UNION ALL
SELECT m.obj, format('amop %s(%s,%s) %s', o.amopstrategy, o.amoplefttype::regtype, o.amoprighttype::regtype, o.amoppurpose),
       format('%s method %s sortfamily %s', o.amopopr::regoperator, (SELECT amname FROM pg_am WHERE oid = o.amopmethod),
              CASE WHEN o.amopsortfamily <> 0 THEN pg_describe_object('pg_opfamily'::regclass, o.amopsortfamily, 0) END)
FROM member m JOIN pg_amop o ON m.classid = 'pg_opfamily'::regclass AND o.amopfamily = m.objid
UNION ALL
SELECT m.obj, format('amproc %s(%s,%s)', p.amprocnum, p.amproclefttype::regtype, p.amprocrighttype::regtype), p.amproc::oid::regprocedure::text
FROM member m JOIN pg_amproc p ON m.classid = 'pg_opfamily'::regclass AND p.amprocfamily = m.objid
UNION ALL
-- tables, views, sequences
SELECT q.* FROM member m JOIN pg_class c ON m.classid = 'pg_class'::regclass AND c.oid = m.objid,
  pg_temp.props(m.obj, jsonb_build_object('relkind', c.relkind, 'relpersistence', c.relpersistence, 'owner', c.relowner::regrole::text,
                                          'relacl', c.relacl::text, 'reloptions', c.reloptions::text, 'relrowsecurity', c.relrowsecurity,
                                          'relforcerowsecurity', c.relforcerowsecurity, 'relreplident', c.relreplident,
                                          'relhasrules', c.relhasrules, 'relhastriggers', c.relhastriggers, 'reloftype', c.reloftype::regtype::text,
                                          'tablespace', c.reltablespace, 'access method', (SELECT amname FROM pg_am WHERE oid = c.relam)),
                  '{}', '{}') q
UNION ALL
SELECT m.obj, 'pg_dump config', coalesce(x.cond, '(condition NULL)')
FROM member m JOIN pg_extension e ON e.extname = 'actionplan'
JOIN LATERAL unnest(e.extconfig, e.extcondition) x(rel, cond) ON x.rel = m.objid
WHERE m.classid = 'pg_class'::regclass
UNION ALL
SELECT m.obj, 'column ' || lpad(row_number() OVER (PARTITION BY m.obj ORDER BY a.attnum)::text, 3, '0') || ' ' || a.attname,
       concat_ws(' ', format_type(a.atttypid, a.atttypmod),
                 CASE WHEN a.attcollation <> at.typcollation THEN 'COLLATE ' || (SELECT collname FROM pg_collation WHERE oid = a.attcollation) END,
                 CASE WHEN a.attnotnull THEN 'NOT NULL' END,
                 'DEFAULT ' || pg_get_expr(ad.adbin, ad.adrelid),
                 CASE a.attidentity WHEN 'a' THEN 'GENERATED ALWAYS AS IDENTITY' WHEN 'd' THEN 'GENERATED BY DEFAULT AS IDENTITY' END,
                 CASE a.attgenerated WHEN 's' THEN 'GENERATED ALWAYS (stored)' END,
                 'STORAGE ' || a.attstorage::text, 'COMPRESSION ' || nullif(a.attcompression::text, ''), 'STATISTICS ' || a.attstattarget,
                 -- (an option pg_attver, which this server build sets by itself, is left out)
                 'OPTIONS ' || nullif(array(SELECT o FROM unnest(a.attoptions) o WHERE o NOT LIKE 'pg\_attver=%'), '{}')::text, 'ACL ' || a.attacl::text,
                 'COMMENT ' || quote_literal(col_description(a.attrelid, a.attnum)))
FROM member m JOIN pg_attribute a ON m.classid = 'pg_class'::regclass AND a.attrelid = m.objid AND a.attnum > 0 AND NOT a.attisdropped
JOIN pg_type at ON at.oid = a.atttypid
LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
UNION ALL
SELECT m.obj, 'constraint ' || c.conname,
       concat_ws(' ', pg_get_constraintdef(c.oid), CASE WHEN c.condeferrable THEN 'DEFERRABLE' END,
                 CASE WHEN c.condeferred THEN 'INITIALLY DEFERRED' END, CASE WHEN NOT c.convalidated THEN 'NOT VALID' END,
                 'COMMENT ' || quote_literal(obj_description(c.oid, 'pg_constraint')))
FROM member m JOIN pg_constraint c ON m.classid = 'pg_class'::regclass AND c.conrelid = m.objid
UNION ALL
SELECT m.obj, 'index ' || i.indexrelid::regclass,
       concat_ws(' ', pg_get_indexdef(i.indexrelid), CASE WHEN i.indisclustered THEN 'CLUSTERED' END,
                 CASE WHEN i.indisreplident THEN 'REPLICA IDENTITY' END,
                 'COMMENT ' || quote_literal(obj_description(i.indexrelid, 'pg_class')))
FROM member m JOIN pg_index i ON m.classid = 'pg_class'::regclass AND i.indrelid = m.objid
UNION ALL
SELECT m.obj, 'trigger ' || t.tgname,
       concat_ws(' ', pg_get_triggerdef(t.oid), 'ENABLED ' || t.tgenabled::text,
                 'COMMENT ' || quote_literal(obj_description(t.oid, 'pg_trigger')))
FROM member m JOIN pg_trigger t ON m.classid = 'pg_class'::regclass AND t.tgrelid = m.objid AND NOT t.tgisinternal
UNION ALL
SELECT m.obj, 'policy ' || p.polname,
       concat_ws(' ', 'FOR ' || p.polcmd::text, CASE WHEN p.polpermissive THEN 'PERMISSIVE' ELSE 'RESTRICTIVE' END,
                 'TO ' || (SELECT string_agg(CASE WHEN r = 0 THEN 'public' ELSE r::regrole::text END, ',' ORDER BY 1)
                           FROM unnest(p.polroles) r),
                 'USING (' || pg_get_expr(p.polqual, p.polrelid) || ')',
                 'WITH CHECK (' || pg_get_expr(p.polwithcheck, p.polrelid) || ')',
                 'COMMENT ' || quote_literal(obj_description(p.oid, 'pg_policy')))
FROM member m JOIN pg_policy p ON m.classid = 'pg_class'::regclass AND p.polrelid = m.objid
UNION ALL
SELECT m.obj, 'rule ' || r.rulename, pg_get_ruledef(r.oid)
FROM member m JOIN pg_rewrite r ON m.classid = 'pg_class'::regclass AND r.ev_class = m.objid AND r.rulename <> '_RETURN'
UNION ALL
SELECT m.obj, 'view definition', pg_get_viewdef(m.objid)
FROM member m JOIN pg_class c ON m.classid = 'pg_class'::regclass AND c.oid = m.objid AND c.relkind IN ('v', 'm')
UNION ALL
SELECT m.obj, 'sequence', format('AS %s START %s INCREMENT %s MINVALUE %s MAXVALUE %s CACHE %s CYCLE %s OWNED BY %s',
                                 s.seqtypid::regtype, s.seqstart, s.seqincrement, s.seqmin, s.seqmax, s.seqcache, s.seqcycle,
                                 (SELECT d.refobjid::regclass || '.' || a.attname FROM pg_depend d
                                  JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
                                  WHERE d.classid = 'pg_class'::regclass AND d.objid = s.seqrelid AND d.deptype = 'a'
                                    AND d.refclassid = 'pg_class'::regclass))
FROM member m JOIN pg_sequence s ON m.classid = 'pg_class'::regclass AND s.seqrelid = m.objid
UNION ALL
-- event triggers
SELECT m.obj, 'event trigger', format('ON %s WHEN TAG IN %s EXECUTE %s ENABLED %s OWNER %s', e.evtevent, e.evttags,
                                      e.evtfoid::regprocedure, e.evtenabled, e.evtowner::regrole)
FROM member m JOIN pg_event_trigger e ON m.classid = 'pg_event_trigger'::regclass AND e.oid = m.objid
UNION ALL
-- a member of a kind described by nothing above is named, so that it is seen
SELECT m.obj, 'not described by test/lib/extension_catalog.sql', m.classid::regclass::text
FROM member m
WHERE m.classid NOT IN ('pg_proc'::regclass, 'pg_type'::regclass, 'pg_operator'::regclass, 'pg_cast'::regclass,
                        'pg_opclass'::regclass, 'pg_opfamily'::regclass, 'pg_class'::regclass, 'pg_event_trigger'::regclass)
UNION ALL
-- the extension itself (but its version)
SELECT 'extension actionplan', 'properties', format('schema %s, relocatable %s, owner %s', e.extnamespace::regnamespace,
                                                    e.extrelocatable, e.extowner::regrole)
FROM pg_extension e WHERE e.extname = 'actionplan'
UNION ALL
SELECT 'extension actionplan', 'comment', obj_description(e.oid, 'pg_extension')
FROM pg_extension e WHERE e.extname = 'actionplan';

SELECT line FROM (
SELECT CASE WHEN d.val IS NULL THEN d.obj || ' | ' || d.prop || ' | NULL'
            WHEN s.n IS NULL THEN d.obj || ' | ' || d.prop || ' | ' || d.val
            ELSE d.obj || ' | ' || d.prop || ' line ' || lpad(s.n::text, 4, '0') || ' | ' || s.l END AS line
FROM description d
LEFT JOIN LATERAL regexp_split_to_table(CASE WHEN strpos(d.val, E'\n') > 0 THEN d.val END, E'\n')
     WITH ORDINALITY AS s(l, n) ON true) x
ORDER BY line COLLATE "C";
