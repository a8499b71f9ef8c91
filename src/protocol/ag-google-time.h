/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-google-time.h — Go durations and RFC 3339 times, as Google writes them (retryDelay, quotaResetDelay,
 * quotaResetTimeStamp, a quota window's resetTime). Pure. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Parses Go durations ("2h21m25.831582438s", "479.417207ms", "0.479417207s", "1.5s", "300us") into ms,
 * rounding up. FALSE on anything else. */
gboolean ag_parse_go_duration (const char *text, gint64 *out_ms);
/* Parses an RFC 3339 timestamp ("2026-01-05T17:03:11Z", fractional seconds, offsets) into Unix ms. */
gboolean ag_parse_rfc3339 (const char *text, gint64 *out_unix_ms);

G_END_DECLS
