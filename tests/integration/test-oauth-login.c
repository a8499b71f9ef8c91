/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The click-through sign-in against the mock: the test plays the browser (fetches the consent URL without following
 * the redirect, then requests the Location from the loopback listener). Success with PKCE checked by the mock,
 * denied consent, a forged redirect with the wrong state, no refresh token, timeout and cancel. */
#include "ag-test.h"
#include "ag-oauth-login.h"

static const char *one_account =
  "{\"accounts\":[{\"refresh_token\":\"rt-login\",\"email\":\"login@example.com\",\"project\":\"proj-l\"}]}";

typedef struct {
  AgMockServer      *mock;
  AgTestStub        *token;      /* a token endpoint of the test's own, when it wants one */
  AgCloudcodeConfig *config;
  AgOAuthClient     *oauth;
  AgOAuthLogin      *login;
  SoupSession       *browser;
} Fixture;

/* The mock with one account, then (after @prepare, when given) a started login reading the environment. */
static void
fixture_setup (Fixture *f, gconstpointer prepare)
{
  g_autoptr(GError) error = NULL;

  f->mock = ag_test_mock_start (one_account);
  if (prepare != NULL)
    ((void (*) (Fixture *)) prepare) (f);
  f->config = ag_cloudcode_config_new_from_env ();
  f->oauth = ag_oauth_client_new (f->config, NULL);
  f->login = ag_oauth_login_new (f->config, f->oauth);
  f->browser = soup_session_new ();
  g_assert_true (ag_oauth_login_start (f->login, &error));
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture *f, gconstpointer prepare)
{
  g_clear_object (&f->browser);
  g_clear_object (&f->login);
  g_clear_object (&f->oauth);
  g_clear_object (&f->config);
  g_clear_pointer (&f->token, ag_test_stub_free);
  g_clear_object (&f->mock);
}

/* GET @url like a browser that does not follow redirects; returns the status, the body and the Location. */
static guint
browse (SoupSession *browser, const char *url, char **out_body, char **out_location)
{
  g_autoptr(SoupMessage) message = soup_message_new ("GET", url);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;

  g_assert_nonnull (message);
  soup_message_add_flags (message, SOUP_MESSAGE_NO_REDIRECT);
  body = ag_test_send_and_read (browser, message, &error);
  g_assert_no_error (error);
  if (out_body != NULL)
    *out_body = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  if (out_location != NULL)
    *out_location = g_strdup (soup_message_headers_get_one (soup_message_get_response_headers (message), "Location"));
  return soup_message_get_status (message);
}

static GHashTable *
consent_params (Fixture *f)
{
  g_autoptr(GUri) uri = g_uri_parse (ag_oauth_login_get_consent_url (f->login), G_URI_FLAGS_NONE, NULL);

  g_assert_nonnull (uri);
  return g_uri_parse_params (g_uri_get_query (uri), -1, "&", G_URI_PARAMS_NONE, NULL);
}

static char *
finish_wait (Fixture *f, GAsyncResult **slot, GError **error)
{
  g_autoptr(GAsyncResult) result = ag_test_await (slot);

  return ag_oauth_login_wait_finish (f->login, result, error);
}

/* Waits for the login to end, which must be without a refresh token; its error. */
static GError *
sign_in_error (Fixture *f, GAsyncResult **slot)
{
  GError *error = NULL;
  g_autofree char *refresh_token = finish_wait (f, slot, &error);

  g_assert_null (refresh_token);
  return error;
}

/* Plays the browser through the consent page (a redirect to the listener) and back to the listener, which answers
 * 200 with the page stored in @out_page (nullable); then waits for the login: its refresh token. */
static char *
sign_in (Fixture *f, GAsyncResult **slot, char **out_page)
{
  g_autofree char *location = NULL;
  g_autoptr(GError) error = NULL;
  char *refresh_token;

  g_assert_cmpuint (browse (f->browser, ag_oauth_login_get_consent_url (f->login), NULL, &location), ==, 302);
  g_assert_true (g_str_has_prefix (location, ag_oauth_login_get_redirect_uri (f->login)));
  g_assert_cmpuint (browse (f->browser, location, out_page, NULL), ==, 200);
  refresh_token = finish_wait (f, slot, &error);
  g_assert_no_error (error);
  return refresh_token;
}

