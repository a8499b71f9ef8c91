/* SPDX-License-Identifier: GPL-3.0-or-later */
/* OAuth refresh and AgAccount's access-token cache against the mock: the form sent, invalid_grant, a rotated
 * refresh token, one shared refresh for concurrent callers, the expiry margin, a cancelled waiter. */
#include "ag-test.h"
#include "ag-account.h"
#include "ag-oauth-client.h"

static const char *two_accounts =
  "{\"accounts\":[{\"refresh_token\":\"rt-1\",\"email\":\"user1@example.com\",\"project\":\"proj-1\"},"
  "{\"refresh_token\":\"rt-gone\",\"email\":\"gone@example.com\",\"project\":\"proj-2\",\"revoked\":true}]}";

typedef struct {
  AgMockServer  *mock;
  AgTestStub    *stub;    /* Google's token endpoint instead of the mock's, when the test gives its answer */
  AgOAuthClient *oauth;
} Fixture;

/* What the token endpoint answers instead of the mock. */
typedef struct {
  guint       status;
  const char *json;
} StubAnswer;

/* The mock with two accounts (its token endpoint replaced by a stub answering @data, a StubAnswer, when given) and
 * an OAuth client reading the environment. */
static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  const StubAnswer *stub_answer = data;
  g_autoptr(AgCloudcodeConfig) config = NULL;

  f->mock = ag_test_mock_start (two_accounts);
  if (stub_answer != NULL)
    {
      g_autofree char *url = NULL;

      f->stub = ag_test_stub_new (stub_answer->status, stub_answer->json);
      url = g_strconcat (f->stub->base_url, "/token", NULL);
      g_setenv ("AGCL_OAUTH_TOKEN_URL", url, TRUE);
    }
  config = ag_cloudcode_config_new_from_env ();
  f->oauth = ag_oauth_client_new (config, NULL);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->oauth);
  g_clear_pointer (&f->stub, ag_test_stub_free);
  g_clear_object (&f->mock);
}

static gint64
now_s (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

static void
test_refresh_success (Fixture *f, gconstpointer data)
{
  g_autoptr(AgOAuthTokens) tokens = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) requests = NULL;
  JsonObject *request;
  JsonObject *headers;
  g_autoptr(GHashTable) form = NULL;
  g_autoptr(AgCloudcodeConfig) config = ag_cloudcode_config_new_from_env ();
  gint64 before = now_s ();

  tokens = ag_test_oauth_refresh (f->oauth, "rt-1", &error);
  g_assert_no_error (error);
  g_assert_nonnull (tokens->access_token);
  g_assert_cmpstr (tokens->access_token, !=, "");
  g_assert_null (tokens->refresh_token);
  g_assert_cmpint (tokens->expires_at_unix_s, >=, before + 3600);
  g_assert_cmpint (tokens->expires_at_unix_s, <=, now_s () + 3600);

  requests = ag_mock_server_get_requests (f->mock);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (requests)), ==, 1);
  request = json_array_get_object_element (json_node_get_array (requests), 0);
  headers = json_object_get_object_member (request, "headers");
  g_assert_cmpstr (json_object_get_string_member (request, "method"), ==, "POST");
  g_assert_true (g_str_has_prefix (json_object_get_string_member (headers, "content-type"),
                                   "application/x-www-form-urlencoded"));
  form = soup_form_decode (json_object_get_string_member (request, "body"));
  g_assert_cmpuint (g_hash_table_size (form), ==, 4);
  g_assert_cmpstr (g_hash_table_lookup (form, "grant_type"), ==, "refresh_token");
  g_assert_cmpstr (g_hash_table_lookup (form, "refresh_token"), ==, "rt-1");
  g_assert_cmpstr (g_hash_table_lookup (form, "client_id"), ==, ag_cloudcode_config_get_client_id (config));
  g_assert_cmpstr (g_hash_table_lookup (form, "client_secret"), ==, ag_cloudcode_config_get_client_secret (config));
}

