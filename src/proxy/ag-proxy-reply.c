/* SPDX-License-Identifier: GPL-3.0-or-later */
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

void
ag_proxy_reply_set_retry_advice (SoupServerMessage *msg, const AgLeaseAnswer *answer)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  if (answer->retry_after_s > 0)
    {
      g_autofree char *seconds = g_strdup_printf ("%u", answer->retry_after_s);

      soup_message_headers_replace (headers, "retry-after", seconds);
    }
  if (answer->no_retry)
    soup_message_headers_replace (headers, "x-should-retry", "false");
}
