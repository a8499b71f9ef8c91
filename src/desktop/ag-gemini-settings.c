/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "ag-gemini-settings.h"

#include <glib/gi18n.h>
#include <string.h>

char *
ag_gemini_settings_default_dir (void)
{
  return g_build_filename (g_get_home_dir (), ".gemini", NULL);
}

/* The variable a .env line sets ("KEY=…" or "export KEY=…"), or NULL. */
static char *
env_line_key (const char *line)
{
  const char *equals = strchr (line, '=');
  g_autofree char *key = NULL;

  if (equals == NULL)
    return NULL;
  key = g_strstrip (g_strndup (line, equals - line));
  if (g_str_has_prefix (key, "export ") || g_str_has_prefix (key, "export\t"))
    {
      char *rest = g_strdup (g_strstrip (key + strlen ("export")));
      g_free (key);
      key = rest;
    }
  return *key != '\0' && *key != '#' ? g_steal_pointer (&key) : NULL;
}

static char *
env_line_value (const char *line)
{
  g_autofree char *value = g_strstrip (g_strdup (strchr (line, '=') + 1));
  gsize length = strlen (value);

  if (length >= 2 && (value[0] == '"' || value[0] == '\'') && value[length - 1] == value[0])
    return g_strndup (value + 1, length - 2);
  return g_steal_pointer (&value);
}

static void
set_env (GPtrArray *lines, const char *key, const char *value, gboolean secret, GString *changes)
{
  guint at = G_MAXUINT;
  g_autofree char *old = NULL;
  g_autofree char *change = NULL;

  for (guint i = 0; i < lines->len && at == G_MAXUINT; i++)
    {
      g_autofree char *found = env_line_key (lines->pdata[i]);

      if (g_strcmp0 (found, key) == 0)
        at = i;
    }
  old = at != G_MAXUINT ? env_line_value (lines->pdata[at]) : NULL;
  if (g_strcmp0 (old, value) == 0)
    return;
  change = ag_settings_file_change (old, secret && old != NULL && !g_str_equal (old, AG_AGENT_PLACEHOLDER_KEY),
                                    value, secret);
  g_string_append_printf (changes, ".env %s: %s\n", key, change);
  /* Our values are URLs, keys and words: nothing that needs quoting in a .env file. */
  if (at != G_MAXUINT)
    {
      g_free (lines->pdata[at]);
      lines->pdata[at] = g_strdup_printf ("%s=%s", key, value);
    }
  else
    g_ptr_array_add (lines, g_strdup_printf ("%s=%s", key, value));
}

char *
ag_gemini_settings_update_env (const char *env, const AgAgentTarget *target, GString *changes)
{
  g_auto(GStrv) split = g_strsplit (env, "\n", -1);
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  gboolean has_key = target->api_key != NULL && *target->api_key != '\0';
  GString *out = g_string_new (NULL);

  for (guint i = 0; split[i] != NULL; i++)
    if (split[i + 1] != NULL || *split[i] != '\0')
      g_ptr_array_add (lines, g_strdup (split[i]));
  set_env (lines, "GOOGLE_GEMINI_BASE_URL", target->base_url, FALSE, changes);
  set_env (lines, "GEMINI_API_KEY", has_key ? target->api_key : AG_AGENT_PLACEHOLDER_KEY, has_key, changes);
  /* The key also as a bearer token: x-goog-api-key alone is not what every ag-cl version checks. */
  set_env (lines, "GEMINI_API_KEY_AUTH_MECHANISM", "bearer", FALSE, changes);
  for (guint i = 0; i < lines->len; i++)
    g_string_append_printf (out, "%s\n", (char *) lines->pdata[i]);
  return g_string_free (out, FALSE);
}

/* Member @name of @object as an object, created when missing; NULL with an error when it is something else. */
static JsonObject *
ensure_object (JsonObject *object, const char *name, const char *path, GError **error)
{
  JsonNode *member = json_object_get_member (object, name);

  if (member == NULL)
    {
      json_object_set_object_member (object, name, json_object_new ());
      return json_object_get_object_member (object, name);
    }
  if (!JSON_NODE_HOLDS_OBJECT (member))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("In %s, “%s” is not a JSON object; the file was left unchanged"), path, name);
      return NULL;
    }
  return json_node_get_object (member);
}