static void
test_invalid_grant (Fixture *f, gconstpointer data)
{
  g_autoptr(AgAccount) account = ag_account_new ("gone@example.com", "proj-2", "rt-gone");
  g_autoptr(AgOAuthTokens) tokens = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) account_error = NULL;
  g_autofree char *token = NULL;

  tokens = ag_test_oauth_refresh (f->oauth, "rt-gone", &error);
  g_assert_null (tokens);
  g_assert_error (error, AG_OAUTH_ERROR, AG_OAUTH_ERROR_INVALID_GRANT);
  g_assert_cmpstr (error->message, ==, "the refresh token was rejected by Google (invalid_grant); sign in again");

  token = ag_test_account_access_token (account, f->oauth, &account_error);
  g_assert_null (token);
  g_assert_error (account_error, AG_OAUTH_ERROR, AG_OAUTH_ERROR_INVALID_GRANT);
  g_assert_cmpuint (ag_mock_server_count_requests (f->mock, "/token"), ==, 2);
}

static void
test_other_failure_names_status_not_token (Fixture *f, gconstpointer data)
{
  g_autoptr(AgOAuthTokens) tokens = NULL;
  g_autoptr(GError) error = NULL;

  tokens = ag_test_oauth_refresh (f->oauth, "rt-very-secret", &error);
  g_assert_error (error, AG_OAUTH_ERROR, AG_OAUTH_ERROR_FAILED);
  g_assert_cmpstr (error->message, ==, "the Google token endpoint answered HTTP 500: server_error: try later");
  g_assert_null (strstr (error->message, "rt-very-secret"));
}

static void
on_refresh_token_changed (AgAccount *account, gpointer user_data)
{
  guint *count = user_data;

  (*count)++;
}

static void
test_rotated_refresh_token (Fixture *f, gconstpointer data)
{
  g_autoptr(AgAccount) account = ag_account_new ("user1@example.com", "proj-1", "rt-old");
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  guint changed = 0;

  g_signal_connect (account, "refresh-token-changed", G_CALLBACK (on_refresh_token_changed), &changed);

  token = ag_test_account_access_token (account, f->oauth, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (token, ==, "at-new");
  g_assert_cmpuint (changed, ==, 1);
  g_assert_cmpstr (ag_account_get_refresh_token (account), ==, "rt-rotated");
  g_assert_cmpuint (f->stub->hits, ==, 1);
}

typedef struct {
  AgAccount *account;
  guint      done;
  GPtrArray *tokens;
  GPtrArray *errors;
} Concurrent;

static void
free_error (gpointer error)
{
  if (error != NULL)
    g_error_free (error);
}

static void
concurrent_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Concurrent *state = user_data;
  GError *error = NULL;
  char *token = ag_account_get_access_token_finish (AG_ACCOUNT (source), result, &error);

  g_ptr_array_add (state->tokens, token != NULL ? token : g_strdup ("(error)"));
  g_ptr_array_add (state->errors, error);
  state->done++;
}

static void
test_concurrent_callers_share_one_refresh (Fixture *f, gconstpointer data)
{
  g_autoptr(AgAccount) account = ag_account_new ("user1@example.com", "proj-1", "rt-1");
  g_autoptr(GPtrArray) tokens = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) errors = g_ptr_array_new_with_free_func (free_error);
  Concurrent state = { account, 0, tokens, errors };
  g_autofree char *cached = NULL;

  for (guint i = 0; i < 5; i++)
    ag_account_get_access_token_async (account, f->oauth, NULL, concurrent_cb, &state);
  ag_test_wait_count (&state.done, 5, AG_TEST_TIMEOUT_MS);

  g_assert_cmpuint (ag_mock_server_count_requests (f->mock, "/token"), ==, 1);
  for (guint i = 0; i < 5; i++)
    {
      g_assert_null (g_ptr_array_index (errors, i));
      g_assert_cmpstr (g_ptr_array_index (tokens, i), ==, g_ptr_array_index (tokens, 0));
    }

  /* Fresh now: served from the cache. */
  cached = ag_test_account_access_token (account, f->oauth, NULL);
  g_assert_cmpstr (cached, ==, g_ptr_array_index (tokens, 0));
  g_assert_cmpuint (ag_mock_server_count_requests (f->mock, "/token"), ==, 1);
}

