/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-add-account-page.h — the Add Account page: "Sign in with Google" (browser + loopback redirect, with progress
 * and Cancel, errors explained), the Antigravity IDE's account when its state is on this machine, or a refresh
 * token pasted in. A new account is announced with win.toast and shown with win.show-page. */
#pragma once

#include <adwaita.h>
#include "ag-page.h"

G_BEGIN_DECLS

#define AG_TYPE_ADD_ACCOUNT_PAGE (ag_add_account_page_get_type ())
G_DECLARE_FINAL_TYPE (AgAddAccountPage, ag_add_account_page, AG, ADD_ACCOUNT_PAGE, AgPage)

/* Property "context": its service signs in and adds the account, its URI launcher opens Google's consent page. */
GtkWidget *ag_add_account_page_new (AgUiContext *context);
/* TRUE while a sign-in or an account set-up is in progress. */
gboolean   ag_add_account_page_get_busy (AgAddAccountPage *self);

G_END_DECLS