static void
set_string (JsonObject *object, const char *key, const char *label, const char *value, GString *changes)
{
  const char *old = json_object_get_string_member_with_default (object, key, NULL);
  g_autofree char *change = NULL;

  if (g_strcmp0 (old, value) == 0)
    return;
  change = ag_settings_file_change (old, FALSE, value, FALSE);
  g_string_append_printf (changes, "settings.json %s: %s\n", label, change);
  json_object_set_string_member (object, key, value);
}

/* settings.json with API-key sign-in and the model; NULL with an error when its shape is not the CLI's. */
static char *
update_settings (JsonObject *settings, const char *path, const AgAgentTarget *target, GString *changes,
                 GError **error)
{
  JsonObject *security, *auth, *model;

  if ((security = ensure_object (settings, "security", path, error)) == NULL ||
      (auth = ensure_object (security, "auth", path, error)) == NULL ||
      (model = ensure_object (settings, "model", path, error)) == NULL)
    return NULL;
  /* Without it, headless runs refuse a custom base URL ("Invalid auth method selected."). */
  set_string (auth, "selectedType", "security.auth.selectedType", "gemini-api-key", changes);
  set_string (model, "name", "model.name", target->model != NULL ? target->model : AG_GEMINI_DEFAULT_MODEL, changes);
  return ag_settings_file_json_text (settings);
}

typedef struct {
  char    *settings_path, *env_path;
  char    *settings_text, *env_text;   /* the files as they would be written */
  gboolean settings_exists, env_exists;
  GString *settings_changes, *env_changes;
} Plan;

static void
plan_clear (Plan *plan)
{
  g_free (plan->settings_path);
  g_free (plan->env_path);
  g_free (plan->settings_text);
  g_free (plan->env_text);
  if (plan->settings_changes != NULL)
    g_string_free (plan->settings_changes, TRUE);
  if (plan->env_changes != NULL)
    g_string_free (plan->env_changes, TRUE);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Plan, plan_clear)

static gboolean
make_plan (Plan *plan, const char *dir, const AgAgentTarget *target, GError **error)
{
  g_autoptr(JsonObject) settings = NULL;
  g_autofree char *env = NULL;

  plan->settings_path = g_build_filename (dir, "settings.json", NULL);
  plan->env_path = g_build_filename (dir, ".env", NULL);
  plan->settings_changes = g_string_new (NULL);
  plan->env_changes = g_string_new (NULL);
  if ((settings = ag_settings_file_read_json (plan->settings_path, &plan->settings_exists, error)) == NULL ||
      (env = ag_settings_file_read (plan->env_path, &plan->env_exists, error)) == NULL)
    return FALSE;
  plan->settings_text = update_settings (settings, plan->settings_path, target, plan->settings_changes, error);
  plan->env_text = ag_gemini_settings_update_env (env, target, plan->env_changes);
  return plan->settings_text != NULL;
}

char *
ag_gemini_settings_preview (const char *dir, const AgAgentTarget *target, GError **error)
{
  g_auto(Plan) plan = { 0 };
  g_autofree char *settings = NULL, *env = NULL;

  if (!make_plan (&plan, dir, target, error))
    return NULL;
  settings = ag_settings_file_preview_text (plan.settings_path, plan.settings_exists, plan.settings_changes,
                                            "the Gemini CLI");
  env = ag_settings_file_preview_text (plan.env_path, plan.env_exists, plan.env_changes, "the Gemini CLI");
  return g_strconcat (settings, env, NULL);
}

gboolean
ag_gemini_settings_apply (const char *dir, const AgAgentTarget *target, GPtrArray *backups, GError **error)
{
  g_auto(Plan) plan = { 0 };
  char *backup = NULL;

  if (!make_plan (&plan, dir, target, error))
    return FALSE;
  if (plan.settings_changes->len > 0)
    {
      if (!ag_settings_file_write (plan.settings_path, plan.settings_text, &backup, error))
        return FALSE;
      if (backup != NULL)
        g_ptr_array_add (backups, g_steal_pointer (&backup));
    }
  /* Private: .env holds the local API key. */
  if (plan.env_changes->len > 0)
    {
      if (!ag_settings_file_write (plan.env_path, plan.env_text, &backup, error))
        return FALSE;
      if (backup != NULL)
        g_ptr_array_add (backups, g_steal_pointer (&backup));
    }
  return TRUE;
}
