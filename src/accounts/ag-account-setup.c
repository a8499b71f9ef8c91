/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "ag-account-setup.h"
#include "ag-json.h"

#define AG_ONBOARD_DEFAULT_POLL_MS 2000
/* CLIProxyAPI polls 5 × 2 s, antigravity-claude-proxy/opencode-antigravity-auth 10 × 5 s; provisioning normally
 * finishes within a few seconds. */
#define AG_ONBOARD_MAX_TRIES       10

#if defined(__aarch64__)
#define AG_SETUP_PLATFORM "LINUX_ARM64"
#else
#define AG_SETUP_PLATFORM "LINUX_AMD64"
#endif

typedef struct {
  AgOAuthClient     *oauth;
  AgCloudcodeClient *cloudcode;
  char              *refresh_token;
  AgOAuthTokens     *tokens;
  char              *email;
  char              *tier;
  char              *onboard_tier;
  guint              onboard_tries;
} SetupData;

static void
setup_data_free (SetupData *data)
{
  g_clear_object (&data->oauth);
  g_clear_object (&data->cloudcode);
  g_free (data->refresh_token);
  g_clear_pointer (&data->tokens, ag_oauth_tokens_free);
  g_free (data->email);
  g_free (data->tier);
  g_free (data->onboard_tier);
  g_free (data);
}

static char *
nonempty_dup (const char *value)
{
  return value != NULL && *value != '\0' ? g_strdup (value) : NULL;
}

char *
ag_account_setup_project_from_load (JsonObject *load_response)
{
  const char *project;

  g_return_val_if_fail (load_response != NULL, NULL);

  project = ag_json_string (load_response, "cloudaicompanionProject");
  if (project == NULL)
    project = ag_json_string (ag_json_object (load_response, "cloudaicompanionProject"), "id");
  return nonempty_dup (project);
}

char *
ag_account_setup_onboard_tier (JsonObject *load_response)
{
  JsonNode *tiers_node;
  JsonArray *tiers;

  g_return_val_if_fail (load_response != NULL, NULL);

  /* paidTier ids (g1-pro-tier…) are not valid here (antigravity-claude-proxy); only the allowed tiers are. */
  tiers_node = json_object_get_member (load_response, "allowedTiers");
  if (tiers_node != NULL && JSON_NODE_HOLDS_ARRAY (tiers_node))
    {
      tiers = json_node_get_array (tiers_node);
      for (guint i = 0; i < json_array_get_length (tiers); i++)
        {
          JsonNode *tier = json_array_get_element (tiers, i);
          JsonObject *object = JSON_NODE_HOLDS_OBJECT (tier) ? json_node_get_object (tier) : NULL;

          const char *id = ag_json_string (object, "id");

          if (id != NULL && *id != '\0' && json_object_get_boolean_member_with_default (object, "isDefault", FALSE))
            return g_strdup (id);
        }
    }
  return g_strdup ("free-tier");
}

char *
ag_account_setup_tier_from_load (JsonObject *load_response)
{
  char *tier;

  g_return_val_if_fail (load_response != NULL, NULL);

  /* The subscription the account actually has: a paid tier wins over the current one (antigravity-claude-proxy). */
  tier = nonempty_dup (ag_json_string (ag_json_object (load_response, "paidTier"), "id"));
  if (tier == NULL)
    tier = nonempty_dup (ag_json_string (ag_json_object (load_response, "currentTier"), "id"));
  return tier;
}

/* String enums as opencode-antigravity-auth (src/plugin/project.ts) sends them (AM/CPA send only ideType);
 * antigravity-claude-proxy (src/constants.js)'s numeric enums name the Linux platforms
 * LINUX_AMD64/LINUX_ARM64, which is what we are. */
static JsonNode *
client_metadata (void)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "ideType");
  json_builder_add_string_value (builder, "ANTIGRAVITY");
  json_builder_set_member_name (builder, "platform");
  json_builder_add_string_value (builder, AG_SETUP_PLATFORM);
  json_builder_set_member_name (builder, "pluginType");
  json_builder_add_string_value (builder, "GEMINI");
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

JsonNode *
ag_account_setup_load_code_assist_body (void)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "metadata");
  json_builder_add_value (builder, client_metadata ());
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static guint
onboard_poll_ms (void)
{
  const char *value = g_getenv ("AGCL_ONBOARD_POLL_MS");
  guint64 ms;

  if (value != NULL && g_ascii_string_to_unsigned (value, 10, 0, 60000, &ms, NULL))
    return (guint) ms;
  return AG_ONBOARD_DEFAULT_POLL_MS;
}

static void
finish_setup (GTask *task, const char *project)
{
  SetupData *data = g_task_get_task_data (task);
  const char *refresh_token = data->tokens->refresh_token != NULL ? data->tokens->refresh_token
                                                                 : data->refresh_token;
  g_autoptr(AgAccount) account = ag_account_new (data->email, project, refresh_token);

  ag_account_set_tier (account, data->tier != NULL ? data->tier : data->onboard_tier);
  ag_account_set_access_token (account, data->tokens->access_token, data->tokens->expires_at_unix_s);
  g_task_return_pointer (task, g_steal_pointer (&account), g_object_unref);
}

static void send_onboard (GTask *task);

static gboolean
onboard_poll_cb (gpointer user_data)
{
  send_onboard (user_data);
  return G_SOURCE_REMOVE;
}

