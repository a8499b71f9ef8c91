/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-notifier.h — desktop notifications (GNotification, so they go through the portal in Flatpak) for what the user
 * must know while the window is closed: an account needs sign-in, every account is out of quota for a model (a rest
 * or a used-up 5-hour or weekly window), a family's pool will run dry within the hour, the proxy cannot listen.
 * Clicking one opens the page to act on (app.show-page: "accounts" for an account, "usage" for quota and the
 * forecast, "overview" for the listener). GIO only. */
#pragma once

#include <gio/gio.h>
#include "ag-proxy-service.h"
#include "ag-quota-forecast.h"

G_BEGIN_DECLS

#define AG_TYPE_NOTIFIER (ag_notifier_get_type ())
G_DECLARE_FINAL_TYPE (AgNotifier, ag_notifier, AG, NOTIFIER, GObject)

/* Watches @service's pool and listener and notifies through @app (weak reference). */
AgNotifier *ag_notifier_new (AgProxyService *service, GApplication *app);

/* Sends the "proxy cannot listen" notification (also used when the first start fails). */
void        ag_notifier_listen_failed (AgNotifier *self, const char *message);

/* Warns when a model family's pool will run dry within the hour at the recent pace, before any account is
 * refilled: once per family per depletion (again only after the pool was refilled or the pace eased). The
 * notifier calls it after each round of quota polls; anyone holding fresh @forecasts (AgQuotaForecast) may. */
void        ag_notifier_check_forecasts (AgNotifier *self, GArray *forecasts, gint64 now_ms);

/* The decision behind it, pure: the indices (guint) of @forecasts to announce now. @announced (family as
 * GINT_TO_POINTER (family + 1) → the pool's quota when announced, a gdouble *; made by
 * ag_notifier_new_announced) holds what was said and is updated. */
GHashTable *ag_notifier_new_announced (void);
GArray     *ag_notifier_find_running_dry (GHashTable *announced, GArray *forecasts, gint64 now_ms);

/* "Every account is out of quota", pure in three steps. First the models no account of @accounts (the usable
 * AgAccounts: enabled, valid) can serve at @now_ms for quota, each with the earliest time (Unix ms, the value) any of
 * them comes back. An account is out of a model while it rests for quota exhaustion (AgRateLimit in @limits), a
 * 5-hour or weekly window counting the model is used up (ag_quota_windows_rest_ms), or the model's own quota was
 * read at 0 before its reset, as the pool's choice sees it; it is back when all of these have ended. */
GHashTable *ag_notifier_find_exhausted_models (GPtrArray *limits, GPtrArray *accounts, gint64 now_ms);
/* Then what to announce, once per depletion: the models of @exhausted not in @announced (model names, updated:
 * models that came back leave it, announced ones join it; made with g_str_hash/g_str_equal and g_free keys), sorted,
 * with the earliest time any account comes back for one of them in @back_ms; NULL when nothing is new. */
char      **ag_notifier_take_newly_exhausted (GHashTable *announced, GHashTable *exhausted, gint64 *back_ms);
/* And the words: a title and a body naming the models and when the first account is back (a time, or a day and
 * time when more than a day away: ag_reset_time_format). */
void        ag_notifier_describe_exhausted (const char * const *models, gint64 back_ms, gint64 now_ms, char **title,
                                            char **body);

G_END_DECLS
