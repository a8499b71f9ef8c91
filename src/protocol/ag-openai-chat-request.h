/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-openai-chat-request.h — the OpenAI Chat Completions front translator: a /v1/chat/completions body read into the
 * Anthropic Messages shape that is ag-cl's internal call description, so the rest of the request side (contents,
 * tools, thinking, signatures, session ids) is the one the Anthropic surface uses. Pure. */
#pragma once

#include <json-glib/json-glib.h>
#include "ag-client-request.h"

G_BEGIN_DECLS

/* Validates @body (errors are AG_PROTOCOL_ERROR_INVALID_REQUEST naming the OpenAI field, e.g.
 * "messages.3.tool_call_id: no earlier assistant tool call has the id \"x\"") and returns the equivalent Anthropic
 * Messages body. */
JsonObject      *ag_openai_chat_to_messages (JsonObject *body, GError **error);
/* The surface's read_request: the translated body as an AgClientRequest, with include_usage from stream_options
 * and the session from prompt_cache_key. */
AgClientRequest *ag_openai_chat_request_read (JsonObject *body, GError **error);

/* Shared with the Responses front translator: an OpenAI reasoning effort ("none", "minimal", "low", "medium",
 * "high", "xhigh") set on an Anthropic body as thinking + output_config.effort. NULL leaves the body as it is. */
void ag_openai_set_reasoning_effort (JsonObject *messages_body, const char *effort);
/* An image URL (a data: URL or http(s)) as an Anthropic image block; NULL with an error naming @path when it is
 * neither. */
JsonObject *ag_openai_image_block (const char *url, const char *path, GError **error);
/* Content under @member of @holder (path @path.@member in errors): a string, or parts of text (text, input_text,
 * output_text; refusals are skipped) and, with @images, images (Chat's image_url {url}, Responses' input_image),
 * appended to @blocks as Anthropic blocks. */
gboolean    ag_openai_read_content (JsonObject *holder, const char *member, const char *path, gboolean images,
                                    JsonArray *blocks, GError **error);
/* An output format, Chat's response_format or Responses' text.format (@path names it in errors; NULL: none):
 * "text" changes nothing, json_object and json_schema set output_config.format on @out. */
gboolean    ag_openai_read_format (JsonObject *format, const char *path, JsonObject *out, GError **error);
/* temperature and top_p, copied when given. */
gboolean    ag_openai_read_sampling (JsonObject *body, JsonObject *out, GError **error);
/* A function call's arguments, a JSON object in a string (empty or NULL: none), as the node of a tool_use input;
 * NULL with an error naming @path.arguments when the string holds anything else. */
JsonNode   *ag_openai_read_arguments (const char *arguments, const char *path, GError **error);
/* An Anthropic text block. */
JsonObject *ag_openai_text_block (const char *text);
/* An Anthropic tool_use block; takes @input. */
JsonObject *ag_openai_tool_use_block (const char *id, const char *name, JsonNode *input);
/* A function tool's parameters as an Anthropic tool {"name","description","input_schema"}. */
JsonObject *ag_openai_tool (const char *name, const char *description, JsonObject *parameters);

G_END_DECLS
