/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "ag-time-steps.h"

#define HOUR_MS ((gint64) 3600 * 1000)

static gint64
to_ms (GDateTime *time)
{
  return g_date_time_to_unix (time) * 1000;
}

static GDateTime *
local_time (GTimeZone *tz, gint64 time_ms)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (time_ms / 1000 - (time_ms % 1000 < 0 ? 1 : 0));

  return g_date_time_to_timezone (utc, tz);
}

/* Local midnight of the day of @time; on the rare day that starts at 01:00 (a DST change at midnight), that. */
static GDateTime *
midnight_of (GTimeZone *tz, GDateTime *time)
{
  return g_date_time_new (tz, g_date_time_get_year (time), g_date_time_get_month (time),
                          g_date_time_get_day_of_month (time), 0, 0, 0);
}

gint64
ag_time_floor (GTimeZone *tz, gint64 time_ms, AgTimeUnit unit)
{
  g_autoptr(GDateTime) time = local_time (tz, time_ms);
  g_autoptr(GDateTime) floor = NULL;

  if (unit == AG_TIME_UNIT_DAY)
    {
      floor = midnight_of (tz, time);
      return to_ms (floor);
    }
  /* Round hours are whole hours of absolute time in every zone with whole-hour offsets; the offset's minutes
   * and seconds are kept so half-hour zones floor to their own round hours. */
  floor = g_date_time_add_full (time, 0, 0, 0, 0, -g_date_time_get_minute (time),
                                -g_date_time_get_seconds (time));
  return to_ms (floor);
}

static GArray *
hour_steps (GTimeZone *tz, gint64 since_ms, gint64 until_ms, guint step)
{
  GArray *steps = g_array_new (FALSE, FALSE, sizeof (gint64));
  gint64 t = ag_time_floor (tz, since_ms, AG_TIME_UNIT_HOUR);

  /* Walk absolute hours and keep those whose local hour is a multiple of @step: a repeated hour gives two
   * instants, a skipped one none, and the labels stay on the clock's round numbers. */
  for (; t <= until_ms; t += HOUR_MS)
    {
      g_autoptr(GDateTime) local = NULL;

      if (t < since_ms)
        continue;
      local = local_time (tz, t);
      if (g_date_time_get_minute (local) == 0 && g_date_time_get_hour (local) % step == 0)
        g_array_append_val (steps, t);
    }
  return steps;
}

static GArray *
day_steps (GTimeZone *tz, gint64 since_ms, gint64 until_ms, guint step)
{
  GArray *steps = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GDateTime) day = local_time (tz, ag_time_floor (tz, since_ms, AG_TIME_UNIT_DAY));
  guint index = 0;

  if (to_ms (day) < since_ms)
    {
      GDateTime *next = g_date_time_add_days (day, 1);

      g_date_time_unref (day);
      day = next;
    }
  while (to_ms (day) <= until_ms)
    {
      /* Noon of the next day, then its midnight: adding 24 h would drift by an hour across a DST change. */
      g_autoptr(GDateTime) noon = g_date_time_add_hours (day, 36);
      gint64 t = to_ms (day);

      if (index++ % step == 0)
        g_array_append_val (steps, t);
      g_date_time_unref (day);
      day = midnight_of (tz, noon);
    }
  return steps;
}

GArray *
ag_time_steps (GTimeZone *tz, gint64 since_ms, gint64 until_ms, AgTimeUnit unit, guint step)
{
  g_return_val_if_fail (tz != NULL, NULL);
  g_return_val_if_fail (step > 0, NULL);

  if (unit == AG_TIME_UNIT_HOUR)
    return hour_steps (tz, since_ms, until_ms, step);
  return day_steps (tz, since_ms, until_ms, step);
}
