/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "ag-claude-settings.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#define ENV_BASE_URL "ANTHROPIC_BASE_URL"
#define ENV_AUTH_TOKEN "ANTHROPIC_AUTH_TOKEN"
#define ENV_API_KEY "ANTHROPIC_API_KEY"
/* Without any credential Claude Code asks for a sign-in; the proxy accepts anything when no local key is set. */
#define PLACEHOLDER_TOKEN "ag-cl"
#define MASKED "••••••••"

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

/* Reads @path as a JSON object; a missing or blank file is an empty object (*@exists tells which). */
static JsonObject *
load_settings (const char *path, gboolean *exists, GError **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *contents = NULL;
  gsize length = 0;
  JsonNode *root;

  *exists = FALSE;
  if (!g_file_load_contents (file, NULL, &contents, &length, NULL, &local_error))
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        return json_object_new ();
      g_set_error (error, local_error->domain, local_error->code, _("Cannot read %s: %s"), path,
                   local_error->message);
      return NULL;
    }
  *exists = TRUE;

  if (!json_parser_load_from_data (parser, contents, (gssize) length, &local_error))
    {
      /* json-glib says "<data>:LINE:COL: Parse error: …"; name the file instead. */
      const char *detail = local_error->message;
      if (g_str_has_prefix (detail, "<data>:"))
        detail += strlen ("<data>:");
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("%s:%s (the file is not valid JSON and was left unchanged)"), path, detail);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL)
    return json_object_new ();
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("%s does not contain a JSON object and was left unchanged"), path);
      return NULL;
    }
  return json_object_ref (json_node_get_object (root));
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

/* The file as an object (*@exists: whether there was one) and its "env" object in *@env (NULL when it has none);
 * NULL with @error when either cannot be used. */
static JsonObject *
load_settings_and_env (const char *path, gboolean *exists, JsonObject **env, GError **error)
{
  g_autoptr(JsonObject) settings = load_settings (path, exists, error);
  GError *local_error = NULL;

  if (settings == NULL)
    return NULL;
  *env = lookup_env (settings, &local_error, path);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }
  return g_steal_pointer (&settings);
}

static const char *
shown_value (const char *value, gboolean secret)
{
  if (value == NULL)
    return _("(not set)");
  return secret ? MASKED : value;
}

static char *
build_preview (const char *path, const char *base_url, const char *api_key, GError **error)
{
  g_autoptr(JsonObject) settings = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *heading = NULL;
  EnvChange changes[2];
  JsonObject *env;
  gboolean exists;
  guint n;

  settings = load_settings_and_env (path, &exists, &env, error);
  if (settings == NULL)
    return NULL;

  n = plan_changes (env, base_url, api_key, changes);
  for (guint i = 0; i < n; i++)
    {
      const char *old = env != NULL ? json_object_get_string_member_with_default (env, changes[i].key, NULL) : NULL;
      /* A previous value that is not ours may be a real Anthropic key. */
      gboolean old_secret = old != NULL && !g_str_equal (changes[i].key, ENV_BASE_URL) &&
                            !g_str_equal (old, PLACEHOLDER_TOKEN);

      if (g_strcmp0 (old, changes[i].value) == 0)
        continue;
      g_string_append_printf (text, "env.%s: %s → %s\n", changes[i].key, shown_value (old, old_secret),
                              shown_value (changes[i].value, changes[i].secret));
    }

  if (text->len == 0)
    return g_strdup_printf (_("%s already points Claude Code at this proxy; nothing changes.\n"), path);
  heading = exists ? g_strdup_printf (_("Changes to %s:\n"), path) : g_strdup_printf (_("%s will be created:\n"), path);
  g_string_prepend (text, heading);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

char *
ag_claude_settings_preview (const char *path, const char *base_url, const char *api_key, GError **error)
{
  g_return_val_if_fail (path != NULL && base_url != NULL, NULL);
  return build_preview (path, base_url, api_key, error);
}

/* JSON.stringify (value, null, 2) layout, the way Claude Code writes the file (json-glib's pretty printer puts a
 * space before every colon). Scalars are serialized by json-glib. */
static void
write_node (GString *out, JsonNode *node, guint depth)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);
      g_autoptr(GList) members = json_object_get_members (object);

      if (members == NULL)
        {
          g_string_append (out, "{}");
          return;
        }
      g_string_append (out, "{\n");
      for (GList *l = members; l != NULL; l = l->next)
        {
          g_autoptr(JsonNode) key = json_node_init_string (json_node_alloc (), l->data);
          g_autofree char *quoted = json_to_string (key, FALSE);

          g_string_append_printf (out, "%*s%s: ", (int) (depth + 1) * 2, "", quoted);
          write_node (out, json_object_get_member (object, l->data), depth + 1);
          g_string_append (out, l->next != NULL ? ",\n" : "\n");
        }
      g_string_append_printf (out, "%*s}", (int) depth * 2, "");
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      guint length = json_array_get_length (array);

      if (length == 0)
        {
          g_string_append (out, "[]");
          return;
        }
      g_string_append (out, "[\n");
      for (guint i = 0; i < length; i++)
        {
          g_string_append_printf (out, "%*s", (int) (depth + 1) * 2, "");
          write_node (out, json_array_get_element (array, i), depth + 1);
          g_string_append (out, i + 1 < length ? ",\n" : "\n");
        }
      g_string_append_printf (out, "%*s]", (int) depth * 2, "");
    }
  else
    {
      g_autofree char *scalar = json_to_string (node, FALSE);
      g_string_append (out, scalar);
    }
}

