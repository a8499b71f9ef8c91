/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-proxy-service.h — everything the proxy needs, wired together once for both front ends (headless and the
 * desktop app): settings, Cloud Code and OAuth clients, the account pool and registry, the local API key, the model
 * catalogue, the request log, the quota poller and the server. Follows the listen-address/port settings live. */
#pragma once

#include <gio/gio.h>
#include "ag-account-pool.h"
#include "ag-account-registry.h"
#include "ag-history-store.h"
#include "ag-local-api-key.h"
#include "ag-quota-poller.h"
#include "ag-model-catalogue.h"
#include "ag-proxy-server.h"

G_BEGIN_DECLS

#define AG_TYPE_PROXY_SERVICE (ag_proxy_service_get_type ())
G_DECLARE_FINAL_TYPE (AgProxyService, ag_proxy_service, AG, PROXY_SERVICE, GObject)

/* @settings may be NULL (schema not installed): built-in defaults are used. AGCL_* variables override settings. */
AgProxyService *ag_proxy_service_new (GSettings *settings, GError **error);

/* Command-line overrides of the listen settings (NULL / -1 = use the settings). */
void        ag_proxy_service_set_listen_override (AgProxyService *self, const char *address, int port);
/* Starts listening. Fails with a message a person can act on (port in use, non-loopback without a key). */
gboolean    ag_proxy_service_start (AgProxyService *self, GError **error);
void        ag_proxy_service_stop (AgProxyService *self);
/* Property "running". */
gboolean    ag_proxy_service_get_running (AgProxyService *self);
const char *ag_proxy_service_get_address (AgProxyService *self);
guint       ag_proxy_service_get_port (AgProxyService *self);
/* "http://ADDRESS:PORT" of the running listener, or NULL. */
char       *ag_proxy_service_get_url (AgProxyService *self);

/* The accounts' life: loading, adding, removing, saving, following the keyring. */
AgAccountRegistry *ag_proxy_service_get_registry (AgProxyService *self);
/* The local API key in force (its property "is-set" follows it); when the key goes, a listener beyond loopback
 * stops and "listen-failed" says why. */
AgLocalApiKey     *ag_proxy_service_get_local_api_key (AgProxyService *self);

GSettings         *ag_proxy_service_get_settings (AgProxyService *self);   /* nullable */
AgProxyServer     *ag_proxy_service_get_server (AgProxyService *self);
AgAccountPool     *ag_proxy_service_get_pool (AgProxyService *self);
AgCloudcodeClient *ag_proxy_service_get_cloudcode (AgProxyService *self);
AgOAuthClient     *ag_proxy_service_get_oauth (AgProxyService *self);
AgModelCatalogue  *ag_proxy_service_get_catalogue (AgProxyService *self);
/* The request log and quota history. */
AgHistoryStore    *ag_proxy_service_get_history (AgProxyService *self);
AgQuotaPoller     *ag_proxy_service_get_quota_poller (AgProxyService *self);

/* "Check again" for an account Google asked to verify (or refused): one probe request on it alone
 * (ag-account-probe.h); TRUE when it answered and serves again. Used by the window, the tray and notifications. */
void        ag_proxy_service_check_account_async (AgProxyService *self, const char *email, GCancellable *cancellable,
                                                  GAsyncReadyCallback callback, gpointer user_data);
gboolean    ag_proxy_service_check_account_finish (AgProxyService *self, GAsyncResult *result, GError **error);
/* The user brings an account back that a lasting state keeps out (a ban after an appeal): FALSE when unknown. */
gboolean    ag_proxy_service_reenable_account (AgProxyService *self, const char *email);

G_END_DECLS
