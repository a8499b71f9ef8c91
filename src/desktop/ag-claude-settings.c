/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "ag-claude-settings.h"
#include "ag-settings-file.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#define ENV_BASE_URL "ANTHROPIC_BASE_URL"
#define ENV_AUTH_TOKEN "ANTHROPIC_AUTH_TOKEN"
#define ENV_API_KEY "ANTHROPIC_API_KEY"
/* Without any credential Claude Code asks for a sign-in; the proxy accepts anything when no local key is set. */
#define PLACEHOLDER_TOKEN "ag-cl"

char *
ag_claude_settings_default_path (void)
{
  return g_build_filename (g_get_home_dir (), ".claude", "settings.json", NULL);
}

static gboolean
has_text (const char *s)
{
  return s != NULL && *s != '\0';
}

char *
ag_claude_settings_export_lines (const char *base_url, const char *api_key)
{
  g_autofree char *quoted_url = g_shell_quote (base_url);
  g_autofree char *quoted_token = g_shell_quote (has_text (api_key) ? api_key : PLACEHOLDER_TOKEN);

  return g_strdup_printf ("export " ENV_BASE_URL "=%s\nexport " ENV_AUTH_TOKEN "=%s\n", quoted_url, quoted_token);
}

/* The env entries to write, and where. */
typedef struct {
  const char *key;
  const char *value;
  gboolean    secret;
} EnvChange;

/* The credential goes into whichever variable the file already uses (two would make Claude Code warn about an auth
 * conflict); with no local key an existing credential is kept, since the proxy ignores it. */
static guint
plan_changes (JsonObject *env, const char *base_url, const char *api_key, EnvChange changes[2])
{
  gboolean uses_api_key = env != NULL && json_object_has_member (env, ENV_API_KEY) &&
                          !json_object_has_member (env, ENV_AUTH_TOKEN);
  gboolean has_credential = env != NULL && (json_object_has_member (env, ENV_API_KEY) ||
                                            json_object_has_member (env, ENV_AUTH_TOKEN));
  guint n = 0;

  changes[n++] = (EnvChange) { ENV_BASE_URL, base_url, FALSE };
  if (has_text (api_key))
    changes[n++] = (EnvChange) { uses_api_key ? ENV_API_KEY : ENV_AUTH_TOKEN, api_key, TRUE };
  else if (!has_credential)
    changes[n++] = (EnvChange) { ENV_AUTH_TOKEN, PLACEHOLDER_TOKEN, FALSE };
  return n;
}

static JsonObject *
lookup_env (JsonObject *settings, GError **error, const char *path)
{
  JsonNode *env;

  if (!json_object_has_member (settings, "env"))
    return NULL;
  env = json_object_get_member (settings, "env");
  if (!JSON_NODE_HOLDS_OBJECT (env))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("In %s, “env” is not a JSON object; the file was left unchanged"), path);
      return NULL;
    }
  return json_node_get_object (env);
}

/* A settings file and the env entries ag-cl would write into it. */
typedef struct {
  JsonObject *settings;
  JsonObject *env;          /* its "env" object, NULL when it has none */
  gboolean    exists;       /* whether there was a file */
  EnvChange   changes[2];
  guint       n_changes;
} Plan;

