/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "ag-inherited-listener.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#define FD_VARIABLE "AGCL_LISTEN_FD"

gboolean
ag_inherited_listener_export (GSocket *socket, GError **error)
{
  /* dup() clears close-on-exec on the copy; the original closes with the server as usual. */
  int fd = dup (g_socket_get_fd (socket));
  g_autofree char *value = NULL;

  if (fd < 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "cannot keep the listener: %s",
                   g_strerror (saved));
      return FALSE;
    }
  value = g_strdup_printf ("%d", fd);
  g_setenv (FD_VARIABLE, value, TRUE);
  return TRUE;
}

static gboolean
same_address (GSocketAddress *a, GSocketAddress *b)
{
  if (!G_IS_INET_SOCKET_ADDRESS (a) || !G_IS_INET_SOCKET_ADDRESS (b))
    return FALSE;
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (a)) ==
           g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (b)) &&
         g_inet_address_equal (g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (a)),
                               g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (b)));
}

GSocket *
ag_inherited_listener_take (GSocketAddress *address)
{
  const char *value = g_getenv (FD_VARIABLE);
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GSocketAddress) bound = NULL;
  gint64 fd;

  if (value == NULL)
    return NULL;
  g_unsetenv (FD_VARIABLE);
  if (!g_ascii_string_to_signed (value, 10, 3, G_MAXINT, &fd, NULL))
    return NULL;
  /* Not for the processes this one starts (the browser, the IDE). */
  fcntl ((int) fd, F_SETFD, FD_CLOEXEC);
  socket = g_socket_new_from_fd ((int) fd, NULL);
  if (socket == NULL)
    {
      close ((int) fd);
      return NULL;
    }
  bound = g_socket_get_local_address (socket, NULL);
  if (bound == NULL || !same_address (bound, address))
    {
      g_debug ("the inherited listener does not fit %s", value);
      g_socket_close (socket, NULL);
      return NULL;
    }
  g_message ("listening on the socket of the ag-cl this one replaced");
  return g_steal_pointer (&socket);
}
