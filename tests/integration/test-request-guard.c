/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Only the user's own agents: the headless ag-cl, with one account and default settings, probed as a web page, a
 * DNS-rebinding page, another local user and another machine would probe it. Every refusal is answered (403, 401
 * or 415, in the Anthropic error shape) before its body is read, with nothing sent upstream and a line in the
 * request log; every agent-shaped request is served. */
#include "ag-test.h"

#include <ifaddrs.h>
#include <netinet/in.h>
#include <string.h>
#include <unistd.h>

#define MESSAGE "{\"model\":\"claude-sonnet-4-5-20250929\",\"max_tokens\":64," \
                "\"messages\":[{\"role\":\"user\",\"content\":\"Hi there\"}]}"

static AgTestHarness *harness;

typedef struct {
  guint status;
  char *head;        /* status line and headers, lowercase */
  char *body;
} Answer;

static void
answer_clear (Answer *answer)
{
  g_free (answer->head);
  g_free (answer->body);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Answer, answer_clear)

static void
answer_parse (Answer *answer, const char *raw)
{
  const char *split = strstr (raw, "\r\n\r\n");

  g_assert_nonnull (split);
  g_assert_true (g_str_has_prefix (raw, "HTTP/1.1 "));
  answer->status = (guint) g_ascii_strtoull (raw + 9, NULL, 10);
  answer->head = g_ascii_strdown (raw, split - raw + 2);   /* each header line ends with CRLF */
  answer->body = g_strdup (split + 4);
}

typedef struct {
  GInetAddress *address;   /* NULL: 127.0.0.1 */
  guint         port;
  char         *request;
} Exchange;

static void
exchange_free (Exchange *exchange)
{
  g_clear_object (&exchange->address);
  g_free (exchange->request);
  g_free (exchange);
}

/* Blocking, so in a thread: the mock that answers ag-cl lives on this test's main loop. */
static void
exchange_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  Exchange *exchange = data;
  g_autoptr(GSocketClient) connector = g_socket_client_new ();
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) target = g_inet_socket_address_new (exchange->address != NULL ? exchange->address
                                                                                          : loopback,
                                                                exchange->port);
  g_autoptr(GSocketConnection) connection = NULL;
  GError *error = NULL;

  g_socket_client_set_timeout (connector, 10);
  connection = g_socket_client_connect (connector, G_SOCKET_CONNECTABLE (target), NULL, &error);
  if (connection == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  ag_test_write (connection, exchange->request, -1);
  g_task_return_pointer (task, ag_test_read_all (connection, 1 << 20, NULL, NULL), g_free);
}

/* One request as raw bytes (so Host and Origin are exactly what a browser would send), to @address (NULL:
 * 127.0.0.1), on a connection the client closes after the answer. @extra_headers: "Name: value\r\n"… */
