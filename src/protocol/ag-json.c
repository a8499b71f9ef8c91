/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-json.c — lenient typed reads of untrusted JSON. json-glib's own json_object_get_*_member() emit a critical
 * on a type mismatch, which upstream data must never be able to cause. */
#include "ag-json.h"

static JsonNode *
value_member (JsonObject *object, const char *name, GType type)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == type ? node : NULL;
}

const char *
ag_json_string (JsonObject *object, const char *name)
{
  JsonNode *node = value_member (object, name, G_TYPE_STRING);

  return node != NULL ? json_node_get_string (node) : NULL;
}

char *
ag_json_dup_string (JsonObject *object, const char *name)
{
  return g_strdup (ag_json_string (object, name));
}

JsonObject *
ag_json_object (JsonObject *object, const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

JsonArray *
ag_json_array (JsonObject *object, const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

gint64
ag_json_int (JsonObject *object, const char *name, gint64 default_value)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;
  GType type = node != NULL && JSON_NODE_HOLDS_VALUE (node) ? json_node_get_value_type (node) : G_TYPE_INVALID;
  double value;

  if (type == G_TYPE_INT64)
    return json_node_get_int (node);
  if (type != G_TYPE_DOUBLE)
    return default_value;
  value = json_node_get_double (node);
  /* Casting a double outside the range (or NaN) is undefined behaviour: such a value reads as absent. Within it,
   * the cast cuts the fraction off. */
  if (!(value >= -9223372036854775808.0 && value < 9223372036854775808.0))
    return default_value;
  return (gint64) value;
}

double
ag_json_double (JsonObject *object, const char *name, double default_value)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;
  GType type = node != NULL && JSON_NODE_HOLDS_VALUE (node) ? json_node_get_value_type (node) : G_TYPE_INVALID;

  if (type == G_TYPE_DOUBLE)
    return json_node_get_double (node);
  if (type == G_TYPE_INT64)
    return (double) json_node_get_int (node);
  return default_value;
}

gboolean
ag_json_bool (JsonObject *object, const char *name, gboolean default_value)
{
  JsonNode *node = value_member (object, name, G_TYPE_BOOLEAN);

  return node != NULL ? json_node_get_boolean (node) : default_value;
}

JsonObject *
ag_json_array_object (JsonArray *array, guint index)
{
  JsonNode *node;

  if (array == NULL || index >= json_array_get_length (array))
    return NULL;
  node = json_array_get_element (array, index);
  return JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}
