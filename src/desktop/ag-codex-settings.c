/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "ag-codex-settings.h"

#include <string.h>

#define PROVIDER "agcl"
#define PROVIDER_TABLE "[model_providers." PROVIDER "]"

char *
ag_codex_settings_default_path (void)
{
  const char *home = g_getenv ("CODEX_HOME");

  if (home != NULL && *home != '\0')
    return g_build_filename (home, "config.toml", NULL);
  return g_build_filename (g_get_home_dir (), ".codex", "config.toml", NULL);
}

static gboolean
is_blank (const char *line)
{
  while (*line == ' ' || *line == '\t')
    line++;
  return *line == '\0';
}

static gboolean
is_header (const char *line)
{
  while (*line == ' ' || *line == '\t')
    line++;
  return *line == '[';
}

/* The bare key of a "key = value" line, or NULL. */
static char *
line_key (const char *line)
{
  const char *equals = strchr (line, '=');
  g_autofree char *key = NULL;

  if (equals == NULL || is_header (line))
    return NULL;
  key = g_strstrip (g_strndup (line, equals - line));
  if (*key == '#' || *key == '\0')
    return NULL;
  return g_steal_pointer (&key);
}

/* The value of a "key = value" line: a basic string unquoted, anything else up to a comment, trimmed. */
static char *
line_value (const char *line)
{
  const char *value = strchr (line, '=') + 1;
  GString *out = g_string_new (NULL);

  while (*value == ' ' || *value == '\t')
    value++;
  if (*value != '"')
    {
      const char *comment = strchr (value, '#');
      g_autofree char *raw = comment != NULL ? g_strndup (value, comment - value) : g_strdup (value);

      g_string_free (out, TRUE);
      return g_strdup (g_strstrip (raw));
    }
  for (value++; *value != '\0' && *value != '"'; value++)
    {
      if (*value == '\\' && value[1] != '\0')
        value++;
      g_string_append_c (out, *value);
    }
  return g_string_free (out, FALSE);
}

/* key = "value", as a TOML basic string. */
static char *
key_line (const char *key, const char *value)
{
  GString *out = g_string_new (NULL);

  g_string_append_printf (out, "%s = \"", key);
  for (const char *p = value; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_c (out, '\\');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
  return g_string_free (out, FALSE);
}

static guint
find_key (GPtrArray *lines, guint from, guint to, const char *key)
{
  for (guint i = from; i < to; i++)
    {
      g_autofree char *found = line_key (lines->pdata[i]);

      if (g_strcmp0 (found, key) == 0)
        return i;
    }
  return G_MAXUINT;
}

static guint
next_header (GPtrArray *lines, guint from)
{
  for (guint i = from; i < lines->len; i++)
    if (is_header (lines->pdata[i]))
      return i;
  return lines->len;
}

/* Sets @key in the lines [from, *to): replaces its line, or inserts one after the region's last non-blank line.
 * @value NULL removes the key. */
static void
set_key (GPtrArray *lines, guint from, guint *to, const char *table, const char *key, const char *value,
         gboolean secret, GString *changes)
{
  guint at = find_key (lines, from, *to, key);
  g_autofree char *old = at != G_MAXUINT ? line_value (lines->pdata[at]) : NULL;
  g_autofree char *change = NULL;

  if (g_strcmp0 (old, value) == 0)
    return;
  change = ag_settings_file_change (old, secret && old != NULL, value, secret);
  g_string_append_printf (changes, "%s%s%s: %s\n", table != NULL ? table : "", table != NULL ? " " : "", key, change);
  if (value == NULL)
    {
      g_ptr_array_remove_index (lines, at);
      (*to)--;
      return;
    }
  if (at != G_MAXUINT)
    {
      g_free (lines->pdata[at]);
      lines->pdata[at] = key_line (key, value);
      return;
    }
  at = *to;
  while (at > from && is_blank (lines->pdata[at - 1]))
    at--;
  g_ptr_array_insert (lines, at, key_line (key, value));
  (*to)++;
}

char *
ag_codex_settings_update (const char *toml, const AgAgentTarget *target, GString *changes)
{
  g_auto(GStrv) split = g_strsplit (toml, "\n", -1);
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *base_url = g_strconcat (target->base_url, "/v1", NULL);
  gboolean has_key = target->api_key != NULL && *target->api_key != '\0';
  GString *out = g_string_new (NULL);
  guint top_end, table = G_MAXUINT, table_end;

  for (guint i = 0; split[i] != NULL; i++)
    if (split[i + 1] != NULL || *split[i] != '\0')
      g_ptr_array_add (lines, g_strdup (split[i]));

  top_end = next_header (lines, 0);
  set_key (lines, 0, &top_end, NULL, "model_provider", PROVIDER, FALSE, changes);
  set_key (lines, 0, &top_end, NULL, "model", target->model != NULL ? target->model : AG_CODEX_DEFAULT_MODEL, FALSE,
           changes);

  for (guint i = top_end; i < lines->len && table == G_MAXUINT; i++)
    {
      g_autofree char *trimmed = g_strstrip (g_strdup (lines->pdata[i]));

      if (g_str_equal (trimmed, PROVIDER_TABLE))
        table = i;
    }
  if (table == G_MAXUINT)
    {
      if (lines->len > 0 && !is_blank (lines->pdata[lines->len - 1]))
        g_ptr_array_add (lines, g_strdup (""));
      g_ptr_array_add (lines, g_strdup (PROVIDER_TABLE));
      table = lines->len - 1;
    }
  table_end = next_header (lines, table + 1);
  set_key (lines, table + 1, &table_end, PROVIDER_TABLE, "name", "ag-cl", FALSE, changes);
  set_key (lines, table + 1, &table_end, PROVIDER_TABLE, "base_url", base_url, FALSE, changes);
  set_key (lines, table + 1, &table_end, PROVIDER_TABLE, "wire_api", "responses", FALSE, changes);
  /* The key goes in the provider itself: an env_key would need a variable in every shell Codex starts from. */
  set_key (lines, table + 1, &table_end, PROVIDER_TABLE, "env_key", NULL, FALSE, changes);
  set_key (lines, table + 1, &table_end, PROVIDER_TABLE, "experimental_bearer_token", has_key ? target->api_key : NULL,
           TRUE, changes);

  for (guint i = 0; i < lines->len; i++)
    g_string_append_printf (out, "%s\n", (char *) lines->pdata[i]);
  return g_string_free (out, FALSE);
}

char *
ag_codex_settings_preview (const char *path, const AgAgentTarget *target, GError **error)
{
  g_autoptr(GString) changes = g_string_new (NULL);
  g_autofree char *updated = NULL;
  gboolean exists;
  g_autofree char *toml = ag_settings_file_read (path, &exists, error);

  if (toml == NULL)
    return NULL;
  updated = ag_codex_settings_update (toml, target, changes);
  return ag_settings_file_preview_text (path, exists, changes, "Codex");
}

gboolean
ag_codex_settings_apply (const char *path, const AgAgentTarget *target, char **backup_path, GError **error)
{
  g_autoptr(GString) changes = g_string_new (NULL);
  g_autofree char *updated = NULL;
  gboolean exists;
  g_autofree char *toml = ag_settings_file_read (path, &exists, error);

  if (toml == NULL)
    return FALSE;
  updated = ag_codex_settings_update (toml, target, changes);
  if (changes->len == 0)
    return TRUE;
  /* Private: the file may now hold the local API key. */
  return ag_settings_file_write (path, updated, backup_path, error);
}
