/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "ag-test-sync.h"
#include "ag-test-wait.h"

AgOAuthTokens *
ag_test_oauth_refresh (AgOAuthClient *oauth, const char *refresh_token, GError **error)
{
  g_autoptr(GAsyncResult) result = AG_TEST_AWAIT_CALL (ag_oauth_client_refresh_async, oauth, refresh_token, NULL);

  return ag_oauth_client_refresh_finish (oauth, result, error);
}

char *
ag_test_account_access_token (AgAccount *account, AgOAuthClient *oauth, GError **error)
{
  g_autoptr(GAsyncResult) result = AG_TEST_AWAIT_CALL (ag_account_get_access_token_async, account, oauth, NULL);

  return ag_account_get_access_token_finish (account, result, error);
}

AgAccount *
ag_test_account_setup (AgOAuthClient *oauth, AgCloudcodeClient *cloudcode, const char *refresh_token, GError **error)
{
  g_autoptr(GAsyncResult) result = AG_TEST_AWAIT_CALL (ag_account_setup_async, oauth, cloudcode, refresh_token, NULL);

  return ag_account_setup_finish (result, error);
}

gboolean
ag_test_token_store_save (AgTokenStore *store, AgAccount *account, GError **error)
{
  g_autoptr(GAsyncResult) result = AG_TEST_AWAIT_CALL (ag_token_store_save_async, store, account, NULL);

  return ag_token_store_save_finish (store, result, error);
}

GPtrArray *
ag_test_token_store_load_all (AgTokenStore *store, GError **error)
{
  g_autoptr(GAsyncResult) result = AG_TEST_AWAIT_CALL (ag_token_store_load_all_async, store, NULL);

  return ag_token_store_load_all_finish (store, result, error);
}

gboolean
ag_test_token_store_remove (AgTokenStore *store, const char *email, GError **error)
{
  g_autoptr(GAsyncResult) result = AG_TEST_AWAIT_CALL (ag_token_store_remove_async, store, email, NULL);

  return ag_token_store_remove_finish (store, result, error);
}

GPtrArray *
ag_test_history_query_requests (AgHistoryStore *store, guint limit, gint64 since_ms, GError **error)
{
  g_autoptr(GAsyncResult) result = AG_TEST_AWAIT_CALL (ag_history_store_query_requests_async,
                                                        store, limit, since_ms, NULL);

  return ag_history_store_query_requests_finish (store, result, error);
}

GPtrArray *
ag_test_history_query_quota (AgHistoryStore *store, const char *account, const char *model, gint64 since_ms,
                             gint64 until_ms, GError **error)
{
  g_autoptr(GAsyncResult) result = AG_TEST_AWAIT_CALL (ag_history_store_query_quota_async,
                                                        store, account, model, since_ms, until_ms, NULL);

  return ag_history_store_query_quota_finish (store, result, error);
}

GBytes *
ag_test_send_and_read (SoupSession *session, SoupMessage *message, GError **error)
{
  g_autoptr(GAsyncResult) result = AG_TEST_AWAIT_CALL (soup_session_send_and_read_async, session, message,
                                                       G_PRIORITY_DEFAULT, NULL);

  return soup_session_send_and_read_finish (session, result, error);
}
