/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-local-api-key.h — the local API key in force: the one the keyring holds, which clients on other machines (and
 * other local users; every client with require-api-key) must send, and without which the proxy stays on loopback.
 * Loaded, generated or cleared here, followed when the CLI changes it, and handed to the server the moment it
 * changes. Property "is-set". The key is wiped from memory when replaced
 * and never logged. */
#pragma once

#include <gio/gio.h>
#include "ag-api-key-store.h"
#include "ag-keyring-watch.h"
#include "ag-proxy-server.h"

G_BEGIN_DECLS

#define AG_TYPE_LOCAL_API_KEY (ag_local_api_key_get_type ())
G_DECLARE_FINAL_TYPE (AgLocalApiKey, ag_local_api_key, AG, LOCAL_API_KEY, GObject)

/* Enforces the key of @store on @server; follows the keyring through @watch once loaded. */
AgLocalApiKey *ag_local_api_key_new (AgApiKeyStore *store, AgProxyServer *server, AgKeyringWatch *watch);

/* Reads the key from the keyring. Load it before the server listens, so that no request slips through. A keyring
 * error leaves the key in force as it was (none at start). */
void        ag_local_api_key_load_async (AgLocalApiKey *self, GCancellable *cancellable,
                                         GAsyncReadyCallback callback, gpointer user_data);
gboolean    ag_local_api_key_load_finish (AgLocalApiKey *self, GAsyncResult *result, GError **error);
/* Generates a new key (replacing the old one), saves it in the keyring and enforces it at once. Returns it. */
void        ag_local_api_key_generate_async (AgLocalApiKey *self, GCancellable *cancellable,
                                             GAsyncReadyCallback callback, gpointer user_data);
char       *ag_local_api_key_generate_finish (AgLocalApiKey *self, GAsyncResult *result, GError **error);
/* Removes the key from the keyring (none stored is no error); clients need none from the next request on. */
void        ag_local_api_key_clear_async (AgLocalApiKey *self, GCancellable *cancellable,
                                          GAsyncReadyCallback callback, gpointer user_data);
gboolean    ag_local_api_key_clear_finish (AgLocalApiKey *self, GAsyncResult *result, GError **error);

/* The key for the user and the Claude Code settings (never for a log); NULL when none is set. */
const char *ag_local_api_key_get_value (AgLocalApiKey *self);
gboolean    ag_local_api_key_is_set (AgLocalApiKey *self);
/* Whether the proxy may listen on @address now: loopback always; beyond it only with a key, since the network
 * would otherwise reach the accounts. */
gboolean    ag_local_api_key_allows_address (AgLocalApiKey *self, GInetAddress *address);

G_END_DECLS
