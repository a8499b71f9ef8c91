/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-mock-server.h — a mock of Google's side for tests: OAuth token + userinfo, and Cloud Code v1internal
 * (loadCodeAssist, onboardUser, fetchAvailableModels, retrieveUserQuotaSummary, countTokens, streamGenerateContent,
 * generateContent),
 * speaking the wire format of docs/upstream-cloudcode.md. Runs in-process (tests link it) or as the
 * ag-mock-cloudcode program. Scriptable per test, in C or over HTTP:
 *
 *   GET|POST /_mock/verify?account=EMAIL   finishes the verification of an account scripted "verification"
 *   POST /_mock/script    replace the script (JSON, format below); POST /_mock/reset clears script + log
 *   GET  /_mock/requests  the recorded requests:
 * [{"method","path","query","headers":{lowercased…},"remote":"<peer address>","account":"<email of the bearer
 * token or of the /token form's refresh_token>"|null,"body":<json|string>}]
 *
 * URLs served (base = http://127.0.0.1:PORT): /token (form POST), /userinfo (GET, Bearer), /auth (GET, the
 * consent page: redirects to redirect_uri?code=…&state=…&scope=…), /v1internal:<method> (any path prefix before
 * "/v1internal:" is accepted, so "BASE/a" and "BASE/b" can stand for two endpoints). Every v1internal call needs
 * "Authorization: Bearer <access token issued by /token and not expired>", else 401 UNAUTHENTICATED (with
 * WWW-Authenticate). Issued access tokens survive set_script and reset while their account's email still exists.
 *
 * OAuth: /token needs client_id. grant_type=refresh_token → {"access_token":"ya29.mock-<n>-<32 alnum>",
 * "expires_in","scope","token_type":"Bearer"}; unknown token → 400 {"error":"invalid_grant","error_description":
 * "Bad Request"}, revoked → "Token has been expired or revoked.". grant_type=authorization_code with a single-use
 * code from /auth, the same redirect_uri, and (when /auth got a code_challenge, method S256 only) a code_verifier
 * whose S256 matches → also "refresh_token"; else invalid_grant ("Malformed auth code.", "Missing code verifier.",
 * "Invalid code verifier.") or redirect_uri_mismatch. /auth picks the account named by login_hint, else the first.
 *
 * Validation (400 INVALID_ARGUMENT with a google.rpc.BadRequest fieldViolation): generate calls need "project",
 * "model" and a non-empty "request.contents"; countTokens accepts only {"request":{…}} (any other top-level key →
 * "Invalid JSON payload received. Unknown name \"project\": Cannot find field."); onboardUser needs tierId/tier_id.
 * streamGenerateContent without ?alt=sse answers one JSON array of the same responses, as Google does.
 * History (before any script rule; ag-mock-history.h): a thoughtSignature the mock never issued for the model's
 * family (Gemini: 400 "Corrupted thought signature."; Claude: "messages.N.content.M: Invalid `signature` in
 * `thinking` block" inside Google's message, as Vertex wraps it), a Gemini functionCall without a signature in the
 * current turn ("Function call is missing a thought_signature …"; "skip_thought_signature_validator" is accepted),
 * a call not answered by the next content or an answer to no call (Claude's tool_use/tool_result messages, Gemini's
 * "Please ensure that …"), a Claude tool-use id used twice, a Claude tool loop under thinking whose calling turn lost
 * the thinking the mock made it with ("Expected `thinking` or `redacted_thinking`, but found `tool_use`…"), and an input of more than the model's maxTokens, counted as ceil(body bytes / 4)
 * ("prompt is too long: N tokens > M maximum" / "The input token count (N) exceeds …"). Issued signatures are the
 * AG_MOCK_* defaults and every one the mock has sent; they survive reset.
 *
 * Script (every key optional; defaults in brackets):
 * {
 *   "accounts": [ {"refresh_token": ["rt-1"], "email": ["user1@example.com"], "project": ["proj-1"],
 *                  "name": ["Mock User 1"], "access_token": [none] — a pre-issued token that never expires,
 *                  "onboard": [false] — true: loadCodeAssist has no project (nor currentTier) until onboardUser
 *                                       finished (onboardUser is pending on its first call, done from the second),
 *                  "revoked": [false] — /token answers 400 {"error":"invalid_grant"},
 *                  "banned", "verification", "validation_url", "gemini_cli": what Google holds against the
 *                                       account (ag-mock-account-state.h), and "weekly_exhausted",
 *                                       "weekly_reset_in", "credits": its quota windows and AI credits (same file),
 *                  "expires_in": [3600]} ]   — the Nth account's defaults use N (rt-2, user2@example.com, proj-2);
 *   "models": {<id>: {model object}} — the fetchAvailableModels "models" map [claude-opus-4-6-thinking,
 *              claude-sonnet-4-6, gemini-3-flash, gemini-3.1-pro-high with quotaInfo{remainingFraction 1, resetTime
 *              in 5 h}, maxTokens, maxOutputTokens, supportsThinking, thinkingBudget, displayName, recommended],
 *   "deprecated_model_ids": {…} — fetchAvailableModels "deprecatedModelIds" [gemini-3-pro-high → gemini-3.1-pro-high],
 *   "web_search_model_ids": […] — fetchAvailableModels "webSearchModelIds"; googleSearch grounding and its refusal
 *              beside functionDeclarations: ag-mock-grounding.h (a respond's "grounding"),
 *   "count_tokens": [<totalTokens> computed as ceil(bytes of the request body / 4)],
 *   "generate": [ rule, … ]  — for streamGenerateContent/generateContent, first matching rule wins;
 *                              when none matches, the default answer is a short text ("Hello from the mock.").
 * }
 * rule: {
 *   "match": { "text_contains": "…" (any text part of the LAST content), "model": "…" (exact),
 *              "function_response_contains": "…" (a functionResponse of the LAST content, as JSON text),
 *              "has_function_response": true|false, "account": "email",
 *              "method": "loadCodeAssist"|"onboardUser"|"fetchAvailableModels"|"countTokens"|… — the rule then
 *                        applies to that v1internal method instead of generation },   all optional
 *   "times": N — consumed after N uses (default unlimited),
 *   "respond": response
 * }
 * response (one of):
 *   {"status": 429|500|…, "error": {Google error object: code,message,status,details}}  → JSON error body
 *   {"error_preset": name, options…}                           → Google's exact bodies (see below)
 *   {"status": N}  (N ≠ 200)                                   → {"error":{code,message,status}} canonical for N
 *   {"status": 200, "raw": "bytes", "content_type"?: "…"}      → exact bytes (fault injection)
 *   {"status": 200, "body": <any JSON>}                        → that JSON (e.g. a custom loadCodeAssist answer)
 *   {"chunks": [ {GenerateContentResponse}, … ]}               → each as "data: {\"response\":…,\"traceId\":…}\n\n"
 *   {"text": "…", "thinking": "…", "signature": "…", "function_call": {"name","args","id"?},
 *    "finish_reason": "STOP", "usage":
 * {promptTokenCount,candidatesTokenCount,thoughtsTokenCount,cachedContentTokenCount}}
 *                                                              → built into realistic chunks (thinking first with the
 *                                                                signature on its last part, text split into pieces,
 *                                                                the call last, usage on the final chunk)
 *   plus optional on any: "first_byte_delay_ms", "chunk_delay_ms", "split_bytes" (write in pieces of this size),
 *   "close_after_bytes" (drop the connection after this many body bytes), "hang" (send headers, then nothing),
 *   "headers": {name: value} (extra response headers). A response with only these keeps the normal answer.
 *
 * Built answers, per model family (docs/upstream-cloudcode.md#stream, docs/upstream-cloudcode.md#signatures): one part
 * per SSE event; thinking as 2 parts
 * {"text","thought":true}; Claude then sends the signature in its own {"text":"","thought":true,"thoughtSignature"}
 * part, and its functionCall gets an id "toolu_vrtx_01…"; Gemini puts the signature on the functionCall part (always)
 * or on the last text part (when thinking), and sends no call id unless scripted. Text comes in 2–3 pieces split
 * after spaces. The last chunk carries finishReason and usageMetadata (promptTokenCount = ceil(body bytes / 4),
 * candidatesTokenCount = ceil(text + call JSON bytes / 4), thoughtsTokenCount = ceil(thinking bytes / 4), total =
 * their sum; scripted "usage" fields win). Every chunk has modelVersion = model and one responseId ("msg_vrtx_01…"
 * for Claude); the envelope's traceId is also sent as header x-cloudaicompanion-trace-id. Default answer: text
 * "Hello from the mock.", preceded when the request has generationConfig.thinkingConfig (or thinking_config) by a
 * short thought and a 100+ char signature (AG_MOCK_*_SIGNATURE in ag-mock-generate.h). "signature": "" = unsigned.
 *
 * Error presets (the model in metadata is the request's, or "model" in the response):
 *   "rate_limit"       429 RESOURCE_EXHAUSTED, ErrorInfo RATE_LIMIT_EXCEEDED {model, quotaResetDelay (Go duration),
 *                      quotaResetTimeStamp (now + delay, RFC 3339), uiMessage}, RetryInfo retryDelay ("0.400s");
 *                      option "retry_delay" [0.479417207s]
 *   "quota_exhausted"  same shape with QUOTA_EXHAUSTED; option "reset_delay" [2h21m25.831582438s]
 *                      (both say "You have exhausted your capacity on this model. Your quota will reset after <d>.")
 *   "capacity"         503 UNAVAILABLE "No capacity available for model <m> on the server", MODEL_CAPACITY_EXHAUSTED
 *   "validation_required" 403 PERMISSION_DENIED "Verify your account to continue.", VALIDATION_REQUIRED with
 *                      metadata.validation_url; option "validation_url"
 *   "banned"           403 PERMISSION_DENIED "This service has been disabled in this account for violation of Terms
 *                      of Service…", a google.rpc.Help link to the appeal page; option "appeal_url"
 *   "ineligible_tier"  403 PERMISSION_DENIED "IneligibleTierError: This client is no longer supported for Gemini Code
 *                      Assist for individuals…"
 *   "unauthenticated"  401 UNAUTHENTICATED (Google's "Request had invalid authentication credentials…" message)
 *   "server_error"     500 INTERNAL "Internal error encountered."
 *   "resource_exhausted" 429 RESOURCE_EXHAUSTED "Resource has been exhausted (e.g. check quota)." without details
 *   every preset takes "message" to override the text, and "status" to override the HTTP status.
 *
 * Note for clients: after close_after_bytes the chunked body stops between chunks; libsoup 3.2's client reports
 * that as a plain end of stream, not an error, so a proxy must notice the missing finishReason itself.
 */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

#define AG_TYPE_MOCK_SERVER (ag_mock_server_get_type ())
G_DECLARE_FINAL_TYPE (AgMockServer, ag_mock_server, AG, MOCK_SERVER, GObject)

AgMockServer *ag_mock_server_new (void);
/* Listens on 127.0.0.1:@port (0 = any free port). */
gboolean      ag_mock_server_listen (AgMockServer *self, guint port, GError **error);
guint         ag_mock_server_get_port (AgMockServer *self);
/* Serves HTTPS with @certificate (its chain and private key) instead of HTTP; before ag_mock_server_listen. Google
 * is reached over TLS: this lets a test prove what only TLS shows (a proxy's CONNECT tunnel, AGCL_CA_FILE). */
void          ag_mock_server_set_tls_certificate (AgMockServer *self, GTlsCertificate *certificate);
/* "http://127.0.0.1:PORT", or "https://…" once it serves TLS */
char         *ag_mock_server_get_base_url (AgMockServer *self);
/* Sets AGCL_CLOUDCODE_ENDPOINTS, AGCL_OAUTH_TOKEN_URL, AGCL_OAUTH_AUTH_URL and AGCL_USERINFO_URL to this server
 * in @envp (a g_get_environ() style array; returns the new array) */
char        **ag_mock_server_environ (AgMockServer *self, char **envp);
gboolean      ag_mock_server_set_script (AgMockServer *self, JsonNode *script, GError **error);
gboolean      ag_mock_server_set_script_json (AgMockServer *self, const char *script_json, GError **error);
void          ag_mock_server_reset (AgMockServer *self);
/* Recorded requests as a JSON array node (see above). */
JsonNode     *ag_mock_server_get_requests (AgMockServer *self);
/* Number of recorded requests whose path ends with @method_suffix (e.g. ":streamGenerateContent"). */
guint         ag_mock_server_count_requests (AgMockServer *self, const char *method_suffix);

G_END_DECLS
