/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-test-relay.h — a small proxy for tests, on 127.0.0.1, that relays each client connection byte for byte to its
 * target, the connection to the target leaving from the relay's own source address (127.0.0.2, 127.0.0.3, …). A
 * server behind it (the mock records each request's peer address) therefore sees which relay carried a request;
 * the relay records whom it carried. It runs on the default main context, like the in-process mock. It speaks:
 *   HTTP    CONNECT tunnels and absolute-URI requests ("POST http://host:port/path HTTP/1.1"), with no
 *           authentication or, when the relay was given a user, only with "Proxy-Authorization: Basic" of that user
 *           and password: without them the answer is 407 with "Proxy-Authenticate: Basic realm=…" (a tunnel's
 *           client may then ask again on the same connection), counted as a refusal;
 *   SOCKS5  RFC 1928 CONNECT to an IPv4, IPv6 or domain-name address, with no authentication or, when the relay
 *           was given a user, only with RFC 1929 username/password: wrong credentials are refused (and counted). */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _AgTestRelay AgTestRelay;

/* An HTTP proxy listening on a free port of 127.0.0.1; connects to targets from @source_address (a loopback
 * address). */
AgTestRelay *ag_test_relay_new (const char *source_address);
/* The same with @username and @password (both NULL: none) demanded by HTTP Basic authentication. */
AgTestRelay *ag_test_relay_new_http (const char *source_address, const char *username, const char *password);
/* A SOCKS5 proxy likewise; @username and @password NULL: no authentication, else only theirs is accepted. */
AgTestRelay *ag_test_relay_new_socks5 (const char *source_address, const char *username, const char *password);
/* Stops listening and ends every connection it relays. */
void         ag_test_relay_free (AgTestRelay *self);
/* "http://127.0.0.1:PORT" or "socks5://127.0.0.1:PORT" (never with credentials) */
char        *ag_test_relay_get_uri (AgTestRelay *self);
/* Client connections relayed so far (tunnelled or not). */
guint        ag_test_relay_get_connections (AgTestRelay *self);
/* Of those, the HTTP CONNECT tunnels (how a client reaches an https:// target through an HTTP proxy). */
guint        ag_test_relay_get_tunnels (AgTestRelay *self);
/* Whom it carried, one string per relayed connection in order: the target as the client named it ("host:port",
 * "[v6]:port"), after "user@" when the client signed in (SOCKS5, or an HTTP relay given a user). Borrowed. */
GPtrArray   *ag_test_relay_get_carried (AgTestRelay *self);
/* Clients turned away: missing or wrong credentials (SOCKS5, or HTTP's 407), or no method a SOCKS5 relay
 * accepts. */
guint        ag_test_relay_get_refusals (AgTestRelay *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AgTestRelay, ag_test_relay_free)

G_END_DECLS
