/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-google-error.c — Google RPC / OAuth error bodies and the class of failure they report. */
#include "ag-google-error.h"

#include "ag-json.h"

#include <json-glib/json-glib.h>
#include <string.h>

/* CLIProxyAPI treats a RATE_LIMIT_EXCEEDED whose delay reaches 5 minutes as full exhaustion; so do we. */
#define LONG_RESET_MS (5 * 60 * 1000)
#define MAX_SAFE_TEXT 200

/* ---- bodies ------------------------------------------------------------------------------------------- */

static gboolean
is_https_url (const char *text)
{
  return text != NULL && g_str_has_prefix (text, "https://");
}

static void
read_error_info (AgGoogleError *self, JsonObject *detail, gint64 *quota_reset_delay_ms)
{
  JsonObject *metadata = ag_json_object (detail, "metadata");
  g_autofree char *delay = ag_json_dup_string (metadata, "quotaResetDelay");
  g_autofree char *stamp = ag_json_dup_string (metadata, "quotaResetTimeStamp");
  g_autofree char *url = ag_json_dup_string (metadata, "validation_url");
  gint64 value;

  if (self->reason == NULL)
    self->reason = ag_json_dup_string (detail, "reason");
  if (self->model == NULL)
    self->model = ag_json_dup_string (metadata, "model");
  if (delay != NULL && ag_parse_go_duration (delay, &value))
    *quota_reset_delay_ms = value;
  if (stamp != NULL && ag_parse_rfc3339 (stamp, &value))
    self->reset_time_ms = value;
  if (self->validation_url == NULL && is_https_url (url))
    self->validation_url = g_steal_pointer (&url);
}

/* google.rpc.Help links: the validation page is the one link an account-verification 403 carries. */
static void
read_help_links (AgGoogleError *self, JsonObject *detail, char **first_link)
{
  JsonNode *links = json_object_get_member (detail, "links");

  if (links == NULL || !JSON_NODE_HOLDS_ARRAY (links))
    return;
  for (guint i = 0; i < json_array_get_length (json_node_get_array (links)); i++)
    {
      JsonNode *link = json_array_get_element (json_node_get_array (links), i);
      g_autofree char *url = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (link))
        continue;
      url = ag_json_dup_string (json_node_get_object (link), "url");
      if (*first_link == NULL && is_https_url (url))
        *first_link = g_steal_pointer (&url);
    }
}

static void
read_rpc_error (AgGoogleError *self, JsonObject *error_object)
{
  JsonNode *details = json_object_get_member (error_object, "details");
  gint64 retry_info_ms = -1, quota_reset_delay_ms = -1;
  g_autofree char *help_link = NULL;

  self->message = ag_json_dup_string (error_object, "message");
  self->status = ag_json_dup_string (error_object, "status");
  /* An error inside a 200 stream carries its real status only in the body. */
  if (self->http_status == 0 || self->http_status == 200)
    {
      JsonNode *code = json_object_get_member (error_object, "code");

      /* Only an integer counts: anything else (an object, say) would trip json-glib's type checks. */
      if (code != NULL && JSON_NODE_HOLDS_VALUE (code) && json_node_get_value_type (code) == G_TYPE_INT64 &&
          json_node_get_int (code) >= 400 && json_node_get_int (code) <= 599)
        self->http_status = (guint) json_node_get_int (code);
    }

  if (details != NULL && JSON_NODE_HOLDS_ARRAY (details))
    {
      JsonArray *array = json_node_get_array (details);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *node = json_array_get_element (array, i);
          JsonObject *detail;
          g_autofree char *type = NULL;
          g_autofree char *retry_delay = NULL;

          if (!JSON_NODE_HOLDS_OBJECT (node))
            continue;
          detail = json_node_get_object (node);
          type = ag_json_dup_string (detail, "@type");
          if (type == NULL)
            continue;
          if (g_str_has_suffix (type, "google.rpc.ErrorInfo"))
            read_error_info (self, detail, &quota_reset_delay_ms);
          else if (g_str_has_suffix (type, "google.rpc.RetryInfo") &&
                   (retry_delay = ag_json_dup_string (detail, "retryDelay")) != NULL)
            ag_parse_go_duration (retry_delay, &retry_info_ms);
          else if (g_str_has_suffix (type, "google.rpc.Help"))
            read_help_links (self, detail, &help_link);
        }
    }

  /* RetryInfo first, then ErrorInfo's quotaResetDelay (CLIProxyAPI's order; both agree when both are sent). */
  self->retry_delay_ms = retry_info_ms >= 0 ? retry_info_ms : quota_reset_delay_ms;
  if (self->validation_url == NULL && help_link != NULL &&
      (g_strcmp0 (self->reason, "VALIDATION_REQUIRED") == 0 || self->http_status == 403))
    self->validation_url = g_steal_pointer (&help_link);
}

