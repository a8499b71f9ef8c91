/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-test-harness.h — runs the real ag-cl binary against the in-process mock Cloud Code server: the CLI for
 * account setup (keyring included) and `ag-cl --headless` as a subprocess, plus HTTP helpers. Everything waits by
 * iterating the main context so the in-process mock keeps answering. */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include "ag-mock-server.h"
#include "ag-secret-scan.h"

G_BEGIN_DECLS

typedef struct {
  AgMockServer *mock;
  char        **env;
  char         *profile;
  GSubprocess  *proxy;
  guint         port;
  SoupSession  *session;
  GString      *proxy_log;       /* the proxy's stderr */
  char         *proxy_log_path;  /* …also written here */
  char         *data_dir;        /* AGCL_DATA_DIR of this test (request log) */
  const char  **command_prefix;  /* NULL, or a command ag-cl runs under (must exec it: same pid), e.g. setpriv */
} AgTestHarness;

/* Starts the mock with @script_json (NULL = defaults) and a keyring profile unique to this test process. */
AgTestHarness *ag_test_harness_new (const char *script_json);
void           ag_test_harness_free (AgTestHarness *self);
void           ag_test_harness_setenv (AgTestHarness *self, const char *name, const char *value);
/* Runs `ag-cl ARGS…` to completion. Returns the exit status; stdout/stderr in the out parameters (nullable). */
int            ag_test_harness_run_cli (AgTestHarness *self, const char * const *args, const char *stdin_text,
                                        char **stdout_text, char **stderr_text);
/* `account add --refresh-token @refresh_token`, asserting success. */
void           ag_test_harness_add_account (AgTestHarness *self, const char *refresh_token);
/* Spawns `ag-cl --headless --port 0` and waits until it listens and the keyring has answered (accounts loaded, or
 * the failure logged). proxy_log then holds this run's log only. */
void           ag_test_harness_start_proxy (AgTestHarness *self);
/* The same with `--address @address` (NULL = the default, 127.0.0.1). */
void           ag_test_harness_start_proxy_on (AgTestHarness *self, const char *address);
void           ag_test_harness_stop_proxy (AgTestHarness *self);
/* One request to 127.0.0.1:@port with exactly the credentials given (@header NULL = none); waits while iterating
 * the main context. Returns the status; the body in *body and the headers in *headers (both nullable). */
guint          ag_test_send (SoupSession *session, guint port, const char *method, const char *path,
                             const char *json_body, const char *header, const char *value, GBytes **body,
                             SoupMessageHeaders **headers);
/* ag_test_send to this proxy, as a client with the API key "test". */
guint          ag_test_harness_request (AgTestHarness *self, const char *method, const char *path,
                                        const char *json_body, GBytes **body, SoupMessageHeaders **headers);
/* Parses an SSE body into a JSON array of {"event":name,"data":<parsed>}. */
JsonNode      *ag_test_parse_sse (GBytes *body);
/* Parses a JSON body, asserting it is valid. */
JsonNode      *ag_test_parse_json (GBytes *body);
/* Iterates the default main context until @done is TRUE or @timeout_ms passes (then fails the test). */
void           ag_test_wait_for (gboolean *done, guint timeout_ms);
/* Iterates the main context for @ms milliseconds. */
void           ag_test_sleep (guint ms);

G_END_DECLS
