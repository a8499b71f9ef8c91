/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-mock.c — the mock Cloud Code server's self-test: every endpoint, script rule, error preset and fault,
 * driven through a real libsoup client on the same main loop. */
#include <glib-unix.h>
#include <libsoup/soup.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "ag-test.h"

typedef struct {
  AgMockServer *mock;
  SoupSession  *session;
  char         *base;
} Fixture;

typedef struct {
  SoupMessage *msg;
  GBytes      *body;
  GError      *error;
  gboolean     done;
} Result;

static void
result_free (Result *result)
{
  g_clear_object (&result->msg);
  g_clear_pointer (&result->body, g_bytes_unref);
  g_clear_error (&result->error);
  g_free (result);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Result, result_free)

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  f->mock = ag_test_mock_new (NULL);
  f->base = ag_mock_server_get_base_url (f->mock);
  f->session = soup_session_new_with_options ("max-conns", 64, "max-conns-per-host", 32, NULL);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->session);
  g_clear_object (&f->mock);
  g_free (f->base);
}

static void
on_read (GObject *source, GAsyncResult *res, gpointer user_data)
{
  Result *result = user_data;

  result->body = soup_session_send_and_read_finish (SOUP_SESSION (source), res, &result->error);
  result->done = TRUE;
}

static SoupMessage *
new_message (Fixture *f, const char *method, const char *path, const char *content_type, const char *body,
             const char *bearer)
{
  g_autofree char *url = g_strconcat (f->base, path, NULL);
  SoupMessage *msg = soup_message_new (method, url);

  g_assert_nonnull (msg);
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
      soup_message_set_request_body_from_bytes (msg, content_type, bytes);
    }
  if (bearer != NULL)
    {
      g_autofree char *header = g_strconcat ("Bearer ", bearer, NULL);
      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", header);
    }
  return msg;
}

static Result *
http (Fixture *f, const char *method, const char *path, const char *content_type, const char *body,
      const char *bearer)
{
  Result *result = g_new0 (Result, 1);

  result->msg = new_message (f, method, path, content_type, body, bearer);
  soup_message_add_flags (result->msg, SOUP_MESSAGE_NO_REDIRECT);
  soup_session_send_and_read_async (f->session, result->msg, G_PRIORITY_DEFAULT, NULL, on_read, result);
  ag_test_wait_for (&result->done, AG_TEST_TIMEOUT_MS);
  return result;
}

static Result *
post_json (Fixture *f, const char *path, const char *body, const char *bearer)
{
  return http (f, "POST", path, "application/json", body, bearer);
}

static char *
body_text (Result *result)
{
  gsize len = 0;
  const char *data = result->body ? g_bytes_get_data (result->body, &len) : NULL;

  return g_strndup (data ? data : "", len);
}

static JsonNode *
result_json (Result *result)
{
  g_autofree char *text = body_text (result);

  g_assert_no_error (result->error);
  return ag_test_parse_json_text (text);
}

static void
assert_result (Result *result, guint status, const char *expected_json)
{
  g_autoptr(JsonNode) node = result_json (result);

  g_assert_cmpuint (soup_message_get_status (result->msg), ==, status);
  ag_test_assert_json_text (node, expected_json);
}

static void
set_script (Fixture *f, const char *json)
{
  ag_test_mock_set_script (f->mock, json);
}

static char *
get_token (Fixture *f, const char *refresh_token)
{
  g_autofree char *form = g_strdup_printf ("grant_type=refresh_token&client_id=cid&client_secret=cs&"
                                           "refresh_token=%s", refresh_token);
  g_autoptr(Result) result = http (f, "POST", "/token", "application/x-www-form-urlencoded", form, NULL);
  g_autoptr(JsonNode) node = result_json (result);

  g_assert_cmpuint (soup_message_get_status (result->msg), ==, 200);
  return g_strdup (json_object_get_string_member (json_node_get_object (node), "access_token"));
}

#define HELLO_ENVELOPE(model, extra) \
  "{\"project\":\"proj-1\",\"model\":\"" model "\",\"userAgent\":\"antigravity\",\"requestType\":\"agent\"," \
  "\"request\":{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"hi\"}]}]" extra "}}"

#define SCOPES "https://www.googleapis.com/auth/cloud-platform https://www.googleapis.com/auth/userinfo.email " \
               "https://www.googleapis.com/auth/userinfo.profile https://www.googleapis.com/auth/cclog " \
               "https://www.googleapis.com/auth/experimentsandconfigs"

#define UNAUTHENTICATED \
  "{\"error\":{\"code\":401,\"message\":\"Request had invalid authentication credentials. Expected OAuth 2 " \
  "access token, login cookie or other valid authentication credential. See " \
  "https://developers.google.com/identity/sign-in/web/devconsole-project.\",\"status\":\"UNAUTHENTICATED\"}}"
#define SERVER_ERROR "{\"error\":{\"code\":500,\"message\":\"Internal error encountered.\",\"status\":\"INTERNAL\"}}"

/* One request and the answer it must get: the status and, when given, the exact JSON and one header. */
typedef struct {
  const char *name;
  const char *script;        /* set first; NULL: the mock's defaults */
  const char *method;        /* NULL: POST */
  const char *path;
  const char *content_type;  /* NULL: application/json (with a body) */
  const char *body;
  const char *bearer;        /* NULL: no Authorization; ISSUED: a token the mock issued for rt-1 */
  guint       status;
  const char *expected;      /* the whole JSON answer; NULL: only the status is checked */
  const char *header;        /* a response header that must have… */
  const char *header_value;  /* …this value */
} Exchange;

#define ISSUED "(a token the mock issued for rt-1)"
#define TOKEN_SCRIPT "{\"accounts\":[{},{\"refresh_token\":\"rt-gone\",\"revoked\":true},{\"expires_in\":120}]}"
#define FORM "application/x-www-form-urlencoded"
#define STREAM_PATH "/v1internal:streamGenerateContent?alt=sse"
#define PRESET(respond) "{\"generate\":[{\"respond\":" respond "}]}"

static void
assert_exchange (Fixture *f, const Exchange *x, const char *bearer)
{
  g_autoptr(Result) r = http (f, x->method != NULL ? x->method : "POST", x->path,
                              x->content_type != NULL ? x->content_type : "application/json", x->body, bearer);

  if (x->expected != NULL)
    assert_result (r, x->status, x->expected);
  else
    g_assert_cmpuint (soup_message_get_status (r->msg), ==, x->status);
  if (x->header != NULL)
    g_assert_cmpstr (soup_message_headers_get_one (soup_message_get_response_headers (r->msg), x->header), ==,
                     x->header_value);
}

/* Every row: a fresh mock with the row's script. */
static void
test_exchange (Fixture *f, gconstpointer data)
{
  const Exchange *x = data;
  g_autofree char *token = NULL;

  if (x->script != NULL)
    set_script (f, x->script);
  if (g_strcmp0 (x->bearer, ISSUED) == 0)
    token = get_token (f, "rt-1");
  assert_exchange (f, x, token != NULL ? token : x->bearer);
}

#define MISSING(field) \
  "{\"error\":{\"code\":400,\"message\":\"Request contains an invalid argument.\",\"status\":\"INVALID_ARGUMENT\"," \
  "\"details\":[{\"@type\":\"type.googleapis.com/google.rpc.BadRequest\",\"fieldViolations\":[{\"field\":\"" field \
  "\",\"description\":\"Required field is missing.\"}]}]}}"

/* The pieces of the history rows: an envelope for project "p" with the turns @turns (then @extra in the request),
 * the turns and parts they are made of, and the refusals (Claude's as Vertex wraps it in Google's). */
#define HISTORY(model, turns, extra) \
  "{\"project\":\"p\",\"model\":\"" model "\",\"request\":{\"contents\":[" turns "]" extra "}}"
#define USER_TURN(text) "{\"role\":\"user\",\"parts\":[{\"text\":\"" text "\"}]}"
#define MODEL_TURN(parts) "{\"role\":\"model\",\"parts\":[" parts "]}"
#define RESULT_TURN(parts) "{\"role\":\"user\",\"parts\":[" parts "]}"
#define TEXT(text) "{\"text\":\"" text "\"}"
#define THOUGHT(signature) "{\"text\":\"t\",\"thought\":true,\"thoughtSignature\":\"" signature "\"}"
#define READ_CALL(inside, beside) "{\"functionCall\":{\"name\":\"Read\",\"args\":{}" inside "}" beside "}"
#define READ_RESULT(inside) "{\"functionResponse\":{\"name\":\"Read\",\"response\":{\"result\":\"ok\"}" inside "}}"
#define ID(id) ",\"id\":\"" id "\""
#define SIGNED(signature) ",\"thoughtSignature\":\"" signature "\""
/* A call to Read with @id and its result. */
#define TOOL_ROUND(id) MODEL_TURN (READ_CALL (ID (id), "")) "," RESULT_TURN (READ_RESULT (ID (id)))
#define SENTINEL "skip_thought_signature_validator"
#define CLAUDE_SIGNATURE \
  "EqQDCkYIBxgCKkDmockClaudeSignatureZ3VhcmFudGVlZCB0byBiZSBsb25nIGVub3VnaCBmb3IgdGhlIHZhbGlkaXR5IGNoZWNrc0FBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFB"
/* A signature of the right shape that Google never issued. */
#define FOREIGN_SIGNATURE \
  "Exxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
#define GOOGLE_INVALID(message) "{\"error\":{\"code\":400,\"message\":\"" message "\",\"status\":\"INVALID_ARGUMENT\"}}"
#define CLAUDE_INVALID(message) \
  GOOGLE_INVALID ("{\\\"type\\\":\\\"error\\\",\\\"error\\\":{\\\"type\\\":\\\"invalid_request_error\\\"," \
                  "\\\"message\\\":\\\"" message "\\\"},\\\"request_id\\\":\\\"req_vrtx_011CMockHistory0000000000\\\"}")

