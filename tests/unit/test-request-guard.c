/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The request guard's decision from the request line and headers alone (ag-request-guard-private.h): each Host,
 * Origin, credential and Content-Type case a browser, a rebinding page, another user or a real agent brings. */
#include "ag-test.h"
#include "ag-request-guard-private.h"

#define KEY "agcl-0123456789abcdefghijklmnopqrstuvwxyzABCDEFG"

typedef struct {
  const char *name;
  const char *method;             /* NULL: POST */
  const char *path;               /* NULL: /v1/messages */
  const char *headers;            /* "Name: value\n…" (a body's Content-Length among them where it has one) */
  const char *query_key;          /* ?key= */
  gboolean    remote;             /* from another machine, not loopback */
  AgPeerUser  peer;               /* who opened the loopback connection */
  AgGuardDecision expected;
  guint       status;
} GuardCase;

typedef struct {
  gboolean    require_api_key;
  const char *listen_address;
  const char *allowed_hosts;      /* comma-separated */
  const char *allowed_origins;
} GuardSetup;

#define JSON_BODY "Content-Type: application/json\nContent-Length: 2\n"

static AgPeerUser
fixed_peer (gpointer data, guint32 *uid)
{
  const GuardCase *guard_case = data;

  *uid = guard_case->peer == AG_PEER_SAME_USER ? 1000 : 1001;
  return guard_case->peer;
}

static AgRequestGuard *
guard_new (const GuardSetup *setup)
{
  AgRequestGuard *guard = ag_request_guard_new ();
  g_auto(GStrv) hosts = g_strsplit (setup->allowed_hosts != NULL ? setup->allowed_hosts : "", ",", -1);
  g_auto(GStrv) origins = g_strsplit (setup->allowed_origins != NULL ? setup->allowed_origins : "", ",", -1);

  ag_request_guard_set_api_key (guard, KEY);
  ag_request_guard_set_require_api_key (guard, setup->require_api_key);
  ag_request_guard_set_listen_address (guard, setup->listen_address != NULL ? setup->listen_address : "127.0.0.1");
  ag_request_guard_set_allowed_hosts (guard, (const char * const *) hosts);
  ag_request_guard_set_allowed_origins (guard, (const char * const *) origins);
  return guard;
}

static void
run_cases (const GuardSetup *setup, const GuardCase *cases, gsize n_cases)
{
  g_autoptr(AgRequestGuard) guard = guard_new (setup);

  for (gsize i = 0; i < n_cases; i++)
    {
      const GuardCase *guard_case = &cases[i];
      g_autoptr(SoupMessageHeaders) headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
      g_auto(GStrv) lines = g_strsplit (guard_case->headers != NULL ? guard_case->headers : "", "\n", -1);
      g_autoptr(GHashTable) query = g_hash_table_new (g_str_hash, g_str_equal);
      g_auto(AgGuardVerdict) verdict = { 0 };
      AgGuardRequest request = {
        .method = guard_case->method != NULL ? guard_case->method : SOUP_METHOD_POST,
        .path = guard_case->path != NULL ? guard_case->path : "/v1/messages",
        .headers = headers,
        .query = query,
        .peer_loopback = !guard_case->remote,
        .peer_user = fixed_peer,
        .peer_user_data = (gpointer) guard_case,
      };
      gboolean allowed;

      for (guint j = 0; lines[j] != NULL; j++)
        {
          char *colon = strchr (lines[j], ':');

          if (colon == NULL)
            continue;
          *colon = '\0';
          soup_message_headers_append (headers, lines[j], g_strstrip (colon + 1));
        }
      if (guard_case->query_key != NULL)
        g_hash_table_insert (query, "key", (gpointer) guard_case->query_key);
      allowed = ag_request_guard_decide (guard, &request, &verdict);
      if (verdict.decision != guard_case->expected || verdict.status != guard_case->status)
        g_error ("%s: expected decision %d status %u, got %d %u (%s)", guard_case->name, guard_case->expected,
                 guard_case->status, verdict.decision, verdict.status, verdict.message);
      g_assert_cmpint (allowed, ==, guard_case->expected == AG_GUARD_ALLOW ||
                                    guard_case->expected == AG_GUARD_PREFLIGHT);
      /* A refusal says why, for the client and for the log, and never echoes the key. */
      if (!allowed)
        {
          g_assert_nonnull (verdict.message);
          g_assert_nonnull (verdict.detail);
          g_assert_null (strstr (verdict.message, KEY));
          g_assert_null (strstr (verdict.detail, KEY));
        }
    }
}

