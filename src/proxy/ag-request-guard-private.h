/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-request-guard-private.h — the guard's decision over a plain description of the request, for the unit tests
 * (no socket needed). */
#pragma once

#include "ag-request-guard.h"

G_BEGIN_DECLS

typedef enum {
  AG_PEER_SAME_USER,
  AG_PEER_OTHER_USER,
  AG_PEER_USER_UNKNOWN,          /* the kernel could not tell */
} AgPeerUser;

typedef struct {
  const char         *method;
  const char         *path;
  SoupMessageHeaders *headers;
  GHashTable         *query;       /* nullable */
  gboolean            peer_loopback;
  /* Who opened the connection; asked only when the answer decides (a loopback client without the key). */
  AgPeerUser        (*peer_user) (gpointer data, guint32 *uid);
  gpointer            peer_user_data;
} AgGuardRequest;

gboolean ag_request_guard_decide (AgRequestGuard       *self,
                                  const AgGuardRequest *request,
                                  AgGuardVerdict       *verdict);

G_END_DECLS
