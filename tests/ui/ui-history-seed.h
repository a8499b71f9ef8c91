/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ui-history-seed.h — a history database as 30 days of use leave it, for the Usage and Request monitor pages:
 * quota samples every 5 minutes for two accounts and two models (with a two-day hole when ag-cl was not running,
 * and resets), and a request every few minutes with a mix of models, accounts, outcomes, rotations and refusals (the newest
 * request is one).
 * Deterministic: the same rows every run, ending at the moment it is called. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  guint  requests;
  guint  samples;
  guint  windows;         /* 5-hour and weekly window readings */
  guint  refused;         /* requests refused by the guard, each with a detail */
  gint64 end_ms;          /* the newest row's time */
  guint  requests_today;  /* since local midnight, refused ones included */
  guint  refused_today;
} UiHistorySeed;

/* Writes @days days of history ending now into the database at @path (created). */
UiHistorySeed ui_seed_history (const char *path, guint days);

/* Makes ui_test_start write that history (30 days) into the app's database before the app opens it. */
void          ui_test_seed_history_on_start (UiHistorySeed *seed);

G_END_DECLS
