/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-peer-user.h — which local user opened a loopback TCP connection to ag-cl. Loopback is not a boundary between
 * the users of one machine; the kernel's socket tables (/proc/net/tcp and tcp6) are: the client's own socket is the
 * row whose local end is the client's address and port and whose remote end is ag-cl's, and that row names its
 * owner. Linux only; elsewhere the lookup fails and the guard asks for the API key. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Finds, in the text of one socket table (the format of /proc/net/tcp or /proc/net/tcp6), the owner of the socket
 * whose local end is @client and remote end is @server. IPv4-mapped IPv6 addresses match their IPv4 form, so a
 * dual-stack listener finds IPv4 clients. */
gboolean ag_peer_user_find_in_table (const char         *table,
                                     GInetSocketAddress *client,
                                     GInetSocketAddress *server,
                                     guint32            *uid);

/* Whether @address is on loopback, an IPv4-mapped IPv6 one (a dual-stack listener's IPv4 client) included. */
gboolean ag_peer_user_is_loopback (GSocketAddress *address);

/* The owner of the client's socket, asked of the running kernel: one exact lookup through socket diagnostics
 * (netlink), or where that is missing its tables in procfs (memory the kernel formats on demand, no disk). FALSE
 * with @error when the connection is not found or the kernel cannot be asked. */
gboolean ag_peer_user_lookup (GSocketAddress *client,
                              GSocketAddress *server,
                              guint32        *uid,
                              GError        **error);

G_END_DECLS
