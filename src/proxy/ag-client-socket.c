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
