// What BI tools read, through node-postgres (npm pg) as a JavaScript
// dashboard does: every column of the report functions and of
// forecast_latest on the demo data (objects.json), with the type the server
// reports for it.  Amounts and percentages must be NUMERIC (type OID 1700),
// never a sek; node-postgres hands numeric over as a string by design, so
// each value must parse as a number, a reduce over a column must give a
// number (not concatenated text) equal to the server's sum, and
// follow_up_report's unit rows must add up to its total row.  Connects to
// the throwaway cluster (PGHOST socket directory, PGPORT, PGUSER from
// scripts/lib.sh's client_env), database AP_CLIENT_DB (test/clients/setup.sh
// loads the demo into it).  Prints "FAIL ..." per failure, exits 1 if any.
'use strict';
const path = require('path');
const fs = require('fs');
const { Client } = require('pg');

// the type OIDs of objects.json's types (pg_type)
const OID = {
  numeric: 1700, text: 25, int4: 23, int8: 20, date: 1082, timestamptz: 1184,
  bool: 16, jsonb: 3802, regclass: 2205, 'text[]': 1009, 'int4[]': 1007,
};
const objects = JSON.parse(fs.readFileSync(path.join(__dirname, 'objects.json'), 'utf8')).objects;
const failures = [];
function fail(msg) {
  failures.push(msg);
  console.log('FAIL node: ' + msg);
}
// kronor in öre, as an integer: sums of parsed values compared without
// binary rounding noise (amounts have two decimals)
const ore = (x) => Math.round(x * 100);

async function main() {
  const client = new Client({
    host: process.env.PGHOST, port: Number(process.env.PGPORT),
    user: process.env.PGUSER || 'postgres', database: process.env.AP_CLIENT_DB || 'actionplan_clients',
  });
  await client.connect();
  let summed = 0;
  try {
    await client.query('SET search_path = demo, public');
    for (const obj of objects) {
      let res;
      try {
        res = await client.query(obj.query);
      } catch (e) {
        fail(`${obj.name}: ${e.message}`);
        continue;
      }
      const got = res.fields.map((f) => f.name);
      const want = obj.columns.map((c) => c[0]);
      if (JSON.stringify(got) !== JSON.stringify(want)) {
        fail(`${obj.name}: columns ${got}, expected ${want}`);
        continue;
      }
      if (res.rows.length === 0) {
        fail(`${obj.name}: no rows on the demo data`);
        continue;
      }
      const numeric = [];
      obj.columns.forEach(([col, type], i) => {
        const f = res.fields[i];
        if (f.dataTypeID !== OID[type]) {
          fail(`${obj.name}.${col}: type OID ${f.dataTypeID}, expected ${OID[type]} (${type})`);
        } else if (type === 'numeric') {
          numeric.push(col);
        }
      });
      if (numeric.length === 0) continue;
      const sums = (await client.query(
        `SELECT ${numeric.map((c) => `sum(q.${c})::text AS ${c}`).join(', ')} FROM (${obj.query}) q`)).rows[0];
      for (const col of numeric) {
        const vals = res.rows.map((r) => r[col]).filter((v) => v !== null);
        const bad = vals.filter((v) => typeof v !== 'string' || !Number.isFinite(Number(v)) || parseFloat(v) !== Number(v));
        if (bad.length) {
          fail(`${obj.name}.${col}: values ${JSON.stringify(bad.slice(0, 3))} do not parse as numbers`);
          continue;
        }
        // what a dashboard does with a column: reduce it
        const total = vals.reduce((a, v) => a + parseFloat(v), 0);
        if (typeof total !== 'number' || !Number.isFinite(total)) {
          fail(`${obj.name}.${col}: a reduce gives ${JSON.stringify(total)}, not a number`);
        } else if (sums[col] === null ? vals.length > 0 : Math.abs(total - parseFloat(sums[col])) >= 0.005) {
          fail(`${obj.name}.${col}: the client sums ${total}, the server ${sums[col]}`);
        }
        summed++;
      }
      if (obj.total_row) {
        const units = res.rows.slice(0, -1);
        const totalRow = res.rows[res.rows.length - 1];
        for (const col of numeric) {
          if (col === 'consumption' || col === 'deviation_pct' || (obj.not_additive || []).includes(col)) continue;
          // a column with NULLs (a unit without that kind of staff) is not summed, as in odbc_types.py
          if (res.rows.some((r) => r[col] === null)) continue;
          const s = units.reduce((a, r) => a + ore(parseFloat(r[col])), 0);
          if (s !== ore(parseFloat(totalRow[col]))) {
            fail(`${obj.name}.${col}: the units add up to ${s / 100}, the total row says ${totalRow[col]}`);
          }
        }
      }
    }
  } finally {
    await client.end();
  }
  console.log(`node: ${objects.length} objects, ${summed} numeric columns summed, ${failures.length} failures`);
  return failures.length ? 1 : 0;
}

main().then((rc) => process.exit(rc), (e) => {
  console.log('FAIL node: ' + e.message);
  process.exit(1);
});
