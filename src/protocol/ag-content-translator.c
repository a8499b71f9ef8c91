/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "ag-content-translator.h"

#include <string.h>

#include "ag-request-fields.h"
#include "ag-signature-carrier.h"

#define BILLING_HEADER_PREFIX "x-anthropic-billing-header:"
/* functionResponse name when no earlier tool_use has the id (the same marker opencode-antigravity-auth uses). */
#define UNKNOWN_FUNCTION_NAME "unknown_function"

typedef struct {
  const AgContentOptions *options;
  GHashTable             *tool_names_by_id;  /* tool_use id -> safe name (owned by options->tool_names) */
} ContentState;

static void
add_text_part (JsonArray *parts, const char *text)
{
  JsonObject *part;

  if (text == NULL || *text == '\0')
    return;  /* upstream rejects empty text parts */
  part = json_object_new ();
  json_object_set_string_member (part, "text", text);
  json_array_add_object_element (parts, part);
}

static void
add_wrapped_part (JsonArray *parts, const char *key, JsonObject *value)
{
  JsonObject *part = json_object_new ();

  json_object_set_object_member (part, key, value);
  json_array_add_object_element (parts, part);
}

/* The "source" of an image or document: base64 → inlineData, url → fileData, and for documents text or
 * nested content → text parts. Unknown future source types are dropped, not refused. */
static gboolean
add_media_parts (JsonObject *block, const char *path, gboolean is_document, JsonArray *parts, GError **error)
{
  g_autofree char *source_path = ag_field_path (path, "source");
  JsonObject *source = NULL;
  const char *type = NULL;

  if (!ag_field_object (block, path, "source", TRUE, &source, error) ||
      !ag_field_string (source, source_path, "type", TRUE, &type, error))
    return FALSE;

  if (g_str_equal (type, "base64"))
    {
      const char *media_type = is_document ? "application/pdf" : NULL;
      const char *data = NULL;
      JsonObject *inline_data;

      if (!ag_field_string (source, source_path, "media_type", !is_document, &media_type, error) ||
          !ag_field_string (source, source_path, "data", TRUE, &data, error))
        return FALSE;
      inline_data = json_object_new ();
      json_object_set_string_member (inline_data, "mimeType", media_type);
      json_object_set_string_member (inline_data, "data", data);
      add_wrapped_part (parts, "inlineData", inline_data);
    }
  else if (g_str_equal (type, "url"))
    {
      const char *url = NULL;
      JsonObject *file_data;

      if (!ag_field_string (source, source_path, "url", TRUE, &url, error))
        return FALSE;
      file_data = json_object_new ();
      /* Anthropic URL documents are PDFs; an image URL's type is left to the server to sniff. */
      if (is_document)
        json_object_set_string_member (file_data, "mimeType", "application/pdf");
      json_object_set_string_member (file_data, "fileUri", url);
      add_wrapped_part (parts, "fileData", file_data);
    }
  else if (is_document && g_str_equal (type, "text"))
    {
      const char *data = NULL;

      if (!ag_field_string (source, source_path, "data", TRUE, &data, error))
        return FALSE;
      add_text_part (parts, data);
    }
  else if (is_document && g_str_equal (type, "content"))
    {
      g_autofree char *content_path = ag_field_path (source_path, "content");
      JsonArray *content = NULL;

      if (!ag_field_array (source, source_path, "content", TRUE, &content, error))
        return FALSE;
      for (guint i = 0; i < json_array_get_length (content); i++)
        {
          g_autofree char *item_path = ag_field_index_path (content_path, i);
          JsonObject *item = ag_field_array_object (content, content_path, i, error);
          const char *item_type = NULL;
          const char *text = NULL;

          if (item == NULL || !ag_field_string (item, item_path, "type", TRUE, &item_type, error))
            return FALSE;
          if (g_str_equal (item_type, "text") && !ag_field_string (item, item_path, "text", TRUE, &text, error))
            return FALSE;
          add_text_part (parts, text);
        }
    }
  return TRUE;
}

