/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-openai-error.h — OpenAI-shaped error bodies {"error":{"message","type","param","code"}}, for the Chat
 * Completions and Responses surfaces, from the Anthropic error categories the rest of ag-cl speaks. */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* OpenAI's error type for an Anthropic one (nullable: derived from @status): invalid_request_error,
 * authentication_error, permission_error, not_found_error, rate_limit_error or server_error. */
const char *ag_openai_error_type (guint status, const char *anthropic_type);
JsonNode   *ag_openai_error_node (guint status, const char *anthropic_type, const char *message);
/* The same error object written as JSON text into @out. */
void        ag_openai_error_append (GString *out, guint status, const char *anthropic_type, const char *message);

G_END_DECLS
