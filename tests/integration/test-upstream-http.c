/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Which HTTP version ag-cl offers Google: HTTP/1.1 only (ALPN "http/1.1"), like Google's own client, unless
 * AGCL_UPSTREAM_HTTP2 lets libsoup offer h2. Read off the ClientHello by a local `openssl s_server -tlsextdebug`
 * standing in for Google (its certificate fails verification after the hello, which is all this needs). */
#include "ag-test.h"

#include <glib/gstdio.h>
#include <string.h>

static char *tls_dir;

static gboolean
make_certificate (void)
{
  g_autofree char *key = g_build_filename (tls_dir, "key.pem", NULL);
  g_autofree char *cert = g_build_filename (tls_dir, "cert.pem", NULL);
  const char *argv[] = { "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                         "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1", "-keyout", key, "-out", cert, NULL };
  int status = -1;

  return g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL |
                       G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, NULL, NULL, &status, NULL) &&
         g_spawn_check_wait_status (status, NULL);
}

/* Runs `ag-cl account add` against a TLS server that logs the client's extensions; returns the ALPN protocols
 * offered, as printable text ("h2 http/1.1 …"), or "" when the hello had no ALPN extension. */
static char *
offered_protocols (gboolean allow_http2)
{
  AgTestHarness *harness = ag_test_harness_new (NULL);
  g_autofree char *key = g_build_filename (tls_dir, "key.pem", NULL);
  g_autofree char *cert = g_build_filename (tls_dir, "cert.pem", NULL);
  guint port = ag_test_free_port ();
  g_autofree char *accept = g_strdup_printf ("%u", port);
  g_autofree char *url = g_strdup_printf ("https://127.0.0.1:%u", port);
  g_autofree char *token_url = g_strconcat (url, "/token", NULL);
  const char *server_argv[] = { "openssl", "s_server", "-accept", accept, "-cert", cert, "-key", key,
                                "-alpn", "h2,http/1.1", "-tlsextdebug", "-www", NULL };
  const char *add[] = { "account", "add", "--refresh-token", "rt-1", NULL };
  g_autoptr(GSubprocess) server = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) log = g_string_new (NULL);
  GString *offered = g_string_new (NULL);
  const char *at;

  server = g_subprocess_newv (server_argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_MERGE, &error);
  g_assert_no_error (error);
  ag_test_sleep (500);
  ag_test_harness_setenv (harness, "AGCL_OAUTH_TOKEN_URL", token_url);
  ag_test_harness_setenv (harness, "AGCL_CLOUDCODE_ENDPOINTS", url);
  if (allow_http2)
    ag_test_harness_setenv (harness, "AGCL_UPSTREAM_HTTP2", "1");
  else
    ag_test_harness_unsetenv (harness, "AGCL_UPSTREAM_HTTP2");
  ag_test_harness_unsetenv (harness, "SOUP_FORCE_HTTP1");
#ifdef __SANITIZE_ADDRESS__
  /* The CLI exits right after a failed TLS handshake, while glib-networking's handshake thread winds down; there
   * LeakSanitizer's own tracer crashed once ("Tracer caught signal 11"). This test is about the hello, and the
   * other tests check leaks, so no leak check for these runs. */
  ag_test_harness_setenv (harness, "ASAN_OPTIONS", "detect_leaks=0:abort_on_error=1");
#endif
  /* Fails at certificate verification, after the hello. */
  g_assert_cmpint (ag_test_harness_run_cli (harness, add, NULL, NULL, NULL), !=, 0);
  g_subprocess_force_exit (server);
  {
    g_autofree char *out = NULL;

    g_subprocess_communicate_utf8 (server, NULL, NULL, &out, NULL, NULL);
    g_string_append (log, out != NULL ? out : "");
  }
  g_test_message ("%s", log->str);
  at = strstr (log->str, "\"application layer protocol negotiation\"");
  if (at != NULL)
    {
      /* The hex dump that follows: its printable column spells the protocol names. */
      g_auto(GStrv) lines = g_strsplit (at, "\n", 4);

      for (guint i = 1; lines[i] != NULL && i < 3; i++)
        if (strlen (lines[i]) > 58)
          g_string_append (offered, lines[i] + 57);
    }
  ag_test_harness_free (harness);
  return g_string_free (offered, FALSE);
}

static void
test_http1_only_by_default (void)
{
  g_autofree char *offered = offered_protocols (FALSE);

  g_assert_nonnull (strstr (offered, "http/1.1"));
  g_assert_null (strstr (offered, "h2"));
}

static void
test_http2_when_allowed (void)
{
  g_autofree char *offered = offered_protocols (TRUE);

  g_assert_nonnull (strstr (offered, "h2"));
}

int
main (int argc, char **argv)
{
  g_autofree char *openssl = g_find_program_in_path ("openssl");
  int status;

  g_test_init (&argc, &argv, NULL);
  tls_dir = g_dir_make_tmp ("ag-cl-tls-XXXXXX", NULL);
  if (openssl == NULL || !make_certificate ())
    {
      g_test_skip ("openssl is needed to play a TLS server");
      return g_test_run ();
    }
  g_test_add_func ("/upstream-http/http1-only-by-default", test_http1_only_by_default);
  g_test_add_func ("/upstream-http/http2-when-allowed", test_http2_when_allowed);
  status = g_test_run ();
  ag_test_remove_tree (tls_dir);
  g_free (tls_dir);
  return status;
}