/* The default: no allowed names or origins, require-api-key off, listening on 127.0.0.1. */
static void
test_default (void)
{
  static const GuardSetup setup = { 0 };
  static const GuardCase cases[] = {
    /* What Claude Code, the SDKs, Codex and Gemini CLI send: no Origin, a loopback Host, JSON. */
    { "agent", NULL, NULL, "Host: 127.0.0.1:8045\n" JSON_BODY, NULL, FALSE, AG_PEER_SAME_USER, AG_GUARD_ALLOW, 0 },
    { "json with charset", NULL, NULL, "Host: 127.0.0.1:8045\nContent-Type: application/json; charset=utf-8\n"
      "Content-Length: 2\n", NULL, FALSE, AG_PEER_SAME_USER, AG_GUARD_ALLOW, 0 },
    { "undici's sec-fetch-mode", NULL, NULL, "Host: 127.0.0.1:8045\nsec-fetch-mode: cors\n" JSON_BODY, NULL, FALSE,
      AG_PEER_SAME_USER, AG_GUARD_ALLOW, 0 },
    { "no Host (HTTP/1.0)", NULL, NULL, JSON_BODY, NULL, FALSE, AG_PEER_SAME_USER, AG_GUARD_ALLOW, 0 },
    { "a placeholder key", NULL, NULL, "Host: localhost:8045\nx-api-key: ag-cl\n" JSON_BODY, NULL, FALSE,
      AG_PEER_SAME_USER, AG_GUARD_ALLOW, 0 },
    /* Loopback names and addresses in every spelling. */
    { "localhost", "GET", "/v1/models", "Host: localhost:8045\n", NULL, FALSE, AG_PEER_SAME_USER, AG_GUARD_ALLOW, 0 },
    { "LOCALHOST.", "GET", "/v1/models", "Host: LOCALHOST.:8045\n", NULL, FALSE, AG_PEER_SAME_USER, AG_GUARD_ALLOW,
      0 },
    { "a.localhost", "GET", "/v1/models", "Host: agent.localhost:8045\n", NULL, FALSE, AG_PEER_SAME_USER,
      AG_GUARD_ALLOW, 0 },
    { "localhost without port", "GET", "/v1/models", "Host: localhost\n", NULL, FALSE, AG_PEER_SAME_USER,
      AG_GUARD_ALLOW, 0 },
    { "[::1]", "GET", "/v1/models", "Host: [::1]:8045\n", NULL, FALSE, AG_PEER_SAME_USER, AG_GUARD_ALLOW, 0 },
    { "127.x", "GET", "/v1/models", "Host: 127.45.6.7:8045\n", NULL, FALSE, AG_PEER_SAME_USER, AG_GUARD_ALLOW, 0 },
    /* DNS rebinding: a name of the attacker's resolving to 127.0.0.1, with the right port. */
    { "foreign Host", "GET", "/v1/models", "Host: evil.example:8045\n", NULL, FALSE, AG_PEER_SAME_USER,
      AG_GUARD_REFUSE_HOST, 403 },
    { "rebinding POST", NULL, NULL, "Host: evil.example:8045\n" JSON_BODY, NULL, FALSE, AG_PEER_SAME_USER,
      AG_GUARD_REFUSE_HOST, 403 },
    { "rebinding with the key", NULL, NULL, "Host: evil.example:8045\nx-api-key: " KEY "\n" JSON_BODY, NULL, FALSE,
      AG_PEER_SAME_USER, AG_GUARD_REFUSE_HOST, 403 },
    { "localhost as a subdomain", "GET", "/v1/models", "Host: localhost.evil.example:8045\n", NULL, FALSE,
      AG_PEER_SAME_USER, AG_GUARD_REFUSE_HOST, 403 },
    { "127.0.0.1 as a subdomain", "GET", "/v1/models", "Host: 127.0.0.1.nip.io:8045\n", NULL, FALSE,
      AG_PEER_SAME_USER, AG_GUARD_REFUSE_HOST, 403 },
    { "another address", "GET", "/v1/models", "Host: 192.0.2.1:8045\n", NULL, FALSE, AG_PEER_SAME_USER,
      AG_GUARD_REFUSE_HOST, 403 },
    { "health check by a foreign Host", "GET", "/healthz", "Host: evil.example:8045\n", NULL, FALSE,
      AG_PEER_SAME_USER, AG_GUARD_REFUSE_HOST, 403 },
    /* A web page: cross-site simple POST, a JSON fetch, a preflight, a sandboxed frame. */
    { "cross-site text/plain POST", NULL, NULL, "Host: 127.0.0.1:8045\nOrigin: https://evil.example\n"
      "Content-Type: text/plain\nContent-Length: 2\n", NULL, FALSE, AG_PEER_SAME_USER, AG_GUARD_REFUSE_ORIGIN, 403 },
    { "foreign Origin", NULL, NULL, "Host: 127.0.0.1:8045\nOrigin: https://evil.example\n" JSON_BODY, NULL, FALSE,
      AG_PEER_SAME_USER, AG_GUARD_REFUSE_ORIGIN, 403 },
    { "ag-cl's own origin", NULL, NULL, "Host: 127.0.0.1:8045\nOrigin: http://127.0.0.1:8045\n" JSON_BODY, NULL,
      FALSE, AG_PEER_SAME_USER, AG_GUARD_REFUSE_ORIGIN, 403 },
    { "null Origin", NULL, NULL, "Host: 127.0.0.1:8045\nOrigin: null\n" JSON_BODY, NULL, FALSE, AG_PEER_SAME_USER,
      AG_GUARD_REFUSE_ORIGIN, 403 },
    { "foreign preflight", "OPTIONS", NULL, "Host: 127.0.0.1:8045\nOrigin: https://evil.example\n"
      "Access-Control-Request-Method: POST\n", NULL, FALSE, AG_PEER_SAME_USER, AG_GUARD_REFUSE_ORIGIN, 403 },
    { "foreign Origin with the key", NULL, NULL, "Host: 127.0.0.1:8045\nOrigin: https://evil.example\nx-api-key: "
      KEY "\n" JSON_BODY, NULL, FALSE, AG_PEER_SAME_USER, AG_GUARD_REFUSE_ORIGIN, 403 },
    /* Bodies other than JSON, without an Origin (curl -d, a script). */
    { "text/plain without Origin", NULL, NULL, "Host: 127.0.0.1:8045\nContent-Type: text/plain\nContent-Length: 2\n",
      NULL, FALSE, AG_PEER_SAME_USER, AG_GUARD_REFUSE_CONTENT_TYPE, 415 },
    { "form body", NULL, NULL, "Host: 127.0.0.1:8045\nContent-Type: application/x-www-form-urlencoded\n"
      "Content-Length: 2\n", NULL, FALSE, AG_PEER_SAME_USER, AG_GUARD_REFUSE_CONTENT_TYPE, 415 },
    { "no Content-Type", NULL, NULL, "Host: 127.0.0.1:8045\nContent-Length: 2\n", NULL, FALSE, AG_PEER_SAME_USER,
      AG_GUARD_REFUSE_CONTENT_TYPE, 415 },
    { "chunked text", NULL, NULL, "Host: 127.0.0.1:8045\nContent-Type: text/plain\nTransfer-Encoding: chunked\n",
      NULL, FALSE, AG_PEER_SAME_USER, AG_GUARD_REFUSE_CONTENT_TYPE, 415 },
    /* Another user of the machine, and a client on another machine: the key, wherever the client puts it. */
    { "another user", NULL, NULL, "Host: 127.0.0.1:8045\n" JSON_BODY, NULL, FALSE, AG_PEER_OTHER_USER,
      AG_GUARD_REFUSE_OTHER_USER, 403 },
    { "an unknown user", NULL, NULL, "Host: 127.0.0.1:8045\n" JSON_BODY, NULL, FALSE, AG_PEER_USER_UNKNOWN,
      AG_GUARD_REFUSE_OTHER_USER, 403 },
    { "another user with x-api-key", NULL, NULL, "Host: 127.0.0.1:8045\nx-api-key: " KEY "\n" JSON_BODY, NULL,
      FALSE, AG_PEER_OTHER_USER, AG_GUARD_ALLOW, 0 },
    { "another user with a Bearer token", NULL, NULL, "Host: 127.0.0.1:8045\nAuthorization: Bearer " KEY "\n"
      JSON_BODY, NULL, FALSE, AG_PEER_OTHER_USER, AG_GUARD_ALLOW, 0 },
    { "another user with x-goog-api-key", NULL, NULL, "Host: 127.0.0.1:8045\nx-goog-api-key: " KEY "\n" JSON_BODY,
      NULL, FALSE, AG_PEER_OTHER_USER, AG_GUARD_ALLOW, 0 },
    { "another user with ?key=", NULL, NULL, "Host: 127.0.0.1:8045\n" JSON_BODY, KEY, FALSE, AG_PEER_OTHER_USER,
      AG_GUARD_ALLOW, 0 },
    { "another user, wrong key", NULL, NULL, "Host: 127.0.0.1:8045\nx-api-key: agcl-wrong\n" JSON_BODY, NULL, FALSE,
      AG_PEER_OTHER_USER, AG_GUARD_REFUSE_OTHER_USER, 403 },
    { "another user's health check", "GET", "/healthz", "Host: 127.0.0.1:8045\n", NULL, FALSE, AG_PEER_OTHER_USER,
      AG_GUARD_ALLOW, 0 },
    { "another machine", NULL, NULL, "Host: 127.0.0.1:8045\n" JSON_BODY, NULL, TRUE, AG_PEER_USER_UNKNOWN,
      AG_GUARD_REFUSE_API_KEY, 401 },
    { "another machine with the key", NULL, NULL, "Host: 127.0.0.1:8045\nx-api-key: " KEY "\n" JSON_BODY, NULL, TRUE,
      AG_PEER_USER_UNKNOWN, AG_GUARD_ALLOW, 0 },
  };

  run_cases (&setup, cases, G_N_ELEMENTS (cases));
}