static void
plan_clear (Plan *plan)
{
  g_clear_pointer (&plan->settings, json_object_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Plan, plan_clear)

/* Reads @path and plans the changes for @base_url and @api_key; FALSE with @error when the file or its "env" cannot
 * be used. Preview, apply and needs_key all start here. */
static gboolean
read_plan (const char *path, const char *base_url, const char *api_key, Plan *plan, GError **error)
{
  GError *local_error = NULL;

  plan->settings = ag_settings_file_read_json (path, &plan->exists, error);
  if (plan->settings == NULL)
    return FALSE;
  plan->env = lookup_env (plan->settings, &local_error, path);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  plan->n_changes = plan_changes (plan->env, base_url, api_key, plan->changes);
  return TRUE;
}

/* The value @env gives @key now (NULL: none, or no env). */
static const char *
env_value (JsonObject *env, const char *key)
{
  return env != NULL ? json_object_get_string_member_with_default (env, key, NULL) : NULL;
}

static char *
build_preview (const char *path, const char *base_url, const char *api_key, GError **error)
{
  g_auto(Plan) plan = { 0 };
  g_autoptr(GString) text = g_string_new (NULL);

  if (!read_plan (path, base_url, api_key, &plan, error))
    return NULL;
  for (guint i = 0; i < plan.n_changes; i++)
    {
      const EnvChange *change = &plan.changes[i];
      const char *old = env_value (plan.env, change->key);
      /* A previous value that is not ours may be a real Anthropic key. */
      gboolean old_secret = old != NULL && !g_str_equal (change->key, ENV_BASE_URL) &&
                            !g_str_equal (old, PLACEHOLDER_TOKEN);

      if (g_strcmp0 (old, change->value) == 0)
        continue;
      g_autofree char *line = ag_settings_file_change (old, old_secret, change->value, change->secret);

      g_string_append_printf (text, "env.%s: %s\n", change->key, line);
    }

  return ag_settings_file_preview_text (path, plan.exists, text, "Claude Code");
}

char *
ag_claude_settings_preview (const char *path, const char *base_url, const char *api_key, GError **error)
{
  g_return_val_if_fail (path != NULL && base_url != NULL, NULL);
  return build_preview (path, base_url, api_key, error);
}

gboolean
ag_claude_settings_apply (const char *path, const char *base_url, const char *api_key,
                          char **backup_path, GError **error)
{
  g_auto(Plan) plan = { 0 };
  g_autofree char *backup = NULL;
  g_autofree char *text = NULL;

  g_return_val_if_fail (path != NULL && base_url != NULL, FALSE);

  /* A file without "env" plans as one with an empty "env": nothing in it to keep. */
  if (!read_plan (path, base_url, api_key, &plan, error))
    return FALSE;
  if (plan.env == NULL)
    {
      plan.env = json_object_new ();
      json_object_set_object_member (plan.settings, "env", plan.env);
    }
  for (guint i = 0; i < plan.n_changes; i++)
    json_object_set_string_member (plan.env, plan.changes[i].key, plan.changes[i].value);

  text = ag_settings_file_json_text (plan.settings);
  /* Private: the file may now hold the local API key. */
  if (!ag_settings_file_write (path, text, &backup, error))
    return FALSE;

  if (backup_path != NULL)
    *backup_path = g_steal_pointer (&backup);
  return TRUE;
}

typedef struct {
  char *path;
  char *base_url;
  char *api_key;
} TaskData;

static void
task_data_free (TaskData *data)
{
  g_free (data->path);
  g_free (data->base_url);
  if (data->api_key != NULL)
    memset (data->api_key, 0, strlen (data->api_key));
  g_free (data->api_key);
  g_free (data);
}

static GTask *
new_task (const char *path, const char *base_url, const char *api_key, GCancellable *cancellable,
          GAsyncReadyCallback callback, gpointer user_data, gpointer source_tag)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  TaskData *data = g_new0 (TaskData, 1);

  data->path = g_strdup (path);
  data->base_url = g_strdup (base_url);
  data->api_key = g_strdup (api_key);
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, data, (GDestroyNotify) task_data_free);
  return task;
}

static void
preview_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  TaskData *data = task_data;
  GError *error = NULL;
  char *preview = build_preview (data->path, data->base_url, data->api_key, &error);

  if (preview == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, preview, g_free);
}

void
ag_claude_settings_preview_async (const char *path, const char *base_url, const char *api_key,
                                  GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GTask) task = new_task (path, base_url, api_key, cancellable, callback, user_data,
                                    ag_claude_settings_preview_async);

  g_task_run_in_thread (task, preview_thread);
}

char *
ag_claude_settings_preview_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
apply_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  TaskData *data = task_data;
  GError *error = NULL;
  char *backup = NULL;

  if (!ag_claude_settings_apply (data->path, data->base_url, data->api_key, &backup, &error))
    g_task_return_error (task, error);
  else
    /* A NULL backup (new file) is a success too, so the result is boxed in a pointer that is never NULL. */
    g_task_return_pointer (task, g_strdup (backup != NULL ? backup : ""), g_free);
  g_free (backup);
}

void
ag_claude_settings_apply_async (const char *path, const char *base_url, const char *api_key,
                                GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GTask) task = new_task (path, base_url, api_key, cancellable, callback, user_data,
                                    ag_claude_settings_apply_async);

  g_task_run_in_thread (task, apply_thread);
}

gboolean
ag_claude_settings_apply_finish (GAsyncResult *result, char **backup_path, GError **error)
{
  g_autofree char *backup = NULL;

  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  backup = g_task_propagate_pointer (G_TASK (result), error);
  if (backup == NULL)
    return FALSE;
  if (backup_path != NULL)
    *backup_path = *backup != '\0' ? g_steal_pointer (&backup) : NULL;
  return TRUE;
}

/* Whether @path points Claude Code at @base_url and does not send @api_key yet. */
static gboolean
needs_key (const char *path, const char *base_url, const char *api_key, GError **error)
{
  g_auto(Plan) plan = { 0 };

  if (!read_plan (path, base_url, api_key, &plan, error))
    return FALSE;
  if (!plan.exists || plan.env == NULL || g_strcmp0 (env_value (plan.env, ENV_BASE_URL), base_url) != 0)
    return FALSE;
  for (guint i = 0; i < plan.n_changes; i++)
    if (g_strcmp0 (env_value (plan.env, plan.changes[i].key), plan.changes[i].value) != 0)
      return TRUE;
  return FALSE;
}

gboolean
ag_claude_settings_give_key (const char *path, const char *base_url, const char *api_key, gboolean *updated,
                             GError **error)
{
  GError *local_error = NULL;
  gboolean needed = has_text (api_key) && needs_key (path, base_url, api_key, &local_error);

  if (local_error == NULL && needed)
    {
      g_autofree char *backup = NULL;

      ag_claude_settings_apply (path, base_url, api_key, &backup, &local_error);
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  *updated = needed;
  return TRUE;
}
