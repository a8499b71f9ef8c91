// SPDX-License-Identifier: GPL-3.0-or-later
/* ag-proxy-server-private.h — what the server's two halves share. ag-proxy-server.c is the object: settings, the
 * call context, the listener and the open-request count. ag-proxy-server-routes.c decides what each request gets:
 * the early handler refuses from the headers alone (the guard, the body limit), the request handler dispatches by
 * route to a call, a unary call, a local answer or an error. */
#pragma once

#include <libsoup/soup.h>
#include "ag-json-parser.h"
#include "ag-proxy-server.h"

G_BEGIN_DECLS

struct _AgProxyServer {
  GObject            parent_instance;
  SoupServer        *server;
  guint              port;
  gsize              body_limit;
  gboolean           intercept_warmups;
  gboolean           route_background;
  char              *background_model;
  guint64            requests_received;
  guint64            requests_intercepted;
  guint              requests_open;      /* headers read, not yet finished or aborted */
  AgCallContext     *context;            /* what the next call gets; replaced, never changed, by the setters */
  AgJsonParser      *json;               /* reused for every request body */
  AgRequestGuard    *guard;              /* who may use the proxy */
};

/* ag-proxy-server.c: count a Messages request received, or answered locally, and notify the property. */
void ag_proxy_server_count_received (AgProxyServer *self);
void ag_proxy_server_count_intercepted (AgProxyServer *self);

/* ag-proxy-server-routes.c: the SoupServer handlers, @user_data the server. */
void ag_proxy_server_early_handler (SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *query,
                                    gpointer user_data);
void ag_proxy_server_request_handler (SoupServer *server, SoupServerMessage *msg, const char *path,
                                      GHashTable *query, gpointer user_data);

G_END_DECLS
