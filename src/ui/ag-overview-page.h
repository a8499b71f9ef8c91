/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-overview-page.h — the Overview page: the proxy switch and address, the accounts at a glance, requests served
 * today and warmups answered locally, and pointing Claude Code at the proxy. Turns the proxy on and off through
 * app.proxy-enabled; toasts through win.toast. */
#pragma once

#include <adwaita.h>
#include "ag-page.h"

G_BEGIN_DECLS

#define AG_TYPE_OVERVIEW_PAGE (ag_overview_page_get_type ())
G_DECLARE_FINAL_TYPE (AgOverviewPage, ag_overview_page, AG, OVERVIEW_PAGE, AgPage)

/* @context: its service is the proxy the page shows and controls (property "context"). */
GtkWidget *ag_overview_page_new (AgUiContext *context);

G_END_DECLS