/* Something safe and short for a body we could not read: never echo unknown bytes at length. */
static char *
describe_unreadable_body (guint http_status, const char *body, gsize body_len)
{
  g_autofree char *head = NULL;
  gsize head_len = 0;
  GString *text;

  while (body_len > 0 && g_ascii_isspace (*body))
    {
      body++;
      body_len--;
    }
  if (body_len == 0)
    return g_strdup_printf ("HTTP %u with an empty body", http_status);

  head = g_strchomp (g_strndup (body, MIN (body_len, 512)));
  if (head[0] == '<' || g_strstr_len (head, -1, "<html") != NULL || g_strstr_len (head, -1, "<HTML") != NULL)
    return g_strdup_printf ("HTTP %u with an HTML body", http_status);
  if (head[0] == '{' || head[0] == '[')
    return g_strdup_printf ("HTTP %u with an unrecognised JSON body", http_status);

  text = g_string_new (NULL);
  g_string_append_printf (text, "HTTP %u: ", http_status);
  for (const char *p = head; *p != '\0' && head_len < MAX_SAFE_TEXT; p++, head_len++)
    g_string_append_c (text, g_ascii_isprint (*p) ? *p : ' ');
  return g_string_free (text, FALSE);
}

/* Reads a parsed body: a Google RPC error {"error":{…}} or the OAuth token endpoint's {"error":"invalid_grant",…}.
 * FALSE when @object carries neither. */
static gboolean
read_body_object (AgGoogleError *self, JsonObject *object)
{
  JsonNode *error_member = json_object_get_member (object, "error");

  if (error_member == NULL)
    return FALSE;
  if (JSON_NODE_HOLDS_OBJECT (error_member))
    {
      read_rpc_error (self, json_node_get_object (error_member));
      return TRUE;
    }
  if (JSON_NODE_HOLDS_VALUE (error_member) && json_node_get_value_type (error_member) == G_TYPE_STRING)
    {
      /* OAuth token endpoint: {"error":"invalid_grant","error_description":"…"}; the code goes to status. */
      self->status = g_strdup (json_node_get_string (error_member));
      self->message = ag_json_dup_string (object, "error_description");
      if (self->message == NULL)
        self->message = g_strdup (self->status);
      return TRUE;
    }
  return FALSE;
}

/* ---- classification ----------------------------------------------------------------------------------- */

static gboolean
contains_any (const char *haystack_lower, const char *const *needles)
{
  for (; *needles != NULL; needles++)
    if (strstr (haystack_lower, *needles) != NULL)
      return TRUE;
  return FALSE;
}

static const char *const auth_phrases[] = {
  "invalid_grant", "invalid_client", "unauthorized_client", "token has been expired or revoked",
  "token revoked", "token_revoked", "credentials are invalid", NULL,
};
static const char *const validation_phrases[] = {
  "validation_required", "verify your account", "verification required", "validation_url", NULL,
};
/* A ban for the Terms of Service ([BADRI] looks for both parts). */
static const char *const ban_phrases[] = { "violation of terms of service", "violation of the terms of service", NULL };
/* The Gemini CLI pool closed to consumer tiers (upstream-2026-addendum §1). */
static const char *const ineligible_tier_phrases[] = {
  "ineligibletier", "no longer supported for gemini code assist", NULL,
};
static const char *const capacity_phrases[] = {
  "model_capacity_exhausted", "no capacity available", "model is currently overloaded", "overloaded", NULL,
};
static const char *const quota_phrases[] = {
  "quota_exhausted", "quota exhausted", "quota reached", "quota exceeded", "daily limit", NULL,
};
/* What Claude (inside Google's message) and Gemini say about a history they refuse
 * (docs/upstream-cloudcode.md#history-google-refuses). */
static const char *const history_phrases[] = {
  "tool_result", "tool_use", "signature", "function response", "function call turn", NULL,
};
static const char *const rate_phrases[] = {
  "per minute", "rate limit", "rate_limit", "too many requests", "throttl", NULL,
};

