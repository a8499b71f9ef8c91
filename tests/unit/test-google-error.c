/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests for Google error bodies, their classification, Go durations and RFC 3339 timestamps. */
#include "ag-test.h"
#include "ag-google-error.h"

#include <string.h>

#define RATE_LIMIT_BODY                                                                                      \
  "{\"error\":{\"code\":429,\"status\":\"RESOURCE_EXHAUSTED\","                                             \
  "\"message\":\"You have exhausted your capacity on this model. Your quota will reset after 0s.\","        \
  "\"details\":[{\"@type\":\"type.googleapis.com/google.rpc.ErrorInfo\",\"reason\":\"RATE_LIMIT_EXCEEDED\","   \
  "\"domain\":\"cloudcode-pa.googleapis.com\",\"metadata\":{\"model\":\"claude-opus-4-6-thinking\","         \
  "\"quotaResetDelay\":\"479.417207ms\",\"quotaResetTimeStamp\":\"2026-04-20T09:19:49Z\",\"uiMessage\":\"true\"}}," \
  "{\"@type\":\"type.googleapis.com/google.rpc.RetryInfo\",\"retryDelay\":\"0.479417207s\"}]}}"

typedef struct {
  const char       *name;
  guint             http_status;
  const char       *body;
  AgUpstreamFailure kind;
  const char       *status;
  const char       *message;
  const char       *reason;
  const char       *model;
  gint64            retry_delay_ms;
  gint64            reset_time_ms;
  const char       *validation_url;
} BodyCase;

