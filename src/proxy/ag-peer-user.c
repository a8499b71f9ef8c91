/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-peer-user.c — the owner of a loopback connection's client socket; see the header. */
#include "ag-peer-user-private.h"

#include <errno.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* An address as the bytes that identify it: 4 for IPv4 (IPv4-mapped IPv6 included), 16 for IPv6. */
typedef struct {
  guint8 bytes[16];
  gsize  length;
  guint  port;
} Endpoint;

static void
endpoint_normalize (Endpoint *endpoint)
{
  static const guint8 mapped_prefix[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

  if (endpoint->length == 16 && memcmp (endpoint->bytes, mapped_prefix, 12) == 0)
    {
      memmove (endpoint->bytes, endpoint->bytes + 12, 4);
      endpoint->length = 4;
    }
}

static gboolean
endpoint_from_socket_address (GInetSocketAddress *address, Endpoint *endpoint)
{
  GInetAddress *inet = g_inet_socket_address_get_address (address);
  gsize length = g_inet_address_get_native_size (inet);

  if (length != 4 && length != 16)
    return FALSE;
  memcpy (endpoint->bytes, g_inet_address_to_bytes (inet), length);
  endpoint->length = length;
  endpoint->port = g_inet_socket_address_get_port (address);
  endpoint_normalize (endpoint);
  return TRUE;
}

/* "0100007F:1F90" (IPv4) or 32 hex digits, a colon and the port (IPv6). The kernel prints each 32-bit word of the
 * address in the machine's own byte order, so the word's bytes in memory are the address's bytes. */
static gboolean
endpoint_parse (const char *text, gsize text_length, Endpoint *endpoint)
{
  const char *colon = memchr (text, ':', text_length);
  gsize hex_length = colon != NULL ? (gsize) (colon - text) : 0;
  char word_text[9] = { 0 };
  char *end = NULL;
  gulong port;

  if (hex_length != 8 && hex_length != 32)
    return FALSE;
  for (gsize word = 0; word < hex_length / 8; word++)
    {
      guint32 value;

      memcpy (word_text, text + word * 8, 8);
      value = (guint32) strtoul (word_text, &end, 16);
      if (end != word_text + 8)
        return FALSE;
      memcpy (endpoint->bytes + word * 4, &value, 4);
    }
  endpoint->length = hex_length / 2;
  port = strtoul (colon + 1, &end, 16);
  if (end == colon + 1 || port > G_MAXUINT16)
    return FALSE;
  endpoint->port = (guint) port;
  endpoint_normalize (endpoint);
  return TRUE;
}

static gboolean
endpoint_equal (const Endpoint *a, const Endpoint *b)
{
  return a->length == b->length && a->port == b->port && memcmp (a->bytes, b->bytes, a->length) == 0;
}

/* The next whitespace-separated field of a row from *cursor (which stays within the row). */
static const char *
next_field (const char **cursor, const char *row_end, gsize *length)
{
  const char *start = *cursor;
  const char *end;

  while (start < row_end && g_ascii_isspace (*start))
    start++;
  end = start;
  while (end < row_end && !g_ascii_isspace (*end))
    end++;
  *cursor = end;
  *length = (gsize) (end - start);
  return *length > 0 ? start : NULL;
}

gboolean
ag_peer_user_find_in_table (const char *table, GInetSocketAddress *client, GInetSocketAddress *server, guint32 *uid)
{
  Endpoint want_local, want_remote;
  const char *row = table;

  if (!endpoint_from_socket_address (client, &want_local) || !endpoint_from_socket_address (server, &want_remote))
    return FALSE;
  /* Rows: "sl local rem st tx:rx tr:when retrnsmt uid timeout inode …"; the first line is the heading. */
  while (row != NULL && *row != '\0')
    {
      const char *row_end = strchr (row, '\n');
      const char *cursor = row;
      const char *field;
      gsize length;
      Endpoint local, remote;

      if (row_end == NULL)
        row_end = row + strlen (row);
      next_field (&cursor, row_end, &length);
      field = next_field (&cursor, row_end, &length);
      if (field != NULL && endpoint_parse (field, length, &local) && endpoint_equal (&local, &want_local))
        {
          field = next_field (&cursor, row_end, &length);
          if (field != NULL && endpoint_parse (field, length, &remote) && endpoint_equal (&remote, &want_remote))
            {
              for (guint skip = 0; skip < 4; skip++)
                next_field (&cursor, row_end, &length);
              field = next_field (&cursor, row_end, &length);
              if (field != NULL && g_ascii_isdigit (field[0]))
                {
                  *uid = (guint32) strtoul (field, NULL, 10);
                  return TRUE;
                }
            }
        }
      row = *row_end != '\0' ? row_end + 1 : NULL;
    }
  return FALSE;
}

gboolean
ag_peer_user_is_loopback (GSocketAddress *address)
{
  Endpoint endpoint;
  g_autoptr(GInetAddress) inet = NULL;

  if (!G_IS_INET_SOCKET_ADDRESS (address) ||
      !endpoint_from_socket_address (G_INET_SOCKET_ADDRESS (address), &endpoint))
    return FALSE;
  inet = g_inet_address_new_from_bytes (endpoint.bytes, endpoint.length == 4 ? G_SOCKET_FAMILY_IPV4
                                                                             : G_SOCKET_FAMILY_IPV6);
  return g_inet_address_get_is_loopback (inet);
}

/* The kernel's socket diagnostics (sock_diag, as `ss` uses): one exact lookup of the client's socket by its two
 * ends, instead of a scan of every socket on the machine. FALSE with G_IO_ERROR_NOT_SUPPORTED where the kernel has
 * no inet_diag, so the caller can read the tables instead. */
gboolean
ag_peer_user_lookup_by_diag (GSocketAddress *client, GSocketAddress *server, guint32 *uid, GError **error)
{
  Endpoint local, remote;
  struct {
    struct nlmsghdr         header;
    struct inet_diag_req_v2 request;
  } message = { 0 };
  union {
    struct nlmsghdr header;
    char            bytes[1024];
  } answer;
  struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
  ssize_t received;
  int fd, saved_errno;

  if (!G_IS_INET_SOCKET_ADDRESS (client) || !G_IS_INET_SOCKET_ADDRESS (server) ||
      !endpoint_from_socket_address (G_INET_SOCKET_ADDRESS (client), &local) ||
      !endpoint_from_socket_address (G_INET_SOCKET_ADDRESS (server), &remote) || local.length != remote.length)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "not a TCP connection");
      return FALSE;
    }
  message.header.nlmsg_len = sizeof message;
  message.header.nlmsg_type = SOCK_DIAG_BY_FAMILY;
  message.header.nlmsg_flags = NLM_F_REQUEST;
  message.request.sdiag_family = local.length == 4 ? AF_INET : AF_INET6;
  message.request.sdiag_protocol = IPPROTO_TCP;
  message.request.idiag_states = ~0U;
  /* The client's own socket: its local end is the client, its remote end is ag-cl. */
  message.request.id.idiag_sport = g_htons ((guint16) local.port);
  message.request.id.idiag_dport = g_htons ((guint16) remote.port);
  memcpy (message.request.id.idiag_src, local.bytes, local.length);
  memcpy (message.request.id.idiag_dst, remote.bytes, remote.length);
  message.request.id.idiag_cookie[0] = INET_DIAG_NOCOOKIE;
  message.request.id.idiag_cookie[1] = INET_DIAG_NOCOOKIE;

  fd = socket (AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
  if (fd < 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "no socket diagnostics: %s", g_strerror (errno));
      return FALSE;
    }
  /* The kernel answers while sendto runs; the receive only collects it. */
  if (sendto (fd, &message, sizeof message, 0, (struct sockaddr *) &kernel, sizeof kernel) < 0)
    received = -1;
  else
    received = recv (fd, &answer, sizeof answer, MSG_DONTWAIT);
  saved_errno = errno;
  close (fd);
  if (received < (ssize_t) sizeof (struct nlmsghdr) || !NLMSG_OK (&answer.header, (size_t) received))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "no answer from socket diagnostics: %s",
                   received < 0 ? g_strerror (saved_errno) : "short message");
      return FALSE;
    }
  if (answer.header.nlmsg_type == NLMSG_ERROR)
    {
      const struct nlmsgerr *failure = NLMSG_DATA (&answer.header);
      int code = answer.header.nlmsg_len >= NLMSG_LENGTH (sizeof *failure) ? -failure->error : EPROTO;

      g_set_error (error, G_IO_ERROR, code == ENOENT ? G_IO_ERROR_NOT_FOUND : G_IO_ERROR_NOT_SUPPORTED,
                   "socket diagnostics: %s", g_strerror (code));
      return FALSE;
    }
  if (answer.header.nlmsg_type != SOCK_DIAG_BY_FAMILY ||
      answer.header.nlmsg_len < NLMSG_LENGTH (sizeof (struct inet_diag_msg)))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "socket diagnostics: unexpected answer");
      return FALSE;
    }
  *uid = ((const struct inet_diag_msg *) NLMSG_DATA (&answer.header))->idiag_uid;
  return TRUE;
}

