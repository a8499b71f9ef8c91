/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-proxy-preferences.h — the user's preferences for serving, applied to the account pool, the model catalogue and
 * the server at once and again whenever one changes: GSettings (when the schema is installed) and, over it, the
 * documented AGCL_* variables (scripts, tests). The listen address and port are the service's. */
#pragma once

#include <gio/gio.h>
#include "ag-account-pool.h"
#include "ag-model-catalogue.h"
#include "ag-proxy-server.h"

G_BEGIN_DECLS

#define AG_TYPE_PROXY_PREFERENCES (ag_proxy_preferences_get_type ())
G_DECLARE_FINAL_TYPE (AgProxyPreferences, ag_proxy_preferences, AG, PROXY_PREFERENCES, GObject)

/* @settings may be NULL: the built-in defaults stay, the variables still apply. NULL with @error when a variable
 * cannot be read (AGCL_MODEL_MAP). */
AgProxyPreferences *ag_proxy_preferences_new (GSettings        *settings,
                                              AgAccountPool    *pool,
                                              AgModelCatalogue *catalogue,
                                              AgProxyServer    *server,
                                              GError          **error);

G_END_DECLS
