/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-mock-generate.c — Cloud Code answers and errors as the references describe them
 * (docs/upstream-cloudcode.md#stream, docs/upstream-cloudcode.md#errors). */
#include "ag-mock-generate.h"
#include "ag-mock-json.h"

#include <string.h>

#define NS_PER_US  G_GINT64_CONSTANT (1000)
#define NS_PER_MS  G_GINT64_CONSTANT (1000000)
#define NS_PER_S   G_GINT64_CONSTANT (1000000000)
#define CLOUDCODE_DOMAIN "cloudcode-pa.googleapis.com"
#define ERROR_INFO_TYPE  "type.googleapis.com/google.rpc.ErrorInfo"
#define RETRY_INFO_TYPE  "type.googleapis.com/google.rpc.RetryInfo"

static char *
random_string (const char *alphabet, guint length)
{
  gsize n = strlen (alphabet);
  char *out = g_malloc (length + 1);

  for (guint i = 0; i < length; i++)
    out[i] = alphabet[g_random_int_range (0, (gint32) n)];
  out[length] = '\0';
  return out;
}

char *
ag_mock_trace_id (void)
{
  return random_string ("0123456789abcdef", 16);
}

static gboolean
is_claude (const char *model)
{
  return model != NULL && g_str_has_prefix (model, "claude");
}

static gsize
tokens_for_bytes (gsize bytes)
{
  return (bytes + 3) / 4;
}

/* Cuts @text into up to @n pieces of about equal length, after a space where there is one (as token streams
 * do), always on UTF-8 character boundaries. */
static GPtrArray *
split_text (const char *text, guint n)
{
  GPtrArray *pieces = g_ptr_array_new_with_free_func (g_free);
  glong chars = g_utf8_strlen (text, -1);
  const char *text_end = text + strlen (text);
  const char *start = text;

  n = (guint) CLAMP (n, 1, (guint) MAX (chars, 1));
  for (guint i = 1; i < n && start < text_end; i++)
    {
      const char *end = g_utf8_offset_to_pointer (text, chars * i / n);
      const char *space = strchr (end, ' ');

      if (space != NULL && space + 1 < text_end)
        end = space + 1;
      if (end <= start || end >= text_end)
        continue;
      g_ptr_array_add (pieces, g_strndup (start, end - start));
      start = end;
    }
  g_ptr_array_add (pieces, g_strndup (start, text_end - start));
  return pieces;
}

static JsonNode *
text_part (const char *text, gboolean thought, const char *signature)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "text");
  json_builder_add_string_value (b, text);
  if (thought)
    {
      json_builder_set_member_name (b, "thought");
      json_builder_add_boolean_value (b, TRUE);
    }
  if (signature != NULL)
    {
      json_builder_set_member_name (b, "thoughtSignature");
      json_builder_add_string_value (b, signature);
    }
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static JsonNode *
function_call_part (JsonObject *call, const char *model, const char *signature)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  JsonNode *args = ag_mock_json_member (call, "args");
  const char *id = ag_mock_json_string (call, "id");
  g_autofree char *claude_id = NULL;

  /* Claude answers with toolu_vrtx_… ids; Gemini usually sends none (docs/upstream-cloudcode.md#parts). */
  if (id == NULL && is_claude (model))
    {
      g_autofree char *tail = random_string ("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", 22);
      id = claude_id = g_strconcat ("toolu_vrtx_01", tail, NULL);
    }

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "functionCall");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, ag_mock_json_string (call, "name") ?: "");
  json_builder_set_member_name (b, "args");
  if (args != NULL)
    json_builder_add_value (b, json_node_copy (args));
  else
    {
      json_builder_begin_object (b);
      json_builder_end_object (b);
    }
  if (id != NULL)
    {
      json_builder_set_member_name (b, "id");
      json_builder_add_string_value (b, id);
    }
  json_builder_end_object (b);
  if (signature != NULL)
    {
      json_builder_set_member_name (b, "thoughtSignature");
      json_builder_add_string_value (b, signature);
    }
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static gboolean
requests_thinking (JsonObject *envelope)
{
  JsonObject *generation = ag_mock_json_object (ag_mock_json_object (envelope, "request"), "generationConfig");

  return ag_mock_json_object (generation, "thinkingConfig") != NULL ||
         ag_mock_json_object (generation, "thinking_config") != NULL;
}