/* The listener's redirect URI with @query and the state of the consent URL, as Google would redirect. */
static char *
redirect_with_state (Fixture *f, const char *query)
{
  g_autoptr(GHashTable) params = consent_params (f);

  return g_strconcat (ag_oauth_login_get_redirect_uri (f->login), "?", query, "&state=",
                      (const char *) g_hash_table_lookup (params, "state"), NULL);
}

static void
assert_listener_closed (const char *redirect_uri)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) message = soup_message_new ("GET", redirect_uri);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = ag_test_send_and_read (session, message, &error);

  g_assert_null (body);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED);
}

static void
test_consent_url (Fixture *f, gconstpointer data)
{
  g_autoptr(GHashTable) params = NULL;
  g_autofree char *auth_url = NULL;
  const char *redirect_uri;
  g_autofree char *expected_redirect = NULL;

  params = consent_params (f);
  redirect_uri = ag_oauth_login_get_redirect_uri (f->login);
  auth_url = g_strconcat (ag_cloudcode_config_get_auth_url (f->config), "?", NULL);
  g_assert_true (g_str_has_prefix (ag_oauth_login_get_consent_url (f->login), auth_url));
  g_assert_true (g_str_has_prefix (redirect_uri, "http://127.0.0.1:"));
  g_assert_true (g_str_has_suffix (redirect_uri, "/oauth-callback"));
  g_assert_cmpstr (g_hash_table_lookup (params, "redirect_uri"), ==, redirect_uri);
  g_assert_cmpstr (g_hash_table_lookup (params, "client_id"), ==, ag_cloudcode_config_get_client_id (f->config));
  g_assert_cmpstr (g_hash_table_lookup (params, "response_type"), ==, "code");
  g_assert_cmpstr (g_hash_table_lookup (params, "scope"), ==, ag_cloudcode_config_get_scopes (f->config));
  g_assert_cmpstr (g_hash_table_lookup (params, "access_type"), ==, "offline");
  g_assert_cmpstr (g_hash_table_lookup (params, "prompt"), ==, "consent");
  g_assert_cmpstr (g_hash_table_lookup (params, "code_challenge_method"), ==, "S256");
  g_assert_cmpuint (strlen (g_hash_table_lookup (params, "code_challenge")), ==, 43);
  g_assert_cmpuint (strlen (g_hash_table_lookup (params, "state")), ==, 43);
  g_assert_cmpuint (g_hash_table_size (params), ==, 9);
  expected_redirect = g_strdup (redirect_uri);
  /* Dropping a login that never waited closes its listener too. */
  g_clear_object (&f->login);
  assert_listener_closed (expected_redirect);
}

static void
test_success (Fixture *f, gconstpointer data)
{
  GAsyncResult *slot = NULL;
  g_autofree char *page = NULL;
  g_autofree char *refresh_token = NULL;

  ag_oauth_login_wait_async (f->login, NULL, ag_test_store_result, &slot);
  refresh_token = sign_in (f, &slot, &page);
  g_assert_nonnull (strstr (page, "You are signed in. You can close this tab and go back to ag-cl."));
  g_assert_cmpstr (refresh_token, ==, "rt-login");
  g_assert_cmpuint (ag_mock_server_count_requests (f->mock, "/token"), ==, 1);
  assert_listener_closed (ag_oauth_login_get_redirect_uri (f->login));
}

static void
test_wrong_state_ignored (Fixture *f, gconstpointer data)
{
  GAsyncResult *slot = NULL;
  g_autofree char *forged = NULL;
  g_autofree char *page = NULL;
  g_autofree char *refresh_token = NULL;

  ag_oauth_login_wait_async (f->login, NULL, ag_test_store_result, &slot);
  forged = g_strconcat (ag_oauth_login_get_redirect_uri (f->login), "?code=4/forged&state=not-ours", NULL);
  g_assert_cmpuint (browse (f->browser, forged, &page, NULL), ==, 400);
  g_assert_nonnull (strstr (page, "Sign-in link not recognised"));
  g_assert_null (slot);
  g_assert_cmpuint (ag_mock_server_count_requests (f->mock, "/token"), ==, 0);

  refresh_token = sign_in (f, &slot, NULL);
  g_assert_cmpstr (refresh_token, ==, "rt-login");
}

