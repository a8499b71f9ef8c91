/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-account-row.h — one account in the Accounts page: identity and state in the header; state with a fix,
 * per-model quota bars, enable switch, "Set as preferred" and remove (confirmed) when expanded. */
#pragma once

#include <adwaita.h>
#include "ag-account-expander-row.h"

G_BEGIN_DECLS

#define AG_TYPE_ACCOUNT_ROW (ag_account_row_get_type ())
G_DECLARE_FINAL_TYPE (AgAccountRow, ag_account_row, AG, ACCOUNT_ROW, AgAccountExpanderRow)

/* Properties "account" (shown) and "context": its service (the pool's limits, removal), settings (none: no
 * preferred account then) and URI launcher (the verification page). */
GtkWidget *ag_account_row_new (AgAccount *account, AgUiContext *context);

G_END_DECLS
