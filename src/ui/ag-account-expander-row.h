// SPDX-License-Identifier: GPL-3.0-or-later
/* ag-account-expander-row.h — the base of the rows that each show one account of the pool (AgAccountRow on the
 * Accounts page, AgDeviceRow on the Devices page): an AdwExpanderRow titled with the account's e-mail address,
 * built with the construct-only properties "account" and "context". */
#pragma once

#include <adwaita.h>
#include "ag-ui-context.h"

G_BEGIN_DECLS

#define AG_TYPE_ACCOUNT_EXPANDER_ROW (ag_account_expander_row_get_type ())
G_DECLARE_DERIVABLE_TYPE (AgAccountExpanderRow, ag_account_expander_row, AG, ACCOUNT_EXPANDER_ROW, AdwExpanderRow)

struct _AgAccountExpanderRowClass
{
  AdwExpanderRowClass parent_class;
};

/* Both set from construction until dispose; NULL after. */
AgAccount   *ag_account_expander_row_get_account (AgAccountExpanderRow *self);
AgUiContext *ag_account_expander_row_get_context (AgAccountExpanderRow *self);

G_END_DECLS
