/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The local API key end to end: `ag-cl api-key …` against the real (test) keyring, the headless proxy enforcing
 * it on every route but the health checks, non-loopback listening allowed only with a key, and the service
 * dropping a network listener the moment its key is removed. The key never reaches a log. */
#include "ag-test.h"
#include "ag-local-api-key.h"
#include "ag-proxy-service.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>

#define MESSAGE "{\"model\":\"claude-sonnet-4-5-20250929\",\"max_tokens\":64," \
                "\"messages\":[{\"role\":\"user\",\"content\":\"Hi there\"}]}"
#define UNAUTHORIZED_BODY \
  "{\"type\":\"error\",\"error\":{\"type\":\"authentication_error\",\"message\":\"Invalid or missing API key\"}}"

static AgTestHarness *harness;
static char *key;                 /* the key the CLI generated */

static int
run_cli (const char *command, char **out, char **err)
{
  const char *args[] = { "api-key", command, NULL };

  return ag_test_harness_run_cli (harness, args, NULL, out, err);
}

/* One request to 127.0.0.1:@port with exactly the credentials given (@header NULL = none). Returns the status;
 * the body as text in *body_text (nullable). */
static guint
send_request (guint port, const char *method, const char *path, const char *json_body, const char *header,
              const char *value, char **body_text)
{
  g_autoptr(GBytes) body = NULL;
  guint status = ag_test_send (harness->session, port, method, path, json_body, header, value, &body, NULL);

  if (body_text != NULL)
    *body_text = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  return status;
}

static void
assert_unauthorized (guint port, const char *method, const char *path, const char *json_body, const char *header,
                     const char *value)
{
  g_autofree char *body = NULL;
  guint status = send_request (port, method, path, json_body, header, value, &body);

  if (status != 401 || g_strcmp0 (body, UNAUTHORIZED_BODY) != 0)
    g_error ("%s %s with %s: expected 401 and the authentication error, got %u %s", method, path,
             header != NULL ? header : "no credentials", status, body);
}

static void
assert_message_served (guint port, const char *header, const char *value)
{
  g_autofree char *body = NULL;

  g_assert_cmpuint (send_request (port, "POST", "/v1/messages", MESSAGE, header, value, &body), ==, 200);
  g_assert_nonnull (strstr (body, "\"text\":\"Hello from the mock.\""));
}

static void
assert_key_not_in (const char *what, const char *text)
{
  g_assert_nonnull (key);
  if (text != NULL && strstr (text, key) != NULL)
    g_error ("%s contains the local API key", what);
}

/* generate prints a fresh key (agcl- and 43 base64url characters), show prints the stored one. */
static void
test_cli (void)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *first = NULL;
  g_autofree char *shown = NULL;

  g_assert_cmpint (run_cli ("show", &out, &err), ==, 1);
  g_assert_cmpstr (out, ==, "");
  g_assert_cmpstr (err, ==, "ag-cl: no local API key is set; create one with \"ag-cl api-key generate\"\n");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_cli ("generate", &first, &err), ==, 0);
  g_assert_true (g_regex_match_simple ("^agcl-[A-Za-z0-9_-]{43}\n$", first, 0, 0));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli ("show", &shown, NULL), ==, 0);
  g_assert_cmpstr (shown, ==, first);
  g_clear_pointer (&shown, g_free);

  /* A second generate replaces the key. */
  g_assert_cmpint (run_cli ("generate", &out, NULL), ==, 0);
  g_assert_true (g_regex_match_simple ("^agcl-[A-Za-z0-9_-]{43}\n$", out, 0, 0));
  g_assert_cmpstr (out, !=, first);
  g_assert_cmpint (run_cli ("show", &shown, NULL), ==, 0);
  g_assert_cmpstr (shown, ==, out);
  key = g_strdup (g_strstrip (out));

  g_assert_cmpint (run_cli ("rotate", NULL, &err), ==, 1);
  g_assert_cmpstr (err, ==, "ag-cl: unknown api-key command; see \"ag-cl api-key --help\"\n");
}

/* Sends only the headers of a @length-byte POST without credentials and returns what comes back before the body
 * is sent: the answer must not wait for a body the client has no right to make ag-cl read. */
