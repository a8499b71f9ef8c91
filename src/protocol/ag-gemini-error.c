/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "ag-gemini-error.h"

const char *
ag_gemini_error_status (guint status)
{
  switch (status)
    {
    case 400: case 413: return "INVALID_ARGUMENT";
    case 401: return "UNAUTHENTICATED";
    case 403: return "PERMISSION_DENIED";
    case 404: return "NOT_FOUND";
    case 405: return "UNIMPLEMENTED";
    case 429: return "RESOURCE_EXHAUSTED";
    case 499: return "CANCELLED";
    case 503: case 529: return "UNAVAILABLE";
    case 504: return "DEADLINE_EXCEEDED";
    default:  return status >= 500 ? "INTERNAL" : "FAILED_PRECONDITION";
    }
}

JsonNode *
ag_gemini_error_node (guint status, const char *anthropic_type, const char *message)
{
  JsonObject *root = json_object_new ();
  JsonObject *error = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_object_set_int_member (error, "code", status);
  json_object_set_string_member (error, "message", message != NULL ? message : "");
  json_object_set_string_member (error, "status", ag_gemini_error_status (status));
  json_object_set_object_member (root, "error", error);
  json_node_take_object (node, root);
  return node;
}

guint
ag_gemini_error_code_for_type (const char *anthropic_type)
{
  if (g_strcmp0 (anthropic_type, "rate_limit_error") == 0)
    return 429;
  if (g_strcmp0 (anthropic_type, "overloaded_error") == 0)
    return 503;
  if (g_strcmp0 (anthropic_type, "invalid_request_error") == 0)
    return 400;
  return 500;
}