static const BodyCase body_cases[] = {
  { "rate-limit", 429, RATE_LIMIT_BODY, AG_UPSTREAM_FAILURE_RATE_LIMIT, "RESOURCE_EXHAUSTED",
    "You have exhausted your capacity on this model. Your quota will reset after 0s.", "RATE_LIMIT_EXCEEDED",
    "claude-opus-4-6-thinking", 480, 1776676789000, NULL },
  { "array-wrapped", 429, "[" RATE_LIMIT_BODY "]", AG_UPSTREAM_FAILURE_RATE_LIMIT, "RESOURCE_EXHAUSTED",
    "You have exhausted your capacity on this model. Your quota will reset after 0s.", "RATE_LIMIT_EXCEEDED",
    "claude-opus-4-6-thinking", 480, 1776676789000, NULL },
  { "quota-exhausted", 429,
    "{\"error\":{\"code\":429,\"status\":\"RESOURCE_EXHAUSTED\",\"message\":\"Individual quota reached. Contact your "
    "administrator to enable overages. Resets in 108h48m29s.\",\"details\":[{\"@type\":\"type.googleapis.com/"
    "google.rpc.ErrorInfo\",\"reason\":\"QUOTA_EXHAUSTED\",\"domain\":\"cloudcode-pa.googleapis.com\",\"metadata\":"
    "{\"uiMessage\":\"true\",\"model\":\"gemini-3.5-flash-low\",\"quotaResetDelay\":\"108h48m20.795762633s\","
    "\"quotaResetTimeStamp\":\"2026-06-04T15:24:12Z\"}},{\"@type\":\"type.googleapis.com/google.rpc.RetryInfo\","
    "\"retryDelay\":\"391609.795772632s\"}]}}",
    AG_UPSTREAM_FAILURE_QUOTA_EXHAUSTED, "RESOURCE_EXHAUSTED",
    "Individual quota reached. Contact your administrator to enable overages. Resets in 108h48m29s.",
    "QUOTA_EXHAUSTED", "gemini-3.5-flash-low", 391609796, 1780586652000, NULL },
  { "quota-reset-delay-only", 429,
    "{\"error\":{\"code\":429,\"status\":\"RESOURCE_EXHAUSTED\",\"message\":\"m\",\"details\":[{\"@type\":"
    "\"type.googleapis.com/google.rpc.ErrorInfo\",\"reason\":\"RATE_LIMIT_EXCEEDED\",\"metadata\":"
    "{\"quotaResetDelay\":\"2h21m25.831582438s\"}}]}}",
    AG_UPSTREAM_FAILURE_QUOTA_EXHAUSTED, "RESOURCE_EXHAUSTED", "m", "RATE_LIMIT_EXCEEDED", NULL, 8485832, -1, NULL },
  { "bare-resource-exhausted", 429,
    "{\"error\":{\"code\":429,\"message\":\"Resource has been exhausted (e.g. check quota).\","
    "\"status\":\"RESOURCE_EXHAUSTED\"}}",
    AG_UPSTREAM_FAILURE_RATE_LIMIT, "RESOURCE_EXHAUSTED", "Resource has been exhausted (e.g. check quota).", NULL,
    NULL, -1, -1, NULL },
  { "delay-from-message", 429,
    "{\"error\":{\"code\":429,\"message\":\"You have exhausted your capacity on this model. Your quota will reset "
    "after 25h20m26s.\",\"status\":\"RESOURCE_EXHAUSTED\"}}",
    AG_UPSTREAM_FAILURE_QUOTA_EXHAUSTED, "RESOURCE_EXHAUSTED",
    "You have exhausted your capacity on this model. Your quota will reset after 25h20m26s.", NULL, NULL,
    91226000, -1, NULL },
  { "per-minute-text", 429, "{\"error\":{\"code\":429,\"message\":\"Too many requests per minute\"}}",
    AG_UPSTREAM_FAILURE_RATE_LIMIT, NULL, "Too many requests per minute", NULL, NULL, -1, -1, NULL },
  { "quota-text", 429, "{\"error\":{\"code\":429,\"message\":\"Daily limit reached: quota exceeded\"}}",
    AG_UPSTREAM_FAILURE_QUOTA_EXHAUSTED, NULL, "Daily limit reached: quota exceeded", NULL, NULL, -1, -1, NULL },
  { "credits", 429,
    "{\"error\":{\"code\":429,\"message\":\"No credits\",\"details\":[{\"@type\":\"type.googleapis.com/"
    "google.rpc.ErrorInfo\",\"reason\":\"INSUFFICIENT_G1_CREDITS_BALANCE\"}]}}",
    AG_UPSTREAM_FAILURE_CREDITS_EXHAUSTED, NULL, "No credits", "INSUFFICIENT_G1_CREDITS_BALANCE", NULL, -1, -1, NULL },
  { "capacity", 503,
    "{\"error\":{\"code\":503,\"status\":\"UNAVAILABLE\",\"message\":\"No capacity available for model "
    "claude-opus-4-6-thinking on the server\",\"details\":[{\"@type\":\"type.googleapis.com/google.rpc.ErrorInfo\","
    "\"reason\":\"MODEL_CAPACITY_EXHAUSTED\",\"domain\":\"cloudcode-pa.googleapis.com\",\"metadata\":"
    "{\"model\":\"claude-opus-4-6-thinking\"}}]}}",
    AG_UPSTREAM_FAILURE_CAPACITY, "UNAVAILABLE",
    "No capacity available for model claude-opus-4-6-thinking on the server", "MODEL_CAPACITY_EXHAUSTED",
    "claude-opus-4-6-thinking", -1, -1, NULL },
  { "capacity-as-429", 429,
    "{\"error\":{\"code\":429,\"message\":\"busy\",\"details\":[{\"@type\":\"type.googleapis.com/"
    "google.rpc.ErrorInfo\",\"reason\":\"MODEL_CAPACITY_EXHAUSTED\"}]}}",
    AG_UPSTREAM_FAILURE_CAPACITY, NULL, "busy", "MODEL_CAPACITY_EXHAUSTED", NULL, -1, -1, NULL },
  { "overloaded-empty", 529, "", AG_UPSTREAM_FAILURE_CAPACITY, NULL, "HTTP 529 with an empty body", NULL, NULL, -1,
    -1, NULL },
  { "validation-metadata", 403,
    "{\"error\":{\"code\":403,\"status\":\"PERMISSION_DENIED\",\"message\":\"Verify your account to continue.\","
    "\"details\":[{\"@type\":\"type.googleapis.com/google.rpc.ErrorInfo\",\"reason\":\"VALIDATION_REQUIRED\","
    "\"metadata\":{\"validation_url\":\"https://accounts.google.com/signin/continue?sarp=1&scc=1\"}}]}}",
    AG_UPSTREAM_FAILURE_VALIDATION_REQUIRED, "PERMISSION_DENIED", "Verify your account to continue.",
    "VALIDATION_REQUIRED", NULL, -1, -1, "https://accounts.google.com/signin/continue?sarp=1&scc=1" },
  { "validation-in-message", 403,
    "{\"error\":{\"code\":403,\"status\":\"PERMISSION_DENIED\",\"message\":\"Verify your account to continue: "
    "https://accounts.google.com/signin/continue?x=1.\"}}",
    AG_UPSTREAM_FAILURE_VALIDATION_REQUIRED, "PERMISSION_DENIED",
    "Verify your account to continue: https://accounts.google.com/signin/continue?x=1.", NULL, NULL, -1, -1,
    "https://accounts.google.com/signin/continue?x=1" },
  { "validation-help-link", 403,
    "{\"error\":{\"code\":403,\"status\":\"PERMISSION_DENIED\",\"message\":\"Verification required\",\"details\":"
    "[{\"@type\":\"type.googleapis.com/google.rpc.Help\",\"links\":[{\"description\":\"Verify\","
    "\"url\":\"https://accounts.google.com/verify\"}]}]}}",
    AG_UPSTREAM_FAILURE_VALIDATION_REQUIRED, "PERMISSION_DENIED", "Verification required", NULL, NULL, -1, -1,
    "https://accounts.google.com/verify" },
  { "tos-ban", 403,
    "{\"error\":{\"code\":403,\"status\":\"PERMISSION_DENIED\",\"message\":\"This service has been disabled in "
    "this account for violation of Terms of Service.\"}}",
    AG_UPSTREAM_FAILURE_BANNED, "PERMISSION_DENIED",
    "This service has been disabled in this account for violation of Terms of Service.", NULL, NULL, -1, -1, NULL },
  { "tos-ban-appeal-in-message", 403,
    "{\"error\":{\"code\":403,\"status\":\"PERMISSION_DENIED\",\"message\":\"This service has been disabled in "
    "this account for violation of Terms of Service. Appeal at https://support.google.com/accounts/answer/40695.\"}}",
    AG_UPSTREAM_FAILURE_BANNED, "PERMISSION_DENIED",
    "This service has been disabled in this account for violation of Terms of Service. Appeal at "
    "https://support.google.com/accounts/answer/40695.", NULL, NULL, -1, -1,
    "https://support.google.com/accounts/answer/40695" },
  { "disabled-other", 403,
    "{\"error\":{\"code\":403,\"status\":\"PERMISSION_DENIED\",\"message\":\"The caller does not have "
    "permission\"}}",
    AG_UPSTREAM_FAILURE_ACCOUNT_DISABLED, "PERMISSION_DENIED", "The caller does not have permission", NULL, NULL, -1,
    -1, NULL },
  { "ineligible-tier", 403,
    "{\"error\":{\"code\":403,\"status\":\"PERMISSION_DENIED\",\"message\":\"IneligibleTierError: This client "
    "is no longer supported for Gemini Code Assist for individuals. Please migrate to Antigravity.\"}}",
    AG_UPSTREAM_FAILURE_INELIGIBLE_TIER, "PERMISSION_DENIED",
    "IneligibleTierError: This client is no longer supported for Gemini Code Assist for individuals. Please migrate "
    "to Antigravity.", NULL, NULL, -1, -1, NULL },
  { "unauthenticated", 401,
    "{\"error\":{\"code\":401,\"status\":\"UNAUTHENTICATED\",\"message\":\"Request had invalid authentication "
    "credentials.\"}}",
    AG_UPSTREAM_FAILURE_AUTH, "UNAUTHENTICATED", "Request had invalid authentication credentials.", NULL, NULL, -1,
    -1, NULL },
  { "invalid-grant", 400, "{\"error\":\"invalid_grant\",\"error_description\":\"Token has been expired or revoked.\"}",
    AG_UPSTREAM_FAILURE_AUTH, "invalid_grant", "Token has been expired or revoked.", NULL, NULL, -1, -1, NULL },
  { "bad-request", 400,
    "{\"error\":{\"code\":400,\"status\":\"INVALID_ARGUMENT\",\"message\":\"Request contains an invalid argument.\"}}",
    AG_UPSTREAM_FAILURE_BAD_REQUEST, "INVALID_ARGUMENT", "Request contains an invalid argument.", NULL, NULL, -1, -1,
    NULL },
  { "not-found", 404, "{\"error\":{\"code\":404,\"status\":\"NOT_FOUND\",\"message\":\"Requested entity was not found.\"}}",
    AG_UPSTREAM_FAILURE_NOT_FOUND, "NOT_FOUND", "Requested entity was not found.", NULL, NULL, -1, -1, NULL },
  { "html-502", 502, "\n<!DOCTYPE html>\n<html lang=en><title>Error 502 (Server Error)!!1</title></html>",
    AG_UPSTREAM_FAILURE_SERVER, NULL, "HTTP 502 with an HTML body", NULL, NULL, -1, -1, NULL },
  { "plain-text-500", 500, "Internal Server Error\n", AG_UPSTREAM_FAILURE_SERVER, NULL,
    "HTTP 500: Internal Server Error", NULL, NULL, -1, -1, NULL },
  { "timeout-408", 408, NULL, AG_UPSTREAM_FAILURE_SERVER, NULL, "HTTP 408 with an empty body", NULL, NULL, -1, -1,
    NULL },
  { "truncated-json", 500, "{\"error\":{\"code\":500,", AG_UPSTREAM_FAILURE_SERVER, NULL,
    "HTTP 500 with an unrecognised JSON body", NULL, NULL, -1, -1, NULL },
  { "in-stream", 200, RATE_LIMIT_BODY, AG_UPSTREAM_FAILURE_RATE_LIMIT, "RESOURCE_EXHAUSTED",
    "You have exhausted your capacity on this model. Your quota will reset after 0s.", "RATE_LIMIT_EXCEEDED",
    "claude-opus-4-6-thinking", 480, 1776676789000, NULL },
  { "conflict", 409, "{\"error\":{\"code\":409,\"message\":\"Aborted\"}}", AG_UPSTREAM_FAILURE_OTHER, NULL, "Aborted",
    NULL, NULL, -1, -1, NULL },
};

