# actionplan — PGXS build.  `make demo` and `make test` set up everything
# (apt packages, build, install, a throwaway cluster under the repo).

# scripts/lib.sh passes the Debian 15 one; by hand, the pg_config on PATH
PG_CONFIG ?= pg_config

EXTENSION   = actionplan
# the version under development: actionplan.control's default_version.
# Released versions' frozen install scripts and the upgrade scripts are in
# releases/ (docs/upgrading.md)
EXTVERSION  = $(shell sed -n "s/^default_version *= *'\(.*\)'/\1/p" $(EXTENSION).control)
MODULE_big  = actionplan
# one C file per area, in the order of the docs: money, placements, accounts,
# forecasts, effects, plans, reports; SQL_SOURCES' order is the install script's
OBJS        = src/actionplan.o src/stats.o src/stay.o src/kaplan_meier.o src/monthseries.o src/sek_text.o src/sek.o src/estimate.o src/census.o src/survival.o src/placement.o src/accounts.o src/forecast_model.o src/forecast_ets.o src/forecast.o src/refresh.o src/its.o src/effect.o
SQL_SOURCES = src/sek.sql src/estimate.sql src/census.sql src/survival.sql src/placement.sql src/accounts.sql src/forecast.sql src/refresh.sql src/its.sql src/effect.sql src/plan.sql src/report.sql src/analysis.sql src/staffing.sql src/peers.sql src/income_support.sql src/report_check.sql
DATA_built  = $(EXTENSION)--$(EXTVERSION).sql
DATA        = $(wildcard releases/$(EXTENSION)--*.sql)

REGRESS      = install sek sek_aggregates estimate binary census occupancy survival accounts placement forecast plan effect its report security
REGRESS_OPTS = --inputdir=.

PG_CFLAGS   = -Wall -Wextra -Werror
# the server headers are system headers: -Wextra is for our code, not theirs
PG_CPPFLAGS = -isystem $(shell $(PG_CONFIG) --includedir-server 2>/dev/null)
EXTRA_CLEAN = results regression.diffs regression.out

.DEFAULT_GOAL := all

PGXS := $(shell $(PG_CONFIG) --pgxs 2>/dev/null)
ifneq ($(wildcard $(PGXS)),)
include $(PGXS)
else
all install installcheck:
	@echo "PostgreSQL server development files are missing: run 'make deps' (or 'make test'/'make demo', which install them)." >&2
	@exit 1
endif

$(EXTENSION)--$(EXTVERSION).sql: $(SQL_SOURCES) Makefile $(EXTENSION).control
	{ echo '-- actionplan $(EXTVERSION) install script, built from $(SQL_SOURCES)'; \
	  printf '%s\n' '\echo Use "CREATE EXTENSION actionplan" to load this file. \quit'; \
	  for f in $(SQL_SOURCES); do echo; echo "-- from $$f"; cat $$f; done; } > $@

# each object on the headers it includes, directly or through another header
src/census.o: src/aggutil.h src/sek.h src/sek_text.h src/stay.h
src/effect.o: src/aggutil.h src/kaplan_meier.h src/sek.h src/sek_text.h src/stats.h src/stay.h
src/its.o: src/aggutil.h src/monthseries.h src/sek.h src/sek_text.h src/stats.h src/stay.h
src/estimate.o: src/sek.h src/sek_text.h
src/forecast.o: src/aggutil.h src/forecast.h src/monthseries.h src/sek.h src/sek_text.h src/stats.h
src/forecast_ets.o: src/forecast.h src/stats.h
src/forecast_model.o: src/forecast.h src/monthseries.h src/sek.h src/sek_text.h
src/kaplan_meier.o: src/aggutil.h src/kaplan_meier.h
src/monthseries.o: src/aggutil.h src/monthseries.h src/sek.h src/sek_text.h src/stay.h
src/accounts.o: src/aggutil.h src/sek.h src/sek_text.h
src/placement.o: src/aggutil.h src/kaplan_meier.h src/sek.h src/sek_text.h src/stats.h src/stay.h
src/sek.o: src/aggutil.h src/sek.h src/sek_text.h
src/sek_text.o: src/sek_text.h
src/stats.o: src/stats.h
src/stay.o: src/sek_text.h src/stay.h
src/survival.o: src/aggutil.h src/kaplan_meier.h src/stats.h src/stay.h

.PHONY: deps demo test psql stop bench
deps:
	bash scripts/deps.sh
demo:
	bash scripts/demo.sh
test:
	bash scripts/test.sh
psql:
	bash scripts/cluster.sh psql
stop:
	bash scripts/cluster.sh stop
bench:
	bash test/bench/sek_bench.sh
