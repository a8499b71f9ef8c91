/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-inherited-listener.h — the proxy's listening socket handed from one ag-cl to the one it execs (the desktop
 * app relaunching itself lighter once its window is closed). The socket stays open across exec, so connections
 * that arrive meanwhile wait in its backlog instead of being refused. The handle travels in the environment
 * (AGCL_LISTEN_FD); the next listener on the same address takes it. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Makes a copy of @socket's descriptor that survives exec and names it in the environment. */
gboolean  ag_inherited_listener_export (GSocket *socket, GError **error);
/* The inherited listening socket if it is bound to @address (a new reference), else NULL; either way the
 * environment no longer names it, and a socket that does not fit is closed. */
GSocket  *ag_inherited_listener_take (GSocketAddress *address);

G_END_DECLS
