/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-application-private.h — for tests: the application's proxy, its switch, and the browser it opens. */
#pragma once

#include "ag-application.h"
#include "ag-proxy-service.h"
#include "ag-uri-launcher-private.h"

G_BEGIN_DECLS

/* The host's service. */
AgProxyService *ag_application_get_service (AgApplication *self);
/* The host's app.proxy-enabled (ag_desktop_host_set_proxy_enabled). */
gboolean        ag_application_set_proxy_enabled (AgApplication *self, gboolean enabled, GError **error);
/* Tests play the browser: @launcher receives every URI the pages open (NULL restores the browser). */
void            ag_application_set_uri_launcher (AgApplication *self, AgUriLaunchFunc launcher, gpointer user_data);

G_END_DECLS
