/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-overview-page-private.h — for tests: the widgets and texts of the Overview page. */
#pragma once

#include "ag-overview-page.h"
#include "ag-agent-setup.h"

G_BEGIN_DECLS

GtkSwitch  *ag_overview_page_get_proxy_switch (AgOverviewPage *self);
/* The subtitles of the proxy, address, requests and warmup rows, as shown. */
const char *ag_overview_page_get_status_text (AgOverviewPage *self);
const char *ag_overview_page_get_address_text (AgOverviewPage *self);
const char *ag_overview_page_get_requests_text (AgOverviewPage *self);
const char *ag_overview_page_get_warmups_text (AgOverviewPage *self);
/* The "Use with …" row of @agent (an AgAgentRow). */
GtkWidget  *ag_overview_page_get_agent_row (AgOverviewPage *self, AgAgent agent);

G_END_DECLS
