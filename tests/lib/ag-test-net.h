/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-test-net.h — loopback plumbing for tests: free ports, a URL where nothing listens, a one-answer stub server
 * for faults the mock does not script, and raw HTTP/1.1 exchanges for requests no HTTP client would send. */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

/* A TCP port on 127.0.0.1 that was free a moment ago (nothing else on loopback takes it during a test). */
guint  ag_test_free_port (void);
/* "http://127.0.0.1:PORT" where nothing listens (connection refused). */
char  *ag_test_dead_url (void);

/* A blocking connection to 127.0.0.1:@port (@timeout_s for every later read and write). */
GSocketConnection *ag_test_connect (guint port, guint timeout_s);
/* Writes all of @bytes (@length -1: NUL-terminated) to @connection, asserting it went out. */
void               ag_test_write (GSocketConnection *connection, const char *bytes, gssize length);
/* Reads until the server closes the connection (or @max bytes came): what was read, NUL-terminated, its size in
 * @length (nullable). A read error ends it too, in @error (nullable: ignored). */
char              *ag_test_read_all (GSocketConnection *connection, gsize max, gsize *length, GError **error);
/* Connects to @port, sends @request as is and returns all that came back until the server closed. */
char              *ag_test_raw_exchange (guint port, const char *request);

typedef struct {
  SoupServer *server;
  char       *base_url;     /* "http://127.0.0.1:PORT" */
  guint       status;
  char       *body;         /* JSON answered to every request */
  guint       hits;
  char       *last_path;
} AgTestStub;

/* A server on a free port answering @status with @body (JSON) to every request, counting them. */
AgTestStub *ag_test_stub_new (guint status, const char *body);
void        ag_test_stub_free (AgTestStub *stub);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AgTestStub, ag_test_stub_free)

G_END_DECLS