static gboolean
add_tool_use (ContentState *state, JsonObject *block, const char *path, JsonArray *parts, GError **error)
{
  const AgContentOptions *options = state->options;
  const char *id = NULL;
  const char *name = NULL;
  JsonObject *input = NULL;
  const char *safe_name;
  g_autofree char *upstream_id = NULL;
  g_autofree char *signature = NULL;
  JsonObject *call;
  JsonObject *part;

  if (!ag_field_string (block, path, "id", TRUE, &id, error) ||
      !ag_field_string (block, path, "name", TRUE, &name, error) ||
      !ag_field_object (block, path, "input", FALSE, &input, error))
    return FALSE;

  upstream_id = ag_signature_carrier_unwrap_tool_id (id, &signature);
  if (options->drop_signatures)
    g_clear_pointer (&signature, g_free);
  safe_name = ag_tool_names_to_upstream (options->tool_names, name);
  g_hash_table_replace (state->tool_names_by_id, g_strdup (id), (gpointer) safe_name);

  call = json_object_new ();
  json_object_set_string_member (call, "name", safe_name);
  if (input != NULL)
    json_object_set_member (call, "args", json_node_copy (json_object_get_member (block, "input")));
  else
    json_object_set_object_member (call, "args", json_object_new ());
  /* Claude needs the ids to pair calls with results; for Gemini antigravity-claude-proxy leaves them out. */
  if (options->family == AG_MODEL_FAMILY_CLAUDE)
    json_object_set_string_member (call, "id", upstream_id);

  part = json_object_new ();
  json_object_set_object_member (part, "functionCall", call);
  /* Only Gemini signs function calls; Claude's signature is on its thinking. */
  if (options->family == AG_MODEL_FAMILY_GEMINI)
    json_object_set_string_member (part, "thoughtSignature",
                                   signature != NULL ? signature : AG_SKIP_SIGNATURE_SENTINEL);
  json_array_add_object_element (parts, part);
  return TRUE;
}

/* A tool_result's content: its text (blocks joined by newlines) for the functionResponse, and its images and
 * documents as separate parts, which go after the message's functionResponses (kept contiguous, as
 * antigravity-claude-proxy does). */
static gboolean
add_tool_result (ContentState *state, JsonObject *block, const char *path, JsonArray *parts,
                 JsonArray *trailing_parts, GError **error)
{
  const char *tool_use_id = NULL;
  gboolean is_error = FALSE;
  g_autoptr(GString) text = g_string_new (NULL);
  JsonNode *content = json_object_get_member (block, "content");
  const char *name;
  JsonObject *response;
  JsonObject *function_response;

  if (!ag_field_string (block, path, "tool_use_id", TRUE, &tool_use_id, error) ||
      !ag_field_boolean (block, path, "is_error", FALSE, &is_error, error))
    return FALSE;

  if (content != NULL && JSON_NODE_HOLDS_ARRAY (content))
    {
      g_autofree char *content_path = ag_field_path (path, "content");
      JsonArray *items = json_node_get_array (content);

      for (guint i = 0; i < json_array_get_length (items); i++)
        {
          g_autofree char *item_path = ag_field_index_path (content_path, i);
          JsonObject *item = ag_field_array_object (items, content_path, i, error);
          const char *type = NULL;
          const char *item_text = NULL;

          if (item == NULL || !ag_field_string (item, item_path, "type", TRUE, &type, error))
            return FALSE;
          if (g_str_equal (type, "text"))
            {
              if (!ag_field_string (item, item_path, "text", TRUE, &item_text, error))
                return FALSE;
              if (text->len > 0)
                g_string_append_c (text, '\n');
              g_string_append (text, item_text);
            }
          else if ((g_str_equal (type, "image") || g_str_equal (type, "document")) &&
                   !add_media_parts (item, item_path, g_str_equal (type, "document"), trailing_parts, error))
            return FALSE;
        }
    }
  else if (content != NULL && !JSON_NODE_HOLDS_NULL (content))
    {
      const char *content_text = NULL;
      if (!ag_field_string (block, path, "content", FALSE, &content_text, error))
        return FALSE;
      g_string_append (text, content_text);
    }

  name = g_hash_table_lookup (state->tool_names_by_id, tool_use_id);
  response = json_object_new ();
  /* Gemini's documented convention: "output"/"result" for success, "error" for failure details. */
  json_object_set_string_member (response, is_error ? "error" : "result", text->str);
  function_response = json_object_new ();
  json_object_set_string_member (function_response, "name", name != NULL ? name : UNKNOWN_FUNCTION_NAME);
  if (state->options->family == AG_MODEL_FAMILY_CLAUDE)
    {
      g_autofree char *carried_signature = NULL;
      g_autofree char *upstream_id = ag_signature_carrier_unwrap_tool_id (tool_use_id, &carried_signature);

      json_object_set_string_member (function_response, "id", upstream_id);
    }
  json_object_set_object_member (function_response, "response", response);
  add_wrapped_part (parts, "functionResponse", function_response);
  return TRUE;
}

/* Google's signature inside @carried when ag-cl issued it for this family, else NULL: a foreign or placeholder
 * signature, or one of the other family, makes upstream reject the whole request
 * (docs/upstream-cloudcode.md#signatures). */
