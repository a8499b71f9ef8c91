/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "ag-mock-history.h"
#include "ag-mock-generate.h"
#include "ag-mock-json.h"

#define SKIP_SENTINEL "skip_thought_signature_validator"

static gboolean
is_claude (const char *model)
{
  return model != NULL && g_str_has_prefix (model, "claude");
}

static const char *
family_of (const char *model)
{
  return is_claude (model) ? "claude" : "gemini";
}

GHashTable *
ag_mock_history_issued_new (void)
{
  GHashTable *issued = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  g_hash_table_insert (issued, g_strdup (AG_MOCK_CLAUDE_SIGNATURE), (gpointer) "claude");
  g_hash_table_insert (issued, g_strdup (AG_MOCK_GEMINI_SIGNATURE), (gpointer) "gemini");
  return issued;
}

/* A call the mock made after thinking is remembered as "thought-call:<id>": Claude under thinking then wants that
 * thinking back in front of it. */
#define THOUGHT_CALL "thought-call:"

void
ag_mock_history_remember (GHashTable *issued, const char *model, GPtrArray *chunks)
{
  gboolean thought = FALSE;  /* thinking comes before the calls it leads to */

  for (guint c = 0; c < chunks->len; c++)
    {
      JsonNode *chunk = chunks->pdata[c];
      JsonArray *candidates = JSON_NODE_HOLDS_OBJECT (chunk)
                              ? ag_mock_json_array (json_node_get_object (chunk), "candidates") : NULL;
      JsonObject *candidate = candidates != NULL && json_array_get_length (candidates) > 0
                              ? json_array_get_object_element (candidates, 0) : NULL;
      JsonArray *parts = ag_mock_json_array (ag_mock_json_object (candidate, "content"), "parts");

      for (guint i = 0; parts != NULL && i < json_array_get_length (parts); i++)
        {
          JsonObject *part = json_array_get_object_element (parts, i);
          const char *signature = ag_mock_json_string (part, "thoughtSignature");
          const char *call_id = ag_mock_json_string (ag_mock_json_object (part, "functionCall"), "id");

          thought |= ag_mock_json_bool (part, "thought", FALSE);
          if (signature != NULL && *signature != '\0')
            g_hash_table_replace (issued, g_strdup (signature), (gpointer) family_of (model));
          if (thought && call_id != NULL)
            g_hash_table_replace (issued, g_strconcat (THOUGHT_CALL, call_id, NULL), (gpointer) family_of (model));
        }
    }
}

/* Claude's own refusal travels as a JSON string inside Google's message, with Vertex's request id. */
static JsonNode *
claude_error (const char *message)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) inner = NULL;
  g_autofree char *text = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "type");
  json_builder_add_string_value (b, "error");
  json_builder_set_member_name (b, "error");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "type");
  json_builder_add_string_value (b, "invalid_request_error");
  json_builder_set_member_name (b, "message");
  json_builder_add_string_value (b, message);
  json_builder_end_object (b);
  json_builder_set_member_name (b, "request_id");
  json_builder_add_string_value (b, "req_vrtx_011CMockHistory0000000000");
  json_builder_end_object (b);
  inner = json_builder_get_root (b);
  text = json_to_string (inner, FALSE);
  return ag_mock_error_body (400, text);
}

typedef struct {
  const char *model;
  GHashTable *issued;
  JsonArray  *contents;
} History;

static JsonArray *
parts_of (History *h, guint i)
{
  JsonNode *node = json_array_get_element (h->contents, i);

  return JSON_NODE_HOLDS_OBJECT (node) ? ag_mock_json_array (json_node_get_object (node), "parts") : NULL;
}

static gboolean
is_role (History *h, guint i, const char *role)
{
  JsonNode *node = json_array_get_element (h->contents, i);

  return JSON_NODE_HOLDS_OBJECT (node) && g_strcmp0 (ag_mock_json_string (json_node_get_object (node), "role"),
                                                     role) == 0;
}

static JsonObject *
part_member (JsonArray *parts, guint j, const char *name)
{
  JsonNode *node = json_array_get_element (parts, j);

  return JSON_NODE_HOLDS_OBJECT (node) ? ag_mock_json_object (json_node_get_object (node), name) : NULL;
}

static const char *
part_signature (JsonArray *parts, guint j)
{
  JsonNode *node = json_array_get_element (parts, j);

  return JSON_NODE_HOLDS_OBJECT (node) ? ag_mock_json_string (json_node_get_object (node), "thoughtSignature")
                                       : NULL;
}

