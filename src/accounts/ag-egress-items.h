/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-egress-items.h — each account's own upstream proxy, kept in the keyring (schema io.github.agcl.AgCl.Egress:
 * attributes email and profile; the secret is the proxy URI, which may hold a user name and password; label
 * "ag-cl proxy: <email>"). Nothing of it goes to a file, GSettings or a log. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Stores @proxy_uri as @email's proxy, or removes it when @proxy_uri is NULL (no item is fine). */
void        ag_egress_items_set_async  (const char *profile, const char *email, const char *proxy_uri,
                                        GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data);
gboolean    ag_egress_items_set_finish (GAsyncResult *result, GError **error);
/* Every account's proxy in @profile: a table e-mail → URI. */
void        ag_egress_items_load_async  (const char *profile, GCancellable *cancellable, GAsyncReadyCallback callback,
                                         gpointer user_data);
GHashTable *ag_egress_items_load_finish (GAsyncResult *result, GError **error);

G_END_DECLS