/* The usageMetadata of the last chunk: computed from sizes, any scripted field wins. */
static JsonNode *
usage_metadata (JsonObject *usage, gsize request_bytes, gsize output_bytes, gsize thought_bytes)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  gint64 prompt = ag_mock_json_int (usage, "promptTokenCount", (gint64) tokens_for_bytes (request_bytes));
  gint64 candidates = ag_mock_json_int (usage, "candidatesTokenCount", (gint64) tokens_for_bytes (output_bytes));
  gint64 thoughts = ag_mock_json_int (usage, "thoughtsTokenCount", (gint64) tokens_for_bytes (thought_bytes));
  gint64 cached = ag_mock_json_int (usage, "cachedContentTokenCount", -1);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "promptTokenCount");
  json_builder_add_int_value (b, prompt);
  json_builder_set_member_name (b, "candidatesTokenCount");
  json_builder_add_int_value (b, candidates);
  if (thoughts > 0)
    {
      json_builder_set_member_name (b, "thoughtsTokenCount");
      json_builder_add_int_value (b, thoughts);
    }
  if (cached >= 0)
    {
      json_builder_set_member_name (b, "cachedContentTokenCount");
      json_builder_add_int_value (b, cached);
    }
  json_builder_set_member_name (b, "totalTokenCount");
  json_builder_add_int_value (b, ag_mock_json_int (usage, "totalTokenCount", prompt + candidates + thoughts));
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static JsonNode *
chunk_node (GPtrArray *parts, guint from, guint to, const char *model, const char *response_id,
            const char *finish_reason, JsonNode *usage)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "candidates");
  json_builder_begin_array (b);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "content");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "role");
  json_builder_add_string_value (b, "model");
  json_builder_set_member_name (b, "parts");
  json_builder_begin_array (b);
  for (guint i = from; i < to; i++)
    json_builder_add_value (b, json_node_copy (parts->pdata[i]));
  json_builder_end_array (b);
  json_builder_end_object (b);
  if (finish_reason != NULL)
    {
      json_builder_set_member_name (b, "finishReason");
      json_builder_add_string_value (b, finish_reason);
    }
  json_builder_end_object (b);
  json_builder_end_array (b);
  if (usage != NULL)
    {
      json_builder_set_member_name (b, "usageMetadata");
      json_builder_add_value (b, usage);
    }
  json_builder_set_member_name (b, "modelVersion");
  json_builder_add_string_value (b, model);
  json_builder_set_member_name (b, "responseId");
  json_builder_add_string_value (b, response_id);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static char *
response_id_for (const char *model)
{
  const char *alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  g_autofree char *tail = NULL;

  if (is_claude (model))
    {
      tail = random_string (alnum, 24);
      return g_strconcat ("msg_vrtx_01", tail, NULL);
    }
  return random_string ("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", 23);
}

static void
add_pieces (GPtrArray *parts, const char *text, guint n, gboolean thought)
{
  g_autoptr(GPtrArray) pieces = split_text (text, n);

  for (guint i = 0; i < pieces->len; i++)
    g_ptr_array_add (parts, text_part (pieces->pdata[i], thought, NULL));
}

static void
set_signature (JsonNode *part, const char *signature)
{
  json_object_set_string_member (json_node_get_object (part), "thoughtSignature", signature);
}

