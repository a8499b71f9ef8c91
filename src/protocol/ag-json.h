/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-json.h — lenient typed reads of untrusted JSON (upstream answers, Google's replies, stored records): a member
 * that is missing or of another type reads as absent (NULL or the default), never as an error or a critical.
 * For a client's request, where a wrong type must be reported with its path, use ag-request-fields.h instead. */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Every function accepts a NULL @object (a parent that was itself absent) and then reads nothing. */

/* Member @name when it is a JSON string, else NULL. Owned by @object. */
const char *ag_json_string     (JsonObject *object, const char *name);
/* The same, copied; free with g_free. */
char       *ag_json_dup_string (JsonObject *object, const char *name);
/* Member @name when it is a JSON object / array, else NULL. Owned by @object. */
JsonObject *ag_json_object     (JsonObject *object, const char *name);
JsonArray  *ag_json_array      (JsonObject *object, const char *name);
/* Member @name when it is a JSON number (a fraction is cut off; a double beyond the gint64 range, or not a
 * number, does not count), else @default_value. */
gint64      ag_json_int        (JsonObject *object, const char *name, gint64 default_value);
/* Member @name when it is a JSON number (integer or not), else @default_value. */
double      ag_json_double     (JsonObject *object, const char *name, double default_value);
/* Member @name when it is true or false, else @default_value. */
gboolean    ag_json_bool       (JsonObject *object, const char *name, gboolean default_value);

/* Element @index of @array when it is a JSON object, else NULL (also for a NULL @array or an index past the end). */
JsonObject *ag_json_array_object (JsonArray *array, guint index);

G_END_DECLS