static void
test_denied (Fixture *f, gconstpointer data)
{
  GAsyncResult *slot = NULL;
  g_autoptr(GError) error = NULL;
  /* What Google sends when the user clicks Cancel (RFC 6749 §4.1.2.1: the state comes back with the error). */
  g_autofree char *denied = redirect_with_state (f, "error=access_denied");
  g_autofree char *page = NULL;

  ag_oauth_login_wait_async (f->login, NULL, ag_test_store_result, &slot);
  g_assert_cmpuint (browse (f->browser, denied, &page, NULL), ==, 200);
  g_assert_nonnull (strstr (page, "ag-cl was not given access."));
  error = sign_in_error (f, &slot);
  g_assert_error (error, AG_OAUTH_LOGIN_ERROR, AG_OAUTH_LOGIN_ERROR_DENIED);
  g_assert_cmpuint (ag_mock_server_count_requests (f->mock, "/token"), ==, 0);
}

/* Google's token endpoint answers without a refresh token. */
static void
token_without_refresh_token (Fixture *f)
{
  g_autofree char *token_url = NULL;

  f->token = ag_test_stub_new (200, "{\"access_token\":\"ya29.x\",\"expires_in\":3599}");
  token_url = g_strconcat (f->token->base_url, "/token", NULL);
  g_setenv ("AGCL_OAUTH_TOKEN_URL", token_url, TRUE);
}

static void
test_no_refresh_token (Fixture *f, gconstpointer data)
{
  GAsyncResult *slot = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *redirect = redirect_with_state (f, "code=4/0Aok");

  ag_oauth_login_wait_async (f->login, NULL, ag_test_store_result, &slot);
  g_assert_cmpuint (browse (f->browser, redirect, NULL, NULL), ==, 200);
  error = sign_in_error (f, &slot);
  g_assert_error (error, AG_OAUTH_LOGIN_ERROR, AG_OAUTH_LOGIN_ERROR_NO_REFRESH_TOKEN);
  g_assert_cmpstr (error->message, ==, "Google returned no refresh token");
  g_assert_cmpuint (f->token->hits, ==, 1);
  g_assert_cmpstr (f->token->last_path, ==, "/token");
}

static void
test_timeout (Fixture *f, gconstpointer data)
{
  GAsyncResult *slot = NULL;
  g_autoptr(GError) error = NULL;
  gint64 started = g_get_monotonic_time ();

  ag_oauth_login_set_timeout (f->login, 1);
  ag_oauth_login_wait_async (f->login, NULL, ag_test_store_result, &slot);
  error = sign_in_error (f, &slot);
  g_assert_error (error, AG_OAUTH_LOGIN_ERROR, AG_OAUTH_LOGIN_ERROR_TIMED_OUT);
  g_assert_cmpint (g_get_monotonic_time () - started, >=, G_USEC_PER_SEC / 2);
  assert_listener_closed (ag_oauth_login_get_redirect_uri (f->login));
}

static void
test_cancel (Fixture *f, gconstpointer data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  GAsyncResult *slot = NULL;
  g_autoptr(GError) error = NULL;

  ag_oauth_login_wait_async (f->login, cancellable, ag_test_store_result, &slot);
  g_cancellable_cancel (cancellable);
  error = sign_in_error (f, &slot);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  assert_listener_closed (ag_oauth_login_get_redirect_uri (f->login));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, prepare, test) \
  g_test_add ("/oauth-login/" path, Fixture, prepare, fixture_setup, test, fixture_teardown)
  ADD ("consent-url", NULL, test_consent_url);
  ADD ("success", NULL, test_success);
  ADD ("wrong-state-ignored", NULL, test_wrong_state_ignored);
  ADD ("denied", NULL, test_denied);
  ADD ("no-refresh-token", token_without_refresh_token, test_no_refresh_token);
  ADD ("timeout", NULL, test_timeout);
  ADD ("cancel", NULL, test_cancel);
#undef ADD
  return g_test_run ();
}