static const char *
replayable_signature (const AgContentOptions *options, const char *carried)
{
  AgModelFamily family;
  const char *signature = ag_signature_carrier_unwrap_thinking (carried, &family);

  return signature != NULL && family == options->family && !options->drop_signatures ? signature : NULL;
}

static void
add_thought_part (JsonArray *parts, const char *text, const char *signature)
{
  JsonObject *part = json_object_new ();

  json_object_set_string_member (part, "text", text);
  json_object_set_boolean_member (part, "thought", TRUE);
  json_object_set_string_member (part, "thoughtSignature", signature);
  json_array_add_object_element (parts, part);
}

/* Thinking history goes back only while thinking is on: a request with thinking off that carries thought
 * parts is refused ("thinking is disabled … cannot contain", per opencode-antigravity-auth's recovery). */
static gboolean
add_thinking (ContentState *state, JsonObject *block, const char *path, JsonArray *parts, GError **error)
{
  const char *thinking = NULL;
  const char *carried = NULL;
  const char *signature;

  if (!ag_field_string (block, path, "thinking", TRUE, &thinking, error) ||
      !ag_field_string (block, path, "signature", FALSE, &carried, error))
    return FALSE;
  signature = replayable_signature (state->options, carried);
  if (state->options->thinking && signature != NULL)
    add_thought_part (parts, thinking, signature);
  return TRUE;
}

/* Cloud Code never produces redacted thinking, so its data is only replayed when it is a signature ag-cl issued
 * for this family; anything else came from another backend and would be refused. */
static gboolean
add_redacted_thinking (ContentState *state, JsonObject *block, const char *path, JsonArray *parts, GError **error)
{
  const char *data = NULL;
  const char *signature;

  if (!ag_field_string (block, path, "data", TRUE, &data, error))
    return FALSE;
  signature = replayable_signature (state->options, data);
  if (state->options->thinking && signature != NULL)
    add_thought_part (parts, "", signature);
  return TRUE;
}

static gboolean
add_block (ContentState *state, JsonObject *block, const char *path, JsonArray *parts, JsonArray *trailing_parts,
           GString *user_text, GError **error)
{
  const char *type = NULL;

  if (!ag_field_string (block, path, "type", TRUE, &type, error))
    return FALSE;

  if (g_str_equal (type, "text"))
    {
      const char *text = NULL;
      if (!ag_field_string (block, path, "text", TRUE, &text, error))
        return FALSE;
      add_text_part (parts, text);
      if (user_text != NULL)
        g_string_append (user_text, text);
      return TRUE;
    }
  if (g_str_equal (type, "image") || g_str_equal (type, "document"))
    return add_media_parts (block, path, g_str_equal (type, "document"), parts, error);
  if (g_str_equal (type, "tool_use"))
    return add_tool_use (state, block, path, parts, error);
  if (g_str_equal (type, "tool_result"))
    return add_tool_result (state, block, path, parts, trailing_parts, error);
  if (g_str_equal (type, "thinking"))
    return add_thinking (state, block, path, parts, error);
  if (g_str_equal (type, "redacted_thinking"))
    return add_redacted_thinking (state, block, path, parts, error);
  /* server_tool_use, web_search_tool_result and future types describe work done on Anthropic's side that
   * Cloud Code cannot replay: dropped, as the peers do. */
  return TRUE;
}

/* Gemini requires user/model alternation, so a turn with the same role as the previous one is merged into it. */
static void
append_turn (JsonArray *contents, const char *role, JsonArray *parts)
{
  guint length = json_array_get_length (contents);
  JsonObject *last = length > 0 ? json_array_get_object_element (contents, length - 1) : NULL;
  JsonObject *turn;

  if (json_array_get_length (parts) == 0)
    return;
  if (last != NULL && g_str_equal (json_object_get_string_member (last, "role"), role))
    {
      JsonArray *last_parts = json_object_get_array_member (last, "parts");
      for (guint i = 0; i < json_array_get_length (parts); i++)
        json_array_add_element (last_parts, json_node_copy (json_array_get_element (parts, i)));
      return;
    }
  turn = json_object_new ();
  json_object_set_string_member (turn, "role", role);
  json_object_set_array_member (turn, "parts", json_array_ref (parts));
  json_array_add_object_element (contents, turn);
}

static gboolean
is_billing_header (const char *text)
{
  return g_str_has_prefix (text, BILLING_HEADER_PREFIX);
}

static void
add_system_text (GPtrArray *texts, const char *text)
{
  if (is_billing_header (text))
    {
      /* In a string system prompt only the header line goes. */
      const char *newline = strchr (text, '\n');
      text = newline != NULL ? newline + 1 : "";
    }
  if (*text != '\0')
    g_ptr_array_add (texts, g_strdup (text));
}