GPtrArray *
ag_mock_generate_chunks (JsonObject *respond, JsonObject *envelope, gsize request_bytes, gboolean split)
{
  GPtrArray *chunks = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  const char *model = ag_mock_json_string (envelope, "model") ?: "";
  gboolean claude = is_claude (model);
  gboolean scripted = respond != NULL && (json_object_has_member (respond, "text") ||
                                          json_object_has_member (respond, "thinking") ||
                                          json_object_has_member (respond, "function_call"));
  const char *text = scripted ? ag_mock_json_string (respond, "text") : AG_MOCK_DEFAULT_TEXT;
  const char *thinking = scripted ? ag_mock_json_string (respond, "thinking")
                                  : (requests_thinking (envelope) ? AG_MOCK_DEFAULT_THOUGHT : NULL);
  JsonObject *call = scripted ? ag_mock_json_object (respond, "function_call") : NULL;
  const char *signature = claude ? AG_MOCK_CLAUDE_SIGNATURE : AG_MOCK_GEMINI_SIGNATURE;
  const char *finish_reason = ag_mock_json_string (respond, "finish_reason") ?: "STOP";
  g_autofree char *response_id = response_id_for (model);
  g_autofree char *call_json = NULL;
  gsize output_bytes = 0;
  guint step = 0;
  gboolean has_thinking = FALSE;

  if (respond != NULL && json_object_has_member (respond, "signature"))
    {
      signature = ag_mock_json_string (respond, "signature");
      if (signature != NULL && *signature == '\0')
        signature = NULL;
    }

  has_thinking = thinking != NULL && *thinking != '\0';
  if (has_thinking)
    {
      add_pieces (parts, thinking, split ? 2 : 1, TRUE);
      /* Claude delivers the signature in a separate, empty thought part at the end of the thinking. */
      if (claude && signature != NULL)
        g_ptr_array_add (parts, text_part ("", TRUE, signature));
    }
  if (text != NULL && *text != '\0')
    {
      add_pieces (parts, text, split ? (g_utf8_strlen (text, -1) >= 12 ? 3 : 2) : 1, FALSE);
      output_bytes += strlen (text);
    }
  /* Gemini without a call carries the signature on its last text part (or last thought), not a separate part. */
  if (!claude && call == NULL && has_thinking && signature != NULL)
    set_signature (parts->pdata[parts->len - 1], signature);
  if (call != NULL)
    {
      JsonNode *part = function_call_part (call, model, claude ? NULL : signature);

      call_json = json_to_string (part, FALSE);
      output_bytes += strlen (call_json);
      g_ptr_array_add (parts, part);
    }
  if (parts->len == 0)
    g_ptr_array_add (parts, text_part ("", FALSE, NULL));

  step = split ? 1 : parts->len;
  for (guint from = 0; from < parts->len; from += step)
    {
      gboolean last = from + step >= parts->len;
      JsonNode *usage = last ? usage_metadata (ag_mock_json_object (respond, "usage"), request_bytes, output_bytes,
                                               has_thinking ? strlen (thinking) : 0)
                             : NULL;

      g_ptr_array_add (chunks, chunk_node (parts, from, MIN (from + step, parts->len), model, response_id,
                                           last ? finish_reason : NULL, usage));
    }
  return chunks;
}

JsonNode *
ag_mock_merge_chunks (GPtrArray *chunks)
{
  JsonNode *merged = NULL;
  JsonArray *merged_parts = NULL;
  JsonObject *merged_candidate = NULL;

  for (guint i = 0; i < chunks->len; i++)
    {
      JsonObject *chunk = JSON_NODE_HOLDS_OBJECT ((JsonNode *) chunks->pdata[i])
                          ? json_node_get_object (chunks->pdata[i]) : NULL;
      JsonArray *candidates = ag_mock_json_array (chunk, "candidates");
      JsonObject *candidate = candidates != NULL && json_array_get_length (candidates) > 0
                              ? json_array_get_object_element (candidates, 0) : NULL;
      JsonArray *parts = ag_mock_json_array (ag_mock_json_object (candidate, "content"), "parts");
      g_autoptr(GList) members = chunk != NULL ? json_object_get_members (chunk) : NULL;

      if (chunk == NULL)
        continue;
      if (merged == NULL)
        {
          merged = json_node_copy (chunks->pdata[i]);
          candidates = ag_mock_json_array (json_node_get_object (merged), "candidates");
          merged_candidate = candidates != NULL && json_array_get_length (candidates) > 0
                             ? json_array_get_object_element (candidates, 0) : NULL;
          merged_parts = ag_mock_json_array (ag_mock_json_object (merged_candidate, "content"), "parts");
          continue;
        }
      for (guint p = 0; parts != NULL && merged_parts != NULL && p < json_array_get_length (parts); p++)
        json_array_add_element (merged_parts, json_node_copy (json_array_get_element (parts, p)));
      if (candidate != NULL && merged_candidate != NULL && json_object_has_member (candidate, "finishReason"))
        json_object_set_member (merged_candidate, "finishReason",
                                json_node_copy (json_object_get_member (candidate, "finishReason")));
      for (GList *l = members; l != NULL; l = l->next)
        if (g_strcmp0 (l->data, "candidates") != 0)
          json_object_set_member (json_node_get_object (merged), l->data,
                                  json_node_copy (json_object_get_member (chunk, l->data)));
    }
  if (merged == NULL)
    merged = json_from_string ("{}", NULL);
  return merged;
}

