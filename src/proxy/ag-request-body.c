/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-request-body.c — a request's JSON body; see the header. */
#include "ag-request-body.h"
#include "ag-protocol-error.h"

static gboolean
is_blank (const char *data, gsize length)
{
  for (gsize i = 0; i < length; i++)
    if (data[i] != ' ' && data[i] != '\t' && data[i] != '\n' && data[i] != '\r')
      return FALSE;
  return TRUE;
}

/* Parsed with the reusable reader the stream decoder uses: a Claude Code request is often 100 KB of JSON, and
 * json-glib's own parser is several times slower on it. What is accepted, and the error for what is not, stay
 * json-glib's (the reader hands anything unusual to it). */
JsonObject *
ag_request_body_parse (AgJsonParser *parser, SoupServerMessage *msg, GError **error)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (body);
  g_autoptr(JsonNode) root = NULL;
  gsize length = 0;
  const char *data = g_bytes_get_data (bytes, &length);

  if (length == 0)
    {
      g_set_error_literal (error, AG_PROTOCOL_ERROR, AG_PROTOCOL_ERROR_INVALID_REQUEST,
                           "the request body is empty; expected a JSON object");
      return NULL;
    }
  if (!g_utf8_validate (data, length, NULL))
    {
      g_set_error_literal (error, AG_PROTOCOL_ERROR, AG_PROTOCOL_ERROR_INVALID_REQUEST,
                           "the request body is not valid UTF-8");
      return NULL;
    }
  if (!is_blank (data, length) && (root = ag_json_parser_parse (parser, data, length, error)) == NULL)
    {
      g_prefix_error (error, "the request body is not valid JSON: ");
      if (*error != NULL)
        {
          (*error)->domain = AG_PROTOCOL_ERROR;
          (*error)->code = AG_PROTOCOL_ERROR_INVALID_REQUEST;
        }
      return NULL;
    }
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, AG_PROTOCOL_ERROR, AG_PROTOCOL_ERROR_INVALID_REQUEST,
                           "the request body must be a JSON object");
      return NULL;
    }
  return json_object_ref (json_node_get_object (root));
}

