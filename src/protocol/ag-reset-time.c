/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "ag-reset-time.h"

#define DAY_MS  ((gint64) 24 * 3600 * 1000)
#define WEEK_MS (7 * DAY_MS)

char *
ag_reset_time_format (gint64 reset_ms, gint64 now_ms)
{
  g_autoptr(GDateTime) at = g_date_time_new_from_unix_local (reset_ms / 1000);
  gint64 ahead = reset_ms - now_ms;

  if (at == NULL)
    return g_strdup ("?");
  /* Hours away need no day; days away always name one. */
  if (ahead < DAY_MS)
    return g_date_time_format (at, "%H:%M");
  if (ahead < WEEK_MS)
    return g_date_time_format (at, "%a %H:%M");
  return g_date_time_format (at, "%a %-d %b %H:%M");
}
