/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "ag-test-json.h"

JsonNode *
ag_test_parse_json_text (const char *text)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (text, &error);

  if (node == NULL)
    g_test_message ("not JSON: %s", text);
  g_assert_no_error (error);
  g_assert_nonnull (node);
  return node;
}

JsonNode *
ag_test_parse_json (GBytes *body)
{
  g_autofree char *text = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));

  return ag_test_parse_json_text (text);
}

/* Appends to @path where @a and @b first differ; FALSE when they do. */
static gboolean
find_difference (JsonNode *a, JsonNode *b, GString *path)
{
  if (JSON_NODE_TYPE (a) != JSON_NODE_TYPE (b))
    return FALSE;
  if (JSON_NODE_HOLDS_ARRAY (a))
    {
      JsonArray *xa = json_node_get_array (a), *xb = json_node_get_array (b);
      gsize mark = path->len;

      if (json_array_get_length (xa) != json_array_get_length (xb))
        return FALSE;
      for (guint i = 0; i < json_array_get_length (xa); i++)
        {
          g_string_append_printf (path, ".%u", i);
          if (!find_difference (json_array_get_element (xa, i), json_array_get_element (xb, i), path))
            return FALSE;
          g_string_truncate (path, mark);
        }
      return TRUE;
    }
  if (JSON_NODE_HOLDS_OBJECT (a))
    {
      JsonObject *oa = json_node_get_object (a), *ob = json_node_get_object (b);
      g_autoptr(GList) members = json_object_get_members (oa);
      gsize mark = path->len;

      if (json_object_get_size (oa) != json_object_get_size (ob))
        return FALSE;
      for (GList *l = members; l != NULL; l = l->next)
        {
          g_string_append_printf (path, ".%s", (const char *) l->data);
          if (!json_object_has_member (ob, l->data) ||
              !find_difference (json_object_get_member (oa, l->data), json_object_get_member (ob, l->data), path))
            return FALSE;
          g_string_truncate (path, mark);
        }
      return TRUE;
    }
  return json_node_equal (a, b);
}

void
ag_test_json_check (const char *file, int line, const char *func, JsonNode *actual, JsonNode *expected)
{
  g_autoptr(GString) where = g_string_new ("$");
  g_autofree char *actual_text = NULL;
  g_autofree char *expected_text = NULL;
  g_autofree char *message = NULL;

  if (json_node_equal (actual, expected))
    return;
  find_difference (actual, expected, where);
  actual_text = json_to_string (actual, TRUE);
  expected_text = json_to_string (expected, TRUE);
  message = g_strdup_printf ("JSON differs, first at %s\nactual:\n%s\nexpected:\n%s", where->str, actual_text,
                             expected_text);
  g_assertion_message (G_LOG_DOMAIN, file, line, func, message);
}