static void
test_body (gconstpointer data)
{
  const BodyCase *c = data;
  g_autoptr(AgGoogleError) error = ag_google_error_parse (c->http_status, c->body,
                                                           c->body != NULL ? strlen (c->body) : 0);

  g_assert_cmpuint (error->http_status, ==, c->http_status == 200 ? 429 : c->http_status);
  g_assert_cmpint (error->kind, ==, c->kind);
  g_assert_cmpstr (error->status, ==, c->status);
  g_assert_cmpstr (error->message, ==, c->message);
  g_assert_cmpstr (error->reason, ==, c->reason);
  g_assert_cmpstr (error->model, ==, c->model);
  g_assert_cmpint (error->retry_delay_ms, ==, c->retry_delay_ms);
  g_assert_cmpint (error->reset_time_ms, ==, c->reset_time_ms);
  g_assert_cmpstr (error->validation_url, ==, c->validation_url);
}

static void
assert_errors_equal (const AgGoogleError *a, const AgGoogleError *b)
{
  g_assert_cmpuint (a->http_status, ==, b->http_status);
  g_assert_cmpint (a->kind, ==, b->kind);
  g_assert_cmpstr (a->status, ==, b->status);
  g_assert_cmpstr (a->message, ==, b->message);
  g_assert_cmpstr (a->reason, ==, b->reason);
  g_assert_cmpstr (a->model, ==, b->model);
  g_assert_cmpint (a->retry_delay_ms, ==, b->retry_delay_ms);
  g_assert_cmpint (a->reset_time_ms, ==, b->reset_time_ms);
  g_assert_cmpstr (a->validation_url, ==, b->validation_url);
}