/* The last resort of the peers' parsers (docs/upstream-cloudcode.md#durations): "… reset after 1h2m3s." / "Resets in
 * 108h48m29s." */
static gint64
delay_from_message (const char *message_lower)
{
  static const char *const markers[] = { "reset after ", "resets in ", "reset in ", "retry after ", NULL };

  for (const char *const *m = markers; *m != NULL; m++)
    {
      const char *start = strstr (message_lower, *m);
      g_autofree char *token = NULL;
      gsize len;
      gint64 ms;

      if (start == NULL)
        continue;
      start += strlen (*m);
      len = strspn (start, "0123456789.hmsun");
      /* Drop a sentence's final period. */
      while (len > 0 && start[len - 1] == '.')
        len--;
      token = g_strndup (start, len);
      if (ag_parse_go_duration (token, &ms))
        return ms;
    }
  return -1;
}

static char *
url_from_message (const char *message)
{
  const char *start = message != NULL ? strstr (message, "https://") : NULL;
  gsize len;

  if (start == NULL)
    return NULL;
  len = strcspn (start, " \t\r\n\"'<>)]");
  while (len > 0 && (start[len - 1] == '.' || start[len - 1] == ','))
    len--;
  return g_strndup (start, len);
}

static AgUpstreamFailure
classify_429 (AgGoogleError *self, const char *text)
{
  if (g_strcmp0 (self->reason, "INSUFFICIENT_G1_CREDITS_BALANCE") == 0)
    return AG_UPSTREAM_FAILURE_CREDITS_EXHAUSTED;
  if (g_strcmp0 (self->reason, "QUOTA_EXHAUSTED") == 0)
    return AG_UPSTREAM_FAILURE_QUOTA_EXHAUSTED;
  if (g_strcmp0 (self->reason, "MODEL_CAPACITY_EXHAUSTED") == 0)
    return AG_UPSTREAM_FAILURE_CAPACITY;
  if (self->retry_delay_ms >= 0)
    return self->retry_delay_ms >= LONG_RESET_MS ? AG_UPSTREAM_FAILURE_QUOTA_EXHAUSTED : AG_UPSTREAM_FAILURE_RATE_LIMIT;
  if (g_strcmp0 (self->reason, "RATE_LIMIT_EXCEEDED") == 0 || contains_any (text, rate_phrases))
    return AG_UPSTREAM_FAILURE_RATE_LIMIT;
  if (contains_any (text, quota_phrases))
    return AG_UPSTREAM_FAILURE_QUOTA_EXHAUSTED;
  if (contains_any (text, capacity_phrases))
    return AG_UPSTREAM_FAILURE_CAPACITY;
  /* ⚠ The peers disagree on a bare "Resource has been exhausted" (capacity / short limit / quota). We follow
   * Antigravity-Manager and CLIProxyAPI: a short rate limit, so the caller backs off briefly and rotates. */
  return AG_UPSTREAM_FAILURE_RATE_LIMIT;
}

gboolean
ag_google_text_is_outdated_client_notice (const char *text)
{
  g_autofree char *lower = NULL;

  if (text == NULL)
    return FALSE;
  lower = g_ascii_strdown (text, -1);
  return strstr (lower, "version of antigravity") != NULL &&
         (strstr (lower, "no longer supported") != NULL || strstr (lower, "out of date") != NULL);
}

AgGoogleError *
ag_google_error_new_outdated_client (const char *text)
{
  AgGoogleError *self = g_new0 (AgGoogleError, 1);

  self->http_status = 200;
  self->kind = AG_UPSTREAM_FAILURE_CLIENT_OUTDATED;
  self->message = g_strdup (text);
  self->retry_delay_ms = -1;
  self->reset_time_ms = -1;
  return self;
}