static void
onboarded_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  SetupData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) response = ag_cloudcode_client_call_finish (AG_CLOUDCODE_CLIENT (source), result, NULL, &error);
  JsonObject *operation;
  g_autofree char *project = NULL;
  g_autoptr(GSource) timeout = NULL;

  if (response == NULL)
    {
      g_prefix_error (&error, "onboardUser failed: ");
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  operation = json_node_get_object (response);
  if (json_object_get_boolean_member_with_default (operation, "done", FALSE))
    {
      project = ag_account_setup_project_from_load (ag_json_object (operation, "response") != NULL
                                                    ? ag_json_object (operation, "response") : operation);
      if (project == NULL)
        g_task_return_new_error (task, AG_UPSTREAM_ERROR, AG_UPSTREAM_ERROR_BAD_RESPONSE,
                                 "onboardUser finished without a Cloud Code project");
      else
        finish_setup (task, project);
      return;
    }
  if (data->onboard_tries >= AG_ONBOARD_MAX_TRIES)
    {
      g_task_return_new_error (task, AG_UPSTREAM_ERROR, AG_UPSTREAM_ERROR_BAD_RESPONSE,
                               "onboardUser did not finish after %u tries", data->onboard_tries);
      return;
    }
  /* The next try runs on the task's context; a cancellation then ends it at once through the call. */
  timeout = g_timeout_source_new (onboard_poll_ms ());
  g_source_attach (timeout, g_task_get_context (task));
  g_source_set_callback (timeout, onboard_poll_cb, g_steal_pointer (&task), NULL);
}

static void
send_onboard (GTask *task)
{
  SetupData *data = g_task_get_task_data (task);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;

  /* camelCase tierId and the loadCodeAssist metadata, as antigravity-claude-proxy and opencode-antigravity-auth send;
   * no top-level
   * cloudaicompanionProject, which antigravity-claude-proxy saw rejected with 400 for auto-provisioned tiers. */
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "tierId");
  json_builder_add_string_value (builder, data->onboard_tier);
  json_builder_set_member_name (builder, "metadata");
  json_builder_add_value (builder, client_metadata ());
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);

  data->onboard_tries++;
  ag_cloudcode_client_call_async (data->cloudcode,
                                  ag_cloudcode_config_get_setup_endpoints (ag_cloudcode_client_get_config (data->cloudcode)),
                                  "onboardUser", data->tokens->access_token, body, g_task_get_cancellable (task),
                                  onboarded_cb, task);
}

static void
loaded_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  SetupData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) response = ag_cloudcode_client_call_finish (AG_CLOUDCODE_CLIENT (source), result, NULL, &error);
  g_autofree char *project = NULL;

  if (response == NULL)
    {
      g_prefix_error (&error, "loadCodeAssist failed: ");
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  data->tier = ag_account_setup_tier_from_load (json_node_get_object (response));
  project = ag_account_setup_project_from_load (json_node_get_object (response));
  if (project != NULL)
    {
      finish_setup (task, project);
      return;
    }
  data->onboard_tier = ag_account_setup_onboard_tier (json_node_get_object (response));
  send_onboard (g_steal_pointer (&task));
}

static void
got_email_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  SetupData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) body = NULL;
  GCancellable *cancellable;

  data->email = ag_oauth_client_get_email_finish (AG_OAUTH_CLIENT (source), result, &error);
  if (data->email == NULL)
    {
      g_prefix_error (&error, "reading the account's e-mail address failed: ");
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  body = ag_account_setup_load_code_assist_body ();
  cancellable = g_task_get_cancellable (task);
  ag_cloudcode_client_call_async (data->cloudcode,
                                  ag_cloudcode_config_get_setup_endpoints (ag_cloudcode_client_get_config (data->cloudcode)),
                                  "loadCodeAssist", data->tokens->access_token, body, cancellable,
                                  loaded_cb, g_steal_pointer (&task));
}

static void
refreshed_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  SetupData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  GCancellable *cancellable;

  data->tokens = ag_oauth_client_refresh_finish (AG_OAUTH_CLIENT (source), result, &error);
  if (data->tokens == NULL)
    {
      /* invalid_grant already says what happened and what to do; other failures get the step's name. */
      if (!g_error_matches (error, AG_OAUTH_ERROR, AG_OAUTH_ERROR_INVALID_GRANT))
        g_prefix_error (&error, "exchanging the refresh token failed: ");
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  cancellable = g_task_get_cancellable (task);
  ag_oauth_client_get_email_async (data->oauth, data->tokens->access_token, cancellable,
                                   got_email_cb, g_steal_pointer (&task));
}

void
ag_account_setup_async (AgOAuthClient      *oauth,
                        AgCloudcodeClient  *cloudcode,
                        const char         *refresh_token,
                        GCancellable       *cancellable,
                        GAsyncReadyCallback callback,
                        gpointer            user_data)
{
  GTask *task;
  SetupData *data;

  g_return_if_fail (AG_IS_OAUTH_CLIENT (oauth));
  g_return_if_fail (AG_IS_CLOUDCODE_CLIENT (cloudcode));
  g_return_if_fail (refresh_token != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, ag_account_setup_async);
  data = g_new0 (SetupData, 1);
  data->oauth = g_object_ref (oauth);
  data->cloudcode = g_object_ref (cloudcode);
  data->refresh_token = g_strdup (refresh_token);
  g_task_set_task_data (task, data, (GDestroyNotify) setup_data_free);

  ag_oauth_client_refresh_async (oauth, refresh_token, cancellable, refreshed_cb, task);
}

AgAccount *
ag_account_setup_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