/* The object a body parses to (unwrapping the one-element array), as a stream event would bring it; NULL when it
 * is not JSON. */
static JsonNode *
body_object (const char *body)
{
  JsonNode *node = body != NULL ? json_from_string (body, NULL) : NULL;

  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonNode *first = json_node_copy (json_array_get_element (json_node_get_array (node), 0));

      json_node_unref (node);
      node = first;
    }
  if (node != NULL && !JSON_NODE_HOLDS_OBJECT (node))
    g_clear_pointer (&node, json_node_unref);
  return node;
}

/* Building the error from the already parsed object gives exactly what parsing the text gives. */
static void
test_from_object_matches_parse (void)
{
  static const char *const more_bodies[] = {
    "{\"error\":{\"code\":500}}",
    "{\"error\":{\"code\":429,\"details\":[{\"@type\":\"type.googleapis.com/google.rpc.RetryInfo\","
    "\"retryDelay\":\"3s\"}]}}",
    "{\"error\":42}",
    "{\"error\":null}",
    "{\"error\":\"invalid_client\"}",
    "{\"foo\":1}",
    "{}",
    "  {\"error\":{\"code\":{\"x\":1},\"message\":\"odd code\"}}",
    "{\"error\":{\"message\":\"This version of Antigravity is no longer supported.\"}}",
  };
  static const guint statuses[] = { 200, 0, 400, 403, 429, 503 };
  guint compared = 0;

  for (gsize i = 0; i < G_N_ELEMENTS (body_cases) + G_N_ELEMENTS (more_bodies); i++)
    {
      const char *body = i < G_N_ELEMENTS (body_cases) ? body_cases[i].body
                                                       : more_bodies[i - G_N_ELEMENTS (body_cases)];
      g_autoptr(JsonNode) object = body_object (body);

      if (object == NULL)
        continue;
      for (gsize s = 0; s < G_N_ELEMENTS (statuses); s++)
        {
          g_autoptr(AgGoogleError) parsed = ag_google_error_parse (statuses[s], body, strlen (body));
          g_autoptr(AgGoogleError) built = ag_google_error_from_object (statuses[s], json_node_get_object (object));

          assert_errors_equal (built, parsed);
          compared++;
        }
    }
  g_assert_cmpuint (compared, >=, 25 * G_N_ELEMENTS (statuses));

  {
    g_autoptr(AgGoogleError) none = ag_google_error_from_object (200, NULL);

    g_assert_cmpstr (none->message, ==, "HTTP 200 with an unrecognised JSON body");
    g_assert_cmpint (none->kind, ==, AG_UPSTREAM_FAILURE_OTHER);
    g_assert_cmpint (none->retry_delay_ms, ==, -1);
  }
}

