#!/usr/bin/env bash
# The client tests' fixtures: node-postgres (npm ci, from package-lock.json)
# in test/clients/node_modules, and the demo municipality
# (demo/municipality.sql, with its nightly forecasts) committed in a database
# of its own, $AP_CLIENT_DB (default actionplan_clients).  Needs the
# cluster's client settings (PGHOST, PGPORT, PGUSER) and PGBIN.
set -euo pipefail
cd "$(dirname "$0")/../.."
db=${AP_CLIENT_DB:-actionplan_clients}
[ -f test/clients/node_modules/pg/package.json ] || npm ci --prefix test/clients --no-audit --no-fund >/dev/null
"$PGBIN/psql" -X -q -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
"$PGBIN/psql" -X -q -d "$db" -v ON_ERROR_STOP=1 -v demo_quiet=1 \
	-c "CREATE EXTENSION actionplan" -f demo/municipality.sql -f test/data/report_check_reports.sql >/dev/null
