/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-add-account-page-private.h — for tests: the buttons of the Add Account page, what it shows, and the sentence
 * it shows for a failure. */
#pragma once

#include "ag-add-account-page.h"

G_BEGIN_DECLS

GtkButton  *ag_add_account_page_get_sign_in_button (AgAddAccountPage *self);
GtkButton  *ag_add_account_page_get_cancel_button (AgAddAccountPage *self);
/* Visible only when the Antigravity IDE's state database exists. */
GtkButton  *ag_add_account_page_get_import_button (AgAddAccountPage *self);
/* The explanation of the last failure, "" when none. */
const char *ag_add_account_page_get_error_text (AgAddAccountPage *self);

/* The sentence shown for a sign-in or set-up failure. Pure. */
char       *ag_add_account_page_explain_error (const GError *error);

G_END_DECLS
