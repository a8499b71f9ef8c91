/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "ag-test-relay.h"

#include <string.h>

#define MAX_HEAD 16384

struct _AgTestRelay {
  GSocketService *service;
  GSocketClient  *client;      /* connects from the source address */
  guint           port;
  guint           connections;
};

typedef struct {
  AgTestRelay       *relay;
  GSocketConnection *downstream;
  GString           *head;      /* what the client sent before the relay knew where to */
  char               buffer[4096];
  gboolean           tunnel;    /* CONNECT: answer 200 and relay; else pass the request on as it is */
} Relayed;

static void
relayed_free (Relayed *relayed)
{
  g_clear_object (&relayed->downstream);
  g_string_free (relayed->head, TRUE);
  g_free (relayed);
}

static void
spliced (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_io_stream_splice_finish (result, NULL);
}

static void
relay_streams (GSocketConnection *downstream, GSocketConnection *upstream)
{
  g_io_stream_splice_async (G_IO_STREAM (downstream), G_IO_STREAM (upstream),
                            G_IO_STREAM_SPLICE_CLOSE_STREAM1 | G_IO_STREAM_SPLICE_CLOSE_STREAM2, G_PRIORITY_DEFAULT,
                            NULL, spliced, NULL);
}

static void
upstream_connected (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Relayed *relayed = user_data;
  g_autoptr(GSocketConnection) upstream = g_socket_client_connect_to_host_finish (G_SOCKET_CLIENT (source), result,
                                                                                 NULL);
  GOutputStream *out;

  if (upstream == NULL)
    {
      static const char refusal[] = "HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";

      g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (relayed->downstream)), refusal,
                                 sizeof refusal - 1, NULL, NULL, NULL);
      relayed_free (relayed);
      return;
    }
  if (relayed->tunnel)
    {
      static const char established[] = "HTTP/1.1 200 Connection established\r\n\r\n";

      out = g_io_stream_get_output_stream (G_IO_STREAM (relayed->downstream));
      g_output_stream_write_all (out, established, sizeof established - 1, NULL, NULL, NULL);
    }
  else
    {
      out = g_io_stream_get_output_stream (G_IO_STREAM (upstream));
      g_output_stream_write_all (out, relayed->head->str, relayed->head->len, NULL, NULL, NULL);
    }
  relay_streams (relayed->downstream, upstream);
  relayed_free (relayed);
}

/* "CONNECT host:port HTTP/1.1" or "METHOD http://host:port/… HTTP/1.1": the target, or NULL. */
static char *
target_of (Relayed *relayed)
{
  g_auto(GStrv) words = NULL;
  const char *end = strstr (relayed->head->str, "\r\n");
  g_autofree char *line = g_strndup (relayed->head->str, end - relayed->head->str);
  g_autoptr(GUri) uri = NULL;

  words = g_strsplit (line, " ", 3);
  if (g_strv_length (words) != 3)
    return NULL;
  relayed->tunnel = g_str_equal (words[0], "CONNECT");
  if (relayed->tunnel)
    return g_strdup (words[1]);
  uri = g_uri_parse (words[1], G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL)
    return NULL;
  return g_strdup_printf ("%s:%d", g_uri_get_host (uri), g_uri_get_port (uri) > 0 ? g_uri_get_port (uri) : 80);
}

static void read_head (Relayed *relayed);

static void
head_read (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Relayed *relayed = user_data;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, NULL);
  g_autofree char *target = NULL;
  gsize head_length;

  if (n <= 0)
    {
      relayed_free (relayed);
      return;
    }
  g_string_append_len (relayed->head, relayed->buffer, n);
  if (strstr (relayed->head->str, "\r\n\r\n") == NULL)
    {
      if (relayed->head->len > MAX_HEAD)
        relayed_free (relayed);
      else
        read_head (relayed);
      return;
    }
  if ((target = target_of (relayed)) == NULL)
    {
      relayed_free (relayed);
      return;
    }
  relayed->relay->connections++;
  if (relayed->tunnel)
    {
      /* Whatever followed the CONNECT head is already the tunnel's. */
      head_length = strstr (relayed->head->str, "\r\n\r\n") + 4 - relayed->head->str;
      g_string_erase (relayed->head, 0, head_length);
    }
  g_socket_client_connect_to_host_async (relayed->relay->client, target, 80, NULL, upstream_connected, relayed);
}

static void
read_head (Relayed *relayed)
{
  g_input_stream_read_async (g_io_stream_get_input_stream (G_IO_STREAM (relayed->downstream)), relayed->buffer,
                             sizeof relayed->buffer, G_PRIORITY_DEFAULT, NULL, head_read, relayed);
}

static gboolean
on_incoming (GSocketService *service, GSocketConnection *connection, GObject *source, gpointer user_data)
{
  Relayed *relayed = g_new0 (Relayed, 1);

  relayed->relay = user_data;
  relayed->downstream = g_object_ref (connection);
  relayed->head = g_string_new (NULL);
  read_head (relayed);
  return TRUE;
}

AgTestRelay *
ag_test_relay_new (const char *source_address)
{
  AgTestRelay *self = g_new0 (AgTestRelay, 1);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) listen_address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GInetAddress) source = g_inet_address_new_from_string (source_address);
  g_autoptr(GSocketAddress) local = g_inet_socket_address_new (source, 0);
  g_autoptr(GError) error = NULL;

  self->service = g_socket_service_new ();
  g_assert_true (g_socket_listener_add_address (G_SOCKET_LISTENER (self->service), listen_address,
                                                G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL, &bound, &error));
  g_assert_no_error (error);
  self->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  self->client = g_socket_client_new ();
  g_socket_client_set_local_address (self->client, local);
  /* The relay itself never goes through a proxy. */
  g_socket_client_set_enable_proxy (self->client, FALSE);
  g_signal_connect (self->service, "incoming", G_CALLBACK (on_incoming), self);
  g_socket_service_start (self->service);
  return self;
}

void
ag_test_relay_free (AgTestRelay *self)
{
  if (self == NULL)
    return;
  g_socket_service_stop (self->service);
  g_socket_listener_close (G_SOCKET_LISTENER (self->service));
  g_clear_object (&self->service);
  g_clear_object (&self->client);
  g_free (self);
}

char *
ag_test_relay_get_uri (AgTestRelay *self)
{
  return g_strdup_printf ("http://127.0.0.1:%u", self->port);
}

guint
ag_test_relay_get_connections (AgTestRelay *self)
{
  return self->connections;
}
