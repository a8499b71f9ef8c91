/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-release-notes.c — a release's notes from the metainfo; see the header. */
#include "ag-release-notes.h"

#include <string.h>

typedef struct {
  const char *wanted;
  char       *version;          /* of the release being read */
  GString    *notes;            /* its description, while inside one */
  guint       depth;            /* elements open inside <description> */
  char       *chosen_version;
  char       *chosen;           /* the wanted release's notes, or the first (newest) one's */
  gboolean    chosen_exact;
} Reader;

static void
start_element (GMarkupParseContext *context, const char *name, const char **attribute_names,
               const char **attribute_values, gpointer user_data, GError **error)
{
  Reader *reader = user_data;

  if (g_str_equal (name, "release"))
    {
      g_free (reader->version);
      reader->version = NULL;
      for (guint i = 0; attribute_names[i] != NULL; i++)
        if (g_str_equal (attribute_names[i], "version"))
          reader->version = g_strdup (attribute_values[i]);
    }
  else if (reader->notes != NULL)
    {
      g_string_append_printf (reader->notes, "<%s>", name);
      reader->depth++;
    }
  else if (g_str_equal (name, "description") && reader->version != NULL)
    reader->notes = g_string_new (NULL);
}

static void
end_element (GMarkupParseContext *context, const char *name, gpointer user_data, GError **error)
{
  Reader *reader = user_data;

  if (reader->notes != NULL && reader->depth > 0)
    {
      g_string_append_printf (reader->notes, "</%s>", name);
      reader->depth--;
    }
  else if (reader->notes != NULL && g_str_equal (name, "description"))
    {
      gboolean exact = g_strcmp0 (reader->version, reader->wanted) == 0;
      char *notes = g_strstrip (g_string_free (g_steal_pointer (&reader->notes), FALSE));

      if (reader->chosen == NULL || (exact && !reader->chosen_exact))
        {
          g_free (reader->chosen);
          g_free (reader->chosen_version);
          reader->chosen = notes;
          reader->chosen_version = g_strdup (reader->version);
          reader->chosen_exact = exact;
        }
      else
        g_free (notes);
    }
  else if (g_str_equal (name, "release"))
    g_clear_pointer (&reader->version, g_free);
}

static void
text (GMarkupParseContext *context, const char *content, gsize length, gpointer user_data, GError **error)
{
  Reader *reader = user_data;
  g_autofree char *escaped = NULL;

  if (reader->notes == NULL)
    return;
  escaped = g_markup_escape_text (content, length);
  g_string_append (reader->notes, escaped);
}

char *
ag_release_notes_from_metainfo (const char *metainfo, const char *version, char **found_version, GError **error)
{
  static const GMarkupParser parser = { start_element, end_element, text, NULL, NULL };
  Reader reader = { .wanted = version };
  g_autoptr(GMarkupParseContext) context = g_markup_parse_context_new (&parser, 0, &reader, NULL);
  gboolean parsed = g_markup_parse_context_parse (context, metainfo, -1, error) &&
                    g_markup_parse_context_end_parse (context, error);

  g_free (reader.version);
  if (reader.notes != NULL)
    g_string_free (reader.notes, TRUE);
  if (!parsed || reader.chosen == NULL)
    {
      if (parsed)
        g_set_error_literal (error, G_MARKUP_ERROR, G_MARKUP_ERROR_INVALID_CONTENT, "the metainfo has no release");
      g_free (reader.chosen);
      g_free (reader.chosen_version);
      return NULL;
    }
  if (found_version != NULL)
    *found_version = reader.chosen_version;
  else
    g_free (reader.chosen_version);
  return reader.chosen;
}
