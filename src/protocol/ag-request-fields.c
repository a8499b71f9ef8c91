/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "ag-request-fields.h"

#include "ag-protocol-error.h"

char *
ag_field_path (const char *parent, const char *name)
{
  if (parent == NULL || *parent == '\0')
    return g_strdup (name);
  return g_strconcat (parent, ".", name, NULL);
}

char *
ag_field_index_path (const char *parent, guint index)
{
  g_autofree char *name = g_strdup_printf ("%u", index);
  return ag_field_path (parent, name);
}

void
ag_field_set_error (GError **error, const char *path, const char *format, ...)
{
  g_autofree char *detail = NULL;
  va_list args;

  va_start (args, format);
  detail = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, AG_PROTOCOL_ERROR, AG_PROTOCOL_ERROR_INVALID_REQUEST, "%s: %s", path, detail);
}

/* The member when present and not null; otherwise NULL, with an error when @required. */
static JsonNode *
present_member (JsonObject *object, const char *parent, const char *name, gboolean required,
                gboolean *ok, GError **error)
{
  JsonNode *node = json_object_get_member (object, name);

  *ok = TRUE;
  if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
    return node;
  if (required)
    {
      g_autofree char *path = ag_field_path (parent, name);
      ag_field_set_error (error, path, "field required");
      *ok = FALSE;
    }
  return NULL;
}

static gboolean
type_error (const char *parent, const char *name, const char *expected, GError **error)
{
  g_autofree char *path = ag_field_path (parent, name);

  ag_field_set_error (error, path, "must be %s", expected);
  return FALSE;
}

static gboolean
holds_value_type (JsonNode *node, GType type)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == type;
}

gboolean
ag_field_string (JsonObject *object, const char *parent, const char *name, gboolean required,
                 const char **value, GError **error)
{
  gboolean ok;
  JsonNode *node = present_member (object, parent, name, required, &ok, error);

  if (node == NULL)
    return ok;
  if (!holds_value_type (node, G_TYPE_STRING))
    return type_error (parent, name, "a string", error);
  *value = json_node_get_string (node);
  return TRUE;
}

gboolean
ag_field_int (JsonObject *object, const char *parent, const char *name, gboolean required,
              gint64 *value, GError **error)
{
  gboolean ok;
  JsonNode *node = present_member (object, parent, name, required, &ok, error);

  if (node == NULL)
    return ok;
  if (!holds_value_type (node, G_TYPE_INT64))
    return type_error (parent, name, "an integer", error);
  *value = json_node_get_int (node);
  return TRUE;
}

gboolean
ag_field_number (JsonObject *object, const char *parent, const char *name, gboolean required,
                 double *value, GError **error)
{
  gboolean ok;
  JsonNode *node = present_member (object, parent, name, required, &ok, error);

  if (node == NULL)
    return ok;
  if (holds_value_type (node, G_TYPE_INT64))
    *value = (double) json_node_get_int (node);
  else if (holds_value_type (node, G_TYPE_DOUBLE))
    *value = json_node_get_double (node);
  else
    return type_error (parent, name, "a number", error);
  return TRUE;
}

gboolean
ag_field_boolean (JsonObject *object, const char *parent, const char *name, gboolean required,
                  gboolean *value, GError **error)
{
  gboolean ok;
  JsonNode *node = present_member (object, parent, name, required, &ok, error);

  if (node == NULL)
    return ok;
  if (!holds_value_type (node, G_TYPE_BOOLEAN))
    return type_error (parent, name, "a boolean", error);
  *value = json_node_get_boolean (node);
  return TRUE;
}

gboolean
ag_field_object (JsonObject *object, const char *parent, const char *name, gboolean required,
                 JsonObject **value, GError **error)
{
  gboolean ok;
  JsonNode *node = present_member (object, parent, name, required, &ok, error);

  if (node == NULL)
    return ok;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return type_error (parent, name, "an object", error);
  *value = json_node_get_object (node);
  return TRUE;
}

gboolean
ag_field_array (JsonObject *object, const char *parent, const char *name, gboolean required,
                JsonArray **value, GError **error)
{
  gboolean ok;
  JsonNode *node = present_member (object, parent, name, required, &ok, error);

  if (node == NULL)
    return ok;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return type_error (parent, name, "an array", error);
  *value = json_node_get_array (node);
  return TRUE;
}

JsonObject *
ag_field_array_object (JsonArray *array, const char *parent, guint index, GError **error)
{
  JsonNode *node = json_array_get_element (array, index);

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_autofree char *path = ag_field_index_path (parent, index);
      ag_field_set_error (error, path, "must be an object");
      return NULL;
    }
  return json_node_get_object (node);
}
