/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-gemini-request.h — the Gemini generateContent front translator (what the Gemini CLI and the google-genai SDKs
 * send to a custom base URL): the body is already Gemini's GenerateContentRequest, so reading checks it and
 * translating wraps it for Cloud Code, with cleaned tool schemas, a session id and Claude's thinking budget.
 * Function calls, thought signatures and a Gemini model's thinkingConfig pass through. Pure. */
#pragma once

#include <json-glib/json-glib.h>
#include "ag-client-request.h"
#include "ag-request-translator.h"

G_BEGIN_DECLS

/* The parts of a Gemini route: "/v1beta/models/gemini-3-flash:streamGenerateContent" (any prefix before "models/")
 * gives the model and the action. FALSE for a path that is not one. */
gboolean         ag_gemini_path_parse (const char *path, char **model, char **action);

/* Validates @body for @model ("contents" of role user/model with parts; a functionResponse must answer an earlier
 * functionCall of that name) and reads it. @stream: the action was streamGenerateContent. */
AgClientRequest *ag_gemini_request_read (JsonObject *body, const char *model, gboolean stream, GError **error);
/* The Cloud Code request for a read body (the surface's translate). */
AgTranslatedRequest *ag_gemini_request_translate (const AgClientRequest *request, const AgTranslateOptions *options,
                                                  GError **error);

G_END_DECLS
