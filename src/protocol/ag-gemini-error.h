/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-gemini-error.h — Google-shaped error bodies {"error":{"code","message","status"}} for the Gemini surface, which
 * the Gemini CLI and the google-genai SDKs read. */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Google's status word for an HTTP status: INVALID_ARGUMENT, UNAUTHENTICATED, NOT_FOUND, RESOURCE_EXHAUSTED, …. */
const char *ag_gemini_error_status (guint status);
/* @anthropic_type is unused by the shape (Google speaks in statuses) but kept for the surface's signature. */
JsonNode   *ag_gemini_error_node (guint status, const char *anthropic_type, const char *message);
/* The HTTP status an Anthropic error category stands for, for errors known only by category (in-stream). */
guint       ag_gemini_error_code_for_type (const char *anthropic_type);

G_END_DECLS