/* What the user allowed: names, origins (with CORS preflights), and the listen address. */
static void
test_allowed (void)
{
  static const GuardSetup setup = {
    .listen_address = "192.168.1.20",
    .allowed_hosts = "ag-cl.lan, *.home.arpa",
    .allowed_origins = "https://app.example/, http://localhost:*",
  };
  static const GuardCase cases[] = {
    { "listen address", "GET", "/v1/models", "Host: 192.168.1.20:8045\n", NULL, TRUE, AG_PEER_USER_UNKNOWN,
      AG_GUARD_REFUSE_API_KEY, 401 },
    { "listen address with the key", "GET", "/v1/models", "Host: 192.168.1.20:8045\nx-api-key: " KEY "\n", NULL, TRUE,
      AG_PEER_USER_UNKNOWN, AG_GUARD_ALLOW, 0 },
    { "allowed host", "GET", "/v1/models", "Host: AG-CL.lan:8045\n", NULL, FALSE, AG_PEER_SAME_USER, AG_GUARD_ALLOW,
      0 },
    { "allowed host pattern", "GET", "/v1/models", "Host: desk.home.arpa\n", NULL, FALSE, AG_PEER_SAME_USER,
      AG_GUARD_ALLOW, 0 },
    { "other address", "GET", "/v1/models", "Host: 192.168.1.21:8045\n", NULL, FALSE, AG_PEER_SAME_USER,
      AG_GUARD_REFUSE_HOST, 403 },
    { "allowed origin", NULL, NULL, "Host: 127.0.0.1:8045\nOrigin: https://app.example\n" JSON_BODY, NULL, FALSE,
      AG_PEER_SAME_USER, AG_GUARD_ALLOW, 0 },
    { "allowed origin pattern", NULL, NULL, "Host: 127.0.0.1:8045\nOrigin: http://localhost:5173\n" JSON_BODY, NULL,
      FALSE, AG_PEER_SAME_USER, AG_GUARD_ALLOW, 0 },
    { "allowed preflight", "OPTIONS", NULL, "Host: 127.0.0.1:8045\nOrigin: https://app.example\n"
      "Access-Control-Request-Method: POST\n", NULL, FALSE, AG_PEER_OTHER_USER, AG_GUARD_PREFLIGHT, 0 },
    { "near origin", NULL, NULL, "Host: 127.0.0.1:8045\nOrigin: https://app.example.evil\n" JSON_BODY, NULL, FALSE,
      AG_PEER_SAME_USER, AG_GUARD_REFUSE_ORIGIN, 403 },
    { "http for https", NULL, NULL, "Host: 127.0.0.1:8045\nOrigin: http://app.example\n" JSON_BODY, NULL, FALSE,
      AG_PEER_SAME_USER, AG_GUARD_REFUSE_ORIGIN, 403 },
    { "allowed origin, text/plain", NULL, NULL, "Host: 127.0.0.1:8045\nOrigin: https://app.example\n"
      "Content-Type: text/plain\nContent-Length: 2\n", NULL, FALSE, AG_PEER_SAME_USER, AG_GUARD_REFUSE_CONTENT_TYPE,
      415 },
  };

  run_cases (&setup, cases, G_N_ELEMENTS (cases));
}