gboolean
ag_system_texts_collect (JsonNode *system, const char *path, GPtrArray *texts, GError **error)
{
  JsonArray *blocks;

  if (system == NULL || JSON_NODE_HOLDS_NULL (system))
    return TRUE;
  if (JSON_NODE_HOLDS_VALUE (system) && json_node_get_value_type (system) == G_TYPE_STRING)
    {
      add_system_text (texts, json_node_get_string (system));
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_ARRAY (system))
    {
      ag_field_set_error (error, path, "must be a string or an array of text blocks");
      return FALSE;
    }

  blocks = json_node_get_array (system);
  for (guint i = 0; i < json_array_get_length (blocks); i++)
    {
      g_autofree char *block_path = ag_field_index_path (path, i);
      JsonObject *block = ag_field_array_object (blocks, path, i, error);
      const char *type = NULL;
      const char *text = NULL;

      if (block == NULL || !ag_field_string (block, block_path, "type", TRUE, &type, error))
        return FALSE;
      if (!g_str_equal (type, "text"))
        continue;
      if (!ag_field_string (block, block_path, "text", TRUE, &text, error))
        return FALSE;
      if (!is_billing_header (text) && *text != '\0')
        g_ptr_array_add (texts, g_strdup (text));
    }
  return TRUE;
}

static gboolean
translate_message (ContentState *state, JsonObject *message, const char *path, JsonArray *contents,
                   GPtrArray *system_texts, GString *first_user_text, GError **error)
{
  g_autofree char *content_path = ag_field_path (path, "content");
  g_autoptr(JsonArray) parts = json_array_new ();
  g_autoptr(JsonArray) trailing_parts = json_array_new ();
  const char *role = NULL;
  JsonNode *content;
  GString *user_text;

  if (!ag_field_string (message, path, "role", TRUE, &role, error))
    return FALSE;
  content = json_object_get_member (message, "content");
  if (content == NULL || JSON_NODE_HOLDS_NULL (content))
    {
      ag_field_set_error (error, content_path, "field required");
      return FALSE;
    }

  if (g_str_equal (role, "system"))
    return ag_system_texts_collect (content, content_path, system_texts, error);
  if (!g_str_equal (role, "user") && !g_str_equal (role, "assistant"))
    {
      g_autofree char *role_path = ag_field_path (path, "role");
      ag_field_set_error (error, role_path, "unknown role \"%s\" (expected user, assistant or system)", role);
      return FALSE;
    }

  /* Only the first user message feeds the session hash. */
  user_text = g_str_equal (role, "user") && first_user_text->len == 0 ? first_user_text : NULL;
  if (JSON_NODE_HOLDS_VALUE (content) && json_node_get_value_type (content) == G_TYPE_STRING)
    {
      add_text_part (parts, json_node_get_string (content));
      if (user_text != NULL)
        g_string_append (user_text, json_node_get_string (content));
    }
  else if (JSON_NODE_HOLDS_ARRAY (content))
    {
      JsonArray *blocks = json_node_get_array (content);

      for (guint i = 0; i < json_array_get_length (blocks); i++)
        {
          g_autofree char *block_path = ag_field_index_path (content_path, i);
          JsonObject *block = ag_field_array_object (blocks, content_path, i, error);

          if (block == NULL ||
              !add_block (state, block, block_path, parts, trailing_parts, user_text, error))
            return FALSE;
        }
    }
  else
    {
      ag_field_set_error (error, content_path, "must be a string or an array of content blocks");
      return FALSE;
    }

  for (guint i = 0; i < json_array_get_length (trailing_parts); i++)
    json_array_add_element (parts, json_node_copy (json_array_get_element (trailing_parts, i)));
  append_turn (contents, g_str_equal (role, "user") ? "user" : "model", parts);
  return TRUE;
}

JsonArray *
ag_contents_translate (JsonArray              *messages,
                       const AgContentOptions *options,
                       GPtrArray              *system_texts,
                       GString                *first_user_text,
                       GError                **error)
{
  g_autoptr(JsonArray) contents = json_array_new ();
  g_autoptr(GHashTable) tool_names_by_id = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  ContentState state = { .options = options, .tool_names_by_id = tool_names_by_id };

  for (guint i = 0; i < json_array_get_length (messages); i++)
    {
      g_autofree char *path = ag_field_index_path ("messages", i);
      JsonObject *message = ag_field_array_object (messages, "messages", i, error);

      if (message == NULL ||
          !translate_message (&state, message, path, contents, system_texts, first_user_text, error))
        return NULL;
    }
  return g_steal_pointer (&contents);
}
