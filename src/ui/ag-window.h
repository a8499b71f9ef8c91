/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-window.h — the main window: Overview, Accounts and Add Account pages in a view stack, with toasts. Closing it
 * only hides it; the proxy keeps running. Its pages change page with win.show-page ("overview", "accounts",
 * "add-account") and show toasts with win.toast (the text). */
#pragma once

#include <adwaita.h>
#include "ag-ui-context.h"

G_BEGIN_DECLS

#define AG_TYPE_WINDOW (ag_window_get_type ())
G_DECLARE_FINAL_TYPE (AgWindow, ag_window, AG, WINDOW, AdwApplicationWindow)

/* Property "context" (what the pages show and control), handed on to the pages. */
AgWindow   *ag_window_new (GtkApplication *app, AgUiContext *context);
/* "overview", "accounts" or "add-account". */
void        ag_window_show_page (AgWindow *self, const char *name);
const char *ag_window_get_visible_page (AgWindow *self);
/* TRUE while a sign-in or an account set-up runs in the Add Account page: the first run leaves the user there. */
gboolean    ag_window_get_adding_account (AgWindow *self);

G_END_DECLS
