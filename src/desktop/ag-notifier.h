/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-notifier.h — desktop notifications (GNotification, so they go through the portal in Flatpak) for what the user
 * must know while the window is closed: an account needs sign-in, every account is out of quota for a model, the
 * proxy cannot listen. Clicking one opens the page to act on (app.show-page: "accounts" for an account, "usage" for
 * quota, "overview" for the listener). GIO only. */
#pragma once

#include <gio/gio.h>
#include "ag-proxy-service.h"

G_BEGIN_DECLS

#define AG_TYPE_NOTIFIER (ag_notifier_get_type ())
G_DECLARE_FINAL_TYPE (AgNotifier, ag_notifier, AG, NOTIFIER, GObject)

/* Watches @service's pool and listener and notifies through @app (weak reference). */
AgNotifier *ag_notifier_new (AgProxyService *service, GApplication *app);

/* Sends the "proxy cannot listen" notification (also used when the first start fails). */
void        ag_notifier_listen_failed (AgNotifier *self, const char *message);

/* The models for which each of @n_usable_accounts accounts rests for quota exhaustion in @limits (AgRateLimit),
 * with the earliest reset (Unix ms) of each as the value. Pure. */
GHashTable *ag_notifier_find_exhausted_models (GPtrArray *limits, guint n_usable_accounts);

G_END_DECLS