static void
exchange_at (GInetAddress *address, guint port, const char *method, const char *path, const char *extra_headers,
             const char *body, Answer *answer)
{
  Exchange *exchange = g_new0 (Exchange, 1);
  g_autoptr(GTask) task = g_task_new (NULL, NULL, NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *raw = NULL;

  exchange->address = address != NULL ? g_object_ref (address) : NULL;
  exchange->port = port;
  exchange->request = g_strdup_printf ("%s %s HTTP/1.1\r\n%sConnection: close\r\nContent-Length: %zu\r\n\r\n%s",
                                       method, path, extra_headers, body != NULL ? strlen (body) : 0,
                                       body != NULL ? body : "");
  g_task_set_task_data (task, exchange, (GDestroyNotify) exchange_free);
  g_task_run_in_thread (task, exchange_thread);
  AG_TEST_WAIT (g_task_get_completed (task), AG_TEST_TIMEOUT_MS);
  raw = g_task_propagate_pointer (task, &error);
  g_assert_no_error (error);
  answer_parse (answer, raw);
}

static void
exchange (guint port, const char *method, const char *path, const char *extra_headers, const char *body,
          Answer *answer)
{
  exchange_at (NULL, port, method, path, extra_headers, body, answer);
}

static guint
upstream_calls (void)
{
  g_autoptr(JsonArray) requests = ag_test_mock_requests (harness->mock, ":streamGenerateContent");
  g_autoptr(JsonArray) unary = ag_test_mock_requests (harness->mock, ":generateContent");

  return json_array_get_length (requests) + json_array_get_length (unary);
}

typedef struct {
  const char *name;
  const char *method;
  const char *path;
  const char *headers;   /* without Host when it starts with "Host:" itself */
  gboolean    with_body;
  guint       status;
  const char *error_type;
} Probe;

static void
assert_refused (guint port, const Probe *probe)
{
  g_auto(Answer) answer = { 0 };
  g_autofree char *type = g_strdup_printf ("\"type\":\"%s\"", probe->error_type);

  exchange (port, probe->method, probe->path, probe->headers, probe->with_body ? MESSAGE : NULL, &answer);
  if (answer.status != probe->status || strstr (answer.body, "{\"type\":\"error\",\"error\":{") != answer.body ||
      strstr (answer.body, type) == NULL)
    g_error ("%s: expected %u %s, got %u %s", probe->name, probe->status, probe->error_type, answer.status,
             answer.body);
  /* No CORS header for a page that was not allowed, and no retry of what would be refused again. */
  g_assert_null (strstr (answer.head, "access-control-allow-origin"));
  if (strstr (answer.head, "\r\nx-should-retry: false\r\n") == NULL)
    g_error ("%s: no x-should-retry: false in %s", probe->name, answer.head);
}

/* The refusals the issue lists, against the default settings. */
static void
test_refusals (void)
{
  g_autofree char *host = NULL;
  g_autofree char *rebinding = NULL;
  guint before = upstream_calls ();

  ag_test_harness_start_proxy (harness);
  host = g_strdup_printf ("Host: 127.0.0.1:%u\r\n", harness->port);
  rebinding = g_strdup_printf ("Host: rebind.evil.example:%u\r\n", harness->port);
  {
    g_autofree char *simple_post = g_strconcat (host, "Origin: https://evil.example\r\nContent-Type: text/plain\r\n",
                                                NULL);
    g_autofree char *json_post = g_strconcat (host, "Origin: https://evil.example\r\n"
                                              "Content-Type: application/json\r\n", NULL);
    g_autofree char *foreign_host = g_strdup ("Host: evil.example\r\nContent-Type: application/json\r\n");
    g_autofree char *rebound = g_strconcat (rebinding, "Content-Type: application/json\r\n", NULL);
    g_autofree char *rebound_get = g_strdup (rebinding);
    g_autofree char *preflight = g_strconcat (host, "Origin: https://evil.example\r\n"
                                              "Access-Control-Request-Method: POST\r\n"
                                              "Access-Control-Request-Headers: content-type,x-api-key\r\n", NULL);
    g_autofree char *plain = g_strconcat (host, "Content-Type: text/plain\r\n", NULL);
    const Probe cases[] = {
      { "cross-site text/plain POST", "POST", "/v1/messages", simple_post, TRUE, 403, "permission_error" },
      { "foreign Origin", "POST", "/v1/messages", json_post, TRUE, 403, "permission_error" },
      { "foreign Host", "POST", "/v1/messages", foreign_host, TRUE, 403, "permission_error" },
      { "rebinding Host, right port", "POST", "/v1/messages", rebound, TRUE, 403, "permission_error" },
      { "rebinding Host reading the models", "GET", "/v1/models", rebound_get, FALSE, 403, "permission_error" },
      { "preflight from a foreign origin", "OPTIONS", "/v1/messages", preflight, FALSE, 403, "permission_error" },
      { "text/plain without Origin", "POST", "/v1/messages", plain, TRUE, 415, "invalid_request_error" },
    };

    for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
      assert_refused (harness->port, &cases[i]);
  }
  g_assert_cmpuint (upstream_calls (), ==, before);
  ag_test_harness_stop_proxy (harness);
  g_assert_nonnull (strstr (harness->proxy_log->str, "refused POST /v1/messages with 403: Origin https://evil.example"));
  g_assert_nonnull (strstr (harness->proxy_log->str, "refused GET /v1/models with 403: Host rebind.evil.example:"));
}

static void
assert_served (guint port, const char *headers, const char *what)
{
  g_auto(Answer) answer = { 0 };

  exchange (port, "POST", "/v1/messages", headers, MESSAGE, &answer);
  if (answer.status != 200 || strstr (answer.body, "Hello from the mock.") == NULL)
    g_error ("%s: expected 200 from the mock, got %u %s", what, answer.status, answer.body);
}

/* What agents send, loopback hosts in every spelling, the allowed host and origin (with CORS), and preflights. */
static void
test_allowed (void)
{
  guint before = upstream_calls ();
  guint port;

  ag_test_harness_setenv (harness, "AGCL_ALLOWED_HOSTS", "ag-cl.lan");
  ag_test_harness_setenv (harness, "AGCL_ALLOWED_ORIGINS", "https://app.example");
  ag_test_harness_start_proxy (harness);
  port = harness->port;
  {
    const char *hosts[] = { "127.0.0.1", "localhost", "LOCALHOST.", "[::1]", "127.8.9.10", "ag-cl.lan" };

    for (gsize i = 0; i < G_N_ELEMENTS (hosts); i++)
      {
        g_autofree char *headers = g_strdup_printf ("Host: %s:%u\r\nContent-Type: application/json\r\n"
                                                    "User-Agent: claude-cli/2.1.0 (external, cli)\r\n", hosts[i],
                                                    port);

        assert_served (port, headers, hosts[i]);
      }
  }
  {
    g_autofree char *headers = g_strdup_printf ("Host: 127.0.0.1:%u\r\nOrigin: https://app.example\r\n"
                                                "Content-Type: application/json; charset=utf-8\r\n", port);
    g_autofree char *preflight = g_strdup_printf ("Host: 127.0.0.1:%u\r\nOrigin: https://app.example\r\n"
                                                  "Access-Control-Request-Method: POST\r\n"
                                                  "Access-Control-Request-Headers: content-type,x-api-key\r\n"
                                                  "Access-Control-Request-Private-Network: true\r\n", port);
    g_auto(Answer) served = { 0 };
    g_auto(Answer) preflighted = { 0 };

    exchange (port, "POST", "/v1/messages", headers, MESSAGE, &served);
    g_assert_cmpuint (served.status, ==, 200);
    g_assert_nonnull (strstr (served.head, "\r\naccess-control-allow-origin: https://app.example\r\n"));
    g_assert_nonnull (strstr (served.head, "\r\nvary: origin\r\n"));

    exchange (port, "OPTIONS", "/v1/messages", preflight, NULL, &preflighted);
    g_assert_cmpuint (preflighted.status, ==, 204);
    g_assert_nonnull (strstr (preflighted.head, "\r\naccess-control-allow-origin: https://app.example\r\n"));
    g_assert_nonnull (strstr (preflighted.head, "\r\naccess-control-allow-methods: get, post, options\r\n"));
    g_assert_nonnull (strstr (preflighted.head, "\r\naccess-control-allow-headers: content-type,x-api-key\r\n"));
    if (strstr (preflighted.head, "\r\naccess-control-allow-private-network: true\r\n") == NULL)
      g_error ("preflight: %s", preflighted.head);
  }
  g_assert_cmpuint (upstream_calls (), ==, before + 7);
  ag_test_harness_stop_proxy (harness);
  ag_test_harness_unsetenv (harness, "AGCL_ALLOWED_HOSTS");
  ag_test_harness_unsetenv (harness, "AGCL_ALLOWED_ORIGINS");
}

/* Refused requests are in the request log with why, and never with their body. */
static void
test_request_log (void)
{
  const char *args[] = { "log", "--json", NULL };
  g_autofree char *out = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonArray *rows;
  guint refused = 0;
  g_autoptr(GString) details = g_string_new (NULL);

  g_assert_cmpint (ag_test_harness_run_cli (harness, args, NULL, &out, NULL), ==, 0);
  root = json_from_string (out, NULL);
  g_assert_nonnull (root);
  rows = json_node_get_array (root);
  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      JsonObject *row = json_array_get_object_element (rows, i);

      if (g_strcmp0 (json_object_get_string_member (row, "outcome"), "refused") != 0)
        continue;
      refused++;
      g_assert_cmpint (json_object_get_int_member (row, "status"), >=, 403);
      g_string_append_printf (details, "%s\n", json_object_get_string_member (row, "detail"));
    }
  g_assert_cmpuint (refused, ==, 7);
  g_assert_nonnull (strstr (details->str, "POST /v1/messages: Origin https://evil.example\n"));
  g_assert_nonnull (strstr (details->str, "POST /v1/messages: Host evil.example\n"));
  g_assert_nonnull (strstr (details->str, "OPTIONS /v1/messages: Origin https://evil.example\n"));
  g_assert_nonnull (strstr (details->str, "POST /v1/messages: Content-Type text/plain\n"));
  g_assert_null (strstr (out, "Hi there"));
}

