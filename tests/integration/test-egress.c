/* SPDX-License-Identifier: GPL-3.0-or-later */
/* An egress per account, against the real ag-cl, the mock and two test relays (HTTP proxies that reach the mock from
 * 127.0.0.2 and 127.0.0.3, HTTP or SOCKS5): `ag-cl account proxy` gives each account its own proxy (credentials in the keyring,
 * never in the log or the listing), and each account's token refresh, quota poll and content calls reach Google
 * from its own relay's address only. An HTTP proxy's credentials are proven as users meet them: with the mock
 * serving HTTPS (its test CA in AGCL_CA_FILE), through CONNECT tunnels that the relay opens only for them. */
#include "ag-test.h"

#include <string.h>
#include <unistd.h>

#define MESSAGE_REQUEST \
  "{\"model\":\"claude-sonnet-4-6\",\"max_tokens\":64,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}"
#define TWO_ACCOUNTS "{\"accounts\":[{},{}]}"

static int
run_cli (AgTestHarness *harness, const char * const *args, char **out, char **err)
{
  return ag_test_harness_run_cli (harness, args, NULL, out, err);
}

static void
set_proxy (AgTestHarness *harness, const char *email, const char *uri)
{
  const char *args[] = { "account", "proxy", email, uri, NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (run_cli (harness, args, &out, &err), ==, 0);
  g_assert_null (strstr (out, "s3cret"));
}

/* Two accounts, user1 with its own proxy @uri, and ag-cl running. */
static void
start_with_proxy (AgTestHarness *harness, const char *uri)
{
  ag_test_harness_add_account (harness, "rt-1");
  ag_test_harness_add_account (harness, "rt-2");
  set_proxy (harness, "user1@example.com", uri);
  ag_test_harness_set_script (harness, TWO_ACCOUNTS);
  ag_test_harness_start_proxy (harness);
}

typedef struct {
  AgMockServer *mock;
  const char   *method;
} Seen;

/* Both accounts' quota polls arrived. */
static gboolean
both_polled (gpointer user_data)
{
  Seen *seen = user_data;
  g_autoptr(JsonArray) requests = ag_test_mock_requests (seen->mock, seen->method);
  gboolean one = FALSE, two = FALSE;

  for (guint i = 0; i < json_array_get_length (requests); i++)
    {
      JsonObject *request = json_array_get_object_element (requests, i);
      const char *account = json_object_get_null_member (request, "account") ? NULL
                            : json_object_get_string_member (request, "account");

      one |= g_strcmp0 (account, "user1@example.com") == 0;
      two |= g_strcmp0 (account, "user2@example.com") == 0;
    }
  return one && two;
}

/* The mock's token endpoint by name, so a SOCKS5 client asks its relay for a domain name (the proxy resolves it:
 * GLib's SOCKS5 never resolves a target itself) while the Cloud Code calls name an IPv4 address. */
static void
token_url_by_name (AgTestHarness *harness)
{
  g_autofree char *base = ag_mock_server_get_base_url (harness->mock);
  g_autofree char *url = g_strdup_printf ("%.*slocalhost:%u/token", (int) (strstr (base, "://") + 3 - base), base,
                                          ag_mock_server_get_port (harness->mock));

  ag_test_harness_setenv (harness, "AGCL_OAUTH_TOKEN_URL", url);
}

/* Every connection @relay carried was signed in as @user ("" for none) and went to the mock, by name and by
 * address. */
static void
assert_carried (AgTestRelay *relay, const char *user, guint mock_port)
{
  GPtrArray *carried = ag_test_relay_get_carried (relay);
  g_autofree char *prefix = *user != '\0' ? g_strconcat (user, "@", NULL) : g_strdup ("");
  g_autofree char *by_name = g_strdup_printf ("%slocalhost:%u", prefix, mock_port);
  g_autofree char *by_address = g_strdup_printf ("%s127.0.0.1:%u", prefix, mock_port);

  for (guint i = 0; i < carried->len; i++)
    {
      const char *one = g_ptr_array_index (carried, i);

      g_test_message ("carried %s", one);
      g_assert_true (g_str_equal (one, by_name) || g_str_equal (one, by_address));
    }
  g_assert_true (g_ptr_array_find_with_equal_func (carried, by_name, g_str_equal, NULL));
  g_assert_true (g_ptr_array_find_with_equal_func (carried, by_address, g_str_equal, NULL));
  g_assert_cmpuint (ag_test_relay_get_refusals (relay), ==, 0);
}

/* Each account's own proxy of one kind: user1's with a password (which a SOCKS5 relay demands, and an HTTP relay
 * in front of the HTTPS mock), user2's without. */
typedef struct {
  const char *name;
  const char *scheme;            /* as the user writes it; socks5h:// is curl's name for socks5:// by the proxy's DNS */
  const char *password;          /* the relay's */
  const char *written_password;  /* in the URI, percent-encoded */
  gboolean    tls;               /* the mock serves HTTPS; an HTTP relay then demands user1's credentials */
} OwnProxyCase;

static const OwnProxyCase own_proxy_cases[] = {
  { "http", "http", "s3cret", "s3cret", FALSE },
  { "http-credentials-tls", "http", "s3cret@pass", "s3cret%40pass", TRUE },
  { "socks5", "socks5", "s3cret:@%", "s3cret%3A%40%25", FALSE },
  { "socks5h", "socks5h", "s3cret", "s3cret", FALSE },
};

static void
test_each_account_its_own_proxy (gconstpointer data)
{
  const OwnProxyCase *c = data;
  gboolean socks5 = g_str_has_prefix (c->scheme, "socks5");
  AgTestHarness *harness = ag_test_harness_new_over_tls (TWO_ACCOUNTS, c->tls);
  g_autoptr(AgTestRelay) relay1 = socks5 ? ag_test_relay_new_socks5 ("127.0.0.2", "agcl", c->password)
                                         : ag_test_relay_new_http ("127.0.0.2", c->tls ? "agcl" : NULL,
                                                                   c->tls ? c->password : NULL);
  g_autoptr(AgTestRelay) relay2 = socks5 ? ag_test_relay_new_socks5 ("127.0.0.3", NULL, NULL)
                                         : ag_test_relay_new ("127.0.0.3");
  g_autofree char *relay_uri1 = ag_test_relay_get_uri (relay1);
  g_autofree char *relay_uri2 = ag_test_relay_get_uri (relay2);
  g_autofree char *uri1 = g_strconcat (c->scheme, strstr (relay_uri1, "://"), NULL);
  g_autofree char *uri2 = g_strconcat (c->scheme, strstr (relay_uri2, "://"), NULL);
  g_autofree char *with_password = g_strdup_printf ("%s://agcl:%s@%s", c->scheme, c->written_password,
                                                    strstr (relay_uri1, "://") + 3);
  const char *list[] = { "account", "list", NULL };
  g_autofree char *listing = NULL;
  g_autofree char *expected_line = g_strdup_printf ("user1@example.com\tproj-1\tfree-tier\tenabled\tproxy %s\n",
                                                    uri1);
  g_autoptr(JsonArray) requests = NULL;
  Seen seen = { harness->mock, ":fetchAvailableModels" };
  guint tokens[2] = { 0 }, polls[2] = { 0 }, contents = 0;

  /* The password may be in the keyring only: every output, log and file of the run is scanned for it. */
  ag_test_add_secret ("s3cret");
  token_url_by_name (harness);
  ag_test_harness_add_account (harness, "rt-1");
  ag_test_harness_add_account (harness, "rt-2");
  set_proxy (harness, "user1@example.com", with_password);
  set_proxy (harness, "user2@example.com", uri2);
  g_assert_cmpint (run_cli (harness, list, &listing, NULL), ==, 0);
  g_assert_nonnull (strstr (listing, expected_line));
  g_assert_null (strstr (listing, "s3cret"));

  ag_test_harness_set_script (harness, TWO_ACCOUNTS);
  ag_test_harness_start_proxy (harness);
  ag_test_wait_until (both_polled, &seen, 10000);
  g_assert_cmpuint (ag_test_harness_request (harness, "POST", "/v1/messages", MESSAGE_REQUEST, NULL, NULL), ==, 200);

  requests = ag_test_mock_requests (harness->mock, NULL);
  for (guint i = 0; i < json_array_get_length (requests); i++)
    {
      JsonObject *request = json_array_get_object_element (requests, i);
      const char *path = json_object_get_string_member (request, "path");
      const char *account = json_object_get_null_member (request, "account") ? NULL
                            : json_object_get_string_member (request, "account");
      const char *remote = json_object_get_string_member (request, "remote");
      int which = g_strcmp0 (account, "user1@example.com") == 0 ? 0 : g_strcmp0 (account, "user2@example.com") == 0 ? 1 : -1;

      g_test_message ("%s by %s from %s", path, account, remote);
      /* The version check is no account's: it takes the global way. */
      if (g_str_has_suffix (path, ".yml"))
        continue;
      g_assert_cmpint (which, >=, 0);
      g_assert_cmpstr (remote, ==, which == 0 ? "127.0.0.2" : "127.0.0.3");
      tokens[which] += g_str_has_suffix (path, "/token");
      polls[which] += g_str_has_suffix (path, ":fetchAvailableModels");
      contents += g_str_has_suffix (path, ":streamGenerateContent");
    }
  g_assert_cmpuint (tokens[0], >=, 1);
  g_assert_cmpuint (tokens[1], >=, 1);
  g_assert_cmpuint (polls[0], >=, 1);
  g_assert_cmpuint (polls[1], >=, 1);
  g_assert_cmpuint (contents, ==, 1);
  g_assert_cmpuint (ag_test_relay_get_connections (relay1), >=, 1);
  g_assert_cmpuint (ag_test_relay_get_connections (relay2), >=, 1);
  /* Over plain HTTP libsoup would send the credentials to the proxy's own URI, not the target (a libsoup 3.2
   * limit, docs/upstream-cloudcode.md#http-proxies-with-credentials): that relay checks none. Over TLS every
   * connection is a tunnel, opened only for user1's credentials, percent-decoded. */
  assert_carried (relay1, socks5 || c->tls ? "agcl" : "", ag_mock_server_get_port (harness->mock));
  assert_carried (relay2, "", ag_mock_server_get_port (harness->mock));
  if (c->tls)
    {
      g_assert_cmpuint (ag_test_relay_get_tunnels (relay1), ==, ag_test_relay_get_connections (relay1));
      g_assert_cmpuint (ag_test_relay_get_tunnels (relay2), ==, ag_test_relay_get_connections (relay2));
    }
  g_assert_null (strstr (harness->proxy_log->str, "s3cret"));
  ag_test_harness_free (harness);
}

/* user1's proxy cannot carry it: nothing listens, or a relay turns its credentials away. */
typedef struct {
  const char *name;
  const char *scheme;        /* of a dead proxy, or of the relay that wants agcl:s3cret */
  gboolean    relay;         /* a relay listens (an HTTP one in front of the HTTPS mock) */
  const char *credentials;   /* what user1's proxy URI says, before "@" (NULL: none) */
  const char *reason;        /* in the log line that rests the account */
} FailingProxyCase;

static const FailingProxyCase failing_proxy_cases[] = {
  { "http-dead", "http", FALSE, NULL, NULL },
  { "socks5-dead", "socks5", FALSE, NULL, NULL },
  { "socks5-wrong-password", "socks5", TRUE, "agcl:wrong",
    "SOCKSv5 authentication failed due to wrong username or password" },
  { "socks5-no-credentials", "socks5", TRUE, NULL, "The SOCKSv5 proxy requires authentication" },
  { "http-wrong-password-tls", "http", TRUE, "agcl:wrong", "HTTP proxy authentication failed" },
  { "http-no-credentials-tls", "http", TRUE, NULL, "the proxy wants credentials (HTTP 407)" },
};

/* A proxy that does not carry its account is that account's failure: the other account serves, the log says why,
 * and the account rests instead of being tried again by every request. */
static void
test_failing_proxy (gconstpointer data)
{
  const FailingProxyCase *c = data;
  gboolean http_relay = c->relay && g_str_equal (c->scheme, "http");
  AgTestHarness *harness = ag_test_harness_new_over_tls (TWO_ACCOUNTS, http_relay);
  g_autoptr(AgTestRelay) relay = !c->relay ? NULL
                                 : http_relay ? ag_test_relay_new_http ("127.0.0.2", "agcl", "s3cret")
                                              : ag_test_relay_new_socks5 ("127.0.0.2", "agcl", "s3cret");
  g_autofree char *shown = relay != NULL ? ag_test_relay_get_uri (relay)
                                         : g_strdup_printf ("%s://127.0.0.1:%u", c->scheme, ag_test_free_port ());
  const char *host = strstr (shown, "://") + 3;
  g_autofree char *uri = c->credentials != NULL
                           ? g_strdup_printf ("%.*s%s@%s", (int) (host - shown), shown, c->credentials, host)
                           : g_strdup (shown);
  g_autofree char *expected = g_strdup_printf ("user1@example.com: proxy unreachable (%s)", shown);
  g_autoptr(JsonArray) requests = NULL;

  ag_test_add_secret ("s3cret");
  start_with_proxy (harness, uri);
  for (guint i = 0; i < 3; i++)
    g_assert_cmpuint (ag_test_harness_request (harness, "POST", "/v1/messages", MESSAGE_REQUEST, NULL, NULL), ==, 200);
  g_assert_true (ag_test_harness_wait_log (harness, expected, 5000));
  if (c->reason != NULL)
    g_assert_nonnull (strstr (harness->proxy_log->str, c->reason));
  /* It rests after its first failure: of the three requests at most the first tried it (none when the quota poll,
   * running at start, met the proxy first); without the rest every one would. */
  {
    g_auto(GStrv) lines = g_strsplit (harness->proxy_log->str, "\n", -1);
    guint tried = 0;

    for (char **line = lines; *line != NULL; line++)
      if (strstr (*line, "POST /v1/messages") != NULL && strstr (*line, "user1@example.com proxy_unreachable") != NULL)
        tried++;
    g_assert_cmpuint (tried, <=, 1);
  }
  requests = ag_test_mock_requests (harness->mock, NULL);
  for (guint i = 0; i < json_array_get_length (requests); i++)
    {
      JsonObject *request = json_array_get_object_element (requests, i);

      if (!json_object_get_null_member (request, "account"))
        g_assert_cmpstr (json_object_get_string_member (request, "account"), ==, "user2@example.com");
    }
  if (relay != NULL)
    {
      /* Turned away at the door, every time: nothing was carried. */
      g_assert_cmpuint (ag_test_relay_get_refusals (relay), >=, 1);
      g_assert_cmpuint (ag_test_relay_get_carried (relay)->len, ==, 0);
    }
  ag_test_harness_free (harness);
}

/* user1's proxy carried its sign-in and quota poll, then went down. */
typedef struct {
  const char *name;
  gboolean    socks5;
} GoneProxyCase;

static const GoneProxyCase gone_proxy_cases[] = {
  { "http", FALSE },
  { "socks5", TRUE },
};

/* A proxy that goes down while its account's access token is still good fails the content call, not the token
 * refresh: that too is the account's failure (it rests, another serves), not a 502 for the client. */
static void
test_proxy_gone (gconstpointer data)
{
  const GoneProxyCase *c = data;
  AgTestHarness *harness = ag_test_harness_new (TWO_ACCOUNTS);
  AgTestRelay *relay = c->socks5 ? ag_test_relay_new_socks5 ("127.0.0.2", NULL, NULL) : ag_test_relay_new ("127.0.0.2");
  g_autofree char *uri = ag_test_relay_get_uri (relay);
  g_autofree char *expected = g_strdup_printf ("user1@example.com: proxy unreachable (%s)", uri);
  Seen seen = { harness->mock, ":fetchAvailableModels" };
  g_autoptr(JsonArray) before = NULL;
  g_autoptr(JsonArray) after = NULL;

  start_with_proxy (harness, uri);
  ag_test_wait_until (both_polled, &seen, 10000);
  g_assert_cmpuint (ag_test_relay_get_carried (relay)->len, >=, 1);
  ag_test_relay_free (relay);

  before = ag_test_mock_requests (harness->mock, ":streamGenerateContent");
  for (guint i = 0; i < 3; i++)
    g_assert_cmpuint (ag_test_harness_request (harness, "POST", "/v1/messages", MESSAGE_REQUEST, NULL, NULL), ==, 200);
  g_assert_true (ag_test_harness_wait_log (harness, expected, 5000));
  /* Every answer came from user2; user1 was tried once (the pool's order puts it first), then rested. */
  after = ag_test_mock_requests (harness->mock, ":streamGenerateContent");
  g_assert_cmpuint (json_array_get_length (after) - json_array_get_length (before), ==, 3);
  g_assert_null (strstr (harness->proxy_log->str, "via user1@example.com: 200"));
  ag_test_harness_free (harness);
}

/* user1 signed in through its proxy with credentials, then the user dropped them from the URL while the access
 * token is still good: the content call meets the proxy's 407, which is that proxy's failure, not Google's answer
 * (the lease rests the account; the client never sees a 407 or a 502). */
static void
test_proxy_wants_credentials (void)
{
  AgTestHarness *harness = ag_test_harness_new_over_tls (TWO_ACCOUNTS, TRUE);
  g_autoptr(AgTestRelay) relay = ag_test_relay_new_http ("127.0.0.2", "agcl", "s3cret");
  g_autofree char *bare = ag_test_relay_get_uri (relay);
  g_autofree char *with_password = g_strdup_printf ("http://agcl:s3cret@%s", strstr (bare, "://") + 3);
  g_autofree char *expected = g_strdup_printf ("user1@example.com: proxy unreachable (%s): HTTP 407", bare);
  Seen seen = { harness->mock, ":fetchAvailableModels" };
  gboolean rested = FALSE;

  ag_test_add_secret ("s3cret");
  start_with_proxy (harness, with_password);
  ag_test_wait_until (both_polled, &seen, 10000);
  g_assert_cmpuint (ag_test_relay_get_refusals (relay), ==, 0);
  set_proxy (harness, "user1@example.com", bare);
  /* The running ag-cl follows the keyring; until it does, user1 still serves through its old session. */
  for (guint i = 0; i < 50 && !rested; i++)
    {
      g_assert_cmpuint (ag_test_harness_request (harness, "POST", "/v1/messages", MESSAGE_REQUEST, NULL, NULL), ==,
                        200);
      rested = ag_test_harness_wait_log (harness, expected, 100);
    }
  g_assert_true (rested);
  g_assert_cmpuint (ag_test_relay_get_refusals (relay), >=, 1);
  g_assert_null (strstr (harness->proxy_log->str, "answered HTTP 407"));
  ag_test_harness_free (harness);
}

/* What the command refuses: a proxy that is not one, an account that does not exist. Nothing is stored. */
static void
test_refusals (void)
{
  AgTestHarness *harness = ag_test_harness_new (NULL);
  const char *bad_uri[] = { "account", "proxy", "user1@example.com", "ftp://agcl:s3cret@127.0.0.1:21", NULL };
  const char *unknown[] = { "account", "proxy", "nobody@example.com", "socks5://127.0.0.1:1080", NULL };
  const char *list[] = { "account", "list", NULL };
  g_autofree char *err1 = NULL;
  g_autofree char *err2 = NULL;
  g_autofree char *listing = NULL;

  ag_test_harness_add_account (harness, "rt-1");
  g_assert_cmpint (run_cli (harness, bad_uri, NULL, &err1), ==, 1);
  g_assert_nonnull (strstr (err1, "a proxy must be http://, https:// or socks5://"));
  g_assert_null (strstr (err1, "s3cret"));
  g_assert_cmpint (run_cli (harness, unknown, NULL, &err2), ==, 1);
  g_assert_nonnull (strstr (err2, "no account nobody@example.com"));
  g_assert_cmpint (run_cli (harness, list, &listing, NULL), ==, 0);
  g_assert_null (strstr (listing, "proxy"));
  ag_test_harness_free (harness);
}

/* Google's side over TLS is reached only with the trust AGCL_CA_FILE gives, and a file that cannot give it stops
 * ag-cl at start-up with the reason: the command line (exit 1) and the headless proxy (exit 2) alike. */
typedef struct {
  const char *name;
  const char *ca_file;    /* "" unset, "mock" the mock's CA, else a path */
  gboolean    headless;   /* start the proxy rather than add an account */
  int         status;
  const char *message;    /* in stderr */
} TrustCase;

static const TrustCase trust_cases[] = {
  { "trusted", "mock", FALSE, 0, NULL },
  { "unset", "", FALSE, 1, "Unacceptable TLS certificate" },
  { "missing", "/nonexistent/ca.pem", FALSE, 1, "AGCL_CA_FILE “/nonexistent/ca.pem”" },
  { "missing-headless", "/nonexistent/ca.pem", TRUE, 2, "ag-cl: AGCL_CA_FILE “/nonexistent/ca.pem”" },
};

static void
test_ca_file (gconstpointer data)
{
  const TrustCase *c = data;
  AgTestHarness *harness = ag_test_harness_new_over_tls (NULL, TRUE);
  const char *add[] = { "account", "add", "--refresh-token", "rt-1", NULL };
  const char *headless[] = { "--headless", "--port", "0", NULL };
  g_autofree char *err = NULL;

  if (*c->ca_file == '\0')
    ag_test_harness_unsetenv (harness, "AGCL_CA_FILE");
  else if (!g_str_equal (c->ca_file, "mock"))
    ag_test_harness_setenv (harness, "AGCL_CA_FILE", c->ca_file);
  g_assert_cmpint (ag_test_harness_run_cli (harness, c->headless ? headless : add, NULL, NULL, &err), ==, c->status);
  g_test_message ("%s", err);
  if (c->message != NULL)
    g_assert_nonnull (strstr (err, c->message));
  /* Only a trusted mock was asked anything. */
  g_assert_cmpuint (ag_mock_server_count_requests (harness->mock, "/token"), ==, c->status == 0 ? 1 : 0);
  ag_test_harness_free (harness);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  AG_TEST_ADD_CASES ("/egress/each-account-its-own-proxy/", own_proxy_cases, test_each_account_its_own_proxy);
  AG_TEST_ADD_CASES ("/egress/failing-proxy/", failing_proxy_cases, test_failing_proxy);
  AG_TEST_ADD_CASES ("/egress/proxy-gone/", gone_proxy_cases, test_proxy_gone);
  g_test_add_func ("/egress/proxy-wants-credentials", test_proxy_wants_credentials);
  g_test_add_func ("/egress/refusals", test_refusals);
  AG_TEST_ADD_CASES ("/egress/ca-file/", trust_cases, test_ca_file);
#ifdef __SANITIZE_ADDRESS__
  /* LeakSanitizer's tracer dies (signal 11) at the exit of a process that made GnuTLS handshakes, as this one did
   * serving HTTPS: end without the exit-time leak check (ag-cl's own processes: see ag_test_harness_new_over_tls). */
  _exit (g_test_run ());
#else
  return g_test_run ();
#endif
}
