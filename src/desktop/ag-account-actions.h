/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-account-actions.h — the application actions that fix an account Google refused, shared by the window, the
 * tray menu and the notifications' buttons (all three name an account by e-mail):
 *   "account-open-page" (s)  opens the account's verification or appeal page in the browser (the OpenURI portal in
 *                            Flatpak);
 *   "account-check" (s)      "Check again": one probe request (ag_proxy_service_check_account_async); the outcome
 *                            is sent as a notification. GIO only. */
#pragma once

#include <gio/gio.h>
#include "ag-proxy-service.h"

G_BEGIN_DECLS

/* Adds the actions to @map (the GApplication), acting on @service's accounts. */
void ag_account_actions_add (GActionMap *map, GApplication *app, AgProxyService *service);

G_END_DECLS
