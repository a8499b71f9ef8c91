/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "ag-session-id.h"
#include "ag-json.h"

#include <string.h>

/* CLIProxyAPI's scheme: "-" and the first 8 bytes of SHA-256 of the first user message as a 63-bit decimal,
 * so the same conversation keeps the same session upstream; random when there is no text to hash. */
char *
ag_session_id_derive (const char *first_user_text)
{
  guint64 value = 0;

  if (first_user_text != NULL && *first_user_text != '\0')
    {
      g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
      guint8 digest[32];
      gsize digest_length = sizeof digest;

      g_checksum_update (checksum, (const guchar *) first_user_text, (gssize) strlen (first_user_text));
      g_checksum_get_digest (checksum, digest, &digest_length);
      for (guint i = 0; i < 8; i++)
        value = (value << 8) | digest[i];
    }
  else
    value = ((guint64) g_random_int () << 32) | g_random_int ();
  return g_strdup_printf ("-%" G_GUINT64_FORMAT, value & G_GUINT64_CONSTANT (0x7fffffffffffffff));
}

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
