// SPDX-License-Identifier: GPL-3.0-or-later
/* ag-page.h — the base of the window's pages (Overview, Accounts, Add Account, Devices, Usage, Requests): an AdwBin
 * that holds the construct-only "context" property every page is built with. */
#pragma once

#include <adwaita.h>
#include "ag-ui-context.h"

G_BEGIN_DECLS

#define AG_TYPE_PAGE (ag_page_get_type ())
G_DECLARE_DERIVABLE_TYPE (AgPage, ag_page, AG, PAGE, AdwBin)

struct _AgPageClass
{
  AdwBinClass parent_class;
};

/* Set from construction until dispose; NULL after. */
AgUiContext    *ag_page_get_context (AgPage *self);
/* The context's service: what most pages show and control. */
AgProxyService *ag_page_get_service (AgPage *self);

G_END_DECLS
