/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The local API key against a real gnome-keyring (run inside build-aux/with-keyring.sh) and a real server: loading,
 * generating and clearing it, the server enforcing exactly the key in force, following what another writer of the
 * keyring (the CLI) does once loaded, which listen addresses it allows, and no key ever reaching a log. */
#include <libsoup/soup.h>
#include <string.h>
#include "ag-test.h"
#include "ag-account-pool.h"
#include "ag-cloudcode-client.h"
#include "ag-local-api-key.h"
#include "ag-model-catalogue.h"

static GString *logged;        /* every log line this process wrote */

typedef struct {
  AgApiKeyStore  *cli;         /* another writer of the same profile, as `ag-cl api-key …` is */
  AgKeyringWatch *watch;
  AgProxyServer  *server;
  AgLocalApiKey  *key;
  SoupSession    *session;
  GPtrArray      *secrets;     /* every key seen, scanned for in the log at the end */
  guint           notifications;
  guint           keyring_changes;
} Fixture;

static GLogWriterOutput
capture_log (GLogLevelFlags level, const GLogField *fields, gsize n_fields, gpointer user_data)
{
  for (gsize i = 0; i < n_fields; i++)
    if (g_str_equal (fields[i].key, "MESSAGE"))
      g_string_append_printf (logged, "%s\n", (const char *) fields[i].value);
  return g_log_writer_default (level, fields, n_fields, user_data);
}

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  g_autofree char *profile = ag_test_profile_new ("test-local-api-key");
  g_autoptr(AgCloudcodeClient) cloudcode = NULL;
  g_autoptr(AgOAuthClient) oauth = NULL;
  g_autoptr(AgAccountPool) pool = ag_account_pool_new ();
  g_autoptr(AgModelCatalogue) catalogue = ag_model_catalogue_new ();
  g_autoptr(AgApiKeyStore) store = ag_api_key_store_new (profile);
  g_autoptr(GError) error = NULL;

  ag_test_google_clients_new (&cloudcode, &oauth);
  fixture->cli = ag_api_key_store_new (profile);
  fixture->watch = ag_keyring_watch_new ();
  fixture->server = ag_proxy_server_new (cloudcode, oauth, pool, catalogue);
  g_assert_true (ag_proxy_server_listen (fixture->server, "127.0.0.1", 0, &error));
  g_assert_no_error (error);
  fixture->key = ag_local_api_key_new (store, fixture->server, fixture->watch);
  fixture->session = soup_session_new ();
  fixture->secrets = g_ptr_array_new_with_free_func (g_free);
  AG_TEST_COUNT_SIGNAL (fixture->key, "notify::is-set", &fixture->notifications);
  /* Connected after the key: when this counts a change, the key has already reacted to it. */
  AG_TEST_COUNT_SIGNAL (fixture->watch, "changed", &fixture->keyring_changes);
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  for (guint i = 0; i < fixture->secrets->len; i++)
    if (strstr (logged->str, g_ptr_array_index (fixture->secrets, i)) != NULL)
      g_error ("a local API key reached the log");
  g_signal_handlers_disconnect_by_data (fixture->key, &fixture->notifications);
  g_signal_handlers_disconnect_by_data (fixture->watch, &fixture->keyring_changes);
  ag_proxy_server_stop (fixture->server);
  g_clear_object (&fixture->key);
  g_clear_object (&fixture->server);
  g_clear_object (&fixture->watch);
  g_clear_object (&fixture->cli);
  g_clear_object (&fixture->session);
  g_clear_pointer (&fixture->secrets, g_ptr_array_unref);
}

/* ── the keyring as another writer sees it ────────────────────────────────────────────────────────────────── */

static char *
cli_lookup (Fixture *fixture)
{
  g_autoptr(GAsyncResult) result = AG_TEST_AWAIT_CALL (ag_api_key_store_lookup_async, fixture->cli, NULL);
  g_autoptr(GError) error = NULL;
  char *key = ag_api_key_store_lookup_finish (fixture->cli, result, &error);

  g_assert_no_error (error);
  return key;
}

/* Waits for the keyring change that follows the write just answered (its item signals came before the answer),
 * then looks the key up: the local API key's own lookup of that change went first on the same bus connection, so
 * it has acted on it. */
static void
settle (Fixture *fixture)
{
  guint changes = fixture->keyring_changes;

  AG_TEST_WAIT (fixture->keyring_changes > changes, AG_TEST_TIMEOUT_MS);
  g_free (cli_lookup (fixture));
}

