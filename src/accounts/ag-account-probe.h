/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-account-probe.h — "Check again" for an account Google asked to verify: one smallest generation request
 * (one output token) on that account alone. When Google answers, the pool takes the account back; when it refuses,
 * the lease says what the refusal means (still needs verification, banned, signed out) and the probe fails with it. */
#pragma once

#include <gio/gio.h>
#include "ag-account-pool.h"
#include "ag-cloudcode-client.h"
#include "ag-oauth-client.h"

G_BEGIN_DECLS

/* The model a probe asks when the account lists none it knows. */
#define AG_ACCOUNT_PROBE_DEFAULT_MODEL "gemini-3-flash"

void     ag_account_probe_async  (AgAccountPool      *pool,
                                  AgOAuthClient      *oauth,
                                  AgCloudcodeClient  *cloudcode,
                                  AgAccount          *account,
                                  GCancellable       *cancellable,
                                  GAsyncReadyCallback callback,
                                  gpointer            user_data);
/* TRUE when the account answered and is usable again; else the reason, for the user. */
gboolean ag_account_probe_finish (GAsyncResult *result, GError **error);

G_END_DECLS
