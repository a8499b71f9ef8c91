/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-usage-page.h — the Usage page: quota remaining over the last 24 hours, 7 or 30 days (one line per account
 * and model, gaps where ag-cl was not sampling, resets marked), tokens or requests per hour or day stacked by
 * model or account with the share of errors and rotations, and time to first byte (median, 95th percentile);
 * each chart also as a table. Reads the history store off the main loop and follows new requests while shown. */
#pragma once

#include <adwaita.h>
#include "ag-page.h"

G_BEGIN_DECLS

#define AG_TYPE_USAGE_PAGE (ag_usage_page_get_type ())
G_DECLARE_FINAL_TYPE (AgUsagePage, ag_usage_page, AG, USAGE_PAGE, AgPage)

/* @context: its service's history store is what the page draws (property "context"). */
GtkWidget *ag_usage_page_new (AgUiContext *context);

G_END_DECLS
