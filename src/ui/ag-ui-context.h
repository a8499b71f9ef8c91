/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-ui-context.h — what the window, its pages and rows, and the preferences depend on (the proxy service, the
 * settings, the URI launcher), built once by the application and handed to each as its "context" property. */
#pragma once

#include <gio/gio.h>
#include "ag-antigravity-switch.h"
#include "ag-proxy-service.h"
#include "ag-uri-launcher.h"

G_BEGIN_DECLS

#define AG_TYPE_UI_CONTEXT (ag_ui_context_get_type ())
G_DECLARE_FINAL_TYPE (AgUiContext, ag_ui_context, AG, UI_CONTEXT, GObject)

/* Construct-only properties "service" (what the UI shows and controls), "settings" (nullable: the built-in
 * defaults) and "uri-launcher" (how the UI sends the user to Google). */
AgUiContext    *ag_ui_context_new (AgProxyService *service, GSettings *settings, AgUriLauncher *uri_launcher);
AgProxyService *ag_ui_context_get_service (AgUiContext *self);
/* Nullable. */
GSettings      *ag_ui_context_get_settings (AgUiContext *self);
AgUriLauncher  *ag_ui_context_get_uri_launcher (AgUiContext *self);
/* The IDE switch and the device profiles it uses (<data dir>/devices.db), shared by the pages and the tray. */
AgAntigravitySwitch *ag_ui_context_get_antigravity_switch (AgUiContext *self);

G_END_DECLS
