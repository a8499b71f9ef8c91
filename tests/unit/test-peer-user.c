/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Who opened a loopback connection: rows of the kernel's socket tables as Linux prints them (IPv4, IPv6,
 * IPv4-mapped), and a real connection made here, looked up in the running kernel's tables. */
#include "ag-test.h"
#include "ag-peer-user-private.h"

#include <unistd.h>

/* /proc/net/tcp: 127.0.0.1:8045 listening (uid 1000), a client 127.0.0.1:40000 → :8045 of uid 1001 and the
 * server's side of it (uid 1000), and a row with the ends the other way round. */
static const char tcp_table[] =
  "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
  "   0: 0100007F:1F6D 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 1 1 0 100 0 0 10 0\n"
  "   1: 0100007F:9C40 0100007F:1F6D 01 00000000:00000000 00:00000000 00000000  1001        0 2 1 0 20 4 30 10 -1\n"
  "   2: 0100007F:1F6D 0100007F:9C40 01 00000000:00000000 00:00000000 00000000  1000        0 3 1 0 20 4 30 10 -1\n";

/* /proc/net/tcp6: [::1]:50000 → [::1]:8045 of uid 1002, and an IPv4 client seen by a dual-stack listener. */
static const char tcp6_table[] =
  "  sl  local_address                         remote_address                        st tx_queue rx_queue tr "
  "tm->when retrnsmt   uid  timeout inode\n"
  "   0: 00000000000000000000000001000000:C350 00000000000000000000000001000000:1F6D 01 00000000:00000000 "
  "00:00000000 00000000  1002        0 4 1 0 20 4 30 10 -1\n"
  "   1: 0000000000000000FFFF00000100007F:A028 0000000000000000FFFF00000100007F:1F6D 01 00000000:00000000 "
  "00:00000000 00000000  1003        0 5 1 0 20 4 30 10 -1\n";

static GInetSocketAddress *
endpoint (const char *address, guint16 port)
{
  return G_INET_SOCKET_ADDRESS (g_inet_socket_address_new_from_string (address, port));
}

static void
test_tables (void)
{
  const struct {
    const char *table;
    const char *client;
    guint16     client_port;
    const char *server;
    guint16     server_port;
    gboolean    found;
    guint32     uid;
  } cases[] = {
    { tcp_table, "127.0.0.1", 40000, "127.0.0.1", 8045, TRUE, 1001 },
    /* The server's own side of the connection is not the client's. */
    { tcp_table, "127.0.0.1", 8045, "127.0.0.1", 40000, TRUE, 1000 },
    { tcp_table, "127.0.0.1", 40001, "127.0.0.1", 8045, FALSE, 0 },
    { tcp_table, "127.0.0.2", 40000, "127.0.0.1", 8045, FALSE, 0 },
    { tcp6_table, "::1", 50000, "::1", 8045, TRUE, 1002 },
    { tcp6_table, "::1", 50000, "::1", 8046, FALSE, 0 },
    /* An IPv4 client as a dual-stack listener reports it, found in either form. */
    { tcp6_table, "::ffff:127.0.0.1", 41000, "::ffff:127.0.0.1", 8045, TRUE, 1003 },
    { tcp6_table, "127.0.0.1", 41000, "127.0.0.1", 8045, TRUE, 1003 },
    { tcp_table, "::ffff:127.0.0.1", 40000, "::ffff:127.0.0.1", 8045, TRUE, 1001 },
    { "", "127.0.0.1", 40000, "127.0.0.1", 8045, FALSE, 0 },
    { "garbage\n0: zz:zz yy:yy\n   1: 0100007F:9C40\n", "127.0.0.1", 40000, "127.0.0.1", 8045, FALSE, 0 },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GInetSocketAddress) client = endpoint (cases[i].client, cases[i].client_port);
      g_autoptr(GInetSocketAddress) server = endpoint (cases[i].server, cases[i].server_port);
      guint32 uid = 0;
      gboolean found = ag_peer_user_find_in_table (cases[i].table, client, server, &uid);

      if (found != cases[i].found || (found && uid != cases[i].uid))
        g_error ("case %" G_GSIZE_FORMAT ": expected %s uid %u, got %s uid %u", i,
                 cases[i].found ? "found" : "not found", cases[i].uid, found ? "found" : "not found", uid);
    }
}

typedef gboolean (*Lookup) (GSocketAddress *, GSocketAddress *, guint32 *, GError **);

