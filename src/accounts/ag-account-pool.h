/* ag-account-pool.h — the accounts the proxy may use, and which one serves the next request. */
#pragma once

#include <gio/gio.h>
#include "ag-account.h"

G_BEGIN_DECLS

#define AG_TYPE_ACCOUNT_POOL (ag_account_pool_get_type ())
G_DECLARE_FINAL_TYPE (AgAccountPool, ag_account_pool, AG, ACCOUNT_POOL, GObject)

AgAccountPool *ag_account_pool_new (void);
/* The accounts as a GListModel of AgAccount (for observers); emits items-changed. */
GListModel    *ag_account_pool_get_accounts (AgAccountPool *self);
void           ag_account_pool_add (AgAccountPool *self, AgAccount *account);
gboolean       ag_account_pool_remove (AgAccountPool *self, const char *email);
AgAccount     *ag_account_pool_find (AgAccountPool *self, const char *email);
guint          ag_account_pool_get_n_accounts (AgAccountPool *self);
/* An enabled account to serve @model, skipping those in @exclude (accounts that already failed this request);
 * NULL when none is left. Returns a new reference. */
AgAccount     *ag_account_pool_pick (AgAccountPool *self, const char *model, GPtrArray *exclude);

G_END_DECLS
