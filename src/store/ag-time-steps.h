/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-time-steps.h — instants on the local clock's round hours and midnights, for the buckets of the usage
 * queries and the time axis of the charts. Pure: the time zone is a parameter, so a DST change can be tested. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  AG_TIME_UNIT_HOUR,
  AG_TIME_UNIT_DAY,
} AgTimeUnit;

/* The instants in [@since_ms, @until_ms] (Unix ms) at which the clock of @tz shows a round hour whose hour is a
 * multiple of @step (AG_TIME_UNIT_HOUR, @step dividing 24), or midnight of every @step-th day counted from the
 * first midnight in the range (AG_TIME_UNIT_DAY), as a GArray of gint64, ascending. A day across a DST change is
 * 23 or 25 hours long; an hour the clock skips has no instant, one it repeats has two. */
GArray *ag_time_steps (GTimeZone *tz, gint64 since_ms, gint64 until_ms, AgTimeUnit unit, guint step);

/* The last instant at or before @time_ms at which the clock of @tz shows a round hour (AG_TIME_UNIT_HOUR) or
 * midnight (AG_TIME_UNIT_DAY). */
gint64  ag_time_floor (GTimeZone *tz, gint64 time_ms, AgTimeUnit unit);

G_END_DECLS
