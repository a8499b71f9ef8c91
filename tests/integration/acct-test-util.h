/* SPDX-License-Identifier: GPL-3.0-or-later */
/* acct-test-util.h — small helpers shared by the accounts integration tests: waiting on async results by
 * iterating the main context (the in-process mock answers meanwhile), pointing the environment at the mock, and a
 * one-answer stub server for faults the mock does not script (a failing host, a rotated refresh token). */
#pragma once

#include <libsoup/soup.h>
#include "ag-mock-server.h"

G_BEGIN_DECLS

/* GAsyncReadyCallback storing a reference on the result in *(GAsyncResult **) user_data. */
void          acct_store_result (GObject *source, GAsyncResult *result, gpointer user_data);
/* Iterates the default main context until *slot is set (fails the test after 20 s); returns it (owned). */
GAsyncResult *acct_wait (GAsyncResult **slot);
/* Iterates the default main context until *count reaches @wanted (fails the test after 20 s). */
void          acct_wait_count (guint *count, guint wanted);

/* A mock listening on a free port with @script_json (NULL = defaults), whose URLs are exported to this process's
 * environment (AGCL_CLOUDCODE_ENDPOINTS, AGCL_OAUTH_*_URL, AGCL_USERINFO_URL). */
AgMockServer *acct_mock_start (const char *script_json);

typedef struct {
  SoupServer *server;
  char       *base_url;     /* "http://127.0.0.1:PORT" */
  guint       status;
  char       *body;         /* JSON answered to every request */
  guint       hits;
  char       *last_path;
} AcctStub;

AcctStub *acct_stub_new (guint status, const char *body);
void      acct_stub_free (AcctStub *stub);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AcctStub, acct_stub_free)

/* A base URL where nothing listens (connection refused). */
char *acct_dead_url (void);

G_END_DECLS
