/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "ag-log-cli-private.h"
#include "ag-history-store.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#define DEFAULT_LIMIT 20

typedef struct {
  const char *suffix;
  gint64      ms;
} DurationUnit;

/* Longest suffix first, so "ms" is not read as "m". */
static const DurationUnit duration_units[] = {
  { "ms", 1 },
  { "s", 1000 },
  { "m", 60 * 1000 },
  { "h", 60 * 60 * 1000 },
  { "d", 24 * 60 * 60 * 1000 },
};

gboolean
ag_log_cli_parse_duration (const char *text, gint64 *out_ms, GError **error)
{
  const char *p = text;
  double total = 0;

  while (p != NULL && *p != '\0')
    {
      char *end = NULL;
      double value;
      const DurationUnit *unit = NULL;

      if (!g_ascii_isdigit (*p) && *p != '.')
        break;
      value = g_ascii_strtod (p, &end);
      if (end == p)
        break;
      for (guint i = 0; i < G_N_ELEMENTS (duration_units) && unit == NULL; i++)
        if (g_str_has_prefix (end, duration_units[i].suffix))
          unit = &duration_units[i];
      if (unit == NULL)
        break;
      total += value * unit->ms;
      p = end + strlen (unit->suffix);
    }
  if (p == NULL || p == text || *p != '\0' || total > (double) G_MAXINT64 / 2)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("“%s” is not a duration (examples: 90s, 15m, 2h, 1d12h)"), text != NULL ? text : "");
      return FALSE;
    }
  *out_ms = (gint64) total;
  return TRUE;
}

char *
ag_log_cli_format_ms (gint64 ms)
{
  if (ms < 0)
    return g_strdup ("-");
  if (ms < 1000)
    return g_strdup_printf ("%" G_GINT64_FORMAT " ms", ms);
  return g_strdup_printf ("%.1f s", ms / 1000.0);
}

/* "user1@example.com" → "user1": the table is wide enough already. */
static char *
short_account (const char *account)
{
  const char *at;

  if (account == NULL)
    return g_strdup ("?");
  at = strchr (account, '@');
  return at != NULL ? g_strndup (account, at - account) : g_strdup (account);
}

char *
ag_log_cli_format_attempts (const AgRequestRecord *record)
{
  GString *text = g_string_new (record->detail);
  gboolean answered = record->outcome == AG_REQUEST_OUTCOME_OK || record->outcome == AG_REQUEST_OUTCOME_INTERCEPTED;

  for (guint i = 0; i < record->attempts->len; i++)
    {
      AgRequestAttempt *attempt = g_ptr_array_index (record->attempts, i);
      gboolean last = i + 1 == record->attempts->len;
      const char *next_account = last ? record->account
                                      : ((AgRequestAttempt *) g_ptr_array_index (record->attempts, i + 1))->account;
      g_autofree char *who = short_account (attempt->account);
      const char *action;

      if (last && !answered)
        action = "failed";
      else if (g_strcmp0 (next_account, attempt->account) == 0)
        action = "retried";
      else
        action = "rotated";
      if (text->len > 0)
        g_string_append (text, ", ");
      g_string_append_printf (text, "%s: %s", action, who);
      if (attempt->status != 0)
        g_string_append_printf (text, " %u", attempt->status);
      if (attempt->reason != NULL)
        g_string_append_printf (text, " %s", attempt->reason);
      if (attempt->wait_ms > 0)
        {
          g_autofree char *wait = ag_log_cli_format_ms (attempt->wait_ms);

          g_string_append_printf (text, " after %s", wait);
        }
    }
  if (record->repairs != NULL)
    g_string_append_printf (text, "%srepaired: %s", text->len > 0 ? ", " : "", record->repairs);
  if (record->credits)
    g_string_append_printf (text, "%scredits: paid with Google One AI credits", text->len > 0 ? ", " : "");
  return g_string_free (text, FALSE);
}

enum {
  COLUMN_TIME,
  COLUMN_MODEL,
  COLUMN_ACCOUNT,
  COLUMN_RESULT,
  COLUMN_TTFB,
  COLUMN_TOTAL,
  COLUMN_TOKENS,
  COLUMN_ATTEMPTS,
  N_COLUMNS
};

static const char * const column_titles[N_COLUMNS + 1] = {
  "TIME", "MODEL", "ACCOUNT", "RESULT", "TTFB", "TOTAL", "IN/OUT/CACHED", "ATTEMPTS"
};

static gboolean
column_is_numeric (guint column)
{
  return column == COLUMN_TTFB || column == COLUMN_TOTAL || column == COLUMN_TOKENS;
}

static char **
format_row (const AgRequestRecord *record, GTimeZone *tz)
{
  char **cells = g_new0 (char *, N_COLUMNS + 1);
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (record->time_ms / 1000);
  g_autoptr(GDateTime) local = utc != NULL ? g_date_time_to_timezone (utc, tz) : NULL;

  cells[COLUMN_TIME] = local != NULL ? g_date_time_format (local, "%Y-%m-%d %H:%M:%S") : g_strdup ("?");
  if (record->model == NULL)
    cells[COLUMN_MODEL] = g_strdup (record->upstream_model != NULL ? record->upstream_model : "-");
  else if (record->upstream_model == NULL || g_str_equal (record->model, record->upstream_model))
    cells[COLUMN_MODEL] = g_strdup (record->model);
  else
    cells[COLUMN_MODEL] = g_strdup_printf ("%s → %s", record->model, record->upstream_model);
  cells[COLUMN_ACCOUNT] = g_strdup (record->account != NULL ? record->account : "-");
  cells[COLUMN_RESULT] = g_strdup_printf ("%s %u", ag_request_outcome_to_string (record->outcome), record->status);
  cells[COLUMN_TTFB] = ag_log_cli_format_ms (record->ttfb_ms);
  cells[COLUMN_TOTAL] = ag_log_cli_format_ms (record->total_ms);
  cells[COLUMN_TOKENS] = g_strdup_printf ("%" G_GINT64_FORMAT "/%" G_GINT64_FORMAT "/%" G_GINT64_FORMAT,
                                          record->input_tokens, record->output_tokens, record->cache_read_tokens);
  cells[COLUMN_ATTEMPTS] = ag_log_cli_format_attempts (record);
  return cells;
}

