/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "ag-test-relay.h"

#include <string.h>

#define MAX_HEAD 16384

struct _AgTestRelay {
  GSocketService *service;
  GSocketClient  *client;      /* connects from the source address */
  guint           port;
  guint           connections;
  gboolean        socks5;
  char           *username;    /* the one user accepted (SOCKS5, or HTTP Basic), or NULL for no authentication */
  char           *password;
  GPtrArray      *carried;
  guint           refusals;
  guint           tunnels;
  GCancellable   *cancellable;  /* ends the relayed connections with the relay */
};

/* Where a SOCKS5 client is in RFC 1928's exchange. */
typedef enum {
  SOCKS_GREETING,
  SOCKS_AUTH,
  SOCKS_REQUEST,
} SocksStage;

typedef struct {
  AgTestRelay       *relay;
  GSocketConnection *downstream;
  GString           *head;      /* what the client sent before the relay knew where to */
  char               buffer[4096];
  gboolean           tunnel;    /* CONNECT: answer 200 and relay; else pass the request on as it is */
  SocksStage         stage;
  char              *user;      /* who signed in to the SOCKS5 relay */
} Relayed;

static void
relayed_free (Relayed *relayed)
{
  g_clear_object (&relayed->downstream);
  g_string_free (relayed->head, TRUE);
  g_free (relayed->user);
  g_free (relayed);
}

static void
reply (Relayed *relayed, const void *data, gsize length)
{
  g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (relayed->downstream)), data, length, NULL,
                             NULL, NULL);
}

static void
spliced (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_io_stream_splice_finish (result, NULL);
}

static void
relay_streams (AgTestRelay *relay, GSocketConnection *downstream, GSocketConnection *upstream)
{
  g_io_stream_splice_async (G_IO_STREAM (downstream), G_IO_STREAM (upstream),
                            G_IO_STREAM_SPLICE_CLOSE_STREAM1 | G_IO_STREAM_SPLICE_CLOSE_STREAM2, G_PRIORITY_DEFAULT,
                            relay->cancellable, spliced, NULL);
}

static void
upstream_connected (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Relayed *relayed = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketConnection) upstream = g_socket_client_connect_to_host_finish (G_SOCKET_CLIENT (source), result,
                                                                                 &error);
  GOutputStream *out;

  /* The relay is gone: nothing of it may be touched. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      relayed_free (relayed);
      return;
    }

  if (upstream == NULL)
    {
      static const char refusal[] = "HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
      /* Host unreachable, no bound address. */
      static const guint8 socks_refusal[] = { 5, 4, 0, 1, 0, 0, 0, 0, 0, 0 };

      if (relayed->relay->socks5)
        reply (relayed, socks_refusal, sizeof socks_refusal);
      else
        reply (relayed, refusal, sizeof refusal - 1);
      relayed_free (relayed);
      return;
    }
  if (relayed->relay->socks5)
    {
      /* Succeeded; the bound address is of no use to the client. */
      static const guint8 succeeded[] = { 5, 0, 0, 1, 0, 0, 0, 0, 0, 0 };

      reply (relayed, succeeded, sizeof succeeded);
    }
  else if (relayed->tunnel)
    {
      static const char established[] = "HTTP/1.1 200 Connection established\r\n\r\n";

      reply (relayed, established, sizeof established - 1);
    }
  /* What the client sent after the request line or head goes first: the request itself when not tunnelled. */
  if (relayed->head->len > 0)
    {
      out = g_io_stream_get_output_stream (G_IO_STREAM (upstream));
      g_output_stream_write_all (out, relayed->head->str, relayed->head->len, NULL, NULL, NULL);
    }
  relay_streams (relayed->relay, relayed->downstream, upstream);
  relayed_free (relayed);
}

/* What a client's bytes so far let the relay do. */
typedef enum {
  STEP_MORE,     /* read on */
  STEP_CLOSE,    /* refused or not understood: hang up */
  STEP_CONNECT,  /* the target is known; what is left of the head goes to it */
} Step;

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

/* The user of a "Proxy-Authorization: Basic …" line in the head that carries the relay's own credentials; NULL
 * when there is none. */
static char *
proxy_user (Relayed *relayed, const char *head_end)
{
  AgTestRelay *relay = relayed->relay;
  g_autofree char *head = g_strndup (relayed->head->str, head_end - relayed->head->str);
  g_auto(GStrv) lines = g_strsplit (head, "\r\n", -1);

  for (guint i = 1; lines[i] != NULL; i++)
    {
      static const char name[] = "proxy-authorization:";
      g_autofree guchar *decoded = NULL;
      g_autofree char *expected = NULL;
      g_autofree char *credentials = NULL;
      const char *value;
      gsize length = 0;

      if (g_ascii_strncasecmp (lines[i], name, strlen (name)) != 0)
        continue;
      value = lines[i] + strlen (name);
      while (*value == ' ')
        value++;
      if (g_ascii_strncasecmp (value, "Basic ", 6) != 0)
        return NULL;
      decoded = g_base64_decode (value + 6, &length);
      credentials = g_strndup ((const char *) decoded, length);
      expected = g_strconcat (relay->username, ":", relay->password, NULL);
      return g_str_equal (credentials, expected) ? g_strdup (relay->username) : NULL;
    }
  return NULL;
}