/* Listening on every address: any address literal is this machine (a literal cannot be rebound); names still
 * need the allow-list. */
static void
test_wildcard_listener (void)
{
  static const GuardSetup setup = { .listen_address = "0.0.0.0" };
  static const GuardCase cases[] = {
    { "address literal", "GET", "/healthz", "Host: 10.1.2.3:8045\n", NULL, TRUE, AG_PEER_USER_UNKNOWN,
      AG_GUARD_ALLOW, 0 },
    { "IPv6 literal", "GET", "/healthz", "Host: [fd00::5]:8045\n", NULL, TRUE, AG_PEER_USER_UNKNOWN, AG_GUARD_ALLOW,
      0 },
    { "name", "GET", "/healthz", "Host: desk.example:8045\n", NULL, TRUE, AG_PEER_USER_UNKNOWN, AG_GUARD_REFUSE_HOST,
      403 },
  };

  run_cases (&setup, cases, G_N_ELEMENTS (cases));
}

/* require-api-key: this user's loopback clients need the key too, and with no key set nobody gets in. */
static void
test_require_api_key (void)
{
  static const GuardSetup setup = { .require_api_key = TRUE };
  static const GuardCase cases[] = {
    { "no key", NULL, NULL, "Host: 127.0.0.1:8045\n" JSON_BODY, NULL, FALSE, AG_PEER_SAME_USER,
      AG_GUARD_REFUSE_API_KEY, 401 },
    { "placeholder key", NULL, NULL, "Host: 127.0.0.1:8045\nx-api-key: ag-cl\n" JSON_BODY, NULL, FALSE,
      AG_PEER_SAME_USER, AG_GUARD_REFUSE_API_KEY, 401 },
    { "Bearer", NULL, NULL, "Host: 127.0.0.1:8045\nAuthorization: bearer " KEY "\n" JSON_BODY, NULL, FALSE,
      AG_PEER_SAME_USER, AG_GUARD_ALLOW, 0 },
    { "key not as Bearer", NULL, NULL, "Host: 127.0.0.1:8045\nAuthorization: " KEY "\n" JSON_BODY, NULL, FALSE,
      AG_PEER_SAME_USER, AG_GUARD_REFUSE_API_KEY, 401 },
    { "health check", "GET", "/healthz", "Host: 127.0.0.1:8045\n", NULL, FALSE, AG_PEER_SAME_USER, AG_GUARD_ALLOW,
      0 },
    { "HEAD /", "HEAD", "/", "Host: 127.0.0.1:8045\n", NULL, FALSE, AG_PEER_SAME_USER, AG_GUARD_ALLOW, 0 },
    { "POST / is no health check", NULL, "/", "Host: 127.0.0.1:8045\n" JSON_BODY, NULL, FALSE, AG_PEER_SAME_USER,
      AG_GUARD_REFUSE_API_KEY, 401 },
  };
  g_autoptr(AgRequestGuard) unkeyed = guard_new (&setup);
  g_autoptr(SoupMessageHeaders) headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  g_auto(AgGuardVerdict) verdict = { 0 };
  const GuardCase same_user = { .peer = AG_PEER_SAME_USER };
  AgGuardRequest request = { "GET", "/v1/models", headers, NULL, TRUE, fixed_peer, (gpointer) &same_user };

  run_cases (&setup, cases, G_N_ELEMENTS (cases));

  ag_request_guard_set_api_key (unkeyed, NULL);
  g_assert_false (ag_request_guard_decide (unkeyed, &request, &verdict));
  g_assert_cmpuint (verdict.status, ==, 401);
  g_assert_cmpstr (verdict.detail, ==, "require-api-key is on and no local API key is set");
}

