/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-proxy-server.h — the local Anthropic-API endpoint: a SoupServer on the main loop that routes requests to the
 * messages call, count_tokens, the model list, health checks and Claude Code's telemetry sink. */
#pragma once

#include <libsoup/soup.h>
#include "ag-call-context.h"
#include "ag-request-guard.h"

G_BEGIN_DECLS

#define AG_TYPE_PROXY_SERVER (ag_proxy_server_get_type ())
G_DECLARE_FINAL_TYPE (AgProxyServer, ag_proxy_server, AG, PROXY_SERVER, GObject)

#define AG_PROXY_DEFAULT_ADDRESS "127.0.0.1"
#define AG_PROXY_DEFAULT_PORT 8045
/* Anthropic's own request limit is 32 MB; larger bodies get 413 before they are read. */
#define AG_PROXY_DEFAULT_BODY_LIMIT (32 * 1024 * 1024)

AgProxyServer     *ag_proxy_server_new (AgCloudcodeClient *cloudcode,
                                        AgOAuthClient     *oauth,
                                        AgAccountPool     *pool,
                                        AgModelCatalogue  *catalogue);
/* Starts listening on @address:@port (0 = a free port, see get_port). */
gboolean           ag_proxy_server_listen (AgProxyServer *self, const char *address, guint port, GError **error);
void               ag_proxy_server_stop (AgProxyServer *self);
gboolean           ag_proxy_server_is_listening (AgProxyServer *self);
guint              ag_proxy_server_get_port (AgProxyServer *self);
/* Requests read and not yet answered in full (a stream counts until its last byte). */
guint              ag_proxy_server_get_requests_open (AgProxyServer *self);
/* The listening socket (owned by the server), or NULL when not listening. */
GSocket           *ag_proxy_server_get_listener (AgProxyServer *self);
void               ag_proxy_server_set_body_limit (AgProxyServer *self, gsize limit);
/* Silence on a client stream after which a ping is sent (default 15 s). */
void               ag_proxy_server_set_keepalive_ms (AgProxyServer *self, guint keepalive_ms);
/* Silence from upstream mid-answer after which the call is ended with an error (default 300 s). */
void               ag_proxy_server_set_stream_idle_timeout_ms (AgProxyServer *self, guint timeout_ms);
void               ag_proxy_server_set_thinking_keys (AgProxyServer *self, AgThinkingKeys keys);

/* Answer Claude Code's warmups and quota probes locally (default on). */
void               ag_proxy_server_set_warmup_interception (AgProxyServer *self, gboolean enabled);
/* Send title/summary/suggestion requests to @model (default on, gemini-3-flash). */
void               ag_proxy_server_set_background_routing (AgProxyServer *self, gboolean enabled, const char *model);
/* Report input usage scaled by @client_window / the upstream model's context window (off by default). */
void               ag_proxy_server_set_usage_scaling (AgProxyServer *self, gboolean enabled, guint client_window);
/* Properties "requests-received" and "requests-intercepted" (notify on change). */
guint64            ag_proxy_server_get_requests_received (AgProxyServer *self);
guint64            ag_proxy_server_get_requests_intercepted (AgProxyServer *self);

/* With a key set (nullable: none), every route but GET/HEAD of / and /healthz needs it as "x-api-key: KEY" or
 * "Authorization: Bearer KEY"; anything else gets 401 authentication_error. */
void               ag_proxy_server_set_api_key (AgProxyServer *self, const char *key);
gboolean           ag_proxy_server_has_api_key (AgProxyServer *self);
/* Who may use the proxy: the API key above, require-api-key, the allowed hosts and origins. */
AgRequestGuard    *ag_proxy_server_get_guard (AgProxyServer *self);

/* Where finished requests are recorded (nullable: no request log). */
void               ag_proxy_server_set_history (AgProxyServer *self, AgHistoryStore *history);
/* Asked to look for the current release when Google refuses the client version (nullable). */
void               ag_proxy_server_set_version_check (AgProxyServer *self, AgVersionCheck *version_check);

/* What a request starting now is handed (borrowed; take a reference to keep it). */
AgCallContext     *ag_proxy_server_get_context (AgProxyServer *self);

G_END_DECLS