/* RFC 9110 §11.7.1: the relay's credentials are missing or wrong. A tunnel's client may answer on the same
 * connection; any other request is ended, its body unread. */
static Step
http_challenge (Relayed *relayed, const char *head_end)
{
  static const char challenge[] = "HTTP/1.1 407 Proxy Authentication Required\r\n"
                                  "Proxy-Authenticate: Basic realm=\"ag-cl test relay\"\r\n"
                                  "Content-Length: 0\r\n\r\n";

  relayed->relay->refusals++;
  reply (relayed, challenge, sizeof challenge - 1);
  if (!relayed->tunnel)
    return STEP_CLOSE;
  g_string_erase (relayed->head, 0, head_end + 4 - relayed->head->str);
  return STEP_MORE;
}

static Step
http_step (Relayed *relayed, char **target)
{
  const char *end = strstr (relayed->head->str, "\r\n\r\n");

  if (end == NULL)
    return relayed->head->len > MAX_HEAD ? STEP_CLOSE : STEP_MORE;
  if ((*target = target_of (relayed)) == NULL)
    return STEP_CLOSE;
  if (relayed->relay->username != NULL)
    {
      g_free (relayed->user);
      relayed->user = proxy_user (relayed, end);
      if (relayed->user == NULL)
        {
          g_clear_pointer (target, g_free);
          return http_challenge (relayed, end);
        }
    }
  /* Whatever followed the CONNECT head is already the tunnel's; any other request goes on whole. */
  if (relayed->tunnel)
    g_string_erase (relayed->head, 0, end + 4 - relayed->head->str);
  return STEP_CONNECT;
}

/* RFC 1929: VER 1, ULEN, UNAME, PLEN, PASSWD. @data holds at least 2 bytes. */
static Step
socks_auth (Relayed *relayed, const guint8 *data, gsize length, gsize *used)
{
  AgTestRelay *relay = relayed->relay;
  gsize user_length = data[1], password_length;
  gboolean accepted;
  guint8 status[2] = { 1, 0 };

  if (length < 3 + user_length || length < 3 + user_length + data[2 + user_length])
    return STEP_MORE;
  password_length = data[2 + user_length];
  *used = 3 + user_length + password_length;
  relayed->user = g_strndup ((const char *) data + 2, user_length);
  accepted = data[0] == 1 && g_str_equal (relayed->user, relay->username) &&
             password_length == strlen (relay->password) &&
             memcmp (data + 3 + user_length, relay->password, password_length) == 0;
  status[1] = accepted ? 0 : 1;
  reply (relayed, status, sizeof status);
  if (!accepted)
    {
      relay->refusals++;
      return STEP_CLOSE;
    }
  relayed->stage = SOCKS_REQUEST;
  return STEP_MORE;
}

/* RFC 1928 request: VER 5, CMD, RSV, ATYP, DST.ADDR, DST.PORT. Only CONNECT is served. */
static Step
socks_request (Relayed *relayed, const guint8 *data, gsize length, gsize *used, char **target)
{
  gsize address_length;
  g_autofree char *host = NULL;
  guint port;

  if (length < 5)
    return STEP_MORE;
  switch (data[3])
    {
    case 1: address_length = 4; break;
    case 3: address_length = 1 + data[4]; break;
    case 4: address_length = 16; break;
    default:
      {
        static const guint8 unsupported[] = { 5, 8, 0, 1, 0, 0, 0, 0, 0, 0 };

        reply (relayed, unsupported, sizeof unsupported);
        return STEP_CLOSE;
      }
    }
  if (length < 4 + address_length + 2)
    return STEP_MORE;
  *used = 4 + address_length + 2;
  if (data[0] != 5 || data[1] != 1)
    {
      static const guint8 unsupported[] = { 5, 7, 0, 1, 0, 0, 0, 0, 0, 0 };

      reply (relayed, unsupported, sizeof unsupported);
      return STEP_CLOSE;
    }
  if (data[3] == 3)
    host = g_strndup ((const char *) data + 5, data[4]);
  else
    {
      g_autoptr(GInetAddress) address = g_inet_address_new_from_bytes (data + 4, data[3] == 1 ? G_SOCKET_FAMILY_IPV4
                                                                                               : G_SOCKET_FAMILY_IPV6);
      host = g_inet_address_to_string (address);
    }
  port = (guint) data[4 + address_length] << 8 | data[4 + address_length + 1];
  *target = data[3] == 4 ? g_strdup_printf ("[%s]:%u", host, port) : g_strdup_printf ("%s:%u", host, port);
  return STEP_CONNECT;
}

