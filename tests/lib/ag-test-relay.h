/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-test-relay.h — a small HTTP proxy for tests, on 127.0.0.1: CONNECT tunnels and absolute-URI requests
 * ("POST http://host:port/path HTTP/1.1") are relayed byte for byte to their target, each connection to the target
 * leaving from the relay's own source address (127.0.0.2, 127.0.0.3, …). A server behind it (the mock records each
 * request's peer address) therefore sees which relay carried a request; the relay counts what it carried. It runs
 * on the default main context, like the in-process mock. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _AgTestRelay AgTestRelay;

/* Listens on a free port of 127.0.0.1; connects to targets from @source_address (a loopback address). */
AgTestRelay *ag_test_relay_new (const char *source_address);
void         ag_test_relay_free (AgTestRelay *self);
/* "http://127.0.0.1:PORT" */
char        *ag_test_relay_get_uri (AgTestRelay *self);
/* Client connections relayed so far (tunnelled or not). */
guint        ag_test_relay_get_connections (AgTestRelay *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AgTestRelay, ag_test_relay_free)

G_END_DECLS
