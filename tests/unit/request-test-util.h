/* SPDX-License-Identifier: GPL-3.0-or-later */
/* request-test-util.h — structural JSON comparison for the request-side tests: member order is ignored, array
 * order and every value are not; a failure names the first differing path and prints both documents. */
#pragma once

#include <json-glib/json-glib.h>
#include <math.h>

static inline gboolean
request_test_json_equal (JsonNode *a, JsonNode *b, GString *path)
{
  if (JSON_NODE_TYPE (a) != JSON_NODE_TYPE (b))
    return FALSE;
  switch (JSON_NODE_TYPE (a))
    {
    case JSON_NODE_NULL:
      return TRUE;
    case JSON_NODE_VALUE:
      {
        GType ta = json_node_get_value_type (a), tb = json_node_get_value_type (b);
        gboolean numeric_a = ta == G_TYPE_INT64 || ta == G_TYPE_DOUBLE;
        gboolean numeric_b = tb == G_TYPE_INT64 || tb == G_TYPE_DOUBLE;

        if (numeric_a && numeric_b)
          {
            if (ta == G_TYPE_INT64 && tb == G_TYPE_INT64)
              return json_node_get_int (a) == json_node_get_int (b);
            return fabs (json_node_get_double (a) - json_node_get_double (b)) < 1e-9;
          }
        if (ta != tb)
          return FALSE;
        if (ta == G_TYPE_STRING)
          return g_str_equal (json_node_get_string (a), json_node_get_string (b));
        return json_node_get_boolean (a) == json_node_get_boolean (b);
      }
    case JSON_NODE_ARRAY:
      {
        JsonArray *xa = json_node_get_array (a), *xb = json_node_get_array (b);
        gsize mark = path->len;

        if (json_array_get_length (xa) != json_array_get_length (xb))
          return FALSE;
        for (guint i = 0; i < json_array_get_length (xa); i++)
          {
            g_string_append_printf (path, ".%u", i);
            if (!request_test_json_equal (json_array_get_element (xa, i), json_array_get_element (xb, i), path))
              return FALSE;
            g_string_truncate (path, mark);
          }
        return TRUE;
      }
    case JSON_NODE_OBJECT:
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
                !request_test_json_equal (json_object_get_member (oa, l->data), json_object_get_member (ob, l->data),
                                          path))
              return FALSE;
            g_string_truncate (path, mark);
          }
        return TRUE;
      }
    default:
      return FALSE;
    }
}

static inline JsonNode *
request_test_parse (const char *text)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (text, &error);

  g_assert_no_error (error);
  g_assert_nonnull (node);
  return node;
}

#define request_test_assert_json(actual, expected) \
  G_STMT_START { \
    g_autoptr(GString) where_ = g_string_new ("$"); \
    if (!request_test_json_equal ((actual), (expected), where_)) \
      { \
        g_autofree char *actual_text_ = json_to_string ((actual), TRUE); \
        g_autofree char *expected_text_ = json_to_string ((expected), TRUE); \
        g_test_message ("first difference at %s\nactual:\n%s\nexpected:\n%s", where_->str, actual_text_, \
                        expected_text_); \
        g_test_fail (); \
      } \
  } G_STMT_END