/* Errors */

static const struct {
  guint       code;
  const char *status;
  const char *message;
} canonical_errors[] = {
  { 400, "INVALID_ARGUMENT", "Request contains an invalid argument." },
  { 401, "UNAUTHENTICATED", "Request had invalid authentication credentials. Expected OAuth 2 access token, login "
                            "cookie or other valid authentication credential. See "
                            "https://developers.google.com/identity/sign-in/web/devconsole-project." },
  { 403, "PERMISSION_DENIED", "The caller does not have permission" },
  { 404, "NOT_FOUND", "Requested entity was not found." },
  { 405, "UNIMPLEMENTED", "Method not allowed." },
  { 408, "DEADLINE_EXCEEDED", "Request timed out." },
  { 409, "ABORTED", "The operation was aborted." },
  { 429, "RESOURCE_EXHAUSTED", "Resource has been exhausted (e.g. check quota)." },
  { 499, "CANCELLED", "The operation was cancelled." },
  { 500, "INTERNAL", "Internal error encountered." },
  { 501, "UNIMPLEMENTED", "Method not implemented." },
  { 503, "UNAVAILABLE", "The service is currently unavailable." },
  { 504, "DEADLINE_EXCEEDED", "Deadline expired before operation could complete." },
};

JsonNode *
ag_mock_error_body (guint http_status, const char *message)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  const char *status = http_status >= 500 ? "INTERNAL" : "UNKNOWN";
  const char *default_message = "Unknown error.";

  for (gsize i = 0; i < G_N_ELEMENTS (canonical_errors); i++)
    if (canonical_errors[i].code == http_status)
      {
        status = canonical_errors[i].status;
        default_message = canonical_errors[i].message;
      }

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "error");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "code");
  json_builder_add_int_value (b, http_status);
  json_builder_set_member_name (b, "message");
  json_builder_add_string_value (b, message ?: default_message);
  json_builder_set_member_name (b, "status");
  json_builder_add_string_value (b, status);
  json_builder_end_object (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static const char * const known_presets[] = {
  "rate_limit", "quota_exhausted", "capacity", "validation_required", "unauthenticated", "server_error",
  "version_unsupported",
  "resource_exhausted", "banned", "ineligible_tier", "weekly_exhausted", "credits_insufficient", NULL,
};

gboolean
ag_mock_error_preset_is_known (const char *preset)
{
  return preset != NULL && g_strv_contains (known_presets, preset);
}

static char *
rfc3339_after (gint64 ns)
{
  /* Second precision, rounded up so the stamp is never before the delay ends. */
  gint64 unix_s = (g_get_real_time () * NS_PER_US + ns + NS_PER_S - 1) / NS_PER_S;
  g_autoptr(GDateTime) when = g_date_time_new_from_unix_utc (unix_s);

  return g_date_time_format (when, "%Y-%m-%dT%H:%M:%SZ");
}

static void
add_error_info (JsonBuilder *b, const char *reason, const char * const *metadata)
{
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "@type");
  json_builder_add_string_value (b, ERROR_INFO_TYPE);
  json_builder_set_member_name (b, "reason");
  json_builder_add_string_value (b, reason);
  json_builder_set_member_name (b, "domain");
  json_builder_add_string_value (b, CLOUDCODE_DOMAIN);
  json_builder_set_member_name (b, "metadata");
  json_builder_begin_object (b);
  for (gsize i = 0; metadata[i] != NULL; i += 2)
    if (metadata[i + 1] != NULL)
      {
        json_builder_set_member_name (b, metadata[i]);
        json_builder_add_string_value (b, metadata[i + 1]);
      }
  json_builder_end_object (b);
  json_builder_end_object (b);
}

static void
begin_error (JsonBuilder *b, guint code, const char *message, const char *status)
{
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "error");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "code");
  json_builder_add_int_value (b, code);
  json_builder_set_member_name (b, "message");
  json_builder_add_string_value (b, message);
  json_builder_set_member_name (b, "status");
  json_builder_add_string_value (b, status);
}

