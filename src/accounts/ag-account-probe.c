/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "ag-account-probe.h"
#include "ag-account-lease.h"

#include <string.h>

typedef struct {
  AgAccountPool     *pool;
  AgCloudcodeClient *cloudcode;
  AgAccount         *account;
  AgAccountLease    *lease;
  char              *model;
} Probe;

static void
probe_free (Probe *probe)
{
  g_object_unref (probe->pool);
  g_object_unref (probe->cloudcode);
  g_object_unref (probe->account);
  g_object_unref (probe->lease);
  g_free (probe->model);
  g_free (probe);
}

/* The cheapest model the account is known to serve: a Flash one when the quota poller saw one. */
static char *
choose_model (AgAccount *account)
{
  g_auto(GStrv) models = ag_account_list_quota_models (account);

  for (guint i = 0; models != NULL && models[i] != NULL; i++)
    if (strstr (models[i], "flash") != NULL)
      return g_strdup (models[i]);
  return g_strdup (AG_ACCOUNT_PROBE_DEFAULT_MODEL);
}

static JsonNode *
probe_request (void)
{
  return json_from_string ("{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"Hi\"}]}],"
                           "\"generationConfig\":{\"maxOutputTokens\":1}}", NULL);
}

static void token_ready (GObject *source, GAsyncResult *result, gpointer user_data);

static void
answered (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  Probe *probe = g_task_get_task_data (task);
  g_autoptr(AgGoogleError) google_error = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) response = ag_cloudcode_client_call_finish (AG_CLOUDCODE_CLIENT (source), result,
                                                                  &google_error, &error);
  const AgLeaseAnswer *answer;

  if (response != NULL)
    {
      ag_account_pool_revalidate (probe->pool, probe->account);
      g_task_return_boolean (task, TRUE);
      return;
    }
  if (google_error == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (ag_account_lease_failed (probe->lease, g_steal_pointer (&google_error)))
    {
      GCancellable *cancellable = g_task_get_cancellable (task);

      ag_account_lease_acquire_async (probe->lease, cancellable, token_ready, g_steal_pointer (&task));
      return;
    }
  answer = ag_account_lease_get_answer (probe->lease);
  g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED, "%s",
                           answer != NULL ? answer->message : "Google refused the request");
}

static void
token_ready (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  Probe *probe = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *token = ag_account_lease_acquire_finish (AG_ACCOUNT_LEASE (source), result, &error);
  g_autoptr(JsonNode) request = NULL;
  g_autoptr(JsonNode) envelope = NULL;
  GCancellable *cancellable = g_task_get_cancellable (task);

  if (token == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  request = probe_request ();
  envelope = ag_cloudcode_build_envelope (ag_account_get_project_id (probe->account), probe->model, request);
  /* Through the account's own proxy, as its real requests go. */
  ag_cloudcode_client_call_async (ag_cloudcode_client_for_proxy (probe->cloudcode, ag_account_get_proxy (probe->account)),
                                  NULL, "generateContent", token, envelope, cancellable, answered,
                                  g_steal_pointer (&task));
}

void
ag_account_probe_async (AgAccountPool *pool, AgOAuthClient *oauth, AgCloudcodeClient *cloudcode, AgAccount *account,
                        GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GTask) task = NULL;
  Probe *probe;
  AgLeaseOptions options = { .purpose = AG_LEASE_POLL, .account = account };

  g_return_if_fail (AG_IS_ACCOUNT_POOL (pool));
  g_return_if_fail (AG_IS_ACCOUNT (account));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, ag_account_probe_async);
  probe = g_new0 (Probe, 1);
  probe->pool = g_object_ref (pool);
  probe->cloudcode = g_object_ref (cloudcode);
  probe->account = g_object_ref (account);
  probe->model = choose_model (account);
  probe->lease = ag_account_lease_new (pool, oauth, ag_cloudcode_client_get_config (cloudcode), &options);
  g_task_set_task_data (task, probe, (GDestroyNotify) probe_free);
  g_message ("checking whether %s may be used again (one request to %s)", ag_account_get_email (account),
             probe->model);
  ag_account_lease_acquire_async (probe->lease, cancellable, token_ready, g_steal_pointer (&task));
}

gboolean
ag_account_probe_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
