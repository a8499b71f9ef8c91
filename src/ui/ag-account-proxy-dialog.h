/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-account-proxy-dialog.h — sets or removes one account's own upstream proxy (ag-egress-items.h) from its row:
 * an entry checked with ag_upstream_proxy_uri_check (Save stays off while it is invalid), Save, and Remove (back
 * to the global AGCL_UPSTREAM_PROXY choice). The stored URI is never shown: the entry starts empty. */
#pragma once

#include "ag-account.h"

#include <adwaita.h>

G_BEGIN_DECLS

#define AG_TYPE_ACCOUNT_PROXY_DIALOG (ag_account_proxy_dialog_get_type ())
G_DECLARE_FINAL_TYPE (AgAccountProxyDialog, ag_account_proxy_dialog, AG, ACCOUNT_PROXY_DIALOG, AdwMessageDialog)

/* Writes to the keyring of @profile and, once written, to @account, so its next call uses the new proxy. Errors
 * become a toast on @parent's window. */
GtkWidget *ag_account_proxy_dialog_new (GtkWidget *parent, AgAccount *account, const char *profile);

G_END_DECLS
