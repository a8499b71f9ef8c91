/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-quota-forecast.h — "can I keep working, and for how long?": per model family, the quota left across the
 * pool, how fast it went lately, when it runs dry at that pace and whether an account resets first. Pure.
 *
 * Assumptions (said in the UI too): each account's quota for a family is that of its most used model of the
 * family; the pace is the fall of the remaining fraction over the recent window since each account's last reset,
 * summed over the accounts; use goes on at that pace; a reset refills only its own account. */
#pragma once

#include <glib.h>
#include "ag-model-family.h"

G_BEGIN_DECLS

typedef struct {
  AgModelFamily family;
  guint         accounts;        /* accounts with a recent reading for the family */
  guint         usable;          /* of them, with quota left */
  double        pool_remaining;  /* the sum of their remaining fractions, 0…accounts */
  double        use_per_hour;    /* the pool's recent pace, in fractions of an account per hour; 0 = unused */
  gint64        empty_at_ms;     /* when the pool runs dry at that pace; 0 = not at that pace */
  gint64        next_reset_ms;   /* the first announced reset still to come; 0 = unknown */
} AgQuotaForecast;

/* Readings older than this are not "now": the account is left out. */
#define AG_QUOTA_FORECAST_STALE_MS ((gint64) 2 * 3600 * 1000)

/* From @samples (AgQuotaSample, ascending in time, covering at least @window_ms before @now_ms), one forecast per
 * family that has a recent reading, Claude first. A GArray of AgQuotaForecast. */
GArray *ag_quota_forecast_compute (GPtrArray *samples, gint64 now_ms, gint64 window_ms);

/* "Claude: about 2 h 40 min left at this pace; the first account resets in 1 h 10 min" and its variants. */
char       *ag_quota_forecast_describe (const AgQuotaForecast *forecast, gint64 now_ms);
/* Its two halves: the family's name ("Claude", "Gemini": product names, not translated) and the state ("about
 * 2 h 40 min left at this pace; …"), for a notification that puts the family in its title. */
const char *ag_quota_forecast_family_name (const AgQuotaForecast *forecast);
char       *ag_quota_forecast_describe_state (const AgQuotaForecast *forecast, gint64 now_ms);

G_END_DECLS