static void
test_expiry_margin (Fixture *f, gconstpointer data)
{
  g_autoptr(AgAccount) account = ag_account_new ("user1@example.com", "proj-1", "rt-1");
  g_autoptr(GError) error = NULL;
  g_autofree char *kept = NULL;
  g_autofree char *renewed = NULL;
  g_autofree char *after_invalidate = NULL;

  ag_account_set_access_token (account, "at-seeded", now_s () + AG_ACCOUNT_REFRESH_MARGIN_SECONDS + 60);
  kept = ag_test_account_access_token (account, f->oauth, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kept, ==, "at-seeded");
  g_assert_cmpuint (ag_mock_server_count_requests (f->mock, "/token"), ==, 0);

  ag_account_set_access_token (account, "at-seeded", now_s () + AG_ACCOUNT_REFRESH_MARGIN_SECONDS - 5);
  renewed = ag_test_account_access_token (account, f->oauth, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (renewed, !=, "at-seeded");
  g_assert_cmpuint (ag_mock_server_count_requests (f->mock, "/token"), ==, 1);

  ag_account_invalidate_access_token (account);
  after_invalidate = ag_test_account_access_token (account, f->oauth, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ag_mock_server_count_requests (f->mock, "/token"), ==, 2);
}

static void
test_cancelled_waiter_leaves_others (Fixture *f, gconstpointer data)
{
  g_autoptr(AgAccount) account = ag_account_new ("user1@example.com", "proj-1", "rt-1");
  g_autoptr(GPtrArray) tokens = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) errors = g_ptr_array_new_with_free_func (free_error);
  g_autoptr(GCancellable) first = g_cancellable_new ();
  g_autoptr(GCancellable) second = g_cancellable_new ();
  Concurrent state = { account, 0, tokens, errors };
  guint cancelled = 0;

  /* The first caller started the refresh; cancelling it must not cancel the refresh for the second. */
  ag_account_get_access_token_async (account, f->oauth, first, concurrent_cb, &state);
  ag_account_get_access_token_async (account, f->oauth, second, concurrent_cb, &state);
  g_cancellable_cancel (first);
  ag_test_wait_count (&state.done, 2, AG_TEST_TIMEOUT_MS);

  for (guint i = 0; i < 2; i++)
    {
      GError *error = g_ptr_array_index (errors, i);

      if (error != NULL)
        {
          g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
          cancelled++;
        }
      else
        g_assert_cmpstr (g_ptr_array_index (tokens, i), !=, "(error)");
    }
  g_assert_cmpuint (cancelled, ==, 1);
  /* The cancelled caller was answered before the refresh finished. */
  g_assert_nonnull (g_ptr_array_index (errors, 0));
  g_assert_cmpuint (ag_mock_server_count_requests (f->mock, "/token"), ==, 1);
}

static const StubAnswer server_error = { 500, "{\"error\":\"server_error\",\"error_description\":\"try later\"}" };
static const StubAnswer rotated = {
  200, "{\"access_token\":\"at-new\",\"expires_in\":3599,\"refresh_token\":\"rt-rotated\",\"token_type\":\"Bearer\"}"
};

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, stub_answer, test) g_test_add (path, Fixture, stub_answer, fixture_set_up, test, fixture_tear_down)

  ADD ("/oauth-account/refresh-success", NULL, test_refresh_success);
  ADD ("/oauth-account/invalid-grant", NULL, test_invalid_grant);
  ADD ("/oauth-account/other-failure", &server_error, test_other_failure_names_status_not_token);
  ADD ("/oauth-account/rotated-refresh-token", &rotated, test_rotated_refresh_token);
  ADD ("/oauth-account/concurrent-callers", NULL, test_concurrent_callers_share_one_refresh);
  ADD ("/oauth-account/expiry-margin", NULL, test_expiry_margin);
  ADD ("/oauth-account/cancelled-waiter", NULL, test_cancelled_waiter_leaves_others);

#undef ADD
  return g_test_run ();
}
