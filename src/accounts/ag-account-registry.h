/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-account-registry.h — the accounts' life between the keyring and the pool: loaded at start, added from a
 * sign-in, removed, saved when they change (enabled, a rotated refresh token), and kept in step with the keyring
 * while the CLI (or a keyring manager) changes it.
 *
 * Property "loaded": the first load filled the pool. Signal "account-added" (AgAccount): an account joined the pool
 * after that, from a sign-in here or in the keyring, or as a new sign-in in place of a signed-out one. */
#pragma once

#include <gio/gio.h>
#include "ag-account-pool.h"
#include "ag-cloudcode-client.h"
#include "ag-keyring-watch.h"
#include "ag-oauth-client.h"
#include "ag-token-store.h"

G_BEGIN_DECLS

#define AG_TYPE_ACCOUNT_REGISTRY (ag_account_registry_get_type ())
G_DECLARE_FINAL_TYPE (AgAccountRegistry, ag_account_registry, AG, ACCOUNT_REGISTRY, GObject)

/* Keeps @pool in step with @store; follows the keyring through @watch once loaded. @oauth and @cloudcode set up
 * new accounts. */
AgAccountRegistry *ag_account_registry_new (AgTokenStore      *store,
                                            AgAccountPool     *pool,
                                            AgOAuthClient     *oauth,
                                            AgCloudcodeClient *cloudcode,
                                            AgKeyringWatch    *watch);

/* Reads the accounts from the keyring into the pool. */
void       ag_account_registry_load_async (AgAccountRegistry *self, GCancellable *cancellable,
                                           GAsyncReadyCallback callback, gpointer user_data);
gboolean   ag_account_registry_load_finish (AgAccountRegistry *self, GAsyncResult *result, GError **error);
gboolean   ag_account_registry_get_loaded (AgAccountRegistry *self);

/* Sets up an account from a refresh token (token exchange, e-mail, project), saves it in the keyring and adds it
 * to the pool, in place of one with the same e-mail. Returns the account. */
void       ag_account_registry_add_async (AgAccountRegistry *self, const char *refresh_token,
                                          GCancellable *cancellable, GAsyncReadyCallback callback,
                                          gpointer user_data);
AgAccount *ag_account_registry_add_finish (AgAccountRegistry *self, GAsyncResult *result, GError **error);

/* Removes an account from the keyring, then from the pool; G_IO_ERROR_NOT_FOUND when the keyring has none. */
void       ag_account_registry_remove_async (AgAccountRegistry *self, const char *email,
                                             GCancellable *cancellable, GAsyncReadyCallback callback,
                                             gpointer user_data);
gboolean   ag_account_registry_remove_finish (AgAccountRegistry *self, GAsyncResult *result, GError **error);

G_END_DECLS
