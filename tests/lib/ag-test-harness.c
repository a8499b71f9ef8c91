/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "ag-test-harness.h"
#include "ag-test-fixtures.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

AgTestHarness *
ag_test_harness_new (const char *script_json)
{
  return ag_test_harness_new_over_tls (script_json, FALSE);
}

AgTestHarness *
ag_test_harness_new_over_tls (const char *script_json, gboolean tls)
{
  AgTestHarness *self = g_new0 (AgTestHarness, 1);

  self->tls = tls ? ag_test_tls_new () : NULL;
  self->mock = ag_test_mock_new_over_tls (script_json, tls ? self->tls->server : NULL);
  {
    g_autofree char *name = g_path_get_basename (g_get_prgname ());

    self->profile = g_strdup_printf ("test-%s-%d", name, (int) getpid ());
  }
  self->env = ag_mock_server_environ (self->mock, g_get_environ ());
  self->env = g_environ_setenv (self->env, "AGCL_PROFILE", self->profile, TRUE);
  self->env = g_environ_setenv (self->env, "AGCL_ONBOARD_POLL_MS", "50", TRUE);
  if (tls)
    {
      const char *asan = g_environ_getenv (self->env, "ASAN_OPTIONS");
      g_autofree char *options = g_strconcat (asan != NULL ? asan : "", asan != NULL ? ":" : "", "detect_leaks=0",
                                              NULL);

      self->env = g_environ_setenv (self->env, "AGCL_CA_FILE", self->tls->ca_file, TRUE);
      /* In the ASan build, LeakSanitizer's tracer dies (signal 11) at the exit of a process that made a GnuTLS
       * handshake, which fails the run; ag-cl's address checks stay on there, its leak check is left to the
       * other tests (the same code without TLS) and valgrind. Other builds ignore the variable. */
      self->env = g_environ_setenv (self->env, "ASAN_OPTIONS", options, TRUE);
    }
  /* The request log of this test's proxy, apart from every other test's. */
  self->data_dir = g_dir_make_tmp ("ag-cl-test-XXXXXX", NULL);
  self->env = g_environ_setenv (self->env, "AGCL_DATA_DIR", self->data_dir, TRUE);
  self->session = soup_session_new_with_options ("timeout", 60, "max-conns-per-host", 64, NULL);
  self->proxy_log = g_string_new (NULL);
  if (g_getenv ("G_TEST_BUILDDIR") != NULL)
    {
      g_autofree char *name = g_path_get_basename (g_get_prgname ());

      self->proxy_log_path = g_strdup_printf ("%s/%s-proxy.log", g_getenv ("G_TEST_BUILDDIR"), name);
    }
  return self;
}

void
ag_test_harness_setenv (AgTestHarness *self, const char *name, const char *value)
{
  self->env = g_environ_setenv (self->env, name, value, TRUE);
}

void
ag_test_harness_unsetenv (AgTestHarness *self, const char *name)
{
  self->env = g_environ_unsetenv (self->env, name);
}

void
ag_test_harness_set_script (AgTestHarness *self, const char *script_json)
{
  ag_mock_server_reset (self->mock);
  ag_test_mock_set_script (self->mock, script_json != NULL ? script_json : "{}");
}

static GSubprocess *
spawn (AgTestHarness *self, const char * const *args, GSubprocessFlags flags)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (flags);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  GSubprocess *process;

  g_subprocess_launcher_set_environ (launcher, self->env);
  for (guint i = 0; self->command_prefix != NULL && self->command_prefix[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) self->command_prefix[i]);
  g_ptr_array_add (argv, (char *) g_getenv ("AG_CL"));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  return process;
}

int
ag_test_harness_run_cli (AgTestHarness *self, const char * const *args, const char *stdin_text,
                         char **stdout_text, char **stderr_text)
{
  g_autoptr(GSubprocess) process = spawn (self, args, G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                                     G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                     G_SUBPROCESS_FLAGS_STDERR_PIPE);
  GAsyncResult *slot = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_subprocess_communicate_utf8_async (process, stdin_text != NULL ? stdin_text : "", NULL, ag_test_store_result,
                                       &slot);
  result = ag_test_await_for (&slot, 60000);
  g_subprocess_communicate_utf8_finish (process, result, &out, &err, &error);
  g_assert_no_error (error);
  if (!g_subprocess_get_if_exited (process))
    g_error ("ag-cl %s did not exit normally (signal %d): %s", args[0],
             g_subprocess_get_if_signaled (process) ? g_subprocess_get_term_sig (process) : -1, err);
  ag_test_assert_no_secret ("ag-cl's output", out, -1);
  ag_test_assert_no_secret ("ag-cl's error output", err, -1);
  if (stdout_text != NULL)
    *stdout_text = g_steal_pointer (&out);
  if (stderr_text != NULL)
    *stderr_text = g_steal_pointer (&err);
  return g_subprocess_get_exit_status (process);
}

