/*
 * survival.c — stay survival curves (Kaplan–Meier).
 */
#include "postgres.h"
