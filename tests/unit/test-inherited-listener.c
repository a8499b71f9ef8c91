/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The listening socket handed across exec (ag-inherited-listener): the next listener on the same address gets the
 * very socket (connections queued meanwhile included), any other address gets none, and the environment forgets it
 * either way. */
#include "config.h"

#include <fcntl.h>
#include "ag-inherited-listener.h"
#include "ag-test.h"

static GSocket *
listen_on_loopback (GSocketAddress **bound)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any_port = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GError) error = NULL;
  GSocket *socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);

  g_assert_no_error (error);
  g_assert_true (g_socket_bind (socket, any_port, TRUE, &error));
  g_assert_true (g_socket_listen (socket, &error));
  *bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  return socket;
}

static void
test_same_address_takes_it (void)
{
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GSocket) listener = listen_on_loopback (&bound);
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) queued = NULL;
  g_autoptr(GSocket) taken = NULL;
  g_autoptr(GSocket) accepted = NULL;
  g_autoptr(GError) error = NULL;
  int fd;

  g_assert_true (ag_inherited_listener_export (listener, &error));
  fd = atoi (g_getenv ("AGCL_LISTEN_FD"));
  g_assert_cmpint (fd, !=, g_socket_get_fd (listener));
  g_assert_cmpint (fcntl (fd, F_GETFD) & FD_CLOEXEC, ==, 0);
  /* The old server goes; a client connecting now waits in the backlog. */
  g_socket_close (listener, NULL);
  queued = g_socket_client_connect (client, G_SOCKET_CONNECTABLE (bound), NULL, &error);
  g_assert_no_error (error);

  taken = ag_inherited_listener_take (bound);
  g_assert_nonnull (taken);
  g_assert_null (g_getenv ("AGCL_LISTEN_FD"));
  g_assert_cmpint (g_socket_get_fd (taken), ==, fd);
  g_assert_cmpint (fcntl (fd, F_GETFD) & FD_CLOEXEC, ==, FD_CLOEXEC);
  accepted = g_socket_accept (taken, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (accepted);
}

static void
test_other_address_gets_none (void)
{
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GSocket) listener = listen_on_loopback (&bound);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  guint port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_autoptr(GSocketAddress) other = g_inet_socket_address_new (loopback, port == 65535 ? port - 1 : port + 1);
  g_autoptr(GError) error = NULL;
  int fd;

  g_assert_true (ag_inherited_listener_export (listener, &error));
  fd = atoi (g_getenv ("AGCL_LISTEN_FD"));
  g_assert_null (ag_inherited_listener_take (other));
  g_assert_null (g_getenv ("AGCL_LISTEN_FD"));
  /* Closed: the copy does not linger. */
  g_assert_cmpint (fcntl (fd, F_GETFD), ==, -1);
  /* Nothing to take any more. */
  g_assert_null (ag_inherited_listener_take (bound));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/inherited-listener/same-address", test_same_address_takes_it);
  g_test_add_func ("/inherited-listener/other-address", test_other_address_gets_none);
  return g_test_run ();
}