static JsonNode *
end_error (JsonBuilder *b)
{
  json_builder_end_object (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

/* 429 RESOURCE_EXHAUSTED with ErrorInfo (quotaResetDelay, quotaResetTimeStamp) and RetryInfo, as in
 * docs/upstream-cloudcode.md#error-body. */
static JsonNode *
exhausted_error (const char *reason, const char *delay_text, const char *model, const char *message)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  gint64 ns = 0;
  g_autofree char *go_delay = NULL;
  g_autofree char *whole_seconds = NULL;
  g_autofree char *stamp = NULL;
  g_autofree char *retry = NULL;
  g_autofree char *default_message = NULL;
  gboolean rate_limit = g_str_equal (reason, "RATE_LIMIT_EXCEEDED");

  if (!ag_mock_parse_duration (delay_text, &ns))
    return NULL;
  go_delay = ag_mock_format_go_duration (ns);
  whole_seconds = ag_mock_format_go_duration (ns / NS_PER_S * NS_PER_S);
  stamp = rfc3339_after (ns);
  retry = ag_mock_format_proto_duration (ns);
  default_message = g_strdup_printf ("You have exhausted your capacity on this model. "
                                     "Your quota will reset after %s.", whole_seconds);

  begin_error (b, 429, message ?: default_message, "RESOURCE_EXHAUSTED");
  json_builder_set_member_name (b, "details");
  json_builder_begin_array (b);
  if (rate_limit)
    add_error_info (b, reason, (const char *[]) { "model", model, "quotaResetDelay", go_delay,
                                                  "quotaResetTimeStamp", stamp, "uiMessage", "true", NULL });
  else
    add_error_info (b, reason, (const char *[]) { "uiMessage", "true", "model", model, "quotaResetDelay", go_delay,
                                                  "quotaResetTimeStamp", stamp, NULL });
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "@type");
  json_builder_add_string_value (b, RETRY_INFO_TYPE);
  json_builder_set_member_name (b, "retryDelay");
  json_builder_add_string_value (b, retry);
  json_builder_end_object (b);
  json_builder_end_array (b);
  return end_error (b);
}