/* PATH.bak-YYYYMMDD-HHMMSS, with a counter when two writes fall in the same second. */
static char *
make_backup (GFile *file, const char *path, GError **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");

  for (guint attempt = 0; ; attempt++)
    {
      g_autofree char *backup_path = attempt == 0 ? g_strdup_printf ("%s.bak-%s", path, stamp)
                                                  : g_strdup_printf ("%s.bak-%s-%u", path, stamp, attempt);
      g_autoptr(GFile) backup = g_file_new_for_path (backup_path);
      g_autoptr(GError) local_error = NULL;

      if (g_file_copy (file, backup, G_FILE_COPY_ALL_METADATA, NULL, NULL, NULL, &local_error))
        return g_steal_pointer (&backup_path);
      if (!g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_EXISTS) || attempt >= 100)
        {
          g_set_error (error, local_error->domain, local_error->code, _("Cannot back up %s: %s"), path,
                       local_error->message);
          return NULL;
        }
    }
}

gboolean
ag_claude_settings_apply (const char *path, const char *base_url, const char *api_key,
                          char **backup_path, GError **error)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFile) dir = NULL;
  g_autoptr(JsonObject) settings = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree char *backup = NULL;
  EnvChange changes[2];
  JsonObject *env;
  gboolean exists;
  guint n;

  g_return_val_if_fail (path != NULL && base_url != NULL, FALSE);

  settings = load_settings_and_env (path, &exists, &env, error);
  if (settings == NULL)
    return FALSE;
  if (env == NULL)
    {
      env = json_object_new ();
      json_object_set_object_member (settings, "env", env);
    }
  n = plan_changes (env, base_url, api_key, changes);
  for (guint i = 0; i < n; i++)
    json_object_set_string_member (env, changes[i].key, changes[i].value);

  file = g_file_new_for_path (path);
  dir = g_file_get_parent (file);
  if (!g_file_make_directory_with_parents (dir, NULL, &local_error) &&
      !g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_EXISTS))
    {
      g_set_error (error, local_error->domain, local_error->code, _("Cannot create %s: %s"),
                   g_file_peek_path (dir), local_error->message);
      return FALSE;
    }

  if (exists && (backup = make_backup (file, path, error)) == NULL)
    return FALSE;

  root = json_node_init_object (json_node_alloc (), settings);
  write_node (out, root, 0);
  g_string_append_c (out, '\n');
  /* Private: the file may now hold the local API key. replace_contents writes a temporary file and renames it. */
  if (!g_file_replace_contents (file, out->str, out->len, NULL, FALSE, G_FILE_CREATE_PRIVATE, NULL, NULL,
                                &local_error))
    {
      g_set_error (error, local_error->domain, local_error->code, _("Cannot write %s: %s"), path,
                   local_error->message);
      return FALSE;
    }

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
  g_autoptr(JsonObject) settings = NULL;
  EnvChange changes[2];
  JsonObject *env;
  gboolean exists;
  guint n;

  settings = load_settings_and_env (path, &exists, &env, error);
  if (settings == NULL)
    return FALSE;
  if (!exists || env == NULL || g_strcmp0 (json_object_get_string_member_with_default (env, ENV_BASE_URL, NULL),
                                           base_url) != 0)
    return FALSE;
  n = plan_changes (env, base_url, api_key, changes);
  for (guint i = 0; i < n; i++)
    if (g_strcmp0 (json_object_get_string_member_with_default (env, changes[i].key, NULL), changes[i].value) != 0)
      return TRUE;
  return FALSE;
}

static void
give_key_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  TaskData *data = task_data;
  GError *error = NULL;
  gboolean needed = has_text (data->api_key) && needs_key (data->path, data->base_url, data->api_key, &error);

  if (error == NULL && needed)
    {
      g_autofree char *backup = NULL;

      ag_claude_settings_apply (data->path, data->base_url, data->api_key, &backup, &error);
    }
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_int (task, needed);
}

void
ag_claude_settings_give_key_async (const char *path, const char *base_url, const char *api_key,
                                   GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GTask) task = new_task (path, base_url, api_key, cancellable, callback, user_data,
                                    ag_claude_settings_give_key_async);

  g_task_run_in_thread (task, give_key_thread);
}

gboolean
ag_claude_settings_give_key_finish (GAsyncResult *result, gboolean *updated, GError **error)
{
  gssize value;

  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  value = g_task_propagate_int (G_TASK (result), error);
  if (value < 0)
    return FALSE;
  if (updated != NULL)
    *updated = value > 0;
  return TRUE;
}
