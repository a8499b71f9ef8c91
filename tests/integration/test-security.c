/* Security checks: ag-cl listens on loopback only, and no access or refresh token ever reaches a log line, a
 * response body, a CLI output or a file in the data directory — across a representative session with failures. */
#include "ag-test-harness.h"

#include <string.h>

#define REFRESH_TOKEN "rt-7c1f0a9e4b2d"

static AgTestHarness *harness;
/* Everything the client and the user can see, collected for the final scan. */
static GString *seen;

static void
set_script (const char *json)
{
  g_autoptr(GError) error = NULL;

  ag_mock_server_reset (harness->mock);
  ag_mock_server_set_script_json (harness->mock, json, &error);
  g_assert_no_error (error);
}

static guint
request (const char *method, const char *path, const char *json)
{
  g_autoptr(GBytes) body = NULL;
  g_autoptr(SoupMessageHeaders) headers = NULL;
  SoupMessageHeadersIter iter;
  const char *name, *value;
  guint status = ag_test_harness_request (harness, method, path, json, &body, &headers);

  soup_message_headers_iter_init (&iter, headers);
  while (soup_message_headers_iter_next (&iter, &name, &value))
    g_string_append_printf (seen, "%s: %s\n", name, value);
  if (body != NULL)
    g_string_append_len (seen, g_bytes_get_data (body, NULL), (gssize) g_bytes_get_size (body));
  g_string_append_c (seen, '\n');
  return status;
}

static void
run_cli (const char * const *args, int expected_status)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = ag_test_harness_run_cli (harness, args, NULL, &out, &err);

  g_string_append_printf (seen, "%s\n%s\n", out, err);
  if (expected_status >= 0 && status != expected_status)
    g_error ("ag-cl %s exited %d, expected %d: %s%s", args[0], status, expected_status, out, err);
}

/* A secret is the mock's access-token prefix, or "rt-" starting a refresh token (not inside a word). */
static void
assert_no_secret (const char *what, const char *text)
{
  g_autoptr(GRegex) secret = g_regex_new ("ya29\\.mock-|(?<![A-Za-z0-9])rt-[A-Za-z0-9]", 0, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;

  if (g_regex_match (secret, text, 0, &match))
    {
      int start = 0;

      /* The offset only: a test that found a secret must not print it either. */
      g_match_info_fetch_pos (match, 0, &start, NULL);
      g_error ("%s contains a token at offset %d", what, start);
    }
}

/* Non-loopback addresses are refused with a clear message before anything listens. */
static void
test_non_loopback_refused (void)
{
  static const char *const addresses[] = { "0.0.0.0", "::", "192.168.1.20" };

  for (gsize i = 0; i < G_N_ELEMENTS (addresses); i++)
    {
      const char *args[] = { "--headless", "--address", addresses[i], "--port", "0", NULL };
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;
      g_autofree char *expected = g_strdup_printf ("refusing to listen on %s: only loopback addresses", addresses[i]);

      g_assert_cmpint (ag_test_harness_run_cli (harness, args, NULL, &out, &err), !=, 0);
      g_assert_null (strstr (out, "listening"));
      if (strstr (err, expected) == NULL)
        g_error ("no clear refusal for %s: %s", addresses[i], err);
    }
}

/* The default listener (the harness passes no address) is bound to 127.0.0.1 alone: the kernel's socket table
 * has one listening socket on the port, local address 0100007F, and none in the IPv6 table. */
static guint
count_listeners (const char *table, guint port, const char *address_hex)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_autofree char *suffix = g_strdup_printf (":%04X", port);
  guint found = 0;

  if (!g_file_get_contents (table, &contents, NULL, NULL))
    return 0;
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 1; lines[i] != NULL; i++)
    {
      g_auto(GStrv) fields = g_strsplit_set (g_strstrip (lines[i]), " ", -1);
      g_autoptr(GPtrArray) columns = g_ptr_array_new ();

      for (guint j = 0; fields[j] != NULL; j++)
        if (fields[j][0] != '\0')
          g_ptr_array_add (columns, fields[j]);
      /* sl local_address rem_address st …; st 0A is LISTEN */
      if (columns->len < 4 || !g_str_equal (columns->pdata[3], "0A") ||
          !g_str_has_suffix (columns->pdata[1], suffix))
        continue;
      if (address_hex == NULL || g_str_has_prefix (columns->pdata[1], address_hex))
        found++;
    }
  return found;
}

static void
test_default_bind_is_loopback (void)
{
  g_assert_cmpuint (count_listeners ("/proc/net/tcp", harness->port, NULL), ==, 1);
  g_assert_cmpuint (count_listeners ("/proc/net/tcp", harness->port, "0100007F:"), ==, 1);
  g_assert_cmpuint (count_listeners ("/proc/net/tcp6", harness->port, NULL), ==, 0);
}

#define MESSAGE(stream, text) \
  "{\"model\":\"claude-sonnet-4-6\",\"max_tokens\":100,\"stream\":" stream ",\"messages\":[{\"role\":\"user\"," \
  "\"content\":\"" text "\"}]}"