static void
test_body_not_nul_terminated (void)
{
  /* The length bounds the body: the bytes after it must not be read. */
  static const char body[] = "{\"error\":{\"code\":400,\"message\":\"short\"}}GARBAGE";
  g_autoptr(AgGoogleError) error = ag_google_error_parse (400, body, strlen (body) - strlen ("GARBAGE"));

  g_assert_cmpint (error->kind, ==, AG_UPSTREAM_FAILURE_BAD_REQUEST);
  g_assert_cmpstr (error->message, ==, "short");
}

static void
test_long_text_body_is_cut (void)
{
  g_autofree char *body = g_strnfill (5000, 'x');
  g_autoptr(AgGoogleError) error = ag_google_error_parse (500, body, 5000);

  g_assert_true (g_str_has_prefix (error->message, "HTTP 500: xxx"));
  g_assert_cmpuint (strlen (error->message), <=, 220);
}

typedef struct {
  const char *text;
  gint64      ms;
} DurationCase;

/* Found by fuzz-google-error: a non-number "code" in a stream error made json-glib emit a critical. */
static void
test_code_not_a_number (void)
{
  static const char body[] = "{\"error\":{\"code\":{\"value\":503},\"message\":\"odd\"}}";
  g_autoptr(AgGoogleError) error = ag_google_error_parse (200, body, strlen (body));

  g_assert_cmpuint (error->http_status, ==, 200);
  g_assert_cmpstr (error->message, ==, "odd");
}