static const Exchange exchanges[] = {
  /* OAuth: refusals of the token endpoint */
  { "token-revoked", TOKEN_SCRIPT, NULL, "/token", FORM,
    "grant_type=refresh_token&refresh_token=rt-gone&client_id=cid", NULL,
    400, "{\"error\":\"invalid_grant\",\"error_description\":\"Token has been expired or revoked.\"}" },
  { "token-unknown", TOKEN_SCRIPT, NULL, "/token", FORM, "grant_type=refresh_token&refresh_token=nope&client_id=cid",
    NULL,
    400, "{\"error\":\"invalid_grant\",\"error_description\":\"Bad Request\"}" },
  { "token-no-client-id", TOKEN_SCRIPT, NULL, "/token", FORM, "grant_type=refresh_token&refresh_token=rt-1", NULL,
    400, "{\"error\":\"invalid_request\",\"error_description\":\"Could not determine client ID from request.\"}" },
  { "token-unsupported-grant", TOKEN_SCRIPT, NULL, "/token", FORM, "grant_type=password&client_id=cid", NULL,
    400, "{\"error\":\"unsupported_grant_type\",\"error_description\":\"Invalid grant_type.\"}" },
  { "userinfo-without-token", NULL, "GET", "/userinfo", NULL, NULL, NULL, 401, NULL },

  /* Counting */
  { "count-tokens-rejects-project", NULL, NULL, "/v1internal:countTokens",
    NULL, "{\"project\":\"p\",\"request\":{\"contents\":[]}}", ISSUED,
    400, "{\"error\":{\"code\":400,\"message\":\"Invalid JSON payload received. Unknown name \\\"project\\\": Cannot "
         "find field.\",\"status\":\"INVALID_ARGUMENT\",\"details\":[{\"@type\":\"type.googleapis.com/google.rpc."
         "BadRequest\",\"fieldViolations\":[{\"description\":\"Invalid JSON payload received. Unknown name "
         "\\\"project\\\": Cannot find field.\"}]}]}}" },
  { "count-tokens-scripted", "{\"count_tokens\":1234}", NULL, "/v1internal:countTokens", NULL,
    "{\"request\":{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"count me please\"}]}]}}", ISSUED,
    200, "{\"totalTokens\":1234}" },

  /* The generation envelope */
  { "envelope-without-project", NULL, NULL, STREAM_PATH, NULL,
    "{\"model\":\"m\",\"request\":{\"contents\":[{\"role\":\"user\",\"parts\":[]}]}}", ISSUED,
    400, MISSING ("project") },
  { "envelope-without-model", NULL, NULL, "/v1internal:generateContent", NULL,
    "{\"project\":\"p\",\"request\":{\"contents\":[{\"role\":\"user\"}]}}", ISSUED, 400, MISSING ("model") },
  { "envelope-without-contents", NULL, NULL, STREAM_PATH, NULL, "{\"project\":\"p\",\"model\":\"m\",\"request\":{}}",
    ISSUED, 400, "{\"error\":{\"code\":400,\"message\":\"* GenerateContentRequest.contents: contents is not "
                 "specified\\n\",\"status\":\"INVALID_ARGUMENT\",\"details\":[{\"@type\":"
                 "\"type.googleapis.com/google.rpc.BadRequest\",\"fieldViolations\":[{\"field\":"
                 "\"request.contents\",\"description\":\"contents is not specified\"}]}]}}" },
  { "envelope-not-json", NULL, NULL, "/v1internal:generateContent", NULL, "not json", ISSUED, 400, NULL },

  /* What Google refuses in the history (ag-mock-history.h) */
  { "history-gemini-call-unsigned", NULL, NULL, STREAM_PATH, NULL,
    HISTORY ("gemini-3-flash", USER_TURN ("go") "," MODEL_TURN (READ_CALL ("", "")) ","
             RESULT_TURN (READ_RESULT ("")), ""),
    ISSUED, 400, GOOGLE_INVALID ("Function call is missing a thought_signature in functionCall parts. This is required for tools to work correctly, and missing thought_signature may lead to degraded model performance. Additional data, function call `default_api:Read` , position 2. Please refer to https://ai.google.dev/gemini-api/docs/thought-signatures for more details.") },
  { "history-gemini-call-sentinel", NULL, NULL, STREAM_PATH, NULL,
    HISTORY ("gemini-3-flash", USER_TURN ("go") "," MODEL_TURN (READ_CALL ("", SIGNED (SENTINEL))) ","
             RESULT_TURN (READ_RESULT ("")), ""),
    ISSUED, 200, NULL },
  { "history-gemini-foreign-signature", NULL, NULL, STREAM_PATH, NULL,
    HISTORY ("gemini-3-flash", USER_TURN ("go") "," MODEL_TURN (READ_CALL ("", SIGNED (CLAUDE_SIGNATURE))) ","
             RESULT_TURN (READ_RESULT ("")), ""),
    ISSUED, 400, GOOGLE_INVALID ("Corrupted thought signature.") },
  { "history-gemini-call-unanswered", NULL, NULL, STREAM_PATH, NULL,
    HISTORY ("gemini-3-flash", USER_TURN ("go") "," MODEL_TURN (READ_CALL ("", SIGNED (SENTINEL))) ","
             USER_TURN ("stop"), ""),
    ISSUED, 400, GOOGLE_INVALID ("Please ensure that the number of function response parts is equal to the number of function call parts of the function call turn.") },
  { "history-gemini-orphan-response", NULL, NULL, STREAM_PATH, NULL,
    HISTORY ("gemini-3-flash", USER_TURN ("go") "," MODEL_TURN (TEXT ("ok")) "," RESULT_TURN (READ_RESULT ("")), ""),
    ISSUED, 400, GOOGLE_INVALID ("Please ensure that function response turn comes immediately after a function call turn.") },
  { "history-claude-foreign-thinking", NULL, NULL, STREAM_PATH, NULL,
    HISTORY ("claude-sonnet-4-6", USER_TURN ("go") "," MODEL_TURN (THOUGHT (FOREIGN_SIGNATURE) "," TEXT ("a")) ","
             USER_TURN ("next"), ""),
    ISSUED, 400, CLAUDE_INVALID ("messages.1.content.0: Invalid `signature` in `thinking` block") },
  { "history-claude-issued-thinking", NULL, NULL, STREAM_PATH, NULL,
    HISTORY ("claude-sonnet-4-6", USER_TURN ("go") "," MODEL_TURN (THOUGHT (CLAUDE_SIGNATURE) "," TEXT ("a")) ","
             USER_TURN ("next"), ""),
    ISSUED, 200, NULL },
  { "history-claude-call-unanswered", NULL, NULL, STREAM_PATH, NULL,
    HISTORY ("claude-sonnet-4-6", USER_TURN ("go") "," MODEL_TURN (READ_CALL (ID ("toolu_1"), "") ","
             READ_CALL (ID ("toolu_2"), "")) "," RESULT_TURN (READ_RESULT (ID ("toolu_2"))), ""),
    ISSUED, 400, CLAUDE_INVALID ("messages.1: `tool_use` ids were found without `tool_result` blocks immediately after: toolu_1. Each `tool_use` block must have a corresponding `tool_result` block in the next message.") },
  { "history-claude-orphan-result", NULL, NULL, STREAM_PATH, NULL,
    HISTORY ("claude-sonnet-4-6", USER_TURN ("go") "," MODEL_TURN (TEXT ("ok")) ","
             RESULT_TURN (READ_RESULT (ID ("toolu_9"))), ""),
    ISSUED, 400, CLAUDE_INVALID ("messages.2.content.0: unexpected `tool_use_id` found in `tool_result` blocks: toolu_9. Each `tool_result` block must have a corresponding `tool_use` block in the previous message.") },
  { "history-claude-duplicate-call-id", NULL, NULL, STREAM_PATH, NULL,
    HISTORY ("claude-sonnet-4-6", USER_TURN ("go") "," TOOL_ROUND ("t1") "," TOOL_ROUND ("t1"), ""),
    ISSUED, 400, CLAUDE_INVALID ("messages.3.content.0: `tool_use` ids must be unique") },
  { "history-claude-tool-loop-never-thought", NULL, NULL, STREAM_PATH, NULL,
    HISTORY ("claude-sonnet-4-6", USER_TURN ("go") "," TOOL_ROUND ("t1"),
             ",\"generationConfig\":{\"thinkingConfig\":{\"includeThoughts\":true,\"thinkingBudget\":2048}}"),
    ISSUED, 200, NULL },
  { "history-claude-tool-loop-thinking-off", NULL, NULL, STREAM_PATH, NULL,
    HISTORY ("claude-sonnet-4-6", USER_TURN ("go") "," TOOL_ROUND ("t1"), ""),
    ISSUED, 200, NULL },
  { "history-claude-too-long", "{\"models\":{\"claude-sonnet-4-6\":{\"maxTokens\":10}}}", NULL, STREAM_PATH, NULL,
    HISTORY ("claude-sonnet-4-6", USER_TURN ("a long prompt for a tiny window"), ""),
    ISSUED, 400, CLAUDE_INVALID ("prompt is too long: 35 tokens > 10 maximum") },
  { "history-gemini-too-long", "{\"models\":{\"gemini-3-flash\":{\"maxTokens\":10}}}", NULL, STREAM_PATH, NULL,
    HISTORY ("gemini-3-flash", USER_TURN ("a long prompt for a tiny window"), ""),
    ISSUED, 400, GOOGLE_INVALID ("The input token count (34) exceeds the maximum number of tokens allowed (10).") },

  /* Google Search grounding beside function declarations (ag-mock-grounding.h) */
  { "grounding-mixed-refused", NULL, NULL, STREAM_PATH, NULL,
    "{\"project\":\"p\",\"model\":\"gemini-3-flash\",\"requestType\":\"web_search\",\"request\":{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"news\"}]}],\"tools\":[{\"googleSearch\":{}},{\"functionDeclarations\":[{\"name\":\"Read\"}]}]}}",
    ISSUED, 400, GOOGLE_INVALID ("Please enable tool_config.include_server_side_tool_invocations to use Built-in tools with Function calling.") },

  /* Error presets with nothing time-dependent in them */
  { "preset-capacity", PRESET ("{\"error_preset\":\"capacity\"}"), NULL, STREAM_PATH, NULL,
    HELLO_ENVELOPE ("claude-opus-4-6-thinking", ""), ISSUED,
    503, "{\"error\":{\"code\":503,\"message\":\"No capacity available for model claude-opus-4-6-thinking on the "
         "server\",\"status\":\"UNAVAILABLE\",\"details\":[{\"@type\":\"type.googleapis.com/google.rpc.ErrorInfo\","
         "\"reason\":\"MODEL_CAPACITY_EXHAUSTED\",\"domain\":\"cloudcode-pa.googleapis.com\",\"metadata\":{\"model\":"
         "\"claude-opus-4-6-thinking\"}}]}}" },
  { "preset-validation-required",
    PRESET ("{\"error_preset\":\"validation_required\",\"validation_url\":\"https://example.com/verify\"}"), NULL,
    STREAM_PATH, NULL, HELLO_ENVELOPE ("claude-opus-4-6-thinking", ""), ISSUED,
    403, "{\"error\":{\"code\":403,\"message\":\"Verify your account to continue.\",\"status\":"
         "\"PERMISSION_DENIED\",\"details\":[{\"@type\":\"type.googleapis.com/google.rpc.ErrorInfo\",\"reason\":"
         "\"VALIDATION_REQUIRED\",\"domain\":\"cloudcode-pa.googleapis.com\",\"metadata\":{\"validation_url\":"
         "\"https://example.com/verify\"}}]}}" },
  { "preset-unauthenticated", PRESET ("{\"error_preset\":\"unauthenticated\"}"), NULL, STREAM_PATH, NULL,
    HELLO_ENVELOPE ("claude-opus-4-6-thinking", ""), ISSUED, 401, UNAUTHENTICATED },
  { "preset-server-error", PRESET ("{\"error_preset\":\"server_error\"}"), NULL, STREAM_PATH, NULL,
    HELLO_ENVELOPE ("claude-opus-4-6-thinking", ""), ISSUED, 500, SERVER_ERROR },
  { "preset-resource-exhausted", PRESET ("{\"error_preset\":\"resource_exhausted\"}"), NULL, STREAM_PATH, NULL,
    HELLO_ENVELOPE ("claude-opus-4-6-thinking", ""), ISSUED,
    429, "{\"error\":{\"code\":429,\"message\":\"Resource has been exhausted (e.g. check quota).\","
         "\"status\":\"RESOURCE_EXHAUSTED\"}}" },
  { "scripted-error", PRESET ("{\"status\":429,\"error\":{\"code\":429,\"message\":\"m\",\"status\":"
                              "\"RESOURCE_EXHAUSTED\"}}"), NULL, STREAM_PATH, NULL,
    HELLO_ENVELOPE ("claude-opus-4-6-thinking", ""), ISSUED,
    429, "{\"error\":{\"code\":429,\"message\":\"m\",\"status\":\"RESOURCE_EXHAUSTED\"}}" },

  /* Auth */
  { "token-not-issued", NULL, NULL, "/v1internal:loadCodeAssist", NULL, "{}", "ya29.not-issued",
    401, UNAUTHENTICATED, "WWW-Authenticate", "Bearer realm=\"https://accounts.google.com/\"" },
  { "no-credentials", NULL, NULL, STREAM_PATH, NULL, HELLO_ENVELOPE ("gemini-3-flash", ""), NULL,
    401, "{\"error\":{\"code\":401,\"message\":\"Request is missing required authentication credential. Expected "
         "OAuth 2 access token, login cookie or other valid authentication credential. See "
         "https://developers.google.com/identity/sign-in/web/devconsole-project.\",\"status\":\"UNAUTHENTICATED\"}}" },

  /* Control */
  { "script-over-http-refused", NULL, NULL, "/_mock/script", NULL,
    "{\"generate\":[{\"respond\":{\"error_preset\":\"bogus\"}}]}", NULL,
    400, "{\"error\":\"generate[0]: unknown error_preset \\\"bogus\\\"\"}" },
};