static void
append_cell (GString *line, const char *cell, guint width, guint column)
{
  guint pad = width - (guint) g_utf8_strlen (cell, -1);

  if (column > 0)
    g_string_append (line, "  ");
  if (column_is_numeric (column))
    {
      for (guint i = 0; i < pad; i++)
        g_string_append_c (line, ' ');
      g_string_append (line, cell);
    }
  else
    {
      g_string_append (line, cell);
      for (guint i = 0; i < pad; i++)
        g_string_append_c (line, ' ');
    }
}

char *
ag_log_cli_format_table (GPtrArray *records, GTimeZone *tz)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  guint widths[N_COLUMNS];
  GString *text = g_string_new (NULL);

  g_ptr_array_add (rows, g_strdupv ((char **) column_titles));
  for (guint i = 0; i < records->len; i++)
    g_ptr_array_add (rows, format_row (g_ptr_array_index (records, i), tz));

  for (guint column = 0; column < N_COLUMNS; column++)
    {
      widths[column] = 0;
      for (guint i = 0; i < rows->len; i++)
        widths[column] = MAX (widths[column], (guint) g_utf8_strlen (((char **) rows->pdata[i])[column], -1));
    }
  for (guint i = 0; i < rows->len; i++)
    {
      char **cells = g_ptr_array_index (rows, i);
      gsize start = text->len;

      for (guint column = 0; column < N_COLUMNS; column++)
        append_cell (text, cells[column], widths[column], column);
      /* No trailing blanks: the last column is padded like the others, and may be empty. */
      while (text->len > start && text->str[text->len - 1] == ' ')
        g_string_truncate (text, text->len - 1);
      g_string_append_c (text, '\n');
    }
  return g_string_free (text, FALSE);
}

static void
store_result (GObject *source, GAsyncResult *result, gpointer user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static char *
records_to_json (GPtrArray *records)
{
  g_autoptr(JsonArray) array = json_array_new ();
  g_autoptr(JsonNode) root = NULL;

  for (guint i = 0; i < records->len; i++)
    json_array_add_element (array, ag_request_record_to_json (g_ptr_array_index (records, i)));
  root = json_node_init_array (json_node_alloc (), array);
  return json_to_string (root, TRUE);
}

int
ag_log_cli_run (int argc, char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("— show the last requests"));
  g_autoptr(GError) error = NULL;
  g_autofree char *since_text = NULL;
  g_autofree char *path = NULL;
  g_autoptr(AgHistoryStore) store = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) records = NULL;
  gint64 since_ms = 0;
  int limit = DEFAULT_LIMIT;
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "limit", 'n', 0, G_OPTION_ARG_INT, &limit, N_("How many requests to show (default 20; 0 = all)"), "N" },
    { "since", 0, 0, G_OPTION_ARG_STRING, &since_text, N_("Only requests of this last period, e.g. 30m, 2h, 1d"),
      N_("DURATION") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON instead of a table"), NULL },
    { NULL }
  };

  /* The usage line reads "ag-cl log", not the bare subcommand. */
  g_set_prgname ("ag-cl log");
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, _("The request log: time, model → upstream model, account, outcome and "
                                           "HTTP status, time to first byte, total time, tokens, and the accounts "
                                           "tried before the answer."));
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("ag-cl log: %s\n", error->message);
      return 2;
    }
  if (argc > 1)
    {
      g_printerr (_("ag-cl log: unexpected argument “%s”\n"), argv[1]);
      return 2;
    }
  if (limit < 0)
    {
      g_printerr (_("ag-cl log: --limit must be 0 or more\n"));
      return 2;
    }
  if (since_text != NULL)
    {
      gint64 duration_ms;

      if (!ag_log_cli_parse_duration (since_text, &duration_ms, &error))
        {
          g_printerr ("ag-cl log: --since: %s\n", error->message);
          return 2;
        }
      since_ms = g_get_real_time () / 1000 - duration_ms;
    }

  {
    g_autofree char *dir = ag_history_store_get_data_dir ();

    path = g_build_filename (dir, "history.db", NULL);
  }
  /* Reading must not create an empty log where the proxy never ran. */
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      if (json)
        g_print ("[]\n");
      else
        g_print (_("No requests recorded yet (%s does not exist).\n"), path);
      return 0;
    }

  store = ag_history_store_new (path);
  ag_history_store_query_requests_async (store, (guint) limit, since_ms, NULL, store_result, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  records = ag_history_store_query_requests_finish (store, result, &error);
  if (records == NULL)
    {
      g_printerr ("ag-cl log: %s\n", error->message);
      return 1;
    }

  if (json)
    {
      g_autofree char *text = records_to_json (records);

      g_print ("%s\n", text);
    }
  else if (records->len == 0)
    g_print ("%s\n", since_text != NULL ? _("No requests recorded in that period.") : _("No requests recorded yet."));
  else
    {
      g_autoptr(GTimeZone) tz = g_time_zone_new_local ();
      g_autofree char *table = ag_log_cli_format_table (records, tz);

      fputs (table, stdout);
    }
  return 0;
}