/* Another user of the machine, through loopback: refused without the key, served with it. Needs root to become
 * that user. */
static void
test_other_user (void)
{
  g_autofree char *script = NULL;
  const char *generate[] = { "api-key", "generate", NULL };
  const char *clear[] = { "api-key", "clear", NULL };
  g_autofree char *key = NULL;
  g_autofree char *setpriv = g_find_program_in_path ("setpriv");
  /* Debian's own: an interpreter under root's home (pyenv) is out of that user's reach. */
  gboolean python = g_file_test ("/usr/bin/python3", G_FILE_TEST_IS_EXECUTABLE);

  if (getuid () != 0 || setpriv == NULL || !python)
    {
      g_test_skip ("needs root, setpriv and /usr/bin/python3 to connect as another user");
      return;
    }
  g_assert_cmpint (ag_test_harness_run_cli (harness, generate, NULL, &key, NULL), ==, 0);
  g_strstrip (key);
  ag_test_add_secret (key);
  ag_test_harness_start_proxy (harness);
  /* A raw request as uid 65534; prints the status line. */
  script = g_strdup_printf (
    "import socket, sys\n"
    "body = b'%s'\n"
    "key = sys.argv[1]\n"
    "s = socket.create_connection(('127.0.0.1', %u))\n"
    "head = 'POST /v1/messages HTTP/1.1\\r\\nHost: 127.0.0.1\\r\\nContent-Type: application/json\\r\\n'\n"
    "if key: head += 'x-api-key: ' + key + '\\r\\n'\n"
    "s.sendall((head + 'Connection: close\\r\\nContent-Length: %%d\\r\\n\\r\\n' %% len(body)).encode() + body)\n"
    "data = b''\n"
    "while True:\n"
    "    chunk = s.recv(65536)\n"
    "    if not chunk: break\n"
    "    data += chunk\n"
    "print(data.split(b'\\r\\n')[0].decode())\n"
    "print(data.split(b'\\r\\n\\r\\n', 1)[1].decode())\n", MESSAGE, harness->port);
  for (guint with_key = 0; with_key < 2; with_key++)
    {
      const char *argv[] = { "setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "/usr/bin/python3", "-c", script,
                             with_key ? key : "", NULL };
      g_autoptr(GSubprocess) process = NULL;
      g_autofree char *out = NULL;
      g_autoptr(GError) error = NULL;

      g_autoptr(GAsyncResult) result = NULL;

      process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
      g_assert_no_error (error);
      /* Awaited on the main loop, which the mock answering ag-cl needs. */
      result = AG_TEST_AWAIT_CALL (g_subprocess_communicate_utf8_async, process, NULL, NULL);
      g_subprocess_communicate_utf8_finish (process, result, &out, NULL, &error);
      g_assert_no_error (error);
      if (with_key)
        g_assert_true (g_str_has_prefix (out, "HTTP/1.1 200 "));
      else if (!g_str_has_prefix (out, "HTTP/1.1 403 ") || strstr (out, "another user of the machine") == NULL)
        g_error ("another user without the key: expected 403, got %s", out);
    }
  /* This user, on the same listener, needs no key. */
  g_assert_cmpuint (ag_test_harness_post (harness, MESSAGE, NULL), ==, 200);
  ag_test_harness_stop_proxy (harness);
  g_assert_nonnull (strstr (harness->proxy_log->str, "with 403: another local user (uid 65534)"));
  g_assert_cmpint (ag_test_harness_run_cli (harness, clear, NULL, NULL, NULL), ==, 0);
}