/* OAuth */

static void
test_token_refresh (Fixture *f, gconstpointer data)
{
  set_script (f, TOKEN_SCRIPT);

  {
    g_autoptr(Result) r = http (f, "POST", "/token", "application/x-www-form-urlencoded",
                                "grant_type=refresh_token&refresh_token=rt-1&client_id=cid&client_secret=cs", NULL);
    g_autoptr(JsonNode) node = result_json (r);
    JsonObject *object = json_node_get_object (node);
    const char *token = json_object_get_string_member (object, "access_token");
    g_autofree char *expected = NULL;

    g_assert_cmpuint (soup_message_get_status (r->msg), ==, 200);
    g_assert_true (g_str_has_prefix (token, "ya29.mock-1-"));
    g_assert_cmpuint (strlen (token), ==, strlen ("ya29.mock-1-") + 32);
    expected = g_strdup_printf ("{\"access_token\":\"%s\",\"expires_in\":3600,\"scope\":\"" SCOPES "\","
                                "\"token_type\":\"Bearer\"}", token);
    ag_test_assert_json_text (node, expected);
  }
  {
    g_autoptr(Result) r = http (f, "POST", "/token", "application/x-www-form-urlencoded",
                                "grant_type=refresh_token&refresh_token=rt-3&client_id=cid", NULL);
    g_autoptr(JsonNode) node = result_json (r);
    g_assert_true (g_str_has_prefix (json_object_get_string_member (json_node_get_object (node), "access_token"),
                                     "ya29.mock-2-"));
    g_assert_cmpint (json_object_get_int_member (json_node_get_object (node), "expires_in"), ==, 120);
  }
}

static char *
pkce_s256 (const char *verifier)
{
  guint8 digest[32];
  gsize len = sizeof digest;
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  GString *out = NULL;
  g_autofree char *b64 = NULL;

  g_checksum_update (checksum, (const guchar *) verifier, -1);
  g_checksum_get_digest (checksum, digest, &len);
  b64 = g_base64_encode (digest, len);
  out = g_string_new (NULL);
  for (const char *p = b64; *p != '\0' && *p != '='; p++)
    g_string_append_c (out, *p == '+' ? '-' : *p == '/' ? '_' : *p);
  return g_string_free (out, FALSE);
}

/* Plays the browser: GET /auth, check the 302 to the redirect URI, return the code. */
static char *
authorize (Fixture *f, const char *challenge, const char *login_hint)
{
  g_autofree char *path = g_strdup_printf ("/auth?client_id=cid&response_type=code&access_type=offline&"
                                           "prompt=consent&redirect_uri=%s&state=st%%2F1%s%s%s%s",
                                           "http%3A%2F%2Flocalhost%3A51121%2Foauth-callback",
                                           challenge ? "&code_challenge_method=S256&code_challenge=" : "",
                                           challenge ? challenge : "",
                                           login_hint ? "&login_hint=" : "", login_hint ? login_hint : "");
  g_autoptr(Result) r = http (f, "GET", path, NULL, NULL, NULL);
  const char *location = soup_message_headers_get_one (soup_message_get_response_headers (r->msg), "Location");
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GHashTable) query = NULL;

  g_assert_cmpuint (soup_message_get_status (r->msg), ==, 302);
  g_assert_nonnull (location);
  uri = g_uri_parse (location, G_URI_FLAGS_ENCODED_QUERY, NULL);
  g_assert_nonnull (uri);
  g_assert_cmpstr (g_uri_get_host (uri), ==, "localhost");
  g_assert_cmpint (g_uri_get_port (uri), ==, 51121);
  g_assert_cmpstr (g_uri_get_path (uri), ==, "/oauth-callback");
  query = soup_form_decode (g_uri_get_query (uri));
  g_assert_cmpstr (g_hash_table_lookup (query, "state"), ==, "st/1");
  g_assert_cmpstr (g_hash_table_lookup (query, "scope"), ==, SCOPES);
  g_assert_true (g_str_has_prefix (g_hash_table_lookup (query, "code"), "4/"));
  return g_strdup (g_hash_table_lookup (query, "code"));
}

static Result *
exchange (Fixture *f, const char *code, const char *verifier)
{
  g_autofree char *escaped = g_uri_escape_string (code, NULL, TRUE);
  g_autofree char *form = g_strdup_printf ("grant_type=authorization_code&client_id=cid&client_secret=cs&code=%s&"
                                           "redirect_uri=http%%3A%%2F%%2Flocalhost%%3A51121%%2Foauth-callback%s%s",
                                           escaped, verifier ? "&code_verifier=" : "", verifier ? verifier : "");
  return http (f, "POST", "/token", "application/x-www-form-urlencoded", form, NULL);
}

static void
test_auth_code_pkce (Fixture *f, gconstpointer data)
{
  const char *verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
  g_autofree char *challenge = pkce_s256 (verifier);

  set_script (f, "{\"accounts\":[{},{}]}");
  /* RFC 7636 appendix B: this verifier hashes to this challenge. */
  g_assert_cmpstr (challenge, ==, "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");

  {
    g_autofree char *code = authorize (f, challenge, "user2%40example.com");
    g_autoptr(Result) r = exchange (f, code, verifier);
    g_autoptr(JsonNode) node = result_json (r);
    JsonObject *object = json_node_get_object (node);
    g_autofree char *expected = NULL;
    g_autoptr(Result) again = NULL;

    g_assert_cmpuint (soup_message_get_status (r->msg), ==, 200);
    expected = g_strdup_printf ("{\"access_token\":\"%s\",\"expires_in\":3600,\"refresh_token\":\"rt-2\","
                                "\"scope\":\"" SCOPES "\",\"token_type\":\"Bearer\"}",
                                json_object_get_string_member (object, "access_token"));
    ag_test_assert_json_text (node, expected);

    /* Codes are single use. */
    again = exchange (f, code, verifier);
    assert_result (again, 400, "{\"error\":\"invalid_grant\",\"error_description\":\"Malformed auth code.\"}");
  }
  {
    g_autofree char *code = authorize (f, challenge, NULL);
    g_autoptr(Result) r = exchange (f, code, "wrong-verifier-wrong-verifier-wrong-verifier");
    assert_result (r, 400, "{\"error\":\"invalid_grant\",\"error_description\":\"Invalid code verifier.\"}");
  }
  {
    g_autofree char *code = authorize (f, challenge, NULL);
    g_autoptr(Result) r = exchange (f, code, NULL);
    assert_result (r, 400, "{\"error\":\"invalid_grant\",\"error_description\":\"Missing code verifier.\"}");
  }
  {
    /* No login_hint: the first account. */
    g_autofree char *code = authorize (f, challenge, NULL);
    g_autoptr(Result) r = exchange (f, code, verifier);
    g_autoptr(JsonNode) node = result_json (r);
    g_assert_cmpstr (json_object_get_string_member (json_node_get_object (node), "refresh_token"), ==, "rt-1");
  }
  {
    g_autoptr(Result) r = http (f, "GET", "/auth?client_id=cid&redirect_uri=http%3A%2F%2Flocalhost%2Fcb&"
                                "code_challenge=abc&code_challenge_method=plain", NULL, NULL, NULL);
    g_assert_cmpuint (soup_message_get_status (r->msg), ==, 302);
    g_assert_cmpstr (soup_message_headers_get_one (soup_message_get_response_headers (r->msg), "Location"), ==,
                     "http://localhost/cb?error=invalid_request");
  }
}

