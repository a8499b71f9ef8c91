/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-account-row-private.h — for tests: what an account row shows, and the sentence it shows for a state. */
#pragma once

#include "ag-account-row.h"

G_BEGIN_DECLS

AgAccount  *ag_account_row_get_account (AgAccountRow *self);
/* The state ("Active", "gemini-3-pro: rate limited until 14:05", …), the fix button (sign in again / verify) and
 * the number of quota bars. */
const char *ag_account_row_get_state_text (AgAccountRow *self);
GtkWidget  *ag_account_row_get_fix_button (AgAccountRow *self);
GtkWidget  *ag_account_row_get_check_button (AgAccountRow *self);
GtkWidget  *ag_account_row_get_reenable_button (AgAccountRow *self);
/* The Proxy row's Change… button (opens an AgAccountProxyDialog) and its text: the account's proxy without
 * credentials, or the global default's wording. */
GtkWidget  *ag_account_row_get_proxy_button (AgAccountRow *self);
const char *ag_account_row_get_proxy_text (AgAccountRow *self);
guint       ag_account_row_get_n_quota_bars (AgAccountRow *self);

/* "Active", "Rate limited until HH:MM", "Quota exhausted until HH:MM", "Needs sign-in", … for the account @email
 * in @state with the pool's @limits (nullable). Pure. */
char       *ag_account_row_describe_state (AgAccountState state, GPtrArray *limits, const char *email);

G_END_DECLS
