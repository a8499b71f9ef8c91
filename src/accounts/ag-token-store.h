/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-token-store.h — persists accounts in the system keyring through libsecret (schema io.github.agcl.AgCl.Account):
 * the secret is the refresh token; attributes hold the e-mail, project, tier, enabled ("true"/"false") and the
 * profile; the item label is "ag-cl: <email>". Nothing is written
 * to a file. The profile (env AGCL_PROFILE, default "default") keeps test keyring items apart from real ones. */
#pragma once

#include <gio/gio.h>
#include "ag-account.h"

G_BEGIN_DECLS

#define AG_TYPE_TOKEN_STORE (ag_token_store_get_type ())
G_DECLARE_FINAL_TYPE (AgTokenStore, ag_token_store, AG, TOKEN_STORE, GObject)

AgTokenStore *ag_token_store_new (const char *profile);

/* Creates or replaces the item for the account's e-mail. */
void       ag_token_store_save_async (AgTokenStore *self, AgAccount *account, GCancellable *cancellable,
                                      GAsyncReadyCallback callback, gpointer user_data);
gboolean   ag_token_store_save_finish (AgTokenStore *self, GAsyncResult *result, GError **error);

/* All stored accounts (unlocking the keyring when needed), sorted by e-mail. A locked keyring that cannot be
 * unlocked or a missing Secret Service is an error with a clear message. */
void       ag_token_store_load_all_async (AgTokenStore *self, GCancellable *cancellable,
                                          GAsyncReadyCallback callback, gpointer user_data);
GPtrArray *ag_token_store_load_all_finish (AgTokenStore *self, GAsyncResult *result, GError **error);

/* FALSE with G_IO_ERROR_NOT_FOUND when no such account is stored. The account's own proxy (ag-egress-items.h)
 * is removed with it; load_all gives each account its proxy. */
void       ag_token_store_remove_async (AgTokenStore *self, const char *email, GCancellable *cancellable,
                                        GAsyncReadyCallback callback, gpointer user_data);
gboolean   ag_token_store_remove_finish (AgTokenStore *self, GAsyncResult *result, GError **error);

G_END_DECLS
