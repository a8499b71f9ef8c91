/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-accounts-page-private.h — for tests: the list of rows. */
#pragma once

#include "ag-accounts-page.h"

G_BEGIN_DECLS

/* The list of AgAccountRow, in the pool's order. */
GtkListBox *ag_accounts_page_get_list (AgAccountsPage *self);

G_END_DECLS