JsonNode *
ag_mock_error_preset (const char *preset, JsonObject *respond, const char *model, guint *out_status,
                      GError **error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  const char *message = ag_mock_json_string (respond, "message");
  const char *delay = ag_mock_json_string (respond, "retry_delay") ?: ag_mock_json_string (respond, "reset_delay");
  JsonNode *body = NULL;

  model = ag_mock_json_string (respond, "model") ?: model;
  if (g_strcmp0 (preset, "rate_limit") == 0 || g_strcmp0 (preset, "quota_exhausted") == 0)
    {
      gboolean rate_limit = g_str_equal (preset, "rate_limit");

      *out_status = 429;
      body = exhausted_error (rate_limit ? "RATE_LIMIT_EXCEEDED" : "QUOTA_EXHAUSTED",
                              delay ?: (rate_limit ? "0.479417207s" : "2h21m25.831582438s"), model, message);
      if (body == NULL)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "bad duration \"%s\" in preset %s", delay,
                     preset);
      return body;
    }
  if (g_strcmp0 (preset, "capacity") == 0)
    {
      g_autofree char *default_message = g_strdup_printf ("No capacity available for model %s on the server",
                                                          model ?: "");
      *out_status = 503;
      begin_error (b, 503, message ?: default_message, "UNAVAILABLE");
      json_builder_set_member_name (b, "details");
      json_builder_begin_array (b);
      add_error_info (b, "MODEL_CAPACITY_EXHAUSTED", (const char *[]) { "model", model, NULL });
      json_builder_end_array (b);
      return end_error (b);
    }
  if (g_strcmp0 (preset, "validation_required") == 0)
    {
      const char *url = ag_mock_json_string (respond, "validation_url")
                        ?: AG_MOCK_VALIDATION_URL;
      *out_status = 403;
      begin_error (b, 403, message ?: "Verify your account to continue.", "PERMISSION_DENIED");
      json_builder_set_member_name (b, "details");
      json_builder_begin_array (b);
      add_error_info (b, "VALIDATION_REQUIRED", (const char *[]) { "validation_url", url, NULL });
      json_builder_end_array (b);
      return end_error (b);
    }
  /* A Terms of Service ban (upstream-2026-addendum §3): Google's sentence, with the appeal page as a Help link. */
  if (g_strcmp0 (preset, "banned") == 0)
    {
      const char *appeal = ag_mock_json_string (respond, "appeal_url") ?: AG_MOCK_APPEAL_URL;

      *out_status = 403;
      begin_error (b, 403, message ?: AG_MOCK_BAN_MESSAGE, "PERMISSION_DENIED");
      json_builder_set_member_name (b, "details");
      json_builder_begin_array (b);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "@type");
      json_builder_add_string_value (b, "type.googleapis.com/google.rpc.Help");
      json_builder_set_member_name (b, "links");
      json_builder_begin_array (b);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "description");
      json_builder_add_string_value (b, "Appeal");
      json_builder_set_member_name (b, "url");
      json_builder_add_string_value (b, appeal);
      json_builder_end_object (b);
      json_builder_end_array (b);
      json_builder_end_object (b);
      json_builder_end_array (b);
      return end_error (b);
    }
  /* A used-up weekly window (upstream-2026-addendum §2): the reset only in the message, days away. */
  if (g_strcmp0 (preset, "weekly_exhausted") == 0)
    {
      g_autofree char *default_message = g_strdup_printf ("Individual quota reached for this week. Resets in %s.",
                                                          ag_mock_json_string (respond, "reset_in") ?: "71h15m");
      *out_status = 429;
      begin_error (b, 429, message ?: default_message, "RESOURCE_EXHAUSTED");
      json_builder_set_member_name (b, "details");
      json_builder_begin_array (b);
      add_error_info (b, "QUOTA_EXHAUSTED", (const char *[]) { "model", model, NULL });
      json_builder_end_array (b);
      return end_error (b);
    }
  /* Google One AI credits spent (upstream-2026-addendum §2). */
  if (g_strcmp0 (preset, "credits_insufficient") == 0)
    {
      *out_status = 429;
      begin_error (b, 429, message ?: "Insufficient Google One AI credits balance.", "RESOURCE_EXHAUSTED");
      json_builder_set_member_name (b, "details");
      json_builder_begin_array (b);
      add_error_info (b, "INSUFFICIENT_G1_CREDITS_BALANCE", (const char *[]) { "model", model, NULL });
      json_builder_end_array (b);
      return end_error (b);
    }
  /* The Gemini CLI pool closed to consumer tiers (upstream-2026-addendum §1). */
  if (g_strcmp0 (preset, "ineligible_tier") == 0)
    {
      *out_status = 403;
      begin_error (b, 403, message ?: AG_MOCK_INELIGIBLE_TIER_MESSAGE, "PERMISSION_DENIED");
      return end_error (b);
    }
  if (g_strcmp0 (preset, "unauthenticated") == 0)
    {
      *out_status = 401;
      return ag_mock_error_body (401, message);
    }
  if (g_strcmp0 (preset, "server_error") == 0)
    {
      *out_status = 500;
      return ag_mock_error_body (500, message);
    }
  /* The notice is mostly seen as the model's text in a 200 answer (Antigravity-Manager #1314, #2134); as an error,
   * its status is not documented: 400 FAILED_PRECONDITION here. */
  if (g_strcmp0 (preset, "version_unsupported") == 0)
    {
      *out_status = 400;
      begin_error (b, 400, message ?: "This version of Antigravity is no longer supported. Please update to receive "
                                       "the latest features!", "FAILED_PRECONDITION");
      return end_error (b);
    }
  if (g_strcmp0 (preset, "resource_exhausted") == 0)
    {
      *out_status = 429;
      return ag_mock_error_body (429, message);
    }
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "unknown error_preset \"%s\"", preset);
  return NULL;
}

/* Durations */