/* A refusal quotes what the client sent only as short printable text. */
static void
test_quoting (void)
{
  g_autoptr(AgRequestGuard) guard = ag_request_guard_new ();
  g_autoptr(SoupMessageHeaders) headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  g_autofree char *long_origin = g_strnfill (500, 'a');
  g_autofree char *origin = g_strconcat ("https://", long_origin, "\t.example", NULL);
  g_auto(AgGuardVerdict) verdict = { 0 };
  const GuardCase same_user = { .peer = AG_PEER_SAME_USER };
  AgGuardRequest request = { "GET", "/v1/models", headers, NULL, TRUE, fixed_peer, (gpointer) &same_user };

  soup_message_headers_append (headers, "Origin", origin);
  g_assert_false (ag_request_guard_decide (guard, &request, &verdict));
  g_assert_cmpuint (strlen (verdict.detail), <, 140);
  g_assert_null (strchr (verdict.detail, '\t'));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/request-guard/default", test_default);
  g_test_add_func ("/request-guard/allowed", test_allowed);
  g_test_add_func ("/request-guard/wildcard-listener", test_wildcard_listener);
  g_test_add_func ("/request-guard/require-api-key", test_require_api_key);
  g_test_add_func ("/request-guard/quoting", test_quoting);
  return g_test_run ();
}
