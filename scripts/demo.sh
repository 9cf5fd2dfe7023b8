#!/usr/bin/env bash
# make demo: install what is missing, build, install, start a fresh throwaway
# cluster under the repo and run the tour (demo/tour.sql) in it.  The
# cluster stays up afterwards: `make psql` to explore, `make stop` to stop.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
cd "$ROOT"

bash scripts/deps.sh
make -s PG_CONFIG="$PG_CONFIG"
if [ "$(id -u)" = 0 ]; then make -s PG_CONFIG="$PG_CONFIG" install >/dev/null
else sudo make -s PG_CONFIG="$PG_CONFIG" install >/dev/null; fi
bash scripts/cluster.sh start
bash scripts/cluster.sh psql -q -f demo/tour.sql