static void
cli_save_settled (Fixture *fixture, const char *key)
{
  g_autoptr(GAsyncResult) result = AG_TEST_AWAIT_CALL (ag_api_key_store_save_async, fixture->cli, key, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (ag_api_key_store_save_finish (fixture->cli, result, &error));
  g_assert_no_error (error);
  settle (fixture);
}

static void
cli_clear_settled (Fixture *fixture)
{
  g_autoptr(GAsyncResult) result = AG_TEST_AWAIT_CALL (ag_api_key_store_clear_async, fixture->cli, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (ag_api_key_store_clear_finish (fixture->cli, result, &error));
  g_assert_no_error (error);
  settle (fixture);
}

/* A fresh key, remembered to be scanned for in the log. */
static const char *
new_key (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  char *key = ag_api_key_generate (&error);

  g_assert_no_error (error);
  g_ptr_array_add (fixture->secrets, key);
  return key;
}

/* ── the local API key ────────────────────────────────────────────────────────────────────────────────────── */

static void
load (Fixture *fixture)
{
  g_autoptr(GAsyncResult) result = AG_TEST_AWAIT_CALL (ag_local_api_key_load_async, fixture->key, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (ag_local_api_key_load_finish (fixture->key, result, &error));
  g_assert_no_error (error);
}

/* The status of GET /nowhere on the server with exactly @key as x-api-key (NULL: none): 404 when let in. Asked as
 * a client the key applies to (require-api-key on) whenever one is in force: loopback clients of this user need
 * none otherwise. */
static guint
status_with (Fixture *fixture, const char *key)
{
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u/nowhere", ag_proxy_server_get_port (fixture->server));
  g_autoptr(SoupMessage) message = soup_message_new ("GET", url);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;

  ag_request_guard_set_require_api_key (ag_proxy_server_get_guard (fixture->server),
                                        ag_local_api_key_is_set (fixture->key));
  if (key != NULL)
    soup_message_headers_append (soup_message_get_request_headers (message), "x-api-key", key);
  body = ag_test_send_and_read (fixture->session, message, &error);
  g_assert_no_error (error);
  g_assert_nonnull (body);
  return soup_message_get_status (message);
}

static void
test_load_none (Fixture *fixture, gconstpointer data)
{
  load (fixture);
  g_assert_false (ag_local_api_key_is_set (fixture->key));
  g_assert_null (ag_local_api_key_get_value (fixture->key));
  g_assert_false (ag_proxy_server_has_api_key (fixture->server));
  g_assert_cmpuint (fixture->notifications, ==, 0);
  g_assert_cmpuint (status_with (fixture, NULL), ==, 404);
}

static void
test_load_stored (Fixture *fixture, gconstpointer data)
{
  const char *stored = new_key (fixture);

  cli_save_settled (fixture, stored);
  load (fixture);
  g_assert_cmpstr (ag_local_api_key_get_value (fixture->key), ==, stored);
  g_assert_cmpuint (fixture->notifications, ==, 1);
  g_assert_cmpuint (status_with (fixture, NULL), ==, 401);
  g_assert_cmpuint (status_with (fixture, stored), ==, 404);
}

/* Generates a key through the local API key, remembered to be scanned for in the log. */
static char *
generate (Fixture *fixture)
{
  g_autoptr(GAsyncResult) result = AG_TEST_AWAIT_CALL (ag_local_api_key_generate_async, fixture->key, NULL);
  g_autoptr(GError) error = NULL;
  char *key = ag_local_api_key_generate_finish (fixture->key, result, &error);

  g_assert_no_error (error);
  g_ptr_array_add (fixture->secrets, g_strdup (key));
  return key;
}

static void
clear (Fixture *fixture)
{
  g_autoptr(GAsyncResult) result = AG_TEST_AWAIT_CALL (ag_local_api_key_clear_async, fixture->key, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (ag_local_api_key_clear_finish (fixture->key, result, &error));
  g_assert_no_error (error);
}

static void
test_generate_and_clear (Fixture *fixture, gconstpointer data)
{
  g_autofree char *generated = NULL;
  g_autofree char *stored = NULL;
  g_autofree char *second = NULL;

  load (fixture);
  generated = generate (fixture);
  g_assert_true (g_regex_match_simple ("^agcl-[A-Za-z0-9_-]{43}$", generated, 0, 0));
  g_assert_true (ag_local_api_key_is_set (fixture->key));
  g_assert_cmpstr (ag_local_api_key_get_value (fixture->key), ==, generated);
  g_assert_cmpuint (fixture->notifications, ==, 1);
  stored = cli_lookup (fixture);
  g_assert_cmpstr (stored, ==, generated);
  g_assert_cmpuint (status_with (fixture, NULL), ==, 401);
  g_assert_cmpuint (status_with (fixture, generated), ==, 404);

  /* A second key replaces the first at once; "is-set" did not change. */
  second = generate (fixture);
  g_assert_cmpstr (second, !=, generated);
  g_assert_cmpuint (fixture->notifications, ==, 1);
  g_assert_cmpuint (status_with (fixture, generated), ==, 401);
  g_assert_cmpuint (status_with (fixture, second), ==, 404);

  clear (fixture);
  g_assert_false (ag_local_api_key_is_set (fixture->key));
  g_assert_null (ag_local_api_key_get_value (fixture->key));
  g_assert_false (ag_proxy_server_has_api_key (fixture->server));
  g_assert_cmpuint (fixture->notifications, ==, 2);
  g_clear_pointer (&stored, g_free);
  stored = cli_lookup (fixture);
  g_assert_null (stored);
  g_assert_cmpuint (status_with (fixture, NULL), ==, 404);

  /* None stored is no error. */
  clear (fixture);
  g_assert_cmpuint (fixture->notifications, ==, 2);
}

static void
test_follows_the_keyring (Fixture *fixture, gconstpointer data)
{
  const char *first = new_key (fixture);
  const char *second = new_key (fixture);

  load (fixture);
  cli_save_settled (fixture, first);
  g_assert_cmpstr (ag_local_api_key_get_value (fixture->key), ==, first);
  g_assert_cmpuint (fixture->notifications, ==, 1);
  g_assert_cmpuint (status_with (fixture, NULL), ==, 401);
  g_assert_cmpuint (status_with (fixture, first), ==, 404);
  g_assert_nonnull (strstr (logged->str, "local API key changed in the keyring: set, required from other machines "
                                         "and other users (require-api-key is off)\n"));

  cli_save_settled (fixture, second);
  g_assert_cmpstr (ag_local_api_key_get_value (fixture->key), ==, second);
  g_assert_cmpuint (fixture->notifications, ==, 1);
  g_assert_cmpuint (status_with (fixture, first), ==, 401);
  g_assert_cmpuint (status_with (fixture, second), ==, 404);

  cli_clear_settled (fixture);
  g_assert_false (ag_local_api_key_is_set (fixture->key));
  g_assert_cmpuint (fixture->notifications, ==, 2);
  g_assert_cmpuint (status_with (fixture, NULL), ==, 404);
  g_assert_nonnull (strstr (logged->str, "local API key changed in the keyring: removed\n"));
}

/* Until the first load answered, the keyring is not followed: that load reads the latest key anyway. */
static void
test_not_followed_before_load (Fixture *fixture, gconstpointer data)
{
  const char *stored = new_key (fixture);

  cli_save_settled (fixture, stored);
  g_assert_false (ag_local_api_key_is_set (fixture->key));
  g_assert_cmpuint (fixture->notifications, ==, 0);
  load (fixture);
  g_assert_cmpstr (ag_local_api_key_get_value (fixture->key), ==, stored);
}

static gboolean
allows (Fixture *fixture, const char *address)
{
  g_autoptr(GInetAddress) inet = g_inet_address_new_from_string (address);

  return ag_local_api_key_allows_address (fixture->key, inet);
}

static void
test_allows_address (Fixture *fixture, gconstpointer data)
{
  load (fixture);
  g_assert_true (allows (fixture, "127.0.0.1"));
  g_assert_true (allows (fixture, "127.0.0.2"));
  g_assert_true (allows (fixture, "::1"));
  g_assert_false (allows (fixture, "0.0.0.0"));
  g_assert_false (allows (fixture, "192.168.1.2"));
  g_assert_false (allows (fixture, "::"));

  cli_save_settled (fixture, new_key (fixture));
  g_assert_true (allows (fixture, "127.0.0.1"));
  g_assert_true (allows (fixture, "0.0.0.0"));
  g_assert_true (allows (fixture, "::"));
}

int
main (int argc, char **argv)
{
  g_autoptr(AgMockServer) mock = NULL;
  int status;

  logged = g_string_new (NULL);
  g_log_set_writer_func (capture_log, NULL, NULL);
  g_test_init (&argc, &argv, NULL);
  /* The clients point at the mock: nothing here may reach Google. */
  mock = ag_test_mock_start (NULL);
#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/local-api-key/load-none", test_load_none);
  ADD ("/local-api-key/load-stored", test_load_stored);
  ADD ("/local-api-key/generate-and-clear", test_generate_and_clear);
  ADD ("/local-api-key/follows-the-keyring", test_follows_the_keyring);
  ADD ("/local-api-key/not-followed-before-load", test_not_followed_before_load);
  ADD ("/local-api-key/allows-address", test_allows_address);
#undef ADD
  status = g_test_run ();
  g_string_free (logged, TRUE);
  return status;
}
