/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "ag-agent-setup.h"

#include <string.h>
#include "ag-claude-settings.h"
#include "ag-codex-settings.h"
#include "ag-gemini-settings.h"

static const char *const ids[AG_N_AGENTS] = { "claude-code", "codex", "gemini-cli" };
static const char *const names[AG_N_AGENTS] = { "Claude Code", "Codex", "Gemini CLI" };

gboolean
ag_agent_from_id (const char *id, AgAgent *agent)
{
  for (guint i = 0; i < AG_N_AGENTS; i++)
    if (g_strcmp0 (id, ids[i]) == 0)
      {
        *agent = i;
        return TRUE;
      }
  return FALSE;
}

const char *
ag_agent_get_name (AgAgent agent)
{
  return names[agent];
}

char *
ag_agent_get_path (AgAgent agent)
{
  switch (agent)
    {
    case AG_AGENT_CLAUDE_CODE: return ag_claude_settings_default_path ();
    case AG_AGENT_CODEX:       return ag_codex_settings_default_path ();
    case AG_AGENT_GEMINI_CLI:  return ag_gemini_settings_default_dir ();
    case AG_N_AGENTS:          break;
    }
  g_return_val_if_reached (NULL);
}

char *
ag_agent_setup_preview (AgAgent agent, const AgAgentTarget *target, GError **error)
{
  g_autofree char *path = ag_agent_get_path (agent);

  switch (agent)
    {
    case AG_AGENT_CLAUDE_CODE: return ag_claude_settings_preview (path, target->base_url, target->api_key, error);
    case AG_AGENT_CODEX:       return ag_codex_settings_preview (path, target, error);
    case AG_AGENT_GEMINI_CLI:  return ag_gemini_settings_preview (path, target, error);
    case AG_N_AGENTS:          break;
    }
  g_return_val_if_reached (NULL);
}

gboolean
ag_agent_setup_apply (AgAgent agent, const AgAgentTarget *target, GPtrArray *backups, GError **error)
{
  g_autofree char *path = ag_agent_get_path (agent);
  char *backup = NULL;
  gboolean ok = FALSE;

  switch (agent)
    {
    case AG_AGENT_CLAUDE_CODE:
      ok = ag_claude_settings_apply (path, target->base_url, target->api_key, &backup, error);
      break;
    case AG_AGENT_CODEX:
      ok = ag_codex_settings_apply (path, target, &backup, error);
      break;
    case AG_AGENT_GEMINI_CLI:
      return ag_gemini_settings_apply (path, target, backups, error);
    case AG_N_AGENTS:
      g_return_val_if_reached (FALSE);
    }
  if (backup != NULL)
    g_ptr_array_add (backups, backup);
  return ok;
}

/* Every writer's preview says "already points … nothing changes" when there is nothing to write, file by file. */
gboolean
ag_agent_setup_is_current (AgAgent agent, const AgAgentTarget *target, GError **error)
{
  g_autofree char *preview = ag_agent_setup_preview (agent, target, error);

  return preview != NULL && strstr (preview, " → ") == NULL;
}

/* ── in a thread ──────────────────────────────────────────────────────────────────────────────────────────── */

typedef struct {
  AgAgent agent;
  char   *base_url, *api_key, *model;
  char   *old_key;                       /* the hand-over's */
} TaskData;

static void
task_data_free (TaskData *data)
{
  g_free (data->base_url);
  if (data->api_key != NULL)
    memset (data->api_key, 0, strlen (data->api_key));
  g_free (data->api_key);
  g_free (data->model);
  if (data->old_key != NULL)
    memset (data->old_key, 0, strlen (data->old_key));
  g_free (data->old_key);
  g_free (data);
}

static void
run_in_thread (AgAgent agent, const AgAgentTarget *target, GCancellable *cancellable, GAsyncReadyCallback callback,
               gpointer user_data, gpointer source_tag, GTaskThreadFunc func)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  TaskData *data = g_new0 (TaskData, 1);

  data->agent = agent;
  data->base_url = g_strdup (target->base_url);
  data->api_key = g_strdup (target->api_key);
  data->model = g_strdup (target->model);
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, data, (GDestroyNotify) task_data_free);
  g_task_run_in_thread (task, func);
}

static AgAgentTarget
target_of (TaskData *data)
{
  return (AgAgentTarget) { data->base_url, data->api_key, data->model };
}