void
ag_test_harness_add_account (AgTestHarness *self, const char *refresh_token)
{
  const char *args[] = { "account", "add", "--refresh-token", refresh_token, NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = ag_test_harness_run_cli (self, args, NULL, &out, &err);

  if (status != 0)
    g_error ("account add failed (%d): %s%s", status, out, err);
}

void
ag_test_harness_remove_accounts (AgTestHarness *self, gboolean check)
{
  const char *list_args[] = { "account", "list", NULL };
  g_autofree char *listing = NULL;
  g_autofree char *err = NULL;
  g_auto(GStrv) lines = NULL;
  int status = ag_test_harness_run_cli (self, list_args, NULL, &listing, &err);

  if (status != 0 || listing == NULL)
    {
      if (check)
        g_error ("account list failed (%d): %s", status, err);
      return;
    }
  lines = g_strsplit (listing, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) fields = g_strsplit_set (g_strstrip (lines[i]), " \t", 2);

      if (fields[0] != NULL && strchr (fields[0], '@') != NULL)
        {
          const char *args[] = { "account", "remove", fields[0], NULL };
          g_autofree char *remove_err = NULL;

          status = ag_test_harness_run_cli (self, args, NULL, NULL, &remove_err);
          if (check && status != 0)
            g_error ("account remove %s failed (%d): %s", fields[0], status, remove_err);
        }
    }
}

static void
stderr_read (GObject *source, GAsyncResult *result, gpointer user_data)
{
  AgTestHarness *self = user_data;
  g_autoptr(GBytes) bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, NULL);

  if (bytes == NULL || g_bytes_get_size (bytes) == 0)
    return;
  g_string_append_len (self->proxy_log, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  /* Kept on disk as well, so a failed test can be diagnosed from the build directory. */
  if (self->proxy_log_path != NULL)
    g_file_set_contents (self->proxy_log_path, self->proxy_log->str, (gssize) self->proxy_log->len, NULL);
  g_input_stream_read_bytes_async (G_INPUT_STREAM (source), 4096, G_PRIORITY_DEFAULT, NULL, stderr_read, self);
}

static gboolean
keyring_answered (gpointer user_data)
{
  AgTestHarness *self = user_data;

  return strstr (self->proxy_log->str, "loaded from the keyring") != NULL ||
         strstr (self->proxy_log->str, "cannot read accounts from the keyring") != NULL;
}

void
ag_test_harness_start_proxy_on (AgTestHarness *self, const char *address)
{
  const char *args[] = { "--headless", "--port", "0", address != NULL ? "--address" : NULL, address, NULL };
  g_autofree char *prefix = g_strdup_printf ("ag-cl: listening on http://%s:", address != NULL ? address : "127.0.0.1");
  g_autoptr(GDataInputStream) out = NULL;
  GAsyncResult *slot = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *line = NULL;

  /* The log of this run only: waits and assertions below must not see an earlier run's lines. */
  g_string_truncate (self->proxy_log, 0);
  self->proxy = spawn (self, args, G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_input_stream_read_bytes_async (g_subprocess_get_stderr_pipe (self->proxy), 4096, G_PRIORITY_DEFAULT, NULL,
                                   stderr_read, self);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (self->proxy));
  g_data_input_stream_read_line_async (out, G_PRIORITY_DEFAULT, NULL, ag_test_store_result, &slot);
  result = ag_test_await_for (&slot, 20000);
  line = g_data_input_stream_read_line_finish_utf8 (out, result, NULL, NULL);
  if (line == NULL || !g_str_has_prefix (line, prefix))
    g_error ("the proxy did not start listening (%s): %s", line, self->proxy_log->str);
  self->port = (guint) g_ascii_strtoull (line + strlen (prefix), NULL, 10);
  g_assert_cmpuint (self->port, >, 0);

  /* Accounts load from the keyring after the listener is up; wait until the keyring has answered, either way
   * (a test of a locked or absent keyring asserts on the failure line itself). */
  if (!ag_test_poll_until (keyring_answered, self, 10000))
    g_error ("the keyring never answered the proxy: %s", self->proxy_log->str);
}

void
ag_test_harness_start_proxy (AgTestHarness *self)
{
  ag_test_harness_start_proxy_on (self, NULL);
}

