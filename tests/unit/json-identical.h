/* SPDX-License-Identifier: GPL-3.0-or-later */
/* json-identical.h — stricter than json_node_equal(): the same node and value types (an integer is not a double),
 * doubles bit for bit, strings byte for byte, members in the same order. Shared by the JSON parser's unit test
 * and fuzzer. */
#pragma once

#include <json-glib/json-glib.h>
#include <string.h>

static inline gboolean
json_identical (JsonNode *a, JsonNode *b)
{
  if (a == NULL || b == NULL)
    return a == b;
  if (JSON_NODE_TYPE (a) != JSON_NODE_TYPE (b))
    return FALSE;
  switch (JSON_NODE_TYPE (a))
    {
    case JSON_NODE_NULL:
      return TRUE;
    case JSON_NODE_VALUE:
      if (json_node_get_value_type (a) != json_node_get_value_type (b))
        return FALSE;
      switch (json_node_get_value_type (a))
        {
        case G_TYPE_INT64:
          return json_node_get_int (a) == json_node_get_int (b);
        case G_TYPE_BOOLEAN:
          return json_node_get_boolean (a) == json_node_get_boolean (b);
        case G_TYPE_STRING:
          return strcmp (json_node_get_string (a), json_node_get_string (b)) == 0;
        case G_TYPE_DOUBLE:
          {
            double x = json_node_get_double (a), y = json_node_get_double (b);

            return memcmp (&x, &y, sizeof x) == 0;
          }
        default:
          return FALSE;
        }
    case JSON_NODE_ARRAY:
      {
        JsonArray *x = json_node_get_array (a), *y = json_node_get_array (b);

        if (json_array_get_length (x) != json_array_get_length (y))
          return FALSE;
        for (guint i = 0; i < json_array_get_length (x); i++)
          if (!json_identical (json_array_get_element (x, i), json_array_get_element (y, i)))
            return FALSE;
        return TRUE;
      }
    case JSON_NODE_OBJECT:
      {
        JsonObject *x = json_node_get_object (a), *y = json_node_get_object (b);
        GList *names_x = json_object_get_members (x), *names_y = json_object_get_members (y);
        gboolean same = g_list_length (names_x) == g_list_length (names_y);

        for (GList *l = names_x, *m = names_y; same && l != NULL; l = l->next, m = m->next)
          same = strcmp (l->data, m->data) == 0 &&
                 json_identical (json_object_get_member (x, l->data), json_object_get_member (y, m->data));
        g_list_free (names_x);
        g_list_free (names_y);
        return same;
      }
    default:
      return FALSE;
    }
}
