/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-peer-user-private.h — the two ways ag_peer_user_lookup asks the kernel, each testable on its own. */
#pragma once

#include "ag-peer-user.h"

G_BEGIN_DECLS

/* One exact lookup through the kernel's socket diagnostics (NETLINK_SOCK_DIAG). G_IO_ERROR_NOT_FOUND when the
 * kernel has no such socket, G_IO_ERROR_NOT_SUPPORTED when it cannot be asked. */
gboolean ag_peer_user_lookup_by_diag (GSocketAddress *client,
                                      GSocketAddress *server,
                                      guint32        *uid,
                                      GError        **error);

/* A scan of /proc/net/tcp and /proc/net/tcp6. */
gboolean ag_peer_user_lookup_in_tables (GSocketAddress *client,
                                        GSocketAddress *server,
                                        guint32        *uid,
                                        GError        **error);

G_END_DECLS