static void
test_go_durations (void)
{
  static const DurationCase valid[] = {
    { "2h21m25.831582438s", 8485832 }, { "479.417207ms", 480 }, { "0.479417207s", 480 }, { "500us", 1 },
    { "300us", 1 }, { "1m", 60000 }, { "0s", 0 }, { "0", 0 }, { "1.5s", 1500 }, { "391609.795772632s", 391609796 },
    { "108h48m20.795762633s", 391700796 }, { "1h", 3600000 }, { "1ns", 1 }, { "1\xC2\xB5s", 1 },
    { "1\xCE\xBCs", 1 }, { ".5s", 500 }, { "1.s", 1000 }, { "+2s", 2000 }, { "1h0m0s", 3600000 },
    { "2562047h", G_GINT64_CONSTANT (9223369200000) }, { "9223372036854775807ns", G_GINT64_CONSTANT (9223372036855) },
    { "1.0000000000000000000000001s", 1000 },
  };
  static const char *const invalid[] = {
    "", "5", "s", "1h-2m", "-1s", "1x", "1 s", "h1", "1.2.3s", "99999999999999999999s", "9223372036854775808ns",
    "2562048h", "1000000000000000h", ".s", "1e3s", "+", "1s ", " 1s", "1S", "ms", "1m1", "1mm",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (valid); i++)
    {
      gint64 ms = -1;

      g_test_message ("duration %s", valid[i].text);
      g_assert_true (ag_parse_go_duration (valid[i].text, &ms));
      g_assert_cmpint (ms, ==, valid[i].ms);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      gint64 ms = -7;

      g_test_message ("not a duration: '%s'", invalid[i]);
      g_assert_false (ag_parse_go_duration (invalid[i], &ms));
      g_assert_cmpint (ms, ==, -7);
    }
  g_assert_false (ag_parse_go_duration (NULL, NULL));
}

