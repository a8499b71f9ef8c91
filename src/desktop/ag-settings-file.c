/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "ag-settings-file.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#define MASKED "••••••••"

char *
ag_settings_file_read (const char *path, gboolean *exists, GError **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) local_error = NULL;
  char *contents = NULL;

  *exists = FALSE;
  if (!g_file_load_contents (file, NULL, &contents, NULL, NULL, &local_error))
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        return g_strdup ("");
      g_set_error (error, local_error->domain, local_error->code, _("Cannot read %s: %s"), path,
                   local_error->message);
      return NULL;
    }
  *exists = TRUE;
  return contents;
}

JsonObject *
ag_settings_file_read_json (const char *path, gboolean *exists, GError **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;
  g_autofree char *contents = ag_settings_file_read (path, exists, error);
  JsonNode *root;

  if (contents == NULL)
    return NULL;
  if (!json_parser_load_from_data (parser, contents, -1, &local_error))
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

/* JSON.stringify (value, null, 2) layout, the way the clients write their files (json-glib's pretty printer puts a
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

char *
ag_settings_file_json_text (JsonObject *object)
{
  g_autoptr(JsonNode) root = json_node_init_object (json_node_alloc (), object);
  GString *out = g_string_new (NULL);

  write_node (out, root, 0);
  g_string_append_c (out, '\n');
  return g_string_free (out, FALSE);
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
ag_settings_file_write (const char *path, const char *contents, char **backup_path, GError **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFile) dir = g_file_get_parent (file);
  g_autoptr(GError) local_error = NULL;
  g_autofree char *backup = NULL;

  if (!g_file_make_directory_with_parents (dir, NULL, &local_error) &&
      !g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_EXISTS))
    {
      g_set_error (error, local_error->domain, local_error->code, _("Cannot create %s: %s"),
                   g_file_peek_path (dir), local_error->message);
      return FALSE;
    }
  g_clear_error (&local_error);
  if (g_file_query_exists (file, NULL) && (backup = make_backup (file, path, error)) == NULL)
    return FALSE;
  /* replace_contents writes a temporary file and renames it over the old one. */
  if (!g_file_replace_contents (file, contents, strlen (contents), NULL, FALSE, G_FILE_CREATE_PRIVATE, NULL, NULL,
                                &local_error))
    {
      g_set_error (error, local_error->domain, local_error->code, _("Cannot write %s: %s"), path,
                   local_error->message);
      return FALSE;
    }
  /* A replaced file keeps its old mode; it may now hold the local API key. */
  if (g_chmod (path, 0600) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), _("Cannot make %s private: %s"), path,
                   g_strerror (saved));
      return FALSE;
    }
  if (backup_path != NULL)
    *backup_path = g_steal_pointer (&backup);
  return TRUE;
}

char *
ag_settings_file_change (const char *old_value, gboolean old_secret, const char *new_value, gboolean new_secret)
{
  const char *shown_old = old_value == NULL ? _("(not set)") : old_secret ? MASKED : old_value;
  const char *shown_new = new_value == NULL ? _("(not set)") : new_secret ? MASKED : new_value;

  return g_strdup_printf ("%s → %s", shown_old, shown_new);
}

char *
ag_settings_file_preview_text (const char *path, gboolean exists, GString *changes, const char *client)
{
  g_autofree char *heading = NULL;

  if (changes->len == 0)
    return g_strdup_printf (_("%s already points %s at this proxy; nothing changes.\n"), path, client);
  heading = exists ? g_strdup_printf (_("Changes to %s:\n"), path) : g_strdup_printf (_("%s will be created:\n"), path);
  return g_strconcat (heading, changes->str, NULL);
}
