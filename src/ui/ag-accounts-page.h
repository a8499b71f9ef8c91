/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-accounts-page.h — the Accounts page: one AgAccountRow per account in the pool, or an invitation to add one
 * (win.show-page). */
#pragma once

#include <adwaita.h>
#include "ag-page.h"

G_BEGIN_DECLS

#define AG_TYPE_ACCOUNTS_PAGE (ag_accounts_page_get_type ())
G_DECLARE_FINAL_TYPE (AgAccountsPage, ag_accounts_page, AG, ACCOUNTS_PAGE, AgPage)

/* Property "context": its service's pool is listed; handed on to each row. */
GtkWidget *ag_accounts_page_new (AgUiContext *context);

G_END_DECLS