typedef struct {
  const char    *name;
  GSocketFamily  listen_family;   /* a wildcard IPv6 listener is dual-stack: its IPv4 clients look IPv4-mapped */
  gboolean       listen_any;
  GSocketFamily  client_family;
  Lookup         lookup;
} RealCase;

/* A real loopback connection made by this process: the kernel says it is ours, through either way of asking. */
static void
test_real_connection (gconstpointer data)
{
  const RealCase *c = data;
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(GSocketClient) connector = g_socket_client_new ();
  g_autoptr(GSocketConnection) client = NULL;
  g_autoptr(GSocketConnection) accepted = NULL;
  g_autoptr(GSocketAddress) remote = NULL;
  g_autoptr(GSocketAddress) local = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetAddress) listen_on = c->listen_any ? g_inet_address_new_any (c->listen_family)
                                                    : g_inet_address_new_loopback (c->listen_family);
  g_autoptr(GSocketAddress) any_port = g_inet_socket_address_new (listen_on, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (c->client_family);
  g_autoptr(GSocketAddress) target = NULL;
  guint32 uid = G_MAXUINT32;

  if (!g_socket_listener_add_address (listener, any_port, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                                      NULL, &bound, &error))
    {
      g_test_skip_printf ("cannot listen (%s)", error->message);
      return;
    }
  target = g_inet_socket_address_new (loopback, g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  client = g_socket_client_connect (connector, G_SOCKET_CONNECTABLE (target), NULL, &error);
  g_assert_no_error (error);
  accepted = g_socket_listener_accept (listener, NULL, NULL, &error);
  g_assert_no_error (error);
  /* As the server sees it: the client's end is the remote one. */
  remote = g_socket_connection_get_remote_address (accepted, &error);
  local = g_socket_connection_get_local_address (accepted, &error);
  g_assert_no_error (error);
  g_assert_true (c->lookup (remote, local, &uid, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (uid, ==, getuid ());

  /* A pair of ends no connection has. */
  g_assert_false (c->lookup (remote, remote, &uid, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
}

static const RealCase real_cases[] = {
  { "ipv4/diag", G_SOCKET_FAMILY_IPV4, FALSE, G_SOCKET_FAMILY_IPV4, ag_peer_user_lookup_by_diag },
  { "ipv4/tables", G_SOCKET_FAMILY_IPV4, FALSE, G_SOCKET_FAMILY_IPV4, ag_peer_user_lookup_in_tables },
  { "ipv4/either", G_SOCKET_FAMILY_IPV4, FALSE, G_SOCKET_FAMILY_IPV4, ag_peer_user_lookup },
  { "ipv6/diag", G_SOCKET_FAMILY_IPV6, FALSE, G_SOCKET_FAMILY_IPV6, ag_peer_user_lookup_by_diag },
  { "ipv6/tables", G_SOCKET_FAMILY_IPV6, FALSE, G_SOCKET_FAMILY_IPV6, ag_peer_user_lookup_in_tables },
  { "dual-stack/diag", G_SOCKET_FAMILY_IPV6, TRUE, G_SOCKET_FAMILY_IPV4, ag_peer_user_lookup_by_diag },
  { "dual-stack/tables", G_SOCKET_FAMILY_IPV6, TRUE, G_SOCKET_FAMILY_IPV4, ag_peer_user_lookup_in_tables },
};

/* Loopback, whichever family a listener sees it in. */
static void
test_loopback (void)
{
  const struct { const char *address; gboolean loopback; } cases[] = {
    { "127.0.0.1", TRUE }, { "127.45.6.7", TRUE }, { "::1", TRUE }, { "::ffff:127.0.0.1", TRUE },
    { "192.0.2.2", FALSE }, { "::ffff:192.0.2.2", FALSE }, { "fd00::1", FALSE },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GInetSocketAddress) address = endpoint (cases[i].address, 8045);

      if (ag_peer_user_is_loopback (G_SOCKET_ADDRESS (address)) != cases[i].loopback)
        g_error ("%s: expected %s", cases[i].address, cases[i].loopback ? "loopback" : "not loopback");
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/peer-user/tables", test_tables);
  for (gsize i = 0; i < G_N_ELEMENTS (real_cases); i++)
    {
      g_autofree char *name = g_strdup_printf ("/peer-user/real-connection/%s", real_cases[i].name);

      g_test_add_data_func (name, &real_cases[i], test_real_connection);
    }
  g_test_add_func ("/peer-user/loopback", test_loopback);
  return g_test_run ();
}