/* A session touching every path that handles a token — sign-in, renewal, refusal, rotation — then a scan. */
static void
test_no_token_leaks (void)
{
  const char *list_args[] = { "account", "list", NULL };
  const char *log_args[] = { "log", NULL };
  const char *refresh_script = "{\"accounts\":[{\"refresh_token\":\"" REFRESH_TOKEN "\"}]}";
  const char *revoked_script = "{\"accounts\":[{\"refresh_token\":\"" REFRESH_TOKEN "\",\"revoked\":true}],"
                               "\"generate\":[{\"respond\":{\"error_preset\":\"unauthenticated\"}}]}";
  g_autoptr(GDir) dir = NULL;
  const char *name;

  set_script (refresh_script);
  g_assert_cmpuint (request ("GET", "/v1/models", NULL), ==, 200);
  g_assert_cmpuint (request ("POST", "/v1/messages", MESSAGE ("true", "hello")), ==, 200);
  g_assert_cmpuint (request ("POST", "/v1/messages", MESSAGE ("false", "hello")), ==, 200);
  g_assert_cmpuint (request ("POST", "/v1/messages",
                             "{\"model\":\"claude-opus-4-6-thinking\",\"max_tokens\":2000,\"stream\":true,"
                             "\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":1024},"
                             "\"messages\":[{\"role\":\"user\",\"content\":\"think\"}]}"), ==, 200);
  g_assert_cmpuint (request ("POST", "/v1/messages/count_tokens", MESSAGE ("false", "count")), ==, 200);
  g_assert_cmpuint (request ("POST", "/v1/messages", "{\"model\":"), ==, 400);

  /* Failures whose messages come from Google or from the sign-in. */
  set_script ("{\"accounts\":[{\"refresh_token\":\"" REFRESH_TOKEN "\"}],\"generate\":["
              "{\"match\":{\"text_contains\":\"once\"},\"times\":1,\"respond\":{\"error_preset\":\"unauthenticated\"}},"
              "{\"match\":{\"text_contains\":\"limit\"},\"respond\":{\"error_preset\":\"rate_limit\","
              "\"retry_delay\":\"30s\",\"model\":\"gemini-3-flash\"}},"
              "{\"match\":{\"text_contains\":\"broken\"},\"respond\":{\"status\":500}}]}");
  g_assert_cmpuint (request ("POST", "/v1/messages", MESSAGE ("true", "once")), ==, 200);
  g_assert_cmpuint (request ("POST", "/v1/messages",
                             "{\"model\":\"gemini-3-flash\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\","
                             "\"content\":\"limit\"}]}"), ==, 429);
  g_assert_cmpuint (request ("POST", "/v1/messages",
                             "{\"model\":\"gemini-3.1-pro-high\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\","
                             "\"content\":\"broken\"}]}"), ==, 502);
  set_script (revoked_script);
  g_assert_cmpuint (request ("POST", "/v1/messages", MESSAGE ("false", "hello")), ==, 503);
  run_cli (list_args, 0);
  run_cli (log_args, -1);

  assert_no_secret ("a response", seen->str);
  assert_no_secret ("the proxy's log", harness->proxy_log->str);

  /* Every proxy log the integration tests left in the build directory. */
  dir = g_dir_open (g_getenv ("G_TEST_BUILDDIR"), 0, NULL);
  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (g_getenv ("G_TEST_BUILDDIR"), name, NULL);
      g_autofree char *contents = NULL;

      if (!g_str_has_suffix (name, "-proxy.log") || !g_file_get_contents (path, &contents, NULL, NULL))
        continue;
      assert_no_secret (path, contents);
    }
}

/* Files ag-cl wrote in its data directory (request log, caches) hold no token either. */
static void
scan_directory (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir == NULL)
    return;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      g_autofree char *contents = NULL;
      gsize length = 0;

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        scan_directory (child);
      else if (g_file_get_contents (child, &contents, &length, NULL))
        {
          /* Binary files (SQLite) may hold NULs: scan them as text with the NULs replaced. */
          for (gsize i = 0; i < length; i++)
            if (contents[i] == '\0')
              contents[i] = '\n';
          assert_no_secret (child, contents);
        }
    }
}

static void
test_data_directory_clean (void)
{
  g_autofree char *data_dir = g_build_filename (g_get_user_data_dir (), "ag-cl", NULL);
  const char *override = g_getenv ("AGCL_DATA_DIR");

  scan_directory (override != NULL ? override : data_dir);
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  seen = g_string_new (NULL);
  harness = ag_test_harness_new ("{\"accounts\":[{\"refresh_token\":\"" REFRESH_TOKEN "\"}]}");
  ag_test_harness_add_account (harness, REFRESH_TOKEN);
  ag_test_harness_start_proxy (harness);

  g_test_add_func ("/security/non-loopback-refused", test_non_loopback_refused);
  g_test_add_func ("/security/default-bind-is-loopback", test_default_bind_is_loopback);
  g_test_add_func ("/security/no-token-leaks", test_no_token_leaks);
  g_test_add_func ("/security/data-directory-clean", test_data_directory_clean);
  status = g_test_run ();

  ag_test_harness_free (harness);
  g_string_free (seen, TRUE);
  return status;
}
