/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-requests-page.h — the Request monitor page: the request log, live and newest first (time, client model →
 * upstream model, account, outcome and status, time to first byte, duration, tokens, the tries before the
 * answer), filtered by outcome and searched by model, account, client or detail, with every field of the
 * selected request below. Prompts, tool arguments and secrets are never in the log, so never here. */
#pragma once

#include <adwaita.h>
#include "ag-page.h"

G_BEGIN_DECLS

#define AG_TYPE_REQUESTS_PAGE (ag_requests_page_get_type ())
G_DECLARE_FINAL_TYPE (AgRequestsPage, ag_requests_page, AG, REQUESTS_PAGE, AgPage)

/* @context: its service's history store is the log the page shows (property "context"). */
GtkWidget *ag_requests_page_new (AgUiContext *context);

G_END_DECLS