void
ag_test_harness_stop_proxy (AgTestHarness *self)
{
  GAsyncResult *slot = NULL;
  g_autoptr(GAsyncResult) result = NULL;

  if (self->proxy == NULL)
    return;
  g_subprocess_send_signal (self->proxy, SIGTERM);
  g_subprocess_wait_async (self->proxy, NULL, ag_test_store_result, &slot);
  result = ag_test_await_for (&slot, 10000);
  g_subprocess_wait_finish (self->proxy, result, NULL);
  /* A proxy that crashed during the test must fail it, not pass silently. */
  g_assert_true (g_subprocess_get_if_exited (self->proxy));
  g_assert_cmpint (g_subprocess_get_exit_status (self->proxy), ==, 0);
  g_clear_object (&self->proxy);
  ag_test_assert_no_secret ("the proxy's log", self->proxy_log->str, (gssize) self->proxy_log->len);
}

void
ag_test_harness_restart_proxy (AgTestHarness *self)
{
  ag_test_harness_stop_proxy (self);
  ag_test_harness_start_proxy (self);
}

typedef struct {
  AgTestHarness *self;
  const char    *needle;
} LogWait;

static gboolean
log_has (gpointer user_data)
{
  LogWait *wait = user_data;

  return strstr (wait->self->proxy_log->str, wait->needle) != NULL;
}

gboolean
ag_test_harness_wait_log (AgTestHarness *self, const char *needle, guint timeout_ms)
{
  LogWait wait = { self, needle };

  return ag_test_poll_until (log_has, &wait, timeout_ms);
}

void
ag_test_harness_free (AgTestHarness *self)
{
  ag_test_harness_stop_proxy (self);
  if (self->data_dir != NULL)
    ag_test_assert_no_secret_in_directory (self->data_dir);
  /* Leave no test account behind in the keyring. */
  ag_test_harness_remove_accounts (self, FALSE);
  g_object_unref (self->session);
  g_object_unref (self->mock);
  g_strfreev (self->env);
  g_free (self->profile);
  g_string_free (self->proxy_log, TRUE);
  g_free (self->proxy_log_path);
  if (self->data_dir != NULL)
    ag_test_remove_tree (self->data_dir);
  g_free (self->data_dir);
  ag_test_tls_free (self->tls);
  g_free (self);
}

static void
assert_headers_clean (SoupMessageHeaders *headers)
{
  SoupMessageHeadersIter iter;
  const char *name, *value;

  soup_message_headers_iter_init (&iter, headers);
  while (soup_message_headers_iter_next (&iter, &name, &value))
    ag_test_assert_no_secret (name, value, -1);
}

guint
ag_test_send (SoupSession *session, guint port, const char *method, const char *path, const char *json_body,
              const char *header, const char *value, GBytes **body, SoupMessageHeaders **headers)
{
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u%s", port, path);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  GAsyncResult *slot = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) answer = NULL;

  if (json_body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (json_body, strlen (json_body));

      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }
  soup_message_headers_replace (soup_message_get_request_headers (msg), "anthropic-version", "2023-06-01");
  if (header != NULL && value == NULL)
    soup_message_headers_remove (soup_message_get_request_headers (msg), header);
  else if (header != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), header, value);
  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, ag_test_store_result, &slot);
  result = ag_test_await_for (&slot, 60000);
  answer = soup_session_send_and_read_finish (session, result, &error);
  g_assert_no_error (error);
  if (answer != NULL)
    ag_test_assert_no_secret (path, g_bytes_get_data (answer, NULL), (gssize) g_bytes_get_size (answer));
  assert_headers_clean (soup_message_get_response_headers (msg));
  if (body != NULL)
    *body = g_steal_pointer (&answer);
  if (headers != NULL)
    *headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
  return soup_message_get_status (msg);
}

guint
ag_test_harness_request (AgTestHarness *self, const char *method, const char *path, const char *json_body,
                         GBytes **body, SoupMessageHeaders **headers)
{
  return ag_test_send (self->session, self->port, method, path, json_body, "x-api-key", "test", body, headers);
}

guint
ag_test_harness_post (AgTestHarness *self, const char *json_body, GBytes **body)
{
  return ag_test_harness_request (self, "POST", "/v1/messages", json_body, body, NULL);
}

AgTestHarness *
ag_test_harness_init (int *argc, char ***argv)
{
  AgTestHarness *self;

  g_test_init (argc, argv, NULL);
  self = ag_test_harness_new (NULL);
  ag_test_harness_add_account (self, "rt-1");
  return self;
}

int
ag_test_harness_run (AgTestHarness *self)
{
  int status = g_test_run ();

  ag_test_harness_free (self);
  return status;
}
