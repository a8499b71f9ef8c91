/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-client-socket.h — whether a client hung up, read off its socket without taking anything from it. libsoup 3.2
 * notices neither a hang-up during a paused message nor one on an idle keep-alive connection. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum {
  AG_CLIENT_SOCKET_WAITING,  /* nothing to read yet: keep watching */
  AG_CLIENT_SOCKET_DATA,     /* the client sent more (its next request): libsoup's to read, stop watching */
  AG_CLIENT_SOCKET_GONE,     /* the client closed the connection or it failed */
} AgClientSocketState;

/* For a source made with g_socket_create_source (socket, G_IO_IN | G_IO_HUP | G_IO_ERR, …): peeks one byte. */
AgClientSocketState ag_client_socket_check (GSocket *socket, GIOCondition condition);

/* After a response: watches the idle keep-alive connection and closes it once the client has hung up (libsoup 3.2
 * would leave it in CLOSE-WAIT for the life of the process, fixed in 3.3); stops at the client's next request. */
void                ag_client_socket_close_when_gone (GSocket *socket);

G_END_DECLS
