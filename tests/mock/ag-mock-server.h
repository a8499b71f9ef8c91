/* ag-mock-server.h — a mock of Google's side for tests: OAuth token + userinfo, and Cloud Code v1internal
 * (loadCodeAssist, onboardUser, fetchAvailableModels, countTokens, streamGenerateContent, generateContent),
 * speaking the wire format of ../shared/reference/cloudcode-api.md. Runs in-process (tests link it) or as the
 * ag-mock-cloudcode program. Scriptable per test, in C or over HTTP:
 *
 *   POST /_mock/script    replace the script (JSON, format below); POST /_mock/reset clears script + log
 *   GET  /_mock/requests  the recorded requests: [{"method","path","query","headers":{lowercased…},"body":<json|string>}]
 *
 * URLs served (base = http://127.0.0.1:PORT): /token (form POST), /userinfo (GET, Bearer), /auth (GET, the
 * consent page: redirects to redirect_uri?code=…&state=…), /v1internal:<method>. Every v1internal call needs
 * "Authorization: Bearer <access token issued by /token and not expired>", else 401 UNAUTHENTICATED.
 *
 * Script (every key optional; defaults in brackets):
 * {
 *   "accounts": [ {"refresh_token": ["rt-1"], "email": ["user1@example.com"], "project": ["proj-1"],
 *                  "onboard": [false] — true: loadCodeAssist has no project until onboardUser finishes,
 *                  "revoked": [false] — /token answers 400 {"error":"invalid_grant"},
 *                  "expires_in": [3600]} ],
 *   "models": {<id>: {model object}} — the fetchAvailableModels "models" map [claude-opus-4-6-thinking,
 *              claude-sonnet-4-6, gemini-3-flash, gemini-3.1-pro-high with quotaInfo, maxTokens, maxOutputTokens],
 *   "count_tokens": [<totalTokens> computed as ceil(bytes of request JSON / 4)],
 *   "generate": [ rule, … ]  — for streamGenerateContent/generateContent, first matching rule wins;
 *                              when none matches, the default answer is a short text ("Hello from the mock.").
 * }
 * rule: {
 *   "match": { "text_contains": "…" (any text part of the LAST content), "model": "…" (exact),
 *              "has_function_response": true|false, "account": "email" },        all optional
 *   "times": N — consumed after N uses (default unlimited),
 *   "respond": response
 * }
 * response (one of):
 *   {"status": 429|500|…, "error": {Google error object: code,message,status,details}}  → JSON error body
 *   {"status": 200, "raw": "bytes"}                            → exact bytes (fault injection)
 *   {"chunks": [ {GenerateContentResponse}, … ]}               → each as "data: {\"response\":…,\"traceId\":…}\n\n"
 *   {"text": "…", "thinking": "…", "signature": "…", "function_call": {"name","args","id"?},
 *    "finish_reason": "STOP", "usage": {promptTokenCount,candidatesTokenCount,thoughtsTokenCount,cachedContentTokenCount}}
 *                                                              → built into realistic chunks (thinking first with the
 *                                                                signature on its last part, text split into pieces,
 *                                                                the call last, usage on the final chunk)
 *   plus optional on any: "first_byte_delay_ms", "chunk_delay_ms", "split_bytes" (write in pieces of this size),
 *   "close_after_bytes" (drop the connection after this many body bytes), "hang" (send headers, then nothing).
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
/* "http://127.0.0.1:PORT" */
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
