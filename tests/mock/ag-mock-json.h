/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-mock-json.h — type-checked member access for script and request JSON: scripts and client bodies may hold
 * anything, and json-glib's plain getters raise criticals on a wrong type. */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

static inline JsonNode *
ag_mock_json_member (JsonObject *object, const char *name)
{
  return object != NULL ? json_object_get_member (object, name) : NULL;
}

static inline const char *
ag_mock_json_string (JsonObject *object, const char *name)
{
  JsonNode *node = ag_mock_json_member (object, name);

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING
         ? json_node_get_string (node) : NULL;
}

static inline JsonObject *
ag_mock_json_object (JsonObject *object, const char *name)
{
  JsonNode *node = ag_mock_json_member (object, name);

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static inline JsonArray *
ag_mock_json_array (JsonObject *object, const char *name)
{
  JsonNode *node = ag_mock_json_member (object, name);

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

static inline gint64
ag_mock_json_int (JsonObject *object, const char *name, gint64 fallback)
{
  JsonNode *node = ag_mock_json_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return fallback;
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_INT64:
      return json_node_get_int (node);
    case G_TYPE_DOUBLE:
      return (gint64) json_node_get_double (node);
    default:
      return fallback;
    }
}

static inline gboolean
ag_mock_json_bool (JsonObject *object, const char *name, gboolean fallback)
{
  JsonNode *node = ag_mock_json_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return fallback;
  return json_node_get_boolean (node);
}

G_END_DECLS
