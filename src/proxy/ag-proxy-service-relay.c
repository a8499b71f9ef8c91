/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-proxy-service-relay.c — the service's account and local API key calls, kept for the desktop app's pages: the
 * registry or the local API key does the work, and the answer is relayed so that the caller's result still comes
 * from the service. New callers use ag_proxy_service_get_registry () and _get_local_api_key () directly. */
#include "ag-proxy-service.h"

/* The service's result carries the one of the object that did the work, whose _finish then gives the answer. */
static void
relay (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;

  g_task_set_task_data (task, g_object_ref (result), g_object_unref);
  g_task_return_boolean (task, TRUE);
}

static GTask *
relay_to (AgProxyService *self, GAsyncReadyCallback callback, gpointer user_data)
{
  return g_task_new (self, NULL, callback, user_data);
}

static GAsyncResult *
relayed (GAsyncResult *result)
{
  return g_task_get_task_data (G_TASK (result));
}

void
ag_proxy_service_load_api_key_async (AgProxyService *self, GCancellable *cancellable,
                                     GAsyncReadyCallback callback, gpointer user_data)
{
  ag_local_api_key_load_async (ag_proxy_service_get_local_api_key (self), cancellable, relay,
                               relay_to (self, callback, user_data));
}

gboolean
ag_proxy_service_load_api_key_finish (AgProxyService *self, GAsyncResult *result, GError **error)
{
  return ag_local_api_key_load_finish (ag_proxy_service_get_local_api_key (self), relayed (result), error);
}

void
ag_proxy_service_generate_api_key_async (AgProxyService *self, GCancellable *cancellable,
                                         GAsyncReadyCallback callback, gpointer user_data)
{
  ag_local_api_key_generate_async (ag_proxy_service_get_local_api_key (self), cancellable, relay,
                                   relay_to (self, callback, user_data));
}

char *
ag_proxy_service_generate_api_key_finish (AgProxyService *self, GAsyncResult *result, GError **error)
{
  return ag_local_api_key_generate_finish (ag_proxy_service_get_local_api_key (self), relayed (result), error);
}

void
ag_proxy_service_clear_api_key_async (AgProxyService *self, GCancellable *cancellable,
                                      GAsyncReadyCallback callback, gpointer user_data)
{
  ag_local_api_key_clear_async (ag_proxy_service_get_local_api_key (self), cancellable, relay,
                                relay_to (self, callback, user_data));
}

gboolean
ag_proxy_service_clear_api_key_finish (AgProxyService *self, GAsyncResult *result, GError **error)
{
  return ag_local_api_key_clear_finish (ag_proxy_service_get_local_api_key (self), relayed (result), error);
}

const char *
ag_proxy_service_get_api_key (AgProxyService *self)
{
  return ag_local_api_key_get_value (ag_proxy_service_get_local_api_key (self));
}

gboolean
ag_proxy_service_get_has_api_key (AgProxyService *self)
{
  return ag_local_api_key_is_set (ag_proxy_service_get_local_api_key (self));
}

void
ag_proxy_service_load_accounts_async (AgProxyService *self, GCancellable *cancellable,
                                      GAsyncReadyCallback callback, gpointer user_data)
{
  ag_account_registry_load_async (ag_proxy_service_get_registry (self), cancellable, relay,
                                  relay_to (self, callback, user_data));
}

gboolean
ag_proxy_service_load_accounts_finish (AgProxyService *self, GAsyncResult *result, GError **error)
{
  return ag_account_registry_load_finish (ag_proxy_service_get_registry (self), relayed (result), error);
}

void
ag_proxy_service_add_account_async (AgProxyService *self, const char *refresh_token, GCancellable *cancellable,
                                    GAsyncReadyCallback callback, gpointer user_data)
{
  ag_account_registry_add_async (ag_proxy_service_get_registry (self), refresh_token, cancellable, relay,
                                 relay_to (self, callback, user_data));
}

AgAccount *
ag_proxy_service_add_account_finish (AgProxyService *self, GAsyncResult *result, GError **error)
{
  return ag_account_registry_add_finish (ag_proxy_service_get_registry (self), relayed (result), error);
}

void
ag_proxy_service_remove_account_async (AgProxyService *self, const char *email, GCancellable *cancellable,
                                       GAsyncReadyCallback callback, gpointer user_data)
{
  ag_account_registry_remove_async (ag_proxy_service_get_registry (self), email, cancellable, relay,
                                    relay_to (self, callback, user_data));
}

gboolean
ag_proxy_service_remove_account_finish (AgProxyService *self, GAsyncResult *result, GError **error)
{
  return ag_account_registry_remove_finish (ag_proxy_service_get_registry (self), relayed (result), error);
}