/* One step of RFC 1928 (and 1929) for what has arrived; each consumes its message from the head. */
static Step
socks_step (Relayed *relayed, char **target)
{
  AgTestRelay *relay = relayed->relay;
  Step step;

  do
    {
      const guint8 *data = (const guint8 *) relayed->head->str;
      gsize length = relayed->head->len, used = 0;

      if (length < 2)
        return STEP_MORE;
      if (relayed->stage == SOCKS_GREETING)
        {
          /* VER 5, NMETHODS, METHODS: no authentication (0) when the relay has no user, else username/password
           * (2) only; 0xFF says none is acceptable. */
          guint8 method = relay->username != NULL ? 2 : 0;
          guint8 choice[2] = { 5, 0xFF };

          if (data[0] != 5)
            return STEP_CLOSE;
          if (length < 2u + data[1])
            return STEP_MORE;
          used = 2 + data[1];
          if (memchr (data + 2, method, data[1]) != NULL)
            choice[1] = method;
          reply (relayed, choice, sizeof choice);
          if (choice[1] == 0xFF)
            {
              relay->refusals++;
              return STEP_CLOSE;
            }
          relayed->stage = method == 2 ? SOCKS_AUTH : SOCKS_REQUEST;
          step = STEP_MORE;
        }
      else if (relayed->stage == SOCKS_AUTH)
        step = socks_auth (relayed, data, length, &used);
      else
        step = socks_request (relayed, data, length, &used, target);
      g_string_erase (relayed->head, 0, used);
    }
  while (step == STEP_MORE && relayed->head->len > 0);
  return step;
}

static void read_head (Relayed *relayed);

static void
head_read (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Relayed *relayed = user_data;
  AgTestRelay *relay = relayed->relay;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, NULL);
  g_autofree char *target = NULL;
  Step step;

  if (n <= 0)
    {
      relayed_free (relayed);
      return;
    }
  g_string_append_len (relayed->head, relayed->buffer, n);
  step = relay->socks5 ? socks_step (relayed, &target) : http_step (relayed, &target);
  if (step == STEP_MORE)
    {
      read_head (relayed);
      return;
    }
  if (step == STEP_CLOSE)
    {
      relayed_free (relayed);
      return;
    }
  relay->connections++;
  relay->tunnels += relayed->tunnel;
  g_ptr_array_add (relay->carried, relayed->user != NULL ? g_strdup_printf ("%s@%s", relayed->user, target)
                                                          : g_strdup (target));
  g_socket_client_connect_to_host_async (relay->client, target, 80, relay->cancellable, upstream_connected, relayed);
}

static void
read_head (Relayed *relayed)
{
  g_input_stream_read_async (g_io_stream_get_input_stream (G_IO_STREAM (relayed->downstream)), relayed->buffer,
                             sizeof relayed->buffer, G_PRIORITY_DEFAULT, relayed->relay->cancellable, head_read,
                             relayed);
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
  self->carried = g_ptr_array_new_with_free_func (g_free);
  self->cancellable = g_cancellable_new ();
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
  /* The connections it relays end too, as when a proxy goes down: a client's kept-alive tunnel does not outlive it. */
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->service);
  g_clear_object (&self->client);
  g_ptr_array_unref (self->carried);
  g_free (self->username);
  g_free (self->password);
  g_free (self);
}

AgTestRelay *
ag_test_relay_new_http (const char *source_address, const char *username, const char *password)
{
  AgTestRelay *self = ag_test_relay_new (source_address);

  g_assert_true ((username == NULL) == (password == NULL));
  self->username = g_strdup (username);
  self->password = g_strdup (password);
  return self;
}

AgTestRelay *
ag_test_relay_new_socks5 (const char *source_address, const char *username, const char *password)
{
  AgTestRelay *self = ag_test_relay_new (source_address);

  g_assert_true ((username == NULL) == (password == NULL));
  self->socks5 = TRUE;
  self->username = g_strdup (username);
  self->password = g_strdup (password);
  return self;
}

char *
ag_test_relay_get_uri (AgTestRelay *self)
{
  return g_strdup_printf ("%s://127.0.0.1:%u", self->socks5 ? "socks5" : "http", self->port);
}

GPtrArray *
ag_test_relay_get_carried (AgTestRelay *self)
{
  return self->carried;
}

guint
ag_test_relay_get_refusals (AgTestRelay *self)
{
  return self->refusals;
}

guint
ag_test_relay_get_connections (AgTestRelay *self)
{
  return self->connections;
}

guint
ag_test_relay_get_tunnels (AgTestRelay *self)
{
  return self->tunnels;
}
