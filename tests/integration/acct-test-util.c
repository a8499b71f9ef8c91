/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "acct-test-util.h"

#include <gio/gio.h>

void
acct_store_result (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GAsyncResult **slot = user_data;

  g_assert_null (*slot);
  *slot = g_object_ref (result);
}

static gboolean
timed_out_cb (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

GAsyncResult *
acct_wait (GAsyncResult **slot)
{
  gboolean timed_out = FALSE;
  guint timeout = g_timeout_add_seconds (20, timed_out_cb, &timed_out);

  while (*slot == NULL && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (timed_out);
  g_source_remove (timeout);
  return g_steal_pointer (slot);
}

void
acct_wait_count (guint *count, guint wanted)
{
  gboolean timed_out = FALSE;
  guint timeout = g_timeout_add_seconds (20, timed_out_cb, &timed_out);

  while (*count < wanted && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (timed_out);
  g_source_remove (timeout);
  g_assert_cmpuint (*count, ==, wanted);
}

AgMockServer *
acct_mock_start (const char *script_json)
{
  AgMockServer *mock = ag_mock_server_new ();
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) env = NULL;

  ag_mock_server_listen (mock, 0, &error);
  g_assert_no_error (error);
  if (script_json != NULL)
    {
      ag_mock_server_set_script_json (mock, script_json, &error);
      g_assert_no_error (error);
    }
  env = ag_mock_server_environ (mock, g_new0 (char *, 1));
  for (guint i = 0; env[i] != NULL; i++)
    {
      g_auto (GStrv) pair = g_strsplit (env[i], "=", 2);

      g_assert_nonnull (pair[1]);
      g_setenv (pair[0], pair[1], TRUE);
    }
  return mock;
}

static void
stub_handler (SoupServer *server, SoupServerMessage *message, const char *path, GHashTable *query,
              gpointer user_data)
{
  AcctStub *stub = user_data;

  stub->hits++;
  g_free (stub->last_path);
  stub->last_path = g_strdup (path);
  soup_server_message_set_status (message, stub->status, NULL);
  soup_server_message_set_response (message, "application/json", SOUP_MEMORY_COPY, stub->body, strlen (stub->body));
}

AcctStub *
acct_stub_new (guint status, const char *body)
{
  AcctStub *stub = g_new0 (AcctStub, 1);
  g_autoptr (GError) error = NULL;
  GSList *uris;

  stub->status = status;
  stub->body = g_strdup (body);
  stub->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (stub->server, NULL, stub_handler, stub, NULL);
  soup_server_listen_local (stub->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (stub->server);
  stub->base_url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return stub;
}

void
acct_stub_free (AcctStub *stub)
{
  soup_server_disconnect (stub->server);
  g_object_unref (stub->server);
  g_free (stub->base_url);
  g_free (stub->body);
  g_free (stub->last_path);
  g_free (stub);
}

char *
acct_dead_url (void)
{
  g_autoptr (GSocketListener) listener = g_socket_listener_new ();
  g_autoptr (GError) error = NULL;
  guint16 port = g_socket_listener_add_any_inet_port (listener, NULL, &error);

  g_assert_no_error (error);
  /* Closing the listener frees the port; nothing else on loopback takes it during the test. */
  g_socket_listener_close (listener);
  return g_strdup_printf ("http://127.0.0.1:%u", port);
}