gboolean
ag_peer_user_lookup_in_tables (GSocketAddress *client, GSocketAddress *server, guint32 *uid, GError **error)
{
  static const char *const tables[] = { "/proc/net/tcp", "/proc/net/tcp6" };
  gboolean any_read = FALSE;

  if (!G_IS_INET_SOCKET_ADDRESS (client) || !G_IS_INET_SOCKET_ADDRESS (server))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "not a TCP connection");
      return FALSE;
    }
  for (gsize i = 0; i < G_N_ELEMENTS (tables); i++)
    {
      g_autofree char *table = NULL;

      /* A kernel without IPv6 has no tcp6 table: not an error while the other one can be read. */
      if (!g_file_get_contents (tables[i], &table, NULL, NULL))
        continue;
      any_read = TRUE;
      if (ag_peer_user_find_in_table (table, G_INET_SOCKET_ADDRESS (client), G_INET_SOCKET_ADDRESS (server), uid))
        return TRUE;
    }
  g_set_error_literal (error, G_IO_ERROR, any_read ? G_IO_ERROR_NOT_FOUND : G_IO_ERROR_NOT_SUPPORTED,
                       any_read ? "the connection is not in the kernel's socket tables"
                                : "the kernel's socket tables (/proc/net/tcp) cannot be read");
  return FALSE;
}

gboolean
ag_peer_user_lookup (GSocketAddress *client, GSocketAddress *server, guint32 *uid, GError **error)
{
  g_autoptr(GError) diag_error = NULL;

  if (ag_peer_user_lookup_by_diag (client, server, uid, &diag_error))
    return TRUE;
  /* Reading the tables walks every socket of the machine (milliseconds on a busy one): only where the kernel cannot
   * be asked for one socket, or did not find it (a client socket of the other family, IPv4 in an IPv6 socket). */
  return ag_peer_user_lookup_in_tables (client, server, uid, error);
}