static void
test_userinfo (Fixture *f, gconstpointer data)
{
  g_autofree char *token = NULL;

  set_script (f, "{\"accounts\":[{\"email\":\"ada@example.com\",\"name\":\"Ada L\"}]}");
  token = get_token (f, "rt-1");
  {
    g_autoptr(Result) r = http (f, "GET", "/userinfo", NULL, NULL, token);
    assert_result (r, 200, "{\"id\":\"100000000000000000001\",\"email\":\"ada@example.com\",\"verified_email\":true,"
                           "\"name\":\"Ada L\",\"picture\":\"https://lh3.googleusercontent.com/a/mock-user-1=s96-c\"}");
  }
}

/* Cloud Code setup */

#define FREE_TIER "{\"id\":\"free-tier\",\"name\":\"Gemini Code Assist for individuals\"," \
  "\"description\":\"Gemini Code Assist for individuals, with Antigravity agent access.\"," \
  "\"userDefinedCloudaicompanionProject\":false"
#define ALLOWED_TIERS "\"allowedTiers\":[" FREE_TIER ",\"isDefault\":true},{\"id\":\"standard-tier\"," \
  "\"name\":\"Gemini Code Assist\",\"description\":\"Unlimited coding assistant with the most powerful Gemini models\"," \
  "\"userDefinedCloudaicompanionProject\":true}]"

static void
test_load_code_assist_and_onboard (Fixture *f, gconstpointer data)
{
#define LOAD "/v1internal:loadCodeAssist", NULL, "{\"metadata\":{\"ideType\":\"ANTIGRAVITY\"}}"
#define ONBOARD "/v1internal:onboardUser", NULL, "{\"tierId\":\"free-tier\",\"metadata\":{\"ideType\":\"ANTIGRAVITY\"}}"
  /* In order: the second account has no project until onboarding, which is done at the second poll. */
  static const struct {
    guint    account;   /* whose token: 1 or 2 */
    Exchange x;
  } steps[] = {
    { 1, { "", NULL, NULL, LOAD, NULL,
           200, "{\"currentTier\":" FREE_TIER "}," ALLOWED_TIERS ",\"cloudaicompanionProject\":\"proj-1\"}" } },
    { 2, { "", NULL, NULL, LOAD, NULL, 200, "{" ALLOWED_TIERS "}" } },
    { 2, { "", NULL, NULL, "/v1internal:onboardUser", NULL, "{\"metadata\":{}}", NULL,
           400, "{\"error\":{\"code\":400,\"message\":\"Request contains an invalid argument.\","
                "\"status\":\"INVALID_ARGUMENT\",\"details\":[{\"@type\":"
                "\"type.googleapis.com/google.rpc.BadRequest\",\"fieldViolations\":[{\"field\":\"tier_id\","
                "\"description\":\"Required field is missing.\"}]}]}}" } },
    { 2, { "", NULL, NULL, ONBOARD, NULL, 200, "{\"name\":\"operations/onboard-fresh-proj\",\"done\":false}" } },
    { 2, { "", NULL, NULL, ONBOARD, NULL,
           200, "{\"name\":\"operations/onboard-fresh-proj\",\"done\":true,\"response\":{\"@type\":"
                "\"type.googleapis.com/google.internal.cloud.code.v1internal.OnboardUserResponse\","
                "\"cloudaicompanionProject\":{\"id\":\"fresh-proj\",\"name\":\"fresh-proj\","
                "\"projectNumber\":\"225970723\"}}}" } },
    { 2, { "", NULL, NULL, LOAD, NULL,
           200, "{\"currentTier\":" FREE_TIER "}," ALLOWED_TIERS ",\"cloudaicompanionProject\":\"fresh-proj\"}" } },
  };
#undef LOAD
#undef ONBOARD
  g_autofree char *token1 = NULL;
  g_autofree char *token2 = NULL;

  set_script (f, "{\"accounts\":[{},{\"project\":\"fresh-proj\",\"onboard\":true}]}");
  token1 = get_token (f, "rt-1");
  token2 = get_token (f, "rt-2");
  for (gsize i = 0; i < G_N_ELEMENTS (steps); i++)
    assert_exchange (f, &steps[i].x, steps[i].account == 1 ? token1 : token2);
}

static void
test_fetch_available_models (Fixture *f, gconstpointer data)
{
  g_autofree char *token = get_token (f, "rt-1");
  const char *ids[] = { "claude-opus-4-6-thinking", "claude-sonnet-4-6", "gemini-3-flash", "gemini-3.1-pro-high" };

  {
    g_autoptr(Result) r = post_json (f, "/v1internal:fetchAvailableModels", "{\"project\":\"proj-1\"}", token);
    g_autoptr(JsonNode) node = result_json (r);
    JsonObject *root = json_node_get_object (node);
    JsonObject *models = json_object_get_object_member (root, "models");
    JsonObject *opus = json_object_get_object_member (models, "claude-opus-4-6-thinking");
    gint64 now = g_get_real_time () / G_USEC_PER_SEC;

    g_assert_cmpuint (soup_message_get_status (r->msg), ==, 200);
    g_assert_cmpuint (json_object_get_size (models), ==, G_N_ELEMENTS (ids));
    for (gsize i = 0; i < G_N_ELEMENTS (ids); i++)
      {
        JsonObject *model = json_object_get_object_member (models, ids[i]);
        JsonObject *quota = json_object_get_object_member (model, "quotaInfo");
        g_autoptr(GDateTime) reset = g_date_time_new_from_iso8601 (json_object_get_string_member (quota, "resetTime"),
                                                                   NULL);
        g_assert_nonnull (reset);
        g_assert_cmpint (g_date_time_to_unix (reset), >=, now + 5 * 3600 - 5);
        g_assert_cmpint (g_date_time_to_unix (reset), <=, now + 5 * 3600 + 5);
        g_assert_cmpfloat (json_object_get_double_member (quota, "remainingFraction"), ==, 1.0);
        g_assert_true (json_object_get_boolean_member (model, "supportsThinking"));
        g_assert_cmpint (json_object_get_int_member (model, "maxTokens"), >=, 200000);
      }
    g_assert_cmpstr (json_object_get_string_member (opus, "displayName"), ==, "Claude Opus 4.6 (Thinking)");
    g_assert_cmpint (json_object_get_int_member (opus, "maxTokens"), ==, 200000);
    g_assert_cmpint (json_object_get_int_member (opus, "maxOutputTokens"), ==, 64000);
    ag_test_assert_json_text (json_object_get_member (root, "deprecatedModelIds"),
                              "{\"gemini-3-pro-high\":{\"newModelId\":\"gemini-3.1-pro-high\"}}");
  }

  set_script (f, "{\"models\":{\"m1\":{\"displayName\":\"M1\",\"quotaInfo\":{\"resetTime\":\"2026-01-01T00:00:00Z\"}}}}");
  {
    g_autofree char *fresh = get_token (f, "rt-1");
    g_autoptr(Result) r = post_json (f, "/v1internal:fetchAvailableModels", "{}", fresh);
    assert_result (r, 200, "{\"models\":{\"m1\":{\"displayName\":\"M1\",\"quotaInfo\":{\"resetTime\":"
                           "\"2026-01-01T00:00:00Z\"}}},\"deprecatedModelIds\":{\"gemini-3-pro-high\":"
                           "{\"newModelId\":\"gemini-3.1-pro-high\"}},\"webSearchModelIds\":[\"gemini-3-flash\"]}");
  }
}

static void
test_count_tokens (Fixture *f, gconstpointer data)
{
  g_autofree char *token = get_token (f, "rt-1");
  const char *body = "{\"request\":{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"count me please\"}]}]}}";
  g_autofree char *expected = g_strdup_printf ("{\"totalTokens\":%zu}", (strlen (body) + 3) / 4);

  {
    g_autoptr(Result) r = post_json (f, "/v1internal:countTokens", body, token);
    assert_result (r, 200, expected);
  }
}

/* Generation */

/* Splits an SSE body into the JSON of each "data:" event; every event must end with a blank line. */
static GPtrArray *
parse_sse (const char *text)
{
  GPtrArray *events = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  g_auto(GStrv) blocks = g_strsplit (text, "\n\n", -1);
  guint n = g_strv_length (blocks);

  g_assert_cmpuint (n, >=, 2);
  g_assert_cmpstr (blocks[n - 1], ==, "");
  for (guint i = 0; i + 1 < n; i++)
    {
      g_assert_true (g_str_has_prefix (blocks[i], "data: "));
      g_assert_null (strchr (blocks[i], '\n'));
      g_ptr_array_add (events, ag_test_parse_json_text (blocks[i] + strlen ("data: ")));
    }
  return events;
}

static JsonObject *
event_response (GPtrArray *events, guint i)
{
  return json_object_get_object_member (json_node_get_object (events->pdata[i]), "response");
}

static JsonObject *
event_candidate (GPtrArray *events, guint i)
{
  return json_array_get_object_element (json_object_get_array_member (event_response (events, i), "candidates"), 0);
}

