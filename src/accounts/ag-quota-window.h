/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-quota-window.h — Google's 5-hour and weekly quota windows (v1internal:retrieveUserQuotaSummary,
 * upstream-2026-addendum §2): per model group ("Gemini Models", "Claude and GPT models"), each window's remaining
 * fraction and reset. Which group a model counts against is read from the group's name (the peers do the same:
 * Google names no models in the answer). Pure. */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum {
  AG_QUOTA_WINDOW_5H,
  AG_QUOTA_WINDOW_WEEKLY,
} AgQuotaWindowKind;

typedef struct {
  char             *group;      /* the group's displayName, e.g. "Gemini Models" */
  char             *bucket_id;  /* nullable */
  AgQuotaWindowKind kind;
  double            fraction;   /* remaining, in [0, 1] */
  gint64            reset_ms;   /* Unix ms; 0 = unknown */
} AgQuotaWindow;

AgQuotaWindow *ag_quota_window_copy (const AgQuotaWindow *window);
void           ag_quota_window_free (AgQuotaWindow *window);
/* "5h" or "weekly", as Google and history.db spell them. */
const char    *ag_quota_window_kind_to_string (AgQuotaWindowKind kind);

/* The windows of an answer ({"groups":[…]}, also inside {"response":…}); buckets with an unknown window or without
 * a fraction are skipped (a reset time without a fraction means exhausted). A new array of AgQuotaWindow, maybe
 * empty; never NULL. */
GPtrArray     *ag_quota_windows_parse (JsonNode *response);
/* Whether @window's group counts @model ("gemini-3-flash" against a group named "Gemini …", "claude-…" and
 * "gpt-…" against "Claude and GPT …"). */
gboolean       ag_quota_window_applies (const AgQuotaWindow *window, const char *model);
/* How long @model must wait at @now_ms because a window counting it is exhausted: until the latest reset among
 * them (a 5-hour window that resets sooner does not help while the week is used up); 0 when none is. */
gint64         ag_quota_windows_rest_ms (GPtrArray *windows, const char *model, gint64 now_ms);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AgQuotaWindow, ag_quota_window_free)

G_END_DECLS
