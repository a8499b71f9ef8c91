/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "ag-test-net.h"

#include <string.h>

guint
ag_test_free_port (void)
{
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(GError) error = NULL;
  guint16 port = g_socket_listener_add_any_inet_port (listener, NULL, &error);

  g_assert_no_error (error);
  /* Closing the listener frees the port. */
  g_socket_listener_close (listener);
  return port;
}

char *
ag_test_dead_url (void)
{
  return g_strdup_printf ("http://127.0.0.1:%u", ag_test_free_port ());
}

GSocketConnection *
ag_test_connect (guint port, guint timeout_s)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GError) error = NULL;
  GSocketConnection *connection;

  g_socket_client_set_timeout (client, timeout_s);
  connection = g_socket_client_connect_to_host (client, "127.0.0.1", (guint16) port, NULL, &error);
  g_assert_no_error (error);
  return connection;
}

void
ag_test_write (GSocketConnection *connection, const char *bytes, gssize length)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (connection)), bytes,
                                            length < 0 ? strlen (bytes) : (gsize) length, NULL, NULL, &error));
  g_assert_no_error (error);
}

char *
ag_test_read_all (GSocketConnection *connection, gsize max, gsize *length, GError **error)
{
  char *buffer = g_malloc0 (max + 1);
  gsize got = 0;

  g_input_stream_read_all (g_io_stream_get_input_stream (G_IO_STREAM (connection)), buffer, max, &got, NULL, error);
  buffer[got] = '\0';
  if (length != NULL)
    *length = got;
  return buffer;
}

char *
ag_test_raw_exchange (guint port, const char *request)
{
  g_autoptr(GSocketConnection) connection = ag_test_connect (port, 10);

  ag_test_write (connection, request, -1);
  return ag_test_read_all (connection, 4095, NULL, NULL);
}

static void
stub_handler (SoupServer *server, SoupServerMessage *message, const char *path, GHashTable *query,
              gpointer user_data)
{
  AgTestStub *stub = user_data;

  stub->hits++;
  g_free (stub->last_path);
  stub->last_path = g_strdup (path);
  soup_server_message_set_status (message, stub->status, NULL);
  soup_server_message_set_response (message, "application/json", SOUP_MEMORY_COPY, stub->body, strlen (stub->body));
}

AgTestStub *
ag_test_stub_new (guint status, const char *body)
{
  AgTestStub *stub = g_new0 (AgTestStub, 1);
  g_autoptr(GError) error = NULL;
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
ag_test_stub_free (AgTestStub *stub)
{
  soup_server_disconnect (stub->server);
  g_object_unref (stub->server);
  g_free (stub->base_url);
  g_free (stub->body);
  g_free (stub->last_path);
  g_free (stub);
}