/* Every signature must be one Google issued for this family; the sentinel only stands in on a Gemini call. */
static JsonNode *
check_signatures (History *h)
{
  const char *family = family_of (h->model);

  for (guint i = 0; i < json_array_get_length (h->contents); i++)
    {
      JsonArray *parts = parts_of (h, i);

      for (guint j = 0; parts != NULL && j < json_array_get_length (parts); j++)
        {
          const char *signature = part_signature (parts, j);
          const char *issued_for;

          if (signature == NULL)
            continue;
          if (!is_claude (h->model) && g_str_equal (signature, SKIP_SENTINEL) &&
              part_member (parts, j, "functionCall") != NULL)
            continue;
          issued_for = g_hash_table_lookup (h->issued, signature);
          if (g_strcmp0 (issued_for, family) == 0)
            continue;
          if (is_claude (h->model))
            {
              g_autofree char *message = g_strdup_printf ("messages.%u.content.%u: Invalid `signature` in `thinking` "
                                                          "block", i, j);
              return claude_error (message);
            }
          return ag_mock_error_body (400, "Corrupted thought signature.");
        }
    }
  return NULL;
}

/* The current turn starts after the last user content that is not only function responses. */
static guint
current_turn_start (History *h)
{
  for (guint i = json_array_get_length (h->contents); i-- > 0;)
    {
      JsonArray *parts = parts_of (h, i);
      gboolean only_responses = parts != NULL && json_array_get_length (parts) > 0;

      if (!is_role (h, i, "user"))
        continue;
      for (guint j = 0; parts != NULL && j < json_array_get_length (parts); j++)
        if (part_member (parts, j, "functionResponse") == NULL)
          only_responses = FALSE;
      if (!only_responses)
        return i + 1;
    }
  return 0;
}

/* Gemini 3 wants a signature on the first function call of each model turn of the current turn. */
static JsonNode *
check_gemini_call_signatures (History *h)
{
  for (guint i = current_turn_start (h); i < json_array_get_length (h->contents); i++)
    {
      JsonArray *parts = parts_of (h, i);

      for (guint j = 0; is_role (h, i, "model") && parts != NULL && j < json_array_get_length (parts); j++)
        {
          JsonObject *call = part_member (parts, j, "functionCall");
          g_autofree char *message = NULL;

          if (call == NULL)
            continue;
          if (part_signature (parts, j) != NULL)
            break;
          message = g_strdup_printf ("Function call is missing a thought_signature in functionCall parts. This is "
                                     "required for tools to work correctly, and missing thought_signature may lead "
                                     "to degraded model performance. Additional data, function call "
                                     "`default_api:%s` , position %u. Please refer to "
                                     "https://ai.google.dev/gemini-api/docs/thought-signatures for more details.",
                                     ag_mock_json_string (call, "name") ?: "", i + 1);
          return ag_mock_error_body (400, message);
        }
    }
  return NULL;
}

static void
collect (JsonArray *parts, const char *kind, GPtrArray *ids)
{
  for (guint j = 0; parts != NULL && j < json_array_get_length (parts); j++)
    {
      JsonObject *member = part_member (parts, j, kind);

      if (member != NULL)
        g_ptr_array_add (ids, (gpointer) (ag_mock_json_string (member, "id") ?: ""));
    }
}

static gboolean
contains (GPtrArray *ids, const char *id)
{
  for (guint k = 0; k < ids->len; k++)
    if (g_str_equal (ids->pdata[k], id))
      return TRUE;
  return FALSE;
}

/* Each call is answered in the very next content, and each answer answers a call of the content before it. */
static JsonNode *
check_pairing (History *h)
{
  guint n = json_array_get_length (h->contents);
  g_autoptr(GHashTable) call_ids = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GPtrArray) calls = g_ptr_array_new ();
      g_autoptr(GPtrArray) answers = g_ptr_array_new ();
      g_autoptr(GPtrArray) previous_calls = g_ptr_array_new ();
      JsonArray *parts = parts_of (h, i);

      collect (parts, "functionCall", calls);
      collect (parts, "functionResponse", answers);
      for (guint k = 0; is_claude (h->model) && k < calls->len; k++)
        {
          if (g_hash_table_contains (call_ids, calls->pdata[k]))
            {
              g_autofree char *message = g_strdup_printf ("messages.%u.content.%u: `tool_use` ids must be unique",
                                                          i, k);
              return claude_error (message);
            }
          g_hash_table_add (call_ids, calls->pdata[k]);
        }
      if (i > 0)
        collect (parts_of (h, i - 1), "functionCall", previous_calls);

      if (calls->len > 0 && i + 1 < n)
        {
          g_autoptr(GPtrArray) next_answers = g_ptr_array_new ();
          g_autoptr(GString) missing = g_string_new (NULL);

          collect (parts_of (h, i + 1), "functionResponse", next_answers);
          if (!is_claude (h->model) && next_answers->len != calls->len)
            return ag_mock_error_body (400, "Please ensure that the number of function response parts is equal to "
                                            "the number of function call parts of the function call turn.");
          for (guint k = 0; is_claude (h->model) && k < calls->len; k++)
            if (!contains (next_answers, calls->pdata[k]))
              g_string_append_printf (missing, "%s%s", missing->len > 0 ? ", " : "", (char *) calls->pdata[k]);
          if (missing->len > 0)
            {
              g_autofree char *message = g_strdup_printf ("messages.%u: `tool_use` ids were found without "
                                                          "`tool_result` blocks immediately after: %s. Each "
                                                          "`tool_use` block must have a corresponding `tool_result` "
                                                          "block in the next message.", i, missing->str);
              return claude_error (message);
            }
        }
      if (answers->len > 0 && !is_claude (h->model) && previous_calls->len == 0)
        return ag_mock_error_body (400, "Please ensure that function response turn comes immediately after a "
                                        "function call turn.");
      for (guint k = 0; is_claude (h->model) && k < answers->len; k++)
        if (!contains (previous_calls, answers->pdata[k]))
          {
            g_autofree char *message = g_strdup_printf ("messages.%u.content.%u: unexpected `tool_use_id` found in "
                                                        "`tool_result` blocks: %s. Each `tool_result` block must "
                                                        "have a corresponding `tool_use` block in the previous "
                                                        "message.", i, k, (char *) answers->pdata[k]);
            return claude_error (message);
          }
    }
  return NULL;
}

