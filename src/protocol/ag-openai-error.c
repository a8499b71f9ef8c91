/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "ag-openai-error.h"
#include "ag-anthropic-error.h"
#include "ag-json-writer.h"

const char *
ag_openai_error_type (guint status, const char *anthropic_type)
{
  const char *type = anthropic_type != NULL ? anthropic_type : ag_anthropic_error_type_for_status (status);

  /* OpenAI's clients pick their exception from the status; the type is for people and logs. */
  if (g_str_equal (type, "api_error") || g_str_equal (type, "overloaded_error"))
    return "server_error";
  if (g_str_equal (type, "request_too_large"))
    return "invalid_request_error";
  return type;
}

static const char *
error_code (guint status)
{
  switch (status)
    {
    case 401: return "invalid_api_key";
    case 404: return "model_not_found";
    case 429: return "rate_limit_exceeded";
    default:  return NULL;
    }
}

JsonNode *
ag_openai_error_node (guint status, const char *anthropic_type, const char *message)
{
  JsonObject *root = json_object_new ();
  JsonObject *error = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_object_set_string_member (error, "message", message != NULL ? message : "");
  json_object_set_string_member (error, "type", ag_openai_error_type (status, anthropic_type));
  json_object_set_null_member (error, "param");
  if (error_code (status) != NULL)
    json_object_set_string_member (error, "code", error_code (status));
  else
    json_object_set_null_member (error, "code");
  json_object_set_object_member (root, "error", error);
  json_node_take_object (node, root);
  return node;
}

void
ag_openai_error_append (GString *out, guint status, const char *anthropic_type, const char *message)
{
  ag_json_append_literal (out, "{\"error\":{\"message\":");
  ag_json_append_string (out, message != NULL ? message : "");
  ag_json_append_literal (out, ",\"type\":");
  ag_json_append_string (out, ag_openai_error_type (status, anthropic_type));
  ag_json_append_literal (out, ",\"param\":null,\"code\":");
  if (error_code (status) != NULL)
    ag_json_append_string (out, error_code (status));
  else
    ag_json_append_literal (out, "null");
  ag_json_append_literal (out, "}}");
}