static JsonArray *
event_parts (GPtrArray *events, guint i)
{
  JsonObject *content = json_object_get_object_member (event_candidate (events, i), "content");

  g_assert_cmpstr (json_object_get_string_member (content, "role"), ==, "model");
  return json_object_get_array_member (content, "parts");
}

static void
test_stream_default_claude (Fixture *f, gconstpointer data)
{
  g_autofree char *token = get_token (f, "rt-1");
  const char *body = HELLO_ENVELOPE ("claude-opus-4-6-thinking",
                                     ",\"generationConfig\":{\"thinkingConfig\":{\"includeThoughts\":true,"
                                     "\"thinkingBudget\":1024}}");
  g_autoptr(Result) r = post_json (f, "/v1internal:streamGenerateContent?alt=sse", body, token);
  g_autofree char *text = body_text (r);
  g_autoptr(GPtrArray) events = parse_sse (text);
  const char *trace = soup_message_headers_get_one (soup_message_get_response_headers (r->msg),
                                                    "x-cloudaicompanion-trace-id");
  const char *response_id = json_object_get_string_member (event_response (events, 0), "responseId");
  g_autoptr(GString) thought = g_string_new (NULL);
  g_autoptr(GString) answer = g_string_new (NULL);
  const char *signature = NULL;
  JsonObject *usage = NULL;
  gint64 prompt = (gint64) (strlen (body) + 3) / 4;

  g_assert_no_error (r->error);
  g_assert_cmpuint (soup_message_get_status (r->msg), ==, 200);
  g_assert_cmpstr (soup_message_headers_get_content_type (soup_message_get_response_headers (r->msg), NULL), ==,
                   "text/event-stream");
  g_assert_cmpint (soup_message_headers_get_encoding (soup_message_get_response_headers (r->msg)), ==,
                   SOUP_ENCODING_CHUNKED);
  g_assert_true (g_str_has_prefix (response_id, "msg_vrtx_01"));
  /* 2 thought pieces, the signature part, 3 text pieces: one part per event. */
  g_assert_cmpuint (events->len, ==, 6);
  for (guint i = 0; i < events->len; i++)
    {
      JsonArray *parts = event_parts (events, i);
      JsonObject *part = json_array_get_object_element (parts, 0);
      gboolean last = i + 1 == events->len;

      g_assert_cmpuint (json_array_get_length (parts), ==, 1);
      g_assert_cmpstr (json_object_get_string_member (json_node_get_object (events->pdata[i]), "traceId"), ==, trace);
      g_assert_cmpstr (json_object_get_string_member (event_response (events, i), "modelVersion"), ==,
                       "claude-opus-4-6-thinking");
      g_assert_cmpstr (json_object_get_string_member (event_response (events, i), "responseId"), ==, response_id);
      g_assert_cmpint (json_object_has_member (event_candidate (events, i), "finishReason"), ==, last);
      g_assert_cmpint (json_object_has_member (event_response (events, i), "usageMetadata"), ==, last);
      if (i < 3)
        {
          g_assert_true (json_object_get_boolean_member (part, "thought"));
          g_string_append (thought, json_object_get_string_member (part, "text"));
          g_assert_cmpint (json_object_has_member (part, "thoughtSignature"), ==, i == 2);
        }
      else
        {
          g_assert_false (json_object_has_member (part, "thought"));
          g_assert_false (json_object_has_member (part, "thoughtSignature"));
          g_assert_cmpstr (json_object_get_string_member (part, "text"), !=, "");
          g_string_append (answer, json_object_get_string_member (part, "text"));
        }
    }
  signature = json_object_get_string_member (json_array_get_object_element (event_parts (events, 2), 0),
                                             "thoughtSignature");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (event_parts (events, 2), 0), "text"),
                   ==, "");
  g_assert_cmpuint (strlen (signature), >=, 100);
  g_assert_true (signature[0] == 'E');
  g_assert_cmpstr (thought->str, ==, "The user greets me. I will answer with a short greeting.");
  g_assert_cmpstr (answer->str, ==, "Hello from the mock.");
  g_assert_cmpstr (json_object_get_string_member (event_candidate (events, 5), "finishReason"), ==, "STOP");
  usage = json_object_get_object_member (event_response (events, 5), "usageMetadata");
  g_assert_cmpint (json_object_get_int_member (usage, "promptTokenCount"), ==, prompt);
  g_assert_cmpint (json_object_get_int_member (usage, "candidatesTokenCount"), ==, 5);
  g_assert_cmpint (json_object_get_int_member (usage, "thoughtsTokenCount"), ==, (thought->len + 3) / 4);
  g_assert_cmpint (json_object_get_int_member (usage, "totalTokenCount"), ==, prompt + 5 + (thought->len + 3) / 4);
}

/* A new token, @script, then one streamed generation for @model: its events, asserting there are @n_events and
 * that the first parts of the first events are exactly @parts (NULL-terminated; NULL: none checked). */
static GPtrArray *
scripted_stream (Fixture *f, const char *model, guint n_events, const char *script, const char * const *parts)
{
  g_autofree char *token = get_token (f, "rt-1");
  g_autofree char *envelope = g_strdup_printf (HELLO_ENVELOPE ("%s", ""), model);
  g_autoptr(Result) r = NULL;
  g_autofree char *text = NULL;
  GPtrArray *events;

  set_script (f, script);
  r = post_json (f, STREAM_PATH, envelope, token);
  text = body_text (r);
  events = parse_sse (text);
  g_assert_cmpuint (events->len, ==, n_events);
  for (guint i = 0; parts != NULL && parts[i] != NULL; i++)
    ag_test_assert_json_text (json_array_get_element (event_parts (events, i), 0), parts[i]);
  return events;
}

static void
test_stream_gemini_function_call (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) events = scripted_stream (f, "gemini-3-flash", 3,
    "{\"generate\":[{\"respond\":{\"text\":\"Reading it.\",\"function_call\":{\"name\":\"Read\","
    "\"args\":{\"file_path\":\"/a.py\"}},\"finish_reason\":\"OTHER\",\"usage\":{\"promptTokenCount\":1200,"
    "\"cachedContentTokenCount\":1024}}}]}",
    (const char *[]) { "{\"text\":\"Reading \"}", "{\"text\":\"it.\"}", NULL });
  JsonObject *call_part = NULL;

  call_part = json_array_get_object_element (event_parts (events, 2), 0);
  /* Gemini: no call id, the signature as a sibling of functionCall. */
  ag_test_assert_json_text (json_object_get_member (call_part, "functionCall"),
                            "{\"name\":\"Read\",\"args\":{\"file_path\":\"/a.py\"}}");
  g_assert_cmpuint (strlen (json_object_get_string_member (call_part, "thoughtSignature")), >=, 100);
  g_assert_cmpstr (json_object_get_string_member (event_candidate (events, 2), "finishReason"), ==, "OTHER");
  {
    JsonObject *usage = json_object_get_object_member (event_response (events, 2), "usageMetadata");
    g_autoptr(JsonNode) call_node = json_node_new (JSON_NODE_OBJECT);
    g_autofree char *call_json = NULL;
    gint64 candidates = 0;

    json_node_set_object (call_node, call_part);
    call_json = json_to_string (call_node, FALSE);
    candidates = json_object_get_int_member (usage, "candidatesTokenCount");
    g_assert_cmpint (json_object_get_int_member (usage, "promptTokenCount"), ==, 1200);
    g_assert_cmpint (json_object_get_int_member (usage, "cachedContentTokenCount"), ==, 1024);
    g_assert_false (json_object_has_member (usage, "thoughtsTokenCount"));
    g_assert_cmpint (candidates, >, 3);
    g_assert_cmpint (json_object_get_int_member (usage, "totalTokenCount"), ==, 1200 + candidates);
  }
}

static void
test_stream_claude_tool_use (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) events = scripted_stream (f, "claude-sonnet-4-6", 4,
    "{\"generate\":[{\"respond\":{\"thinking\":\"Need the file.\",\"signature\":\""
    "Esig-0123456789012345678901234567890123456789012345678901234567890\",\"function_call\":{"
    "\"name\":\"Read\",\"args\":{}}}}]}",
    (const char *[]) { "{\"text\":\"Need the \",\"thought\":true}", "{\"text\":\"file.\",\"thought\":true}",
                       "{\"text\":\"\",\"thought\":true,\"thoughtSignature\":"
                       "\"Esig-0123456789012345678901234567890123456789012345678901234567890\"}", NULL });
  JsonObject *call = NULL;

  call = json_object_get_object_member (json_array_get_object_element (event_parts (events, 3), 0), "functionCall");
  g_assert_false (json_object_has_member (json_array_get_object_element (event_parts (events, 3), 0),
                                          "thoughtSignature"));
  g_assert_cmpstr (json_object_get_string_member (call, "name"), ==, "Read");
  g_assert_true (g_str_has_prefix (json_object_get_string_member (call, "id"), "toolu_vrtx_01"));
}

