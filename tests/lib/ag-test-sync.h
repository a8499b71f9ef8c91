/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-test-sync.h — ag-cl's asynchronous calls made synchronous for tests: each starts the call and waits for it
 * with ag_test_await (the main context runs meanwhile, so the in-process mock answers). They return what the
 * _finish function returns; @error as there. */
#pragma once

#include "ag-account.h"
#include "ag-account-setup.h"
#include "ag-history-store.h"
#include "ag-oauth-client.h"
#include "ag-token-store.h"
#include <libsoup/soup.h>

G_BEGIN_DECLS

AgOAuthTokens *ag_test_oauth_refresh (AgOAuthClient *oauth, const char *refresh_token, GError **error);
char          *ag_test_account_access_token (AgAccount *account, AgOAuthClient *oauth, GError **error);
AgAccount     *ag_test_account_setup (AgOAuthClient *oauth, AgCloudcodeClient *cloudcode, const char *refresh_token,
                                      GError **error);

gboolean       ag_test_token_store_save (AgTokenStore *store, AgAccount *account, GError **error);
GPtrArray     *ag_test_token_store_load_all (AgTokenStore *store, GError **error);
gboolean       ag_test_token_store_remove (AgTokenStore *store, const char *email, GError **error);

GPtrArray     *ag_test_history_query_requests (AgHistoryStore *store, guint limit, gint64 since_ms, GError **error);
GPtrArray     *ag_test_history_query_quota (AgHistoryStore *store, const char *account, const char *model,
                                            gint64 since_ms, gint64 until_ms, GError **error);

/* soup_session_send_and_read_async on @message, awaited: the body (NULL on failure, in @error). */
GBytes        *ag_test_send_and_read (SoupSession *session, SoupMessage *message, GError **error);

G_END_DECLS
