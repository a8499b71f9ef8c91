#include "ag-proxy-reply.h"
#include "ag-anthropic-error.h"

#include <string.h>

void
ag_proxy_reply_json (SoupServerMessage *msg, guint status, JsonNode *body)
{
  char *text = json_to_string (body, FALSE);
  gsize length = strlen (text);

  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, text, length);
  /* Unpausing a message that isn't paused is harmless in libsoup 3.2. */
  soup_server_message_unpause (msg);
}

void
ag_proxy_reply_error (SoupServerMessage *msg, guint status, const char *error_type, const char *message)
{
  g_autoptr(JsonNode) body = NULL;

  if (error_type == NULL)
    error_type = ag_anthropic_error_type_for_status (status);
  body = ag_anthropic_error_node (error_type, message);
  ag_proxy_reply_json (msg, status, body);
}

GBytes *
ag_proxy_format_sse_event (const char *event_name, JsonNode *data)
{
  g_autofree char *json = json_to_string (data, FALSE);
  GString *text = g_string_sized_new (strlen (json) + 32);

  g_string_append (text, "event: ");
  g_string_append (text, event_name);
  g_string_append (text, "\ndata: ");
  g_string_append (text, json);
  g_string_append (text, "\n\n");
  return g_string_free_to_bytes (text);
}
