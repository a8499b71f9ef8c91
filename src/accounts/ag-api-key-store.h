/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-api-key-store.h — the local API key that guards the proxy beyond loopback: kept only in the system keyring
 * through libsecret (schema io.github.agcl.AgCl.ApiKey, attribute "profile" like the accounts), and generated
 * from the kernel's random source. The key is never logged nor put in an error message. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define AG_TYPE_API_KEY_STORE (ag_api_key_store_get_type ())
G_DECLARE_FINAL_TYPE (AgApiKeyStore, ag_api_key_store, AG, API_KEY_STORE, GObject)

/* "agcl-" and 43 base64url characters: 32 bytes from /dev/urandom. NULL with @error when it cannot be read. */
char          *ag_api_key_generate (GError **error);

AgApiKeyStore *ag_api_key_store_new (const char *profile);

/* The stored key, or NULL without an error when none is set. A locked keyring that cannot be unlocked or a
 * missing Secret Service is an error. */
void           ag_api_key_store_lookup_async (AgApiKeyStore *self, GCancellable *cancellable,
                                              GAsyncReadyCallback callback, gpointer user_data);
char          *ag_api_key_store_lookup_finish (AgApiKeyStore *self, GAsyncResult *result, GError **error);

/* Creates or replaces the key. */
void           ag_api_key_store_save_async (AgApiKeyStore *self, const char *key, GCancellable *cancellable,
                                            GAsyncReadyCallback callback, gpointer user_data);
gboolean       ag_api_key_store_save_finish (AgApiKeyStore *self, GAsyncResult *result, GError **error);

/* FALSE with G_IO_ERROR_NOT_FOUND when no key was set. */
void           ag_api_key_store_clear_async (AgApiKeyStore *self, GCancellable *cancellable,
                                             GAsyncReadyCallback callback, gpointer user_data);
gboolean       ag_api_key_store_clear_finish (AgApiKeyStore *self, GAsyncResult *result, GError **error);

G_END_DECLS
