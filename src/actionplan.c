/*
 * actionplan.c — the module's one PG_MODULE_MAGIC: the server checks the
 * library against its own version once, whatever area's function it loads.
 */
#include "postgres.h"

#include "fmgr.h"

PG_MODULE_MAGIC;
