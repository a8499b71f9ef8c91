/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-reset-time.h — how every message names when a rest or quota window ends: the client's error, the window, the
 * tray and notifications all use this one function. Pure (GLib's date formatting, in the user's locale). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* @reset_ms (Unix ms) as seen at @now_ms, in local time: "14:20" when it is less than a day away; a weekday and a
 * time ("Fri 14:20") when it is further but within a week; a weekday, date and time ("Fri 12 Dec 14:20") beyond. */
char *ag_reset_time_format (gint64 reset_ms, gint64 now_ms);

G_END_DECLS