static gboolean
made_after_thinking (History *h, JsonArray *turn)
{
  g_autoptr(GPtrArray) calls = g_ptr_array_new ();

  collect (turn, "functionCall", calls);
  for (guint k = 0; k < calls->len; k++)
    {
      g_autofree char *key = g_strconcat (THOUGHT_CALL, (const char *) calls->pdata[k], NULL);

      if (g_hash_table_contains (h->issued, key))
        return TRUE;
    }
  return FALSE;
}

static gboolean
is_thought (JsonArray *parts, guint j)
{
  JsonNode *node = json_array_get_element (parts, j);

  return JSON_NODE_HOLDS_OBJECT (node) && ag_mock_json_bool (json_node_get_object (node), "thought", FALSE);
}

/* Claude with thinking on, in a tool loop (the request ends on results): the model turn that made the calls must
 * start with its signed thinking, when it had thinking (a turn the model answered without thinking is taken). */
static JsonNode *
check_claude_tool_loop_thinking (History *h, JsonObject *envelope)
{
  JsonObject *generation = ag_mock_json_object (ag_mock_json_object (envelope, "request"), "generationConfig");
  guint n = json_array_get_length (h->contents);
  JsonArray *last = n > 0 ? parts_of (h, n - 1) : NULL;
  g_autoptr(GPtrArray) answers = g_ptr_array_new ();
  JsonArray *turn;
  g_autofree char *message = NULL;

  if (ag_mock_json_object (generation, "thinkingConfig") == NULL &&
      ag_mock_json_object (generation, "thinking_config") == NULL)
    return NULL;
  collect (last, "functionResponse", answers);
  if (answers->len == 0 || n < 2 || !is_role (h, n - 2, "model"))
    return NULL;
  turn = parts_of (h, n - 2);
  if (turn == NULL || (json_array_get_length (turn) > 0 && is_thought (turn, 0)) || !made_after_thinking (h, turn))
    return NULL;
  message = g_strdup_printf ("messages.%u.content.0.type: Expected `thinking` or `redacted_thinking`, but found "
                             "`tool_use`. When `thinking` is enabled, a final `assistant` message must start with a "
                             "thinking block (preceeding the lastmost set of `tool_use` and `tool_result` blocks). "
                             "We recommend you include thinking blocks from previous turns. To avoid this "
                             "requirement, disable `thinking`.", n - 2);
  return claude_error (message);
}

JsonNode *
ag_mock_history_check (JsonObject *envelope, GHashTable *issued, gint64 window, gsize body_len, guint *status)
{
  History h = {
    .model = ag_mock_json_string (envelope, "model"),
    .issued = issued,
    .contents = ag_mock_json_array (ag_mock_json_object (envelope, "request"), "contents"),
  };
  gint64 tokens = (gint64) (body_len + 3) / 4;
  JsonNode *refusal = NULL;

  *status = 400;
  if (window > 0 && tokens > window)
    {
      g_autofree char *message = NULL;

      if (is_claude (h.model))
        {
          message = g_strdup_printf ("prompt is too long: %" G_GINT64_FORMAT " tokens > %" G_GINT64_FORMAT
                                     " maximum", tokens, window);
          return claude_error (message);
        }
      message = g_strdup_printf ("The input token count (%" G_GINT64_FORMAT ") exceeds the maximum number of tokens "
                                 "allowed (%" G_GINT64_FORMAT ").", tokens, window);
      return ag_mock_error_body (400, message);
    }
  if (h.contents == NULL)
    return NULL;
  if ((refusal = check_signatures (&h)) != NULL)
    return refusal;
  if (!is_claude (h.model) && (refusal = check_gemini_call_signatures (&h)) != NULL)
    return refusal;
  if ((refusal = check_pairing (&h)) != NULL)
    return refusal;
  return is_claude (h.model) ? check_claude_tool_loop_thinking (&h, envelope) : NULL;
}