static void
test_rfc3339 (void)
{
  static const DurationCase valid[] = {
    { "2026-01-05T17:03:11Z", G_GINT64_CONSTANT (1767632591000) },
    { "2026-04-20T09:19:49Z", G_GINT64_CONSTANT (1776676789000) },
    { "2026-01-05T17:03:11.5Z", G_GINT64_CONSTANT (1767632591500) },
    { "2026-01-05T17:03:11.123456789Z", G_GINT64_CONSTANT (1767632591124) },
    { "2026-01-05T17:03:11.120000Z", G_GINT64_CONSTANT (1767632591120) },
    { "2026-01-05T19:03:11+02:00", G_GINT64_CONSTANT (1767632591000) },
    { "2026-01-05T12:03:11-05:00", G_GINT64_CONSTANT (1767632591000) },
    { "2026-01-05t17:03:11z", G_GINT64_CONSTANT (1767632591000) },
    { "2026-01-05 17:03:11Z", G_GINT64_CONSTANT (1767632591000) },
    { "2024-02-29T00:00:00Z", G_GINT64_CONSTANT (1709164800000) },
    { "1970-01-01T00:00:00Z", 0 },
    { "1969-12-31T23:59:59Z", -1000 },
  };
  static const char *const invalid[] = {
    "", "2026-01-05", "2026-01-05T17:03:11", "2026-13-01T00:00:00Z", "2026-01-05T24:00:00Z",
    "2026-01-05T17:03:11.Z", "2026-01-05T17:03:11Zjunk", "2026-1-5T17:03:11Z", "2023-02-29T00:00:00Z",
    "2026-01-32T00:00:00Z", "2026-01-05T17:03:11+2:00", "2026-01-05T17:60:00Z", "garbage", "2026-00-10T00:00:00Z",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (valid); i++)
    {
      gint64 ms = -1;

      g_test_message ("timestamp %s", valid[i].text);
      g_assert_true (ag_parse_rfc3339 (valid[i].text, &ms));
      g_assert_cmpint (ms, ==, valid[i].ms);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      gint64 ms = -7;

      g_test_message ("not a timestamp: '%s'", invalid[i]);
      g_assert_false (ag_parse_rfc3339 (invalid[i], &ms));
      g_assert_cmpint (ms, ==, -7);
    }
}

/* Google's notice that the client version is too old, in its two wordings, as an error and as text. */
static void
test_outdated_client (void)
{
  static const char *const notices[] = {
    "This version of Antigravity is no longer supported. Please update to receive the latest features!",
    "This version of Antigravity is no longer supported. Please upgrade to receive the latest features.",
    "Your current version of Antigravity is out of date. Please visit https://antigravity.google/download to "
    "download and install the latest version.",
  };
  static const char *const others[] = {
    "This model is no longer supported.", "Antigravity is great", "Your data is out of date.", "", NULL,
  };
  const char *body = "{\"error\":{\"code\":400,\"message\":\"This version of Antigravity is no longer supported. "
                     "Please update to receive the latest features!\",\"status\":\"FAILED_PRECONDITION\"}}";
  g_autoptr(AgGoogleError) parsed = ag_google_error_parse (400, body, strlen (body));
  g_autoptr(AgGoogleError) from_text = ag_google_error_new_outdated_client (notices[2]);

  for (gsize i = 0; i < G_N_ELEMENTS (notices); i++)
    g_assert_true (ag_google_text_is_outdated_client_notice (notices[i]));
  for (gsize i = 0; i < G_N_ELEMENTS (others); i++)
    g_assert_false (ag_google_text_is_outdated_client_notice (others[i]));
  /* A 400 would otherwise be a bad request, never retried: this one is transient for the client. */
  g_assert_cmpint (parsed->kind, ==, AG_UPSTREAM_FAILURE_CLIENT_OUTDATED);
  g_assert_cmpint (from_text->kind, ==, AG_UPSTREAM_FAILURE_CLIENT_OUTDATED);
  g_assert_cmpuint (from_text->http_status, ==, 200);
  g_assert_cmpstr (from_text->message, ==, notices[2]);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  AG_TEST_ADD_CASES ("/google-error/body/", body_cases, test_body);
  g_test_add_func ("/google-error/from-object", test_from_object_matches_parse);
  g_test_add_func ("/google-error/body-length-bounds", test_body_not_nul_terminated);
  g_test_add_func ("/google-error/long-text-body", test_long_text_body_is_cut);
  g_test_add_func ("/google-error/code-not-a-number", test_code_not_a_number);
  g_test_add_func ("/google-error/outdated-client", test_outdated_client);
  g_test_add_func ("/google-error/go-durations", test_go_durations);
  g_test_add_func ("/google-error/rfc3339", test_rfc3339);
  return g_test_run ();
}