static char *
answer_before_body (guint port, const char *transfer_header)
{
  g_autoptr(GSocketConnection) connection = ag_test_connect (port, 10);
  g_autoptr(GError) error = NULL;
  g_autofree char *request = g_strdup_printf ("POST /v1/messages HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                              "Content-Type: application/json\r\n%s\r\n\r\n", transfer_header);
  char *answer;

  ag_test_write (connection, request, -1);
  /* Until the server closes the connection after its answer; a server waiting for the body times out here. */
  answer = ag_test_read_all (connection, 4095, NULL, &error);
  g_assert_no_error (error);
  return answer;
}

/* With a key in the keyring and require-api-key on, every route but the health checks needs it from every client,
 * as x-api-key or as a Bearer token. */
static void
test_enforced (void)
{
  g_autofree char *wrong = g_strdup (key);
  g_autofree char *bearer = g_strdup_printf ("Bearer %s", key);
  g_autofree char *body = NULL;
  guint port;

  ag_test_harness_setenv (harness, "AGCL_REQUIRE_API_KEY", "1");
  ag_test_harness_start_proxy (harness);
  port = harness->port;

  /* Same length, last character different: the comparison looks at every byte. */
  wrong[strlen (wrong) - 1] = wrong[strlen (wrong) - 1] == 'A' ? 'B' : 'A';
  {
    const struct {
      const char *method;
      const char *path;
      const char *body;
      const char *header;
      const char *value;
    } refused[] = {
      { "POST", "/v1/messages", MESSAGE, NULL, NULL },
      { "POST", "/v1/messages", MESSAGE, "x-api-key", wrong },
      { "POST", "/v1/messages", MESSAGE, "x-api-key", "agcl-" },
      { "POST", "/v1/messages", MESSAGE, "Authorization", key },   /* not as a Bearer token */
      { "POST", "/v1/messages/count_tokens", MESSAGE, NULL, NULL },
      { "GET", "/v1/models", NULL, NULL, NULL },
      { "POST", "/api/event_logging/batch", "{}", NULL, NULL },
      { "GET", "/nowhere", NULL, NULL, NULL },
    };

    for (gsize i = 0; i < G_N_ELEMENTS (refused); i++)
      assert_unauthorized (port, refused[i].method, refused[i].path, refused[i].body, refused[i].header,
                           refused[i].value);
  }
  for (guint i = 0; i < 2; i++)
    {
      const char *transfer = i == 0 ? "Content-Length: 30000000" : "Transfer-Encoding: chunked";
      g_autofree char *answer = answer_before_body (port, transfer);

      if (!g_str_has_prefix (answer, "HTTP/1.1 401 ") || strstr (answer, UNAUTHORIZED_BODY) == NULL)
        g_error ("a body sent without the key (%s) was not refused before it arrived: %s", transfer, answer);
    }

  assert_message_served (port, "x-api-key", key);
  assert_message_served (port, "Authorization", bearer);
  g_assert_cmpuint (send_request (port, "POST", "/v1/messages/count_tokens", MESSAGE, "x-api-key", key, NULL), ==,
                    200);

  g_assert_cmpuint (send_request (port, "GET", "/healthz", NULL, NULL, NULL, &body), ==, 200);
  g_assert_cmpstr (body, ==, "{\"status\":\"ok\"}");
  g_assert_cmpuint (send_request (port, "GET", "/", NULL, NULL, NULL, NULL), ==, 200);
  g_assert_cmpuint (send_request (port, "HEAD", "/", NULL, NULL, NULL, NULL), ==, 200);

  ag_test_harness_stop_proxy (harness);
  g_assert_nonnull (strstr (harness->proxy_log->str, "local API key: set, required from every client"));
  assert_key_not_in ("the proxy log", harness->proxy_log->str);
}

/* With a key, the proxy listens on every interface, and still asks every client for the key. */
static void
test_non_loopback_with_key (void)
{
  ag_test_harness_start_proxy_on (harness, "0.0.0.0");
  assert_unauthorized (harness->port, "POST", "/v1/messages", MESSAGE, NULL, NULL);
  assert_message_served (harness->port, "x-api-key", key);
  ag_test_harness_stop_proxy (harness);
  assert_key_not_in ("the network proxy's log", harness->proxy_log->str);
}

/* Clearing the key: loopback serves without one again (require-api-key off), and the network is refused again. */
static void
test_clear (void)
{
  const char *network_args[] = { "--headless", "--address", "0.0.0.0", "--port", "0", NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (run_cli ("clear", &out, &err), ==, 0);
  g_assert_cmpstr (err, ==, "Local API key removed.\n");
  g_clear_pointer (&err, g_free);
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (run_cli ("clear", NULL, &err), ==, 0);
  g_assert_cmpstr (err, ==, "No local API key was set.\n");
  g_clear_pointer (&err, g_free);
  ag_test_harness_unsetenv (harness, "AGCL_REQUIRE_API_KEY");

  g_assert_cmpint (ag_test_harness_run_cli (harness, network_args, NULL, &out, &err), ==, 1);
  g_assert_null (strstr (out, "listening"));
  g_assert_nonnull (strstr (err, "ag-cl: refusing to listen on 0.0.0.0: only loopback addresses are allowed "
                                 "without a local API key\n"));

  ag_test_harness_start_proxy (harness);
  assert_message_served (harness->port, NULL, NULL);
  g_assert_cmpuint (send_request (harness->port, "GET", "/nowhere", NULL, NULL, NULL, NULL), ==, 404);
  ag_test_harness_stop_proxy (harness);
  g_assert_nonnull (strstr (harness->proxy_log->str, "local API key: none"));
}

static void
count_signal (AgProxyService *service, const char *message, gpointer user_data)
{
  g_assert_nonnull (strstr (message, "only loopback addresses are allowed without a local API key"));
  (*(guint *) user_data)++;
}

/* In process, as the desktop app uses it: generating enforces at once, removing the key drops a listener that the
 * network could reach. */
static void
test_service_generate_and_clear (void)
{
  g_autoptr(AgProxyService) service = NULL;
  AgLocalApiKey *key_object;
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *generated = NULL;
  guint refusals = 0;
  GLogLevelFlags fatal_levels;

  g_setenv ("AGCL_PROFILE", harness->profile, TRUE);
  g_setenv ("AGCL_DATA_DIR", harness->data_dir, TRUE);
  g_setenv ("AGCL_REQUIRE_API_KEY", "1", TRUE);
  service = ag_proxy_service_new (NULL, &error);
  key_object = ag_proxy_service_get_local_api_key (service);
  g_assert_no_error (error);
  g_signal_connect (service, "listen-failed", G_CALLBACK (count_signal), &refusals);
  ag_proxy_service_set_listen_override (service, "0.0.0.0", 0);

  result = AG_TEST_AWAIT_CALL (ag_local_api_key_load_async, key_object, NULL);
  g_assert_true (ag_local_api_key_load_finish (key_object, result, &error));
  g_clear_object (&result);
  g_assert_false (ag_local_api_key_is_set (key_object));
  g_assert_false (ag_proxy_service_start (service, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);

  result = AG_TEST_AWAIT_CALL (ag_local_api_key_generate_async, key_object, NULL);
  generated = ag_local_api_key_generate_finish (key_object, result, &error);
  g_clear_object (&result);
  g_assert_no_error (error);
  g_assert_true (g_regex_match_simple ("^agcl-[A-Za-z0-9_-]{43}$", generated, 0, 0));
  g_assert_true (ag_local_api_key_is_set (key_object));
  g_assert_cmpstr (ag_local_api_key_get_value (key_object), ==, generated);
  g_assert_true (ag_proxy_service_start (service, &error));
  g_assert_no_error (error);
  assert_unauthorized (ag_proxy_service_get_port (service), "GET", "/v1/models", NULL, NULL, NULL);
  assert_unauthorized (ag_proxy_service_get_port (service), "GET", "/v1/models", NULL, "x-api-key", key);

  /* The service also logs the refusal as a warning: expected here, so not fatal for this step. */
  fatal_levels = g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
  result = AG_TEST_AWAIT_CALL (ag_local_api_key_clear_async, key_object, NULL);
  g_assert_true (ag_local_api_key_clear_finish (key_object, result, &error));
  g_clear_object (&result);
  g_assert_false (ag_local_api_key_is_set (key_object));
  g_assert_null (ag_local_api_key_get_value (key_object));
  g_assert_false (ag_proxy_service_get_running (service));
  g_assert_cmpuint (refusals, ==, 1);
  g_log_set_always_fatal (fatal_levels);

  /* Loopback may listen without a key; with require-api-key on and no key, every client is refused. */
  ag_proxy_service_set_listen_override (service, "127.0.0.1", 0);
  g_assert_true (ag_proxy_service_start (service, &error));
  g_assert_no_error (error);
  assert_unauthorized (ag_proxy_service_get_port (service), "GET", "/nowhere", NULL, NULL, NULL);
  ag_proxy_service_stop (service);
  g_unsetenv ("AGCL_REQUIRE_API_KEY");
}

int
main (int argc, char **argv)
{
  int status;

  harness = ag_test_harness_init (&argc, &argv);

  g_test_add_func ("/api-key/cli", test_cli);
  g_test_add_func ("/api-key/enforced", test_enforced);
  g_test_add_func ("/api-key/non-loopback-with-key", test_non_loopback_with_key);
  g_test_add_func ("/api-key/clear", test_clear);
  g_test_add_func ("/api-key/service-generate-and-clear", test_service_generate_and_clear);
  status = ag_test_harness_run (harness);
  g_free (key);
  return status;
}
