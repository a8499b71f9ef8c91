// SPDX-License-Identifier: GPL-3.0-or-later
/* ag-keyring-items.h — every keyring item of a schema that matches some attributes, read with its secret: the one
 * search-and-retrieve walk shared by the accounts (AgTokenStore) and their own proxies (ag-egress-items.h). */
#pragma once

#include <libsecret/secret.h>

G_BEGIN_DECLS

typedef struct {
  GHashTable  *attributes;  /* the item's attributes */
  SecretValue *secret;      /* nullable: an item that stayed locked carries none */
} AgKeyringItem;

void ag_keyring_item_free (AgKeyringItem *item);

/* Searches @schema for @attributes (unlocking the keyring when needed) and reads each item's secret. Result: a
 * GPtrArray of AgKeyringItem, empty when nothing matches. Fails with the first failure, worded by
 * ag_keyring_error. */
void       ag_keyring_items_load_async  (const SecretSchema  *schema,
                                         GHashTable          *attributes,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
GPtrArray *ag_keyring_items_load_finish (GAsyncResult *result, GError **error);

G_END_DECLS
