/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests for Anthropic error bodies and the mapping of upstream failures to what Claude Code receives. */
#include "ag-test.h"
#include "ag-anthropic-error.h"

#include <string.h>

static void
test_type_for_status (void)
{
  static const struct { guint status; const char *type; } table[] = {
    { 400, "invalid_request_error" }, { 401, "authentication_error" }, { 403, "permission_error" },
    { 404, "not_found_error" }, { 413, "request_too_large" }, { 429, "rate_limit_error" },
    { 529, "overloaded_error" }, { 500, "api_error" }, { 502, "api_error" }, { 503, "api_error" },
    { 504, "api_error" }, { 422, "invalid_request_error" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (table); i++)
    g_assert_cmpstr (ag_anthropic_error_type_for_status (table[i].status), ==, table[i].type);
}

static void
test_body (void)
{
  g_autofree char *body = ag_anthropic_error_body ("rate_limit_error", "Slow \"down\"");
  g_autoptr(JsonNode) node = ag_anthropic_error_node ("api_error", NULL);
  g_autofree char *from_node = json_to_string (node, FALSE);

  g_assert_cmpstr (body, ==, "{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":\"Slow \\\"down\\\"\"}}");
  g_assert_cmpstr (from_node, ==, "{\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"\"}}");
}

typedef struct {
  const char *name;
  guint       http_status;
  const char *body;
  guint       status;
  const char *type;
  const char *message;
} MapCase;

static const MapCase map_cases[] = {
  { "rate-limit", 429,
    "{\"error\":{\"code\":429,\"status\":\"RESOURCE_EXHAUSTED\",\"message\":\"x\",\"details\":[{\"@type\":"
    "\"type.googleapis.com/google.rpc.ErrorInfo\",\"reason\":\"RATE_LIMIT_EXCEEDED\",\"metadata\":{\"model\":"
    "\"claude-opus-4-6-thinking\",\"quotaResetDelay\":\"479.417207ms\"}}]}}",
    429, "rate_limit_error", "Rate limited upstream for claude-opus-4-6-thinking; retry in 1s" },
  { "quota-hours", 429,
    "{\"error\":{\"code\":429,\"message\":\"x\",\"details\":[{\"@type\":\"type.googleapis.com/google.rpc.ErrorInfo\","
    "\"reason\":\"QUOTA_EXHAUSTED\",\"metadata\":{\"model\":\"claude-opus-4-6-thinking\",\"quotaResetDelay\":"
    "\"2h21m25.831582438s\"}}]}}",
    429, "rate_limit_error", "Upstream quota exhausted for claude-opus-4-6-thinking; resets in 2h 21m" },
  { "quota-days", 429,
    "{\"error\":{\"code\":429,\"message\":\"x\",\"details\":[{\"@type\":\"type.googleapis.com/google.rpc.ErrorInfo\","
    "\"reason\":\"QUOTA_EXHAUSTED\",\"metadata\":{\"model\":\"gemini-3.5-flash-low\",\"quotaResetDelay\":"
    "\"108h48m20.795762633s\"}}]}}",
    429, "rate_limit_error", "Upstream quota exhausted for gemini-3.5-flash-low; until * (in 4d 12h 48m)" },
  { "quota-timestamp-only", 429,
    "{\"error\":{\"code\":429,\"message\":\"x\",\"details\":[{\"@type\":\"type.googleapis.com/google.rpc.ErrorInfo\","
    "\"reason\":\"QUOTA_EXHAUSTED\",\"metadata\":{\"quotaResetTimeStamp\":\"2026-06-04T15:24:12Z\"}}]}}",
    429, "rate_limit_error", "Upstream quota exhausted for this model; resets at 2026-06-04 15:24 UTC" },
  { "rate-limit-minutes", 429,
    "{\"error\":{\"code\":429,\"message\":\"x\",\"details\":[{\"@type\":\"type.googleapis.com/google.rpc.RetryInfo\","
    "\"retryDelay\":\"95s\"}]}}",
    429, "rate_limit_error", "Rate limited upstream for this model; retry in 1m 35s" },
  { "capacity", 503,
    "{\"error\":{\"code\":503,\"message\":\"No capacity available for model gemini-3-flash on the server\","
    "\"details\":[{\"@type\":\"type.googleapis.com/google.rpc.ErrorInfo\",\"reason\":\"MODEL_CAPACITY_EXHAUSTED\","
    "\"metadata\":{\"model\":\"gemini-3-flash\"}}]}}",
    529, "overloaded_error",
    "Upstream has no capacity for gemini-3-flash right now: No capacity available for model gemini-3-flash on the server" },
  { "auth", 400, "{\"error\":\"invalid_grant\",\"error_description\":\"Token has been expired or revoked.\"}",
    503, "api_error",
    "The Google account used by ag-cl must sign in again (Token has been expired or revoked.); re-authorise it in ag-cl" },
  { "validation", 403,
    "{\"error\":{\"code\":403,\"message\":\"Verify your account to continue.\",\"details\":[{\"@type\":"
    "\"type.googleapis.com/google.rpc.ErrorInfo\",\"reason\":\"VALIDATION_REQUIRED\",\"metadata\":"
    "{\"validation_url\":\"https://accounts.google.com/signin/continue?sarp=1\"}}]}}",
    503, "api_error", "Google asks to verify the account used by ag-cl; open ag-cl to complete the verification" },
  { "disabled", 403, "{\"error\":{\"code\":403,\"message\":\"The caller does not have permission\"}}",
    503, "api_error", "Google refused the account used by ag-cl: The caller does not have permission" },
  { "bad-request", 400, "{\"error\":{\"code\":400,\"message\":\"Request contains an invalid argument.\"}}",
    400, "invalid_request_error", "Request contains an invalid argument." },
  { "context-overflow", 400,
    "{\"error\":{\"code\":400,\"message\":\"The input token count (1200000) exceeds the maximum number of tokens "
    "allowed (1048576).\"}}",
    400, "invalid_request_error",
    "Prompt is too long: The input token count (1200000) exceeds the maximum number of tokens allowed (1048576)." },
  { "not-found", 404, "{\"error\":{\"code\":404,\"message\":\"Requested entity was not found.\"}}",
    404, "not_found_error", "Upstream does not know this model: Requested entity was not found." },
  { "server-html", 502, "<html><body>Bad Gateway</body></html>",
    502, "api_error", "Upstream server error (HTTP 502): HTTP 502 with an HTML body" },
  { "client-outdated", 400,
    "{\"error\":{\"code\":400,\"message\":\"This version of Antigravity is no longer supported. Please update to "
    "receive the latest features!\",\"status\":\"FAILED_PRECONDITION\"}}",
    503, "api_error",
    "Google refused the Antigravity client version ag-cl announced (“This version of Antigravity is no longer "
    "supported. Please update to receive the latest features!”); ag-cl is checking for the current release: retry in "
    "a moment, or set AGCL_ANTIGRAVITY_VERSION to it" },
  { "other", 409, "{\"error\":{\"code\":409,\"message\":\"Aborted\"}}",
    502, "api_error", "Unexpected upstream answer (HTTP 409): Aborted" },
};

static void
test_from_google (gconstpointer data)
{
  const MapCase *c = data;
  g_autoptr(AgGoogleError) error = ag_google_error_parse (c->http_status, c->body, strlen (c->body));
  const char *type = NULL;
  g_autofree char *message = NULL;
  guint status = ag_anthropic_error_from_google (error, &type, &message);

  g_assert_cmpuint (status, ==, c->status);
  g_assert_cmpstr (type, ==, c->type);
  /* A reset days away names the local day and time, which depend on the clock: "*" stands for it. */
  if (strchr (c->message, '*') != NULL)
    g_assert_true (g_pattern_match_simple (c->message, message));
  else
    g_assert_cmpstr (message, ==, c->message);
}

static void
test_never_leaks_a_token (void)
{
  /* A 401 whose body echoes something token-like: the auth answer must not carry the body's other fields. */
  static const char body[] = "{\"error\":{\"code\":401,\"message\":\"Invalid credentials\",\"status\":\"UNAUTHENTICATED\","
                             "\"details\":[{\"@type\":\"x\",\"token\":\"ya29.SECRET\"}]}}";
  g_autoptr(AgGoogleError) error = ag_google_error_parse (401, body, strlen (body));
  const char *type = NULL;
  g_autofree char *message = NULL;

  g_assert_cmpuint (ag_anthropic_error_from_google (error, &type, &message), ==, 503);
  g_assert_null (strstr (message, "ya29"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/anthropic-error/type-for-status", test_type_for_status);
  g_test_add_func ("/anthropic-error/body", test_body);
  AG_TEST_ADD_CASES ("/anthropic-error/from-google/", map_cases, test_from_google);
  g_test_add_func ("/anthropic-error/no-token-in-message", test_never_leaks_a_token);
  return g_test_run ();
}
