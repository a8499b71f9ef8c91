/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-test-harness.h — runs the real ag-cl binary against the in-process mock Cloud Code server: the CLI for
 * account setup (keyring included) and `ag-cl --headless` as a subprocess, plus HTTP helpers. Everything waits by
 * iterating the main context (ag-test-wait.h) so the in-process mock keeps answering. */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include "ag-mock-server.h"
#include "ag-test-json.h"
#include "ag-test-messages.h"
#include "ag-test-mock.h"
#include "ag-test-secrets.h"
#include "ag-test-tls.h"
#include "ag-test-wait.h"

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
  AgTestTls    *tls;             /* the mock's certificates when it serves HTTPS, else NULL */
} AgTestHarness;

/* Starts the mock with @script_json (NULL = defaults) and a keyring profile unique to this test process. */
AgTestHarness *ag_test_harness_new (const char *script_json);
/* The same; when @tls the mock serves HTTPS with a certificate of its own test CA, which ag-cl is told to trust
 * (AGCL_CA_FILE = tls->ca_file): Google's side as ag-cl really meets it. */
AgTestHarness *ag_test_harness_new_over_tls (const char *script_json, gboolean tls);
/* Stops the proxy, scans the data directory for secrets and removes every account of the profile. */
void           ag_test_harness_free (AgTestHarness *self);
void           ag_test_harness_setenv (AgTestHarness *self, const char *name, const char *value);
void           ag_test_harness_unsetenv (AgTestHarness *self, const char *name);
/* Resets the mock's request log and gives it @script_json (NULL: "{}"), asserting it is valid. */
void           ag_test_harness_set_script (AgTestHarness *self, const char *script_json);
/* Runs `ag-cl ARGS…` to completion. Returns the exit status; stdout/stderr in the out parameters (nullable). */
int            ag_test_harness_run_cli (AgTestHarness *self, const char * const *args, const char *stdin_text,
                                        char **stdout_text, char **stderr_text);
/* `account add --refresh-token @refresh_token`, asserting success. */
void           ag_test_harness_add_account (AgTestHarness *self, const char *refresh_token);
/* `account remove` of every account `account list` shows, asserting each succeeds when @check. */
void           ag_test_harness_remove_accounts (AgTestHarness *self, gboolean check);
/* Spawns `ag-cl --headless --port 0` and waits until it listens and the keyring has answered (accounts loaded, or
 * the failure logged). proxy_log then holds this run's log only. */
void           ag_test_harness_start_proxy (AgTestHarness *self);
/* The same with `--address @address` (NULL = the default, 127.0.0.1). */
void           ag_test_harness_start_proxy_on (AgTestHarness *self, const char *address);
/* SIGTERM, asserting a clean exit, then scans the run's log for secrets. */
void           ag_test_harness_stop_proxy (AgTestHarness *self);
/* Stop, then start: account state (rests, sign-ins) of the last run is gone. */
void           ag_test_harness_restart_proxy (AgTestHarness *self);
/* Waits up to @timeout_ms for @needle in this run's proxy log; whether it came. */
gboolean       ag_test_harness_wait_log (AgTestHarness *self, const char *needle, guint timeout_ms);
/* One request to 127.0.0.1:@port with exactly the credentials given (@header NULL = none; a @header with a NULL
 * @value is left out, "anthropic-version" included, which is sent otherwise); waits while iterating
 * the main context. Returns the status; the body in *body and the headers in *headers (both nullable). Body and
 * headers are scanned for secrets. */
guint          ag_test_send (SoupSession *session, guint port, const char *method, const char *path,
                             const char *json_body, const char *header, const char *value, GBytes **body,
                             SoupMessageHeaders **headers);
/* ag_test_send to this proxy, as a client with the API key "test". */
guint          ag_test_harness_request (AgTestHarness *self, const char *method, const char *path,
                                        const char *json_body, GBytes **body, SoupMessageHeaders **headers);
/* POST /v1/messages with @json_body (ag_test_harness_request). */
guint          ag_test_harness_post (AgTestHarness *self, const char *json_body, GBytes **body);

/* A harness test program's usual start: g_test_init, then ag_test_harness_new (NULL) with the mock's account
 * "rt-1" stored. */
AgTestHarness *ag_test_harness_init (int *argc, char ***argv);
/* Runs the registered tests, then frees @self (ag_test_harness_free); g_test_run's exit status. */
int            ag_test_harness_run (AgTestHarness *self);

G_END_DECLS
