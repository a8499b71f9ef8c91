/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-window-private.h — for tests: the window's pages. */
#pragma once

#include "ag-accounts-page.h"
#include "ag-add-account-page.h"
#include "ag-devices-page.h"
#include "ag-overview-page.h"
#include "ag-requests-page.h"
#include "ag-usage-page.h"
#include "ag-window.h"

G_BEGIN_DECLS

AgOverviewPage   *ag_window_get_overview_page (AgWindow *self);
AgAccountsPage   *ag_window_get_accounts_page (AgWindow *self);
AgAddAccountPage *ag_window_get_add_account_page (AgWindow *self);
AgDevicesPage    *ag_window_get_devices_page (AgWindow *self);
AgUsagePage      *ag_window_get_usage_page (AgWindow *self);
AgRequestsPage   *ag_window_get_requests_page (AgWindow *self);

G_END_DECLS
