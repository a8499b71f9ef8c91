/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-notifier.h — desktop notifications (GNotification, so they go through the portal in Flatpak) for what the user
 * must know while the window is closed: an account needs sign-in, every account is out of quota for a model, a
 * family's pool will run dry within the hour, the proxy cannot listen. GIO only. */
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

/* The models for which each of @n_usable_accounts accounts rests for quota exhaustion in @limits (AgRateLimit),
 * with the earliest reset (Unix ms) of each as the value. Pure. */
GHashTable *ag_notifier_find_exhausted_models (GPtrArray *limits, guint n_usable_accounts);

G_END_DECLS
