/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-mock-generate.h — the mock's Cloud Code payloads: GenerateContentResponse chunks built the way Claude and
 * Gemini deliver them through v1internal, Google RPC error bodies (presets included), and the duration formats
 * Google uses in them. Pure JSON building, no I/O. */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Default thought signatures (base64, > 100 chars): Claude's start with 'E', Gemini's decode to 0x12 … */
#define AG_MOCK_CLAUDE_SIGNATURE \
  "EqQDCkYIBxgCKkDmockClaudeSignatureZ3VhcmFudGVlZCB0byBiZSBsb25nIGVub3VnaCBmb3IgdGhlIHZhbGlkaXR5IGNoZWNr" \
  "c0FBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFB"
#define AG_MOCK_GEMINI_SIGNATURE \
  "ErADCq0DAdHtim9mockGeminiSignatureQ2hhbmdlZCBieSB0aGUgbW9jayB0byBiZSBsb25nIGVub3VnaCBmb3IgdGhlIGNoZWNr" \
  "cw0KZ2VtaW5pLTMtZmxhc2gtc2lnbmF0dXJlLXBsYWNlaG9sZGVy"
#define AG_MOCK_BAN_MESSAGE \
  "This service has been disabled in this account for violation of Terms of Service. If you believe this is an " \
  "error, contact us through the appeal page."
#define AG_MOCK_APPEAL_URL "https://support.google.com/accounts/contact/disabled2?mock=1"
#define AG_MOCK_INELIGIBLE_TIER_MESSAGE \
  "IneligibleTierError: This client is no longer supported for Gemini Code Assist for individuals. Please " \
  "migrate to Antigravity: https://antigravity.google"
#define AG_MOCK_VALIDATION_URL \
  "https://accounts.google.com/signin/continue?sarp=1&scc=1&plt=AKgnsbMockValidation"
#define AG_MOCK_DEFAULT_TEXT     "Hello from the mock."
#define AG_MOCK_DEFAULT_THOUGHT  "The user greets me. I will answer with a short greeting."

/* The chunks (GenerateContentResponse nodes) of the answer described by @respond (the script's text/thinking/
 * signature/function_call/finish_reason/usage form; NULL = default answer) to the v1internal @envelope whose
 * body was @request_bytes long. @split: several chunks as streamed; otherwise one chunk with every part. */
GPtrArray *ag_mock_generate_chunks (JsonObject *respond, JsonObject *envelope, gsize request_bytes, gboolean split);
/* Merges chunks into one GenerateContentResponse (the unary generateContent answer). */
JsonNode  *ag_mock_merge_chunks (GPtrArray *chunks);
/* A random trace id (16 lowercase hex digits), like the traceId of every v1internal answer. */
char      *ag_mock_trace_id (void);

/* {"error":{code,message,status}} with Google's canonical status name and message for @http_status. */
JsonNode  *ag_mock_error_body (guint http_status, const char *message);
/* Expands an "error_preset" (see ag-mock-server.h) for @model (may be NULL). @respond supplies the options
 * ("retry_delay", "reset_delay", "message", "validation_url", "model"). NULL with @error for an unknown preset
 * or a bad duration. */
JsonNode  *ag_mock_error_preset (const char *preset, JsonObject *respond, const char *model, guint *out_status,
                                 GError **error);
gboolean   ag_mock_error_preset_is_known (const char *preset);

/* Go time.Duration text ("2h21m25.831582438s", "479.417207ms", "0.4s") ↔ nanoseconds. */
gboolean   ag_mock_parse_duration (const char *text, gint64 *out_ns);
char      *ag_mock_format_go_duration (gint64 ns);
/* Protobuf JSON Duration: seconds with 0, 3, 6 or 9 decimals ("0.400s", "391609.795772632s"). */
char      *ag_mock_format_proto_duration (gint64 ns);

G_END_DECLS
