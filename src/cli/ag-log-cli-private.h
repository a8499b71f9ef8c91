/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-log-cli-private.h — the pure parts of `ag-cl log`, for its tests: parsing --since, formatting a table. */
#pragma once

#include "ag-log-cli.h"
#include "ag-request-record.h"

G_BEGIN_DECLS

/* "90s", "15m", "1h30m", "2d", "1d12h" → milliseconds. */
gboolean ag_log_cli_parse_duration (const char *text, gint64 *out_ms, GError **error);
/* What happened before the answer, e.g. "rotated: user1 429 quota, retried: user2 429 rate_limit after 0.4 s";
 * "" when the first try answered. Accounts are shown by the part before the "@". */
char    *ag_log_cli_format_attempts (const AgRequestRecord *record);
/* 312 → "312 ms", 1234 → "1.2 s", negative → "-". */
char    *ag_log_cli_format_ms (gint64 ms);
/* The table of @records (AgRequestRecord), a header line then one line per record, times shown in @tz. */
char    *ag_log_cli_format_table (GPtrArray *records, GTimeZone *tz);

G_END_DECLS