static void
test_unary_and_array_stream (Fixture *f, gconstpointer data)
{
  g_autofree char *token = get_token (f, "rt-1");
  const char *body = HELLO_ENVELOPE ("gemini-3-flash", "");

  {
    g_autoptr(Result) r = post_json (f, "/v1internal:generateContent", body, token);
    g_autoptr(JsonNode) node = result_json (r);
    JsonObject *response = json_object_get_object_member (json_node_get_object (node), "response");
    g_autofree char *expected = g_strdup_printf (
      "{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"Hello from the mock.\"}]},"
      "\"finishReason\":\"STOP\"}],\"usageMetadata\":{\"promptTokenCount\":%zu,\"candidatesTokenCount\":5,"
      "\"totalTokenCount\":%zu},\"modelVersion\":\"gemini-3-flash\",\"responseId\":\"%s\"}",
      (strlen (body) + 3) / 4, (strlen (body) + 3) / 4 + 5, json_object_get_string_member (response, "responseId"));

    g_assert_cmpuint (soup_message_get_status (r->msg), ==, 200);
    g_assert_cmpuint (strlen (json_object_get_string_member (json_node_get_object (node), "traceId")), ==, 16);
    ag_test_assert_json_text (json_object_get_member (json_node_get_object (node), "response"), expected);
  }
  {
    /* Without alt=sse the stream is one JSON array of the same responses. */
    g_autoptr(Result) r = post_json (f, "/v1internal:streamGenerateContent", body, token);
    g_autoptr(JsonNode) node = result_json (r);
    g_assert_true (JSON_NODE_HOLDS_ARRAY (node));
    g_assert_cmpuint (json_array_get_length (json_node_get_array (node)), ==, 3);
  }
  set_script (f, "{\"generate\":[{\"respond\":{\"chunks\":[{\"candidates\":[{\"content\":{\"role\":\"model\","
                 "\"parts\":[{\"text\":\"a\"}]}}]},{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":["
                 "{\"text\":\"b\"}]},\"finishReason\":\"MAX_TOKENS\"}],\"usageMetadata\":{\"totalTokenCount\":2}}]}}]}");
  {
    g_autoptr(Result) r = post_json (f, "/v1internal:generateContent", body, token);
    g_autoptr(JsonNode) node = result_json (r);
    ag_test_assert_json_text (json_object_get_member (json_node_get_object (node), "response"),
                              "{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"a\"},{\"text\":\"b\"}]},"
                              "\"finishReason\":\"MAX_TOKENS\"}],\"usageMetadata\":{\"totalTokenCount\":2}}");
  }
}

static void
test_scripted_chunks_exact (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) events = scripted_stream (f, "claude-sonnet-4-6", 1,
    "{\"generate\":[{\"respond\":{\"chunks\":[{\"candidates\":[{\"content\":{\"role\":\"model\","
    "\"parts\":[{\"text\":\"x\"}]},\"finishReason\":\"STOP\"}]}]}}]}", NULL);
  const char *trace = NULL;

  trace = json_object_get_string_member (json_node_get_object (events->pdata[0]), "traceId");
  {
    g_autofree char *expected = g_strdup_printf ("{\"response\":{\"candidates\":[{\"content\":{\"role\":\"model\","
                                                 "\"parts\":[{\"text\":\"x\"}]},\"finishReason\":\"STOP\"}]},"
                                                 "\"traceId\":\"%s\"}", trace);
    ag_test_assert_json_text (events->pdata[0], expected);
  }
}

static char *
last_text (Fixture *f, const char *token, const char *body)
{
  g_autoptr(Result) r = post_json (f, "/v1internal:generateContent", body, token);
  g_autoptr(JsonNode) node = result_json (r);
  JsonObject *response = json_object_get_object_member (json_node_get_object (node), "response");
  JsonObject *candidate = json_array_get_object_element (json_object_get_array_member (response, "candidates"), 0);
  JsonArray *parts = json_object_get_array_member (json_object_get_object_member (candidate, "content"), "parts");

  return g_strdup (json_object_get_string_member (json_array_get_object_element (parts, 0), "text"));
}

static void
test_rules (Fixture *f, gconstpointer data)
{
  g_autofree char *token1 = NULL;
  g_autofree char *token2 = NULL;
  const char *tool_result = "{\"project\":\"p\",\"model\":\"gemini-3-flash\",\"request\":{\"contents\":["
                            "{\"role\":\"user\",\"parts\":[{\"text\":\"go\"}]},{\"role\":\"model\",\"parts\":["
                            "{\"functionCall\":{\"name\":\"Read\",\"args\":{}},\"thoughtSignature\":"
                            "\"skip_thought_signature_validator\"}]},{\"role\":\"user\",\"parts\":["
                            "{\"functionResponse\":{\"name\":\"Read\",\"response\":{\"result\":\"ok\"}}}]}]}}";

  set_script (f, "{\"accounts\":[{},{}],\"generate\":["
                 "{\"match\":{\"text_contains\":\"hi\"},\"times\":1,\"respond\":{\"text\":\"first\"}},"
                 "{\"match\":{\"model\":\"claude-sonnet-4-6\"},\"respond\":{\"text\":\"sonnet\"}},"
                 "{\"match\":{\"has_function_response\":true},\"respond\":{\"text\":\"after tool\"}},"
                 "{\"match\":{\"account\":\"user2@example.com\"},\"respond\":{\"text\":\"second account\"}},"
                 "{\"match\":{\"method\":\"fetchAvailableModels\"},\"times\":1,\"respond\":{\"error_preset\":\"server_error\"}}]}");
  token1 = get_token (f, "rt-1");
  token2 = get_token (f, "rt-2");

  {
    g_autofree char *a = last_text (f, token1, HELLO_ENVELOPE ("gemini-3-flash", ""));
    g_autofree char *b = last_text (f, token1, HELLO_ENVELOPE ("gemini-3-flash", ""));
    g_autofree char *c = last_text (f, token1, HELLO_ENVELOPE ("claude-sonnet-4-6", ""));
    g_autofree char *d = last_text (f, token1, tool_result);
    g_autofree char *e = last_text (f, token2, HELLO_ENVELOPE ("gemini-3-flash", ""));

    g_assert_cmpstr (a, ==, "first");
    g_assert_cmpstr (b, ==, "Hello from the mock.");
    g_assert_cmpstr (c, ==, "sonnet");
    g_assert_cmpstr (d, ==, "after tool");
    g_assert_cmpstr (e, ==, "second account");
  }
  {
    g_autoptr(Result) r1 = post_json (f, "/v1internal:fetchAvailableModels", "{}", token1);
    g_autoptr(Result) r2 = post_json (f, "/v1internal:fetchAvailableModels", "{}", token1);
    assert_result (r1, 500, "{\"error\":{\"code\":500,\"message\":\"Internal error encountered.\",\"status\":\"INTERNAL\"}}");
    g_assert_cmpuint (soup_message_get_status (r2->msg), ==, 200);
  }
}

/* Error presets */

/* Checks the timestamp Google computes from now + delay, then returns @node's JSON with it replaced by "TS". */
static char *
json_with_stamp_checked (JsonNode *node, gint64 delay_s)
{
  JsonObject *error = json_object_get_object_member (json_node_get_object (node), "error");
  JsonObject *info = json_array_get_object_element (json_object_get_array_member (error, "details"), 0);
  JsonObject *metadata = json_object_get_object_member (info, "metadata");
  const char *stamp = json_object_get_string_member (metadata, "quotaResetTimeStamp");
  g_autoptr(GDateTime) when = g_date_time_new_from_iso8601 (stamp, NULL);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  g_assert_nonnull (when);
  g_assert_true (g_str_has_suffix (stamp, "Z"));
  g_assert_cmpuint (strlen (stamp), ==, strlen ("2026-04-20T09:19:49Z"));
  g_assert_cmpint (g_date_time_to_unix (when), >=, now + delay_s - 2);
  g_assert_cmpint (g_date_time_to_unix (when), <=, now + delay_s + 2);
  json_object_set_string_member (metadata, "quotaResetTimeStamp", "TS");
  return json_to_string (node, FALSE);
}

static Result *
preset_request (Fixture *f, const char *token, const char *respond)
{
  g_autofree char *script = g_strdup_printf ("{\"generate\":[{\"respond\":%s}]}", respond);

  set_script (f, script);
  return post_json (f, "/v1internal:streamGenerateContent?alt=sse", HELLO_ENVELOPE ("claude-opus-4-6-thinking", ""),
                    token);
}

/* Rate-limit and quota presets carry a reset time stamp of now + the delay: checked, then compared as "TS". */
static const struct {
  const char *respond;
  gint64      delay_s;
  guint       status;          /* 0: not checked */
  const char *content_type;    /* NULL: not checked */
  const char *expected;        /* the whole normalised answer; NULL: only what @contains lists */
  const char *contains[4];
} stamped_presets[] = {
  { "{\"error_preset\":\"rate_limit\",\"retry_delay\":\"0.4s\"}", 0, 429, "application/json",
    "{\"error\":{\"code\":429,\"message\":\"You have exhausted your capacity on this model. Your quota will reset "
    "after 0s.\",\"status\":\"RESOURCE_EXHAUSTED\",\"details\":[{\"@type\":\"type.googleapis.com/google.rpc."
    "ErrorInfo\",\"reason\":\"RATE_LIMIT_EXCEEDED\",\"domain\":\"cloudcode-pa.googleapis.com\",\"metadata\":{"
    "\"model\":\"claude-opus-4-6-thinking\",\"quotaResetDelay\":\"400ms\",\"quotaResetTimeStamp\":\"TS\","
    "\"uiMessage\":\"true\"}},{\"@type\":\"type.googleapis.com/google.rpc.RetryInfo\",\"retryDelay\":\"0.400s\"}]}}" },
  { "{\"error_preset\":\"rate_limit\"}", 0, 0, NULL, NULL,
    { "\"quotaResetDelay\":\"479.417207ms\"", "\"retryDelay\":\"0.479417207s\"" } },
  { "{\"error_preset\":\"quota_exhausted\"}", 8485, 429, NULL,
    "{\"error\":{\"code\":429,\"message\":\"You have exhausted your capacity on this model. Your quota will reset "
    "after 2h21m25s.\",\"status\":\"RESOURCE_EXHAUSTED\",\"details\":[{\"@type\":"
    "\"type.googleapis.com/google.rpc.ErrorInfo\",\"reason\":\"QUOTA_EXHAUSTED\",\"domain\":"
    "\"cloudcode-pa.googleapis.com\",\"metadata\":{\"uiMessage\":\"true\",\"model\":\"claude-opus-4-6-thinking\","
    "\"quotaResetDelay\":\"2h21m25.831582438s\",\"quotaResetTimeStamp\":\"TS\"}},{\"@type\":"
    "\"type.googleapis.com/google.rpc.RetryInfo\",\"retryDelay\":\"8485.831582438s\"}]}}" },
  { "{\"error_preset\":\"quota_exhausted\",\"reset_delay\":\"108h48m20.795762633s\"}", 391700, 0, NULL, NULL,
    { "\"quotaResetDelay\":\"108h48m20.795762633s\"", "\"retryDelay\":\"391700.795762633s\"",
      "reset after 108h48m20s." } },
};

