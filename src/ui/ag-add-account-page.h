/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-add-account-page.h — the Add Account page: "Sign in with Google" (browser + loopback redirect, with progress
 * and Cancel, errors explained), the Antigravity IDE's account when its state is on this machine, or a refresh
 * token pasted in. */
#pragma once

#include <adwaita.h>
#include "ag-application.h"

G_BEGIN_DECLS

#define AG_TYPE_ADD_ACCOUNT_PAGE (ag_add_account_page_get_type ())
G_DECLARE_FINAL_TYPE (AgAddAccountPage, ag_add_account_page, AG, ADD_ACCOUNT_PAGE, AdwBin)

void        ag_add_account_page_bind (AgAddAccountPage *self, AgApplication *app);
/* What the buttons do, and what the page shows, for tests. */
GtkButton  *ag_add_account_page_get_sign_in_button (AgAddAccountPage *self);
GtkButton  *ag_add_account_page_get_cancel_button (AgAddAccountPage *self);
/* Visible only when the Antigravity IDE's state database exists. */
GtkButton  *ag_add_account_page_get_import_button (AgAddAccountPage *self);
/* TRUE while a sign-in or an account set-up is in progress. */
gboolean    ag_add_account_page_get_busy (AgAddAccountPage *self);
/* The explanation of the last failure, "" when none. */
const char *ag_add_account_page_get_error_text (AgAddAccountPage *self);

/* The sentence shown for a sign-in or set-up failure. Pure. */
char       *ag_add_account_page_explain_error (const GError *error);

G_END_DECLS
