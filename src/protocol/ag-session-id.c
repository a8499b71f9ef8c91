/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "ag-session-id.h"
#include "ag-json.h"

#include <string.h>

char *
ag_session_id_find (const char *header, JsonObject *body)
{
  JsonObject *metadata;
  const char *user_id;
  const char *marker;

  if (header != NULL && header[0] != '\0')
    return g_strdup (header);
  metadata = ag_json_object (body, "metadata");
  user_id = metadata != NULL ? ag_json_string (metadata, "user_id") : NULL;
  if (user_id == NULL)
    return NULL;
  if (user_id[0] == '{')
    {
      g_autoptr(JsonNode) parsed = json_from_string (user_id, NULL);

      /* Anything but a string (an object, a number) names no session. */
      return parsed != NULL && JSON_NODE_HOLDS_OBJECT (parsed)
               ? ag_json_dup_string (json_node_get_object (parsed), "session_id") : NULL;
    }
  marker = g_strrstr (user_id, "_session_");
  return marker != NULL ? g_strdup (marker + strlen ("_session_")) : NULL;
}
