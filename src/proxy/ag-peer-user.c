/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-peer-user.c — the owner of a loopback connection's client socket; see the header. */
#include "ag-peer-user.h"

#include <stdlib.h>
#include <string.h>

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

gboolean
ag_peer_user_lookup (GSocketAddress *client, GSocketAddress *server, guint32 *uid, GError **error)
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
