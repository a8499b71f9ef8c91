/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-anthropic-error.h — Anthropic-shaped error bodies {"type":"error","error":{"type","message"}} and the
 * mapping from HTTP statuses and upstream failures to them. */
#pragma once

#include <json-glib/json-glib.h>
#include "ag-google-error.h"

G_BEGIN_DECLS

/* 400 invalid_request_error, 401 authentication_error, 403 permission_error, 404 not_found_error,
 * 413 request_too_large, 429 rate_limit_error, 529 overloaded_error, anything else ≥ 500 api_error. */
const char *ag_anthropic_error_type_for_status (guint status);
/* The error object as JSON text. */
char       *ag_anthropic_error_body (const char *error_type, const char *message);
JsonNode   *ag_anthropic_error_node (const char *error_type, const char *message);
/* What to tell the client for an upstream failure: the status to answer with and a message a person can act
 * on (never a token). */
guint       ag_anthropic_error_from_google (const AgGoogleError *error, const char **error_type, char **message);

G_END_DECLS