static AgUpstreamFailure
classify (AgGoogleError *self)
{
  g_autofree char *text = g_ascii_strdown (self->message != NULL ? self->message : "", -1);
  guint code = self->http_status;

  if (ag_google_text_is_outdated_client_notice (self->message))
    return AG_UPSTREAM_FAILURE_CLIENT_OUTDATED;

  if (self->status != NULL)
    {
      g_autofree char *status_lower = g_ascii_strdown (self->status, -1);

      if (contains_any (status_lower, auth_phrases))
        return AG_UPSTREAM_FAILURE_AUTH;
    }
  if (g_strcmp0 (self->reason, "VALIDATION_REQUIRED") == 0)
    return AG_UPSTREAM_FAILURE_VALIDATION_REQUIRED;
  if (contains_any (text, ineligible_tier_phrases))
    return AG_UPSTREAM_FAILURE_INELIGIBLE_TIER;
  if (g_strcmp0 (self->reason, "MODEL_CAPACITY_EXHAUSTED") == 0)
    return AG_UPSTREAM_FAILURE_CAPACITY;

  if (code == 429)
    return classify_429 (self, text);
  if (code == 503 || code == 529)
    return AG_UPSTREAM_FAILURE_CAPACITY;
  if (code == 401 || contains_any (text, auth_phrases))
    return AG_UPSTREAM_FAILURE_AUTH;
  if (code == 403 && contains_any (text, ban_phrases))
    return AG_UPSTREAM_FAILURE_BANNED;
  if (code == 403)
    return self->validation_url != NULL || contains_any (text, validation_phrases)
             ? AG_UPSTREAM_FAILURE_VALIDATION_REQUIRED
             : AG_UPSTREAM_FAILURE_ACCOUNT_DISABLED;
  if (code == 400)
    return contains_any (text, history_phrases) ? AG_UPSTREAM_FAILURE_HISTORY : AG_UPSTREAM_FAILURE_BAD_REQUEST;
  if (code == 404)
    return AG_UPSTREAM_FAILURE_NOT_FOUND;
  if (code == 408 || (code >= 500 && code <= 599))
    return AG_UPSTREAM_FAILURE_SERVER;
  return AG_UPSTREAM_FAILURE_OTHER;
}

static AgGoogleError *
google_error_new (guint http_status)
{
  AgGoogleError *self = g_new0 (AgGoogleError, 1);

  self->http_status = http_status;
  self->retry_delay_ms = -1;
  self->reset_time_ms = -1;
  return self;
}

/* What a body says beyond its fields, once it was read (@readable) or found unreadable (@description then says
 * what it was): a delay quoted in the message, the validation URL in a 403's text, and the class. */
static AgGoogleError *
complete_error (AgGoogleError *self, gboolean readable, char *description)
{
  if (!readable || self->message == NULL)
    {
      g_free (self->message);
      self->message = description;
    }
  else
    {
      g_free (description);
      if (self->retry_delay_ms < 0)
        {
          g_autofree char *lower = g_ascii_strdown (self->message, -1);

          self->retry_delay_ms = delay_from_message (lower);
        }
    }

  if (self->http_status == 403 && self->validation_url == NULL)
    {
      g_autofree char *lower = g_ascii_strdown (self->message, -1);

      /* The verification page, or the appeal page of a ban, when Google names it only in its text. */
      if (g_strcmp0 (self->reason, "VALIDATION_REQUIRED") == 0 || contains_any (lower, validation_phrases) ||
          contains_any (lower, ban_phrases))
        self->validation_url = url_from_message (self->message);
    }

  self->kind = classify (self);
  return self;
}

AgGoogleError *
ag_google_error_from_object (guint http_status, JsonObject *object)
{
  AgGoogleError *self = google_error_new (http_status);
  gboolean readable = object != NULL && read_body_object (self, object);

  /* A JSON object is all there is to say about a body without a readable error: its text is not at hand (and
   * echoing unknown bytes back is what describe_unreadable_body avoids anyway). */
  return complete_error (self, readable, g_strdup_printf ("HTTP %u with an unrecognised JSON body", http_status));
}

AgGoogleError *
ag_google_error_parse (guint http_status, const char *body, gsize body_len)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  JsonNode *root = NULL;

  if (body == NULL)
    body_len = 0;
  if (body_len > 0 && body_len <= G_MAXSSIZE && json_parser_load_from_data (parser, body, (gssize) body_len, NULL))
    root = json_parser_get_root (parser);
  /* Some endpoints wrap the error in a one-element array. */
  if (root != NULL && JSON_NODE_HOLDS_ARRAY (root) && json_array_get_length (json_node_get_array (root)) > 0)
    root = json_array_get_element (json_node_get_array (root), 0);
  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
    return ag_google_error_from_object (http_status, json_node_get_object (root));
  return complete_error (google_error_new (http_status), FALSE,
                         describe_unreadable_body (http_status, body != NULL ? body : "", body_len));
}

void
ag_google_error_free (AgGoogleError *self)
{
  if (self == NULL)
    return;
  g_free (self->status);
  g_free (self->message);
  g_free (self->reason);
  g_free (self->model);
  g_free (self->validation_url);
  g_free (self);
}