static void
preview_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  AgAgentTarget target = target_of (task_data);
  GError *error = NULL;
  char *preview = ag_agent_setup_preview (((TaskData *) task_data)->agent, &target, &error);

  if (preview == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, preview, g_free);
}

void
ag_agent_setup_preview_async (AgAgent agent, const AgAgentTarget *target, GCancellable *cancellable,
                              GAsyncReadyCallback callback, gpointer user_data)
{
  run_in_thread (agent, target, cancellable, callback, user_data, ag_agent_setup_preview_async, preview_thread);
}

char *
ag_agent_setup_preview_finish (GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
apply_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  AgAgentTarget target = target_of (task_data);
  g_autoptr(GPtrArray) backups = g_ptr_array_new_with_free_func (g_free);
  GError *error = NULL;

  if (!ag_agent_setup_apply (((TaskData *) task_data)->agent, &target, backups, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_ptr_array_set_free_func (backups, NULL);
  g_ptr_array_add (backups, NULL);
  g_task_return_pointer (task, g_ptr_array_free (g_steal_pointer (&backups), FALSE), (GDestroyNotify) g_strfreev);
}

void
ag_agent_setup_apply_async (AgAgent agent, const AgAgentTarget *target, GCancellable *cancellable,
                            GAsyncReadyCallback callback, gpointer user_data)
{
  run_in_thread (agent, target, cancellable, callback, user_data, ag_agent_setup_apply_async, apply_thread);
}

char **
ag_agent_setup_apply_finish (GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
is_current_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  AgAgentTarget target = target_of (task_data);
  GError *error = NULL;
  gboolean current = ag_agent_setup_is_current (((TaskData *) task_data)->agent, &target, &error);

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, current);
}

void
ag_agent_setup_is_current_async (AgAgent agent, const AgAgentTarget *target, GCancellable *cancellable,
                                 GAsyncReadyCallback callback, gpointer user_data)
{
  run_in_thread (agent, target, cancellable, callback, user_data, ag_agent_setup_is_current_async,
                 is_current_thread);
}

gboolean
ag_agent_setup_is_current_finish (GAsyncResult *result, GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ── a new key for the agents already set up ────────────────────────────────────────────────────────────────── */

/* Claude Code counts as set up when its settings point at @base_url (whatever credential they hold); Codex and the
 * Gemini CLI when they were exactly what `ag-cl setup` writes for the key before (none: the placeholder). */
static gboolean
hand_over (AgAgent agent, const char *base_url, const char *old_key, const char *new_key, GError **error)
{
  AgAgentTarget before = { base_url, old_key, NULL };
  AgAgentTarget after = { base_url, new_key, NULL };
  g_autoptr(GPtrArray) backups = g_ptr_array_new_with_free_func (g_free);
  gboolean updated = FALSE;

  if (agent == AG_AGENT_CLAUDE_CODE)
    {
      g_autofree char *path = ag_agent_get_path (agent);

      return ag_claude_settings_give_key (path, base_url, new_key, &updated, error) && updated;
    }
  if (!ag_agent_setup_is_current (agent, &before, error))
    return FALSE;
  return ag_agent_setup_apply (agent, &after, backups, error);
}

static void
hand_over_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  TaskData *data = task_data;
  g_autoptr(GStrvBuilder) updated = g_strv_builder_new ();

  for (guint agent = 0; agent < AG_N_AGENTS; agent++)
    {
      g_autoptr(GError) error = NULL;

      if (hand_over (agent, data->base_url, data->old_key, data->api_key, &error))
        g_strv_builder_add (updated, ag_agent_get_name (agent));
      else if (error != NULL)
        g_message ("could not give %s the new local API key: %s", ag_agent_get_name (agent), error->message);
    }
  g_task_return_pointer (task, g_strv_builder_end (updated), (GDestroyNotify) g_strfreev);
}

void
ag_agent_setup_hand_over_key_async (const char *base_url, const char *old_key, const char *new_key,
                                    GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  TaskData *data = g_new0 (TaskData, 1);

  data->base_url = g_strdup (base_url);
  data->api_key = g_strdup (new_key);
  data->old_key = g_strdup (old_key);
  g_task_set_source_tag (task, ag_agent_setup_hand_over_key_async);
  g_task_set_task_data (task, data, (GDestroyNotify) task_data_free);
  g_task_run_in_thread (task, hand_over_thread);
}

char **
ag_agent_setup_hand_over_key_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