static void
test_error_presets (Fixture *f, gconstpointer data)
{
  g_autofree char *token = get_token (f, "rt-1");

  for (gsize i = 0; i < G_N_ELEMENTS (stamped_presets); i++)
    {
      g_autoptr(Result) r = preset_request (f, token, stamped_presets[i].respond);
      g_autoptr(JsonNode) node = result_json (r);
      g_autofree char *text = json_with_stamp_checked (node, stamped_presets[i].delay_s);

      if (stamped_presets[i].status != 0)
        g_assert_cmpuint (soup_message_get_status (r->msg), ==, stamped_presets[i].status);
      if (stamped_presets[i].content_type != NULL)
        g_assert_cmpstr (soup_message_headers_get_content_type (soup_message_get_response_headers (r->msg), NULL), ==,
                         stamped_presets[i].content_type);
      if (stamped_presets[i].expected != NULL)
        {
          g_autoptr(JsonNode) normalized = ag_test_parse_json_text (text);

          ag_test_assert_json_text (normalized, stamped_presets[i].expected);
        }
      for (guint j = 0; stamped_presets[i].contains[j] != NULL; j++)
        g_assert_nonnull (strstr (text, stamped_presets[i].contains[j]));
    }
  {
    g_autoptr(GError) error = NULL;
    g_assert_false (ag_mock_server_set_script_json (f->mock, "{\"generate\":[{\"respond\":{\"error_preset\":\"nope\"}}]}",
                                                    &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  }
}

/* Faults */

typedef struct {
  SoupMessage   *msg;
  GInputStream  *stream;
  GCancellable  *cancellable;
  GByteArray    *received;
  GError        *error;
  gboolean       done;
  gint64         started_us;
  gint64         first_byte_us;
  guint          reads;
} StreamRead;

static void read_more (StreamRead *s);

static void
on_stream_bytes (GObject *source, GAsyncResult *res, gpointer user_data)
{
  StreamRead *s = user_data;
  g_autoptr(GBytes) bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), res, &s->error);

  if (bytes == NULL || g_bytes_get_size (bytes) == 0)
    {
      s->done = TRUE;
      return;
    }
  if (s->first_byte_us == 0)
    s->first_byte_us = g_get_monotonic_time ();
  s->reads++;
  g_byte_array_append (s->received, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  read_more (s);
}

static void
read_more (StreamRead *s)
{
  g_input_stream_read_bytes_async (s->stream, 65536, G_PRIORITY_DEFAULT, s->cancellable, on_stream_bytes, s);
}

static void
on_stream_sent (GObject *source, GAsyncResult *res, gpointer user_data)
{
  StreamRead *s = user_data;

  s->stream = soup_session_send_finish (SOUP_SESSION (source), res, &s->error);
  if (s->stream == NULL)
    {
      s->done = TRUE;
      return;
    }
  read_more (s);
}

static gboolean
cancel_stream (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

/* Streams a generation answer, reading every byte as it arrives; gives up after @cancel_ms when > 0. */
static void
stream_read (Fixture *f, const char *token, guint cancel_ms, StreamRead *s)
{
  guint cancel_id = 0;

  memset (s, 0, sizeof *s);
  s->msg = new_message (f, "POST", "/v1internal:streamGenerateContent?alt=sse", "application/json",
                        HELLO_ENVELOPE ("gemini-3-flash", ""), token);
  s->cancellable = g_cancellable_new ();
  s->received = g_byte_array_new ();
  s->started_us = g_get_monotonic_time ();
  if (cancel_ms > 0)
    cancel_id = g_timeout_add (cancel_ms, cancel_stream, s->cancellable);
  soup_session_send_async (f->session, s->msg, G_PRIORITY_DEFAULT, s->cancellable, on_stream_sent, s);
  ag_test_wait_for (&s->done, AG_TEST_TIMEOUT_MS);
  if (cancel_id != 0 && !g_cancellable_is_cancelled (s->cancellable))
    g_source_remove (cancel_id);
}

static void
stream_read_clear (StreamRead *s)
{
  g_clear_object (&s->msg);
  g_clear_object (&s->stream);
  g_clear_object (&s->cancellable);
  g_clear_pointer (&s->received, g_byte_array_unref);
  g_clear_error (&s->error);
}

static void
test_faults (Fixture *f, gconstpointer data)
{
  g_autofree char *token = get_token (f, "rt-1");
  const char *raw = "data: {\"response\":{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"r\"}]}}]}}\n\n"
                    "data: {broken\n\n";
  StreamRead s;

  {
    g_autoptr(JsonBuilder) b = json_builder_new ();
    g_autoptr(JsonNode) root = NULL;
    g_autoptr(GError) error = NULL;

    /* raw: exact bytes, here written 7 bytes at a time. */
    json_builder_begin_object (b);
    json_builder_set_member_name (b, "generate");
    json_builder_begin_array (b);
    json_builder_begin_object (b);
    json_builder_set_member_name (b, "respond");
    json_builder_begin_object (b);
    json_builder_set_member_name (b, "raw");
    json_builder_add_string_value (b, raw);
    json_builder_set_member_name (b, "split_bytes");
    json_builder_add_int_value (b, 7);
    json_builder_set_member_name (b, "chunk_delay_ms");
    json_builder_add_int_value (b, 5);
    json_builder_end_object (b);
    json_builder_end_object (b);
    json_builder_end_array (b);
    json_builder_end_object (b);
    root = json_builder_get_root (b);
    g_assert_true (ag_mock_server_set_script (f->mock, root, &error));
    g_assert_no_error (error);

    stream_read (f, token, 0, &s);
    g_assert_no_error (s.error);
    g_assert_cmpuint (s.received->len, ==, strlen (raw));
    g_assert_cmpmem (s.received->data, s.received->len, raw, strlen (raw));
    /* Pieces arrive one by one (5 ms apart), not as one write. */
    g_assert_cmpuint (s.reads, >, 5);
    stream_read_clear (&s);
  }
  {
    set_script (f, "{\"generate\":[{\"respond\":{\"first_byte_delay_ms\":150,\"chunk_delay_ms\":60}}]}");
    stream_read (f, token, 0, &s);
    g_assert_no_error (s.error);
    g_assert_cmpuint (soup_message_get_status (s.msg), ==, 200);
    g_assert_cmpint (s.first_byte_us - s.started_us, >=, 150 * 1000);
    /* Three events, two delays between them. */
    g_assert_cmpint (g_get_monotonic_time () - s.started_us, >=, (150 + 2 * 60) * 1000);
    g_assert_cmpuint (s.reads, >=, 3);
    stream_read_clear (&s);
  }
  {
    set_script (f, "{\"generate\":[{\"respond\":{\"close_after_bytes\":25}}]}");
    stream_read (f, token, 0, &s);
    g_assert_cmpuint (soup_message_get_status (s.msg), ==, 200);
    /* libsoup 3.2 reports a chunked body cut between chunks as a plain EOF, so only the bytes tell. */
    g_assert_cmpuint (s.received->len, ==, 25);
    g_assert_cmpmem (s.received->data, 25, "data: {\"response\":{\"candi", 25);
    stream_read_clear (&s);
  }
  {
    /* hang: headers, then nothing until the client gives up. */
    set_script (f, "{\"generate\":[{\"respond\":{\"hang\":true}}]}");
    stream_read (f, token, 300, &s);
    g_assert_cmpuint (soup_message_get_status (s.msg), ==, 200);
    g_assert_error (s.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_assert_cmpuint (s.received->len, ==, 0);
    g_assert_cmpint (g_get_monotonic_time () - s.started_us, >=, 300 * 1000);
    stream_read_clear (&s);
  }
  {
    /* Errors take faults too. */
    g_autoptr(Result) r = NULL;
    gint64 start = g_get_monotonic_time ();

    set_script (f, "{\"generate\":[{\"respond\":{\"error_preset\":\"server_error\",\"first_byte_delay_ms\":100,"
                   "\"headers\":{\"Retry-After\":\"3\"}}}]}");
    r = post_json (f, "/v1internal:generateContent", HELLO_ENVELOPE ("gemini-3-flash", ""), token);
    g_assert_cmpint (g_get_monotonic_time () - start, >=, 100 * 1000);
    g_assert_cmpstr (soup_message_headers_get_one (soup_message_get_response_headers (r->msg), "Retry-After"), ==, "3");
    assert_result (r, 500, "{\"error\":{\"code\":500,\"message\":\"Internal error encountered.\",\"status\":\"INTERNAL\"}}");
  }
}

static void
test_disconnect_mid_stream (Fixture *f, gconstpointer data)
{
  g_autofree char *token = get_token (f, "rt-1");
  StreamRead s;

  set_script (f, "{\"generate\":[{\"respond\":{\"text\":\"one two three four five six seven eight\","
                 "\"chunk_delay_ms\":40}}]}");
  stream_read (f, token, 60, &s);
  g_assert_error (s.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (s.received->len, >, 0);
  stream_read_clear (&s);

  /* Let the server's next timed write hit the closed connection, then check it still serves. */
  ag_test_sleep (200);
  {
    g_autofree char *text = last_text (f, token, HELLO_ENVELOPE ("gemini-3-flash", ""));
    g_assert_cmpstr (text, ==, "one two three four five six seven eight");
  }
}

/* Auth and the request log */

static void
test_unauthenticated (Fixture *f, gconstpointer data)
{
  g_autofree char *expired = NULL;

  set_script (f, "{\"accounts\":[{\"expires_in\":0},{\"access_token\":\"seeded-token\"}]}");
  expired = get_token (f, "rt-1");
  {
    g_autoptr(Result) r = post_json (f, "/v1internal:loadCodeAssist", "{}", expired);
    g_assert_cmpuint (soup_message_get_status (r->msg), ==, 401);
  }
  {
    g_autoptr(Result) r = post_json (f, "/v1internal:loadCodeAssist", "{}", "seeded-token");
    g_assert_cmpuint (soup_message_get_status (r->msg), ==, 200);
  }
}

static void
test_request_log (Fixture *f, gconstpointer data)
{
  g_autofree char *token = get_token (f, "rt-1");
  g_autoptr(JsonNode) log = NULL;
  JsonObject *entry = NULL;

  {
    g_autoptr(Result) r = g_new0 (Result, 1);

    r->msg = new_message (f, "POST", "/v1internal:streamGenerateContent?alt=sse", "application/json",
                          HELLO_ENVELOPE ("gemini-3-flash", ""), token);
    soup_message_headers_replace (soup_message_get_request_headers (r->msg), "X-Client-Name", "antigravity");
    soup_session_send_and_read_async (f->session, r->msg, G_PRIORITY_DEFAULT, NULL, on_read, r);
    ag_test_wait_for (&r->done, AG_TEST_TIMEOUT_MS);
    g_assert_cmpuint (soup_message_get_status (r->msg), ==, 200);
  }

  log = ag_mock_server_get_requests (f->mock);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (log)), ==, 2);
  entry = json_array_get_object_element (json_node_get_array (log), 1);
  g_assert_cmpstr (json_object_get_string_member (entry, "method"), ==, "POST");
  g_assert_cmpstr (json_object_get_string_member (entry, "path"), ==, "/v1internal:streamGenerateContent");
  g_assert_cmpstr (json_object_get_string_member (entry, "query"), ==, "alt=sse");
  ag_test_assert_json_text (json_object_get_member (entry, "body"), HELLO_ENVELOPE ("gemini-3-flash", ""));
  {
    JsonObject *headers = json_object_get_object_member (entry, "headers");
    g_autofree char *bearer = g_strconcat ("Bearer ", token, NULL);
    g_assert_cmpstr (json_object_get_string_member (headers, "x-client-name"), ==, "antigravity");
    g_assert_cmpstr (json_object_get_string_member (headers, "authorization"), ==, bearer);
    g_assert_cmpstr (json_object_get_string_member (headers, "content-type"), ==, "application/json");
  }
  entry = json_array_get_object_element (json_node_get_array (log), 0);
  g_assert_cmpstr (json_object_get_string_member (entry, "path"), ==, "/token");
  g_assert_true (json_node_get_value_type (json_object_get_member (entry, "body")) == G_TYPE_STRING);
  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (entry, "query")));

  g_assert_cmpuint (ag_mock_server_count_requests (f->mock, ":streamGenerateContent"), ==, 1);
  g_assert_cmpuint (ag_mock_server_count_requests (f->mock, "/token"), ==, 1);

  {
    /* The HTTP view is the same log; control calls are not recorded. */
    g_autoptr(Result) r = http (f, "GET", "/_mock/requests", NULL, NULL, NULL);
    g_autoptr(JsonNode) node = result_json (r);
    g_autoptr(JsonNode) again = ag_mock_server_get_requests (f->mock);
    g_assert_true (json_node_equal (node, again));
  }
  {
    g_autoptr(Result) r = http (f, "POST", "/_mock/reset", "application/json", "{}", NULL);
    g_autoptr(JsonNode) empty = ag_mock_server_get_requests (f->mock);
    g_assert_cmpuint (soup_message_get_status (r->msg), ==, 200);
    g_assert_cmpuint (json_array_get_length (json_node_get_array (empty)), ==, 0);
    g_assert_cmpuint (ag_mock_server_count_requests (f->mock, ":streamGenerateContent"), ==, 0);
  }
  {
    /* Bounded: the newest 1000 are kept, the counts cover everything. */
    g_autoptr(JsonNode) bounded = NULL;
    for (guint i = 0; i < 1005; i++)
      {
        g_autoptr(Result) r = http (f, "GET", i < 5 ? "/userinfo?first" : "/userinfo", NULL, NULL, NULL);
        g_assert_cmpuint (soup_message_get_status (r->msg), ==, 401);
      }
    bounded = ag_mock_server_get_requests (f->mock);
    g_assert_cmpuint (json_array_get_length (json_node_get_array (bounded)), ==, 1000);
    g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (
      json_array_get_object_element (json_node_get_array (bounded), 0), "query")));
    g_assert_cmpuint (ag_mock_server_count_requests (f->mock, "/userinfo"), ==, 1005);
  }
}