gboolean
ag_mock_parse_duration (const char *text, gint64 *out_ns)
{
  static const struct { const char *unit; gint64 ns; } units[] = {
    { "ns", 1 }, { "us", NS_PER_US }, { "µs", NS_PER_US }, { "ms", NS_PER_MS }, { "s", NS_PER_S },
    { "m", 60 * NS_PER_S }, { "h", 3600 * NS_PER_S },
  };
  const char *p = text;
  gint64 total = 0;

  if (text == NULL || *text == '\0')
    return FALSE;
  if (g_str_equal (text, "0"))
    {
      *out_ns = 0;
      return TRUE;
    }
  while (*p != '\0')
    {
      gint64 whole = 0, frac = 0, frac_scale = 1, unit_ns = 0;
      gsize unit_len = 0;

      if (!g_ascii_isdigit (*p) && *p != '.')
        return FALSE;
      for (; g_ascii_isdigit (*p); p++)
        whole = whole * 10 + (*p - '0');
      if (*p == '.')
        for (p++; g_ascii_isdigit (*p); p++)
          if (frac_scale < NS_PER_S)
            {
              frac = frac * 10 + (*p - '0');
              frac_scale *= 10;
            }
      for (gsize i = 0; i < G_N_ELEMENTS (units); i++)
        {
          gsize len = strlen (units[i].unit);
          /* "m" must not swallow the "m" of "ms". */
          if (strncmp (p, units[i].unit, len) == 0 && len > unit_len)
            {
              unit_ns = units[i].ns;
              unit_len = len;
            }
        }
      if (unit_len == 0)
        return FALSE;
      total += whole * unit_ns + frac * unit_ns / frac_scale;
      p += unit_len;
    }
  *out_ns = total;
  return TRUE;
}

/* "<whole>[.<fraction without trailing zeros>]" of @value in units of @unit. */
static void
append_fraction (GString *out, gint64 value, gint64 unit)
{
  gint64 frac = value % unit;
  int digits = 0;

  for (gint64 u = unit; u > 1; u /= 10)
    digits++;
  g_string_append_printf (out, "%" G_GINT64_FORMAT, value / unit);
  if (frac != 0)
    {
      g_autofree char *text = g_strdup_printf ("%0*" G_GINT64_FORMAT, digits, frac);
      gsize len = strlen (text);

      while (len > 0 && text[len - 1] == '0')
        text[--len] = '\0';
      g_string_append_printf (out, ".%s", text);
    }
}

char *
ag_mock_format_go_duration (gint64 ns)
{
  GString *out = g_string_new (NULL);

  if (ns < 0)
    {
      g_string_append_c (out, '-');
      ns = -ns;
    }
  if (ns == 0)
    g_string_append (out, "0s");
  else if (ns < NS_PER_US)
    g_string_append_printf (out, "%" G_GINT64_FORMAT "ns", ns);
  else if (ns < NS_PER_MS)
    {
      append_fraction (out, ns, NS_PER_US);
      g_string_append (out, "µs");
    }
  else if (ns < NS_PER_S)
    {
      append_fraction (out, ns, NS_PER_MS);
      g_string_append (out, "ms");
    }
  else
    {
      gint64 hours = ns / (3600 * NS_PER_S);
      gint64 minutes = ns / (60 * NS_PER_S) % 60;

      if (hours > 0)
        g_string_append_printf (out, "%" G_GINT64_FORMAT "h", hours);
      if (hours > 0 || minutes > 0)
        g_string_append_printf (out, "%" G_GINT64_FORMAT "m", minutes);
      append_fraction (out, ns % (60 * NS_PER_S), NS_PER_S);
      g_string_append_c (out, 's');
    }
  return g_string_free (out, FALSE);
}

char *
ag_mock_format_proto_duration (gint64 ns)
{
  gint64 seconds = ns / NS_PER_S;
  gint64 nanos = ns % NS_PER_S;

  if (nanos == 0)
    return g_strdup_printf ("%" G_GINT64_FORMAT "s", seconds);
  if (nanos % NS_PER_MS == 0)
    return g_strdup_printf ("%" G_GINT64_FORMAT ".%03" G_GINT64_FORMAT "s", seconds, nanos / NS_PER_MS);
  if (nanos % NS_PER_US == 0)
    return g_strdup_printf ("%" G_GINT64_FORMAT ".%06" G_GINT64_FORMAT "s", seconds, nanos / NS_PER_US);
  return g_strdup_printf ("%" G_GINT64_FORMAT ".%09" G_GINT64_FORMAT "s", seconds, nanos);
}
