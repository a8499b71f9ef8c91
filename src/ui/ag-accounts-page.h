/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-accounts-page.h — the Accounts page: one AgAccountRow per account in the pool, or an invitation to add one. */
#pragma once

#include <adwaita.h>
#include "ag-application.h"

G_BEGIN_DECLS

#define AG_TYPE_ACCOUNTS_PAGE (ag_accounts_page_get_type ())
G_DECLARE_FINAL_TYPE (AgAccountsPage, ag_accounts_page, AG, ACCOUNTS_PAGE, AdwBin)

void        ag_accounts_page_bind (AgAccountsPage *self, AgApplication *app);
/* The list of AgAccountRow, for tests. */
GtkListBox *ag_accounts_page_get_list (AgAccountsPage *self);

G_END_DECLS
