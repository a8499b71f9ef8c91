/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-request-fields.h — strict typed access to fields of a client's request: a wrong type is the client's mistake
 * and fails with an AG_PROTOCOL_ERROR_INVALID_REQUEST whose message starts with the field's path
 * ("messages.2.content.0.text"), for the 400 answer. Upstream data is read leniently instead, with ag-json.h. */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* "@parent.@name", or @name alone when @parent is NULL or empty; free with g_free. */
char    *ag_field_path (const char *parent, const char *name);
char    *ag_field_index_path (const char *parent, guint index);
void     ag_field_set_error (GError **error, const char *path, const char *format, ...) G_GNUC_PRINTF (3, 4);

/* Each reads member @name of @object (path @parent.@name in errors). A missing member or JSON null leaves *@value
 * untouched and succeeds unless @required; any other type fails. */
gboolean ag_field_string  (JsonObject *object, const char *parent, const char *name, gboolean required,
                           const char **value, GError **error);
gboolean ag_field_int     (JsonObject *object, const char *parent, const char *name, gboolean required,
                           gint64 *value, GError **error);
gboolean ag_field_number  (JsonObject *object, const char *parent, const char *name, gboolean required,
                           double *value, GError **error);
gboolean ag_field_boolean (JsonObject *object, const char *parent, const char *name, gboolean required,
                           gboolean *value, GError **error);
gboolean ag_field_object  (JsonObject *object, const char *parent, const char *name, gboolean required,
                           JsonObject **value, GError **error);
gboolean ag_field_array   (JsonObject *object, const char *parent, const char *name, gboolean required,
                           JsonArray **value, GError **error);

/* Element @index of @array as an object, or an error naming "@parent.@index". */
JsonObject *ag_field_array_object (JsonArray *array, const char *parent, guint index, GError **error);

G_END_DECLS