/* An address of this machine that is not loopback, or NULL. */
static GInetAddress *
non_loopback_address (void)
{
  struct ifaddrs *list = NULL;
  GInetAddress *found = NULL;

  if (getifaddrs (&list) != 0)
    return NULL;
  for (struct ifaddrs *entry = list; entry != NULL && found == NULL; entry = entry->ifa_next)
    if (entry->ifa_addr != NULL && entry->ifa_addr->sa_family == AF_INET)
      {
        g_autoptr(GInetAddress) address =
          g_inet_address_new_from_bytes ((const guint8 *) &((struct sockaddr_in *) entry->ifa_addr)->sin_addr,
                                         G_SOCKET_FAMILY_IPV4);

        if (!g_inet_address_get_is_loopback (address))
          found = g_steal_pointer (&address);
      }
  freeifaddrs (list);
  return found;
}

/* A client on another machine (here: this machine through a non-loopback address, as the network sees it) needs
 * the key even with require-api-key off. */
static void
test_other_machine (void)
{
  g_autoptr(GInetAddress) address = non_loopback_address ();
  const char *generate[] = { "api-key", "generate", NULL };
  const char *clear[] = { "api-key", "clear", NULL };
  g_autofree char *key = NULL;
  g_autofree char *address_text = NULL;
  g_autofree char *without = NULL;
  g_autofree char *with = NULL;
  g_auto(Answer) refused = { 0 };
  g_auto(Answer) served = { 0 };

  if (address == NULL)
    {
      g_test_skip ("this machine has no non-loopback IPv4 address");
      return;
    }
  address_text = g_inet_address_to_string (address);
  g_assert_cmpint (ag_test_harness_run_cli (harness, generate, NULL, &key, NULL), ==, 0);
  g_strstrip (key);
  ag_test_add_secret (key);
  ag_test_harness_start_proxy_on (harness, "0.0.0.0");
  without = g_strdup_printf ("Host: %s:%u\r\nContent-Type: application/json\r\n", address_text, harness->port);
  with = g_strdup_printf ("Host: %s:%u\r\nContent-Type: application/json\r\nAuthorization: Bearer %s\r\n",
                          address_text, harness->port, key);
  exchange_at (address, harness->port, "POST", "/v1/messages", without, MESSAGE, &refused);
  g_assert_cmpuint (refused.status, ==, 401);
  g_assert_nonnull (strstr (refused.body, "\"type\":\"authentication_error\""));
  exchange_at (address, harness->port, "POST", "/v1/messages", with, MESSAGE, &served);
  g_assert_cmpuint (served.status, ==, 200);
  ag_test_harness_stop_proxy (harness);
  g_assert_cmpint (ag_test_harness_run_cli (harness, clear, NULL, NULL, NULL), ==, 0);
}

int
main (int argc, char **argv)
{
  harness = ag_test_harness_init (&argc, &argv);
  g_test_add_func ("/request-guard/refusals", test_refusals);
  g_test_add_func ("/request-guard/allowed", test_allowed);
  g_test_add_func ("/request-guard/request-log", test_request_log);
  g_test_add_func ("/request-guard/other-user", test_other_user);
  g_test_add_func ("/request-guard/other-machine", test_other_machine);
  return ag_test_harness_run (harness);
}
