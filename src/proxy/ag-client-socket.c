/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "ag-client-socket.h"

#include <errno.h>
#include <sys/socket.h>

AgClientSocketState
ag_client_socket_check (GSocket *socket, GIOCondition condition)
{
  char byte;
  gssize peeked;

  if (g_socket_is_closed (socket))
    return AG_CLIENT_SOCKET_GONE;
  peeked = recv (g_socket_get_fd (socket), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  if (peeked > 0)
    return AG_CLIENT_SOCKET_DATA;
  if (peeked < 0 && (errno == EAGAIN || errno == EINTR) && (condition & (G_IO_HUP | G_IO_ERR)) == 0)
    return AG_CLIENT_SOCKET_WAITING;
  return AG_CLIENT_SOCKET_GONE;
}

/* libsoup 3.2 (Debian 12) never notices that a client closed an idle keep-alive connection: the socket would
 * stay in CLOSE-WAIT for the life of the process, one file descriptor per connection, until none are left (fixed
 * in libsoup 3.3). So after each response the socket is watched, and closed once the client has hung up. */
static gboolean
idle_socket_ready (GSocket *socket, GIOCondition condition, gpointer user_data)
{
  AgClientSocketState state = ag_client_socket_check (socket, condition);

  if (state == AG_CLIENT_SOCKET_WAITING)
    return G_SOURCE_CONTINUE;
  if (state == AG_CLIENT_SOCKET_GONE && !g_socket_is_closed (socket))
    g_socket_close (socket, NULL);
  return G_SOURCE_REMOVE;
}

void
ag_client_socket_close_when_gone (GSocket *socket)
{
  g_autoptr(GSource) watch = NULL;

  if (g_socket_is_closed (socket))
    return;
  watch = g_socket_create_source (socket, G_IO_IN | G_IO_HUP | G_IO_ERR, NULL);
  g_source_set_callback (watch, G_SOURCE_FUNC (idle_socket_ready), NULL, NULL);
  g_source_attach (watch, NULL);
}