static void
test_script_over_http (Fixture *f, gconstpointer data)
{
  g_autofree char *token = get_token (f, "rt-1");

  {
    g_autoptr(Result) r = post_json (f, "/_mock/script", "{\"generate\":[{\"respond\":{\"text\":\"via http\"}}]}",
                                     NULL);
    g_autofree char *text = NULL;
    assert_result (r, 200, "{\"ok\":true}");
    text = last_text (f, token, HELLO_ENVELOPE ("gemini-3-flash", ""));
    g_assert_cmpstr (text, ==, "via http");
  }
  {
    char **envp = ag_mock_server_environ (f->mock, NULL);
    g_autofree char *token_url = g_strconcat (f->base, "/token", NULL);
    g_assert_cmpstr (g_environ_getenv (envp, "AGCL_CLOUDCODE_ENDPOINTS"), ==, f->base);
    g_assert_cmpstr (g_environ_getenv (envp, "AGCL_OAUTH_TOKEN_URL"), ==, token_url);
    g_strfreev (envp);
  }
}

/* The program */

static void
test_program (void)
{
  const char *build_dir = g_getenv ("AGCL_BUILD_DIR");
  g_autofree char *program = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autofree char *line = NULL;
  g_autoptr(GError) error = NULL;

  if (build_dir == NULL)
    {
      g_test_skip ("AGCL_BUILD_DIR not set");
      return;
    }
  program = g_build_filename (build_dir, "tests", "mock", "ag-mock-cloudcode", NULL);
  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, program, NULL);
  g_assert_no_error (error);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  line = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, "LISTENING http://127.0.0.1:"));
  {
    Fixture f = { .base = g_strdup (line + strlen ("LISTENING ")) };
    g_autoptr(Result) r = NULL;

    f.session = soup_session_new ();
    r = http (&f, "GET", "/userinfo", NULL, NULL, NULL);
    g_assert_cmpuint (soup_message_get_status (r->msg), ==, 401);
    g_clear_object (&f.session);
    g_free (f.base);
  }
  g_subprocess_send_signal (process, SIGTERM);
  g_assert_true (g_subprocess_wait (process, NULL, &error));
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
}

/* Claude under thinking: a call the mock made after thinking, sent back without that thinking in front of it (a
 * client or proxy stripped it), is refused in Anthropic's words. */
static void
test_stripped_thinking (Fixture *f, gconstpointer data)
{
  const Exchange made = { "made-after-thinking", "{\"generate\":[{\"respond\":{\"thinking\":\"I will read it.\",\"function_call\":{\"name\":\"Read\",\"args\":{},\"id\":\"t1\"}}}]}", NULL, STREAM_PATH, NULL,
                          "{\"project\":\"p\",\"model\":\"claude-sonnet-4-6\",\"request\":{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"go\"}]}],\"generationConfig\":{\"thinkingConfig\":{\"includeThoughts\":true,\"thinkingBudget\":2048}}}}",
                          ISSUED, 200, NULL, NULL, NULL };
  const Exchange stripped = { "stripped", NULL, NULL, STREAM_PATH, NULL,
                              "{\"project\":\"p\",\"model\":\"claude-sonnet-4-6\",\"request\":{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"go\"}]},{\"role\":\"model\",\"parts\":[{\"functionCall\":{\"name\":\"Read\",\"args\":{},\"id\":\"t1\"}}]},{\"role\":\"user\",\"parts\":[{\"functionResponse\":{\"name\":\"Read\",\"response\":{\"result\":\"ok\"},\"id\":\"t1\"}}]}],\"generationConfig\":{\"thinkingConfig\":{\"includeThoughts\":true,\"thinkingBudget\":2048}}}}",
                              ISSUED, 400,
                              "{\"error\":{\"code\":400,\"message\":\"{\\\"type\\\":\\\"error\\\",\\\"error\\\":{\\\"type\\\":\\\"invalid_request_error\\\",\\\"message\\\":\\\"messages.1.content.0.type: Expected `thinking` or `redacted_thinking`, but found `tool_use`. When `thinking` is enabled, a final `assistant` message must start with a thinking block (preceeding the lastmost set of `tool_use` and `tool_result` blocks). We recommend you include thinking blocks from previous turns. To avoid this requirement, disable `thinking`.\\\"},\\\"request_id\\\":\\\"req_vrtx_011CMockHistory0000000000\\\"}\",\"status\":\"INVALID_ARGUMENT\"}}",
                              NULL, NULL };

  test_exchange (f, &made);
  test_exchange (f, &stripped);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add ("/mock/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("token-refresh", test_token_refresh);
  ADD ("auth-code-pkce", test_auth_code_pkce);
  ADD ("userinfo", test_userinfo);
  ADD ("load-code-assist-onboard", test_load_code_assist_and_onboard);
  ADD ("fetch-available-models", test_fetch_available_models);
  ADD ("count-tokens", test_count_tokens);
  ADD ("stream-default-claude", test_stream_default_claude);
  ADD ("stream-gemini-function-call", test_stream_gemini_function_call);
  ADD ("stream-claude-tool-use", test_stream_claude_tool_use);
  ADD ("unary-and-array-stream", test_unary_and_array_stream);
  ADD ("scripted-chunks-exact", test_scripted_chunks_exact);
  ADD ("stripped-thinking", test_stripped_thinking);
  ADD ("rules", test_rules);
  ADD ("error-presets", test_error_presets);
  ADD ("faults", test_faults);
  ADD ("disconnect-mid-stream", test_disconnect_mid_stream);
  ADD ("unauthenticated", test_unauthenticated);
  ADD ("request-log", test_request_log);
  ADD ("script-over-http", test_script_over_http);
#undef ADD
  for (gsize i = 0; i < G_N_ELEMENTS (exchanges); i++)
    {
      g_autofree char *path = g_strconcat ("/mock/exchange/", exchanges[i].name, NULL);

      g_test_add (path, Fixture, &exchanges[i], fixture_setup, test_exchange, fixture_teardown);
    }
  g_test_add_func ("/mock/program", test_program);

  return g_test_run ();
}
