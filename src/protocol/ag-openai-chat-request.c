/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-openai-chat-request.c — Chat Completions body → Anthropic Messages body.
 *
 * Each OpenAI message becomes one Anthropic message (the content translator joins consecutive turns of one role):
 * system and developer messages stay "system" messages, tool messages become tool_result blocks of a user turn,
 * assistant tool_calls become tool_use blocks whose arguments must be a JSON object. What Gemini cannot do (n > 1,
 * audio, legacy function messages) is refused with a 400 naming the field rather than silently dropped. */
#include "ag-openai-chat-request.h"

#include "ag-json.h"
#include "ag-protocol-error.h"
#include "ag-request-fields.h"

#include <string.h>

/* Member @name of @object as an object, created when absent. */
static JsonObject *
ensure_object (JsonObject *object, const char *name)
{
  JsonObject *member = ag_json_object (object, name);

  if (member == NULL)
    {
      member = json_object_new ();
      json_object_set_object_member (object, name, member);
    }
  return member;
}

JsonObject *
ag_openai_text_block (const char *text)
{
  JsonObject *block = json_object_new ();

  json_object_set_string_member (block, "type", "text");
  json_object_set_string_member (block, "text", text);
  return block;
}

JsonObject *
ag_openai_image_block (const char *url, const char *path, GError **error)
{
  JsonObject *block, *source = json_object_new ();

  if (g_str_has_prefix (url, "data:"))
    {
      const char *comma = strchr (url, ',');
      const char *semicolon = strchr (url, ';');

      if (comma == NULL || semicolon == NULL || semicolon > comma || !g_str_has_prefix (semicolon, ";base64,"))
        {
          ag_field_set_error (error, path, "a data URL must be data:<media type>;base64,<data>");
          json_object_unref (source);
          return NULL;
        }
      g_autofree char *media_type = g_strndup (url + 5, semicolon - (url + 5));
      json_object_set_string_member (source, "type", "base64");
      json_object_set_string_member (source, "media_type", *media_type != '\0' ? media_type : "image/png");
      json_object_set_string_member (source, "data", comma + 1);
    }
  else if (g_str_has_prefix (url, "https://") || g_str_has_prefix (url, "http://"))
    {
      json_object_set_string_member (source, "type", "url");
      json_object_set_string_member (source, "url", url);
    }
  else
    {
      ag_field_set_error (error, path, "must be a data: URL or an http(s) URL");
      json_object_unref (source);
      return NULL;
    }
  block = json_object_new ();
  json_object_set_string_member (block, "type", "image");
  json_object_set_object_member (block, "source", source);
  return block;
}

JsonObject *
ag_openai_tool_use_block (const char *id, const char *name, JsonNode *input)
{
  JsonObject *block = json_object_new ();

  json_object_set_string_member (block, "type", "tool_use");
  json_object_set_string_member (block, "id", id);
  json_object_set_string_member (block, "name", name);
  json_object_set_member (block, "input", input);
  return block;
}

JsonNode *
ag_openai_read_arguments (const char *arguments, const char *path, GError **error)
{
  JsonNode *input = json_from_string (arguments != NULL && *arguments != '\0' ? arguments : "{}", NULL);

  if (input == NULL || !JSON_NODE_HOLDS_OBJECT (input))
    {
      g_autofree char *arguments_path = ag_field_path (path, "arguments");

      g_clear_pointer (&input, json_node_unref);
      ag_field_set_error (error, arguments_path, "must be a JSON object in a string");
    }
  return input;
}

JsonObject *
ag_openai_tool (const char *name, const char *description, JsonObject *parameters)
{
  JsonObject *tool = json_object_new ();

  json_object_set_string_member (tool, "name", name);
  if (description != NULL)
    json_object_set_string_member (tool, "description", description);
  if (parameters != NULL)
    json_object_set_object_member (tool, "input_schema", json_object_ref (parameters));
  else
    {
      JsonObject *schema = json_object_new ();

      json_object_set_string_member (schema, "type", "object");
      json_object_set_object_member (schema, "properties", json_object_new ());
      json_object_set_object_member (tool, "input_schema", schema);
    }
  return tool;
}

void
ag_openai_set_reasoning_effort (JsonObject *messages_body, const char *effort)
{
  JsonObject *thinking, *output_config;

  if (effort == NULL)
    return;
  thinking = json_object_new ();
  if (g_str_equal (effort, "none"))
    {
      json_object_set_string_member (thinking, "type", "disabled");
      json_object_set_object_member (messages_body, "thinking", thinking);
      return;
    }
  json_object_set_string_member (thinking, "type", "adaptive");
  json_object_set_object_member (messages_body, "thinking", thinking);
  output_config = ensure_object (messages_body, "output_config");
  /* minimal is the least Gemini offers, low; xhigh the most, max. */
  json_object_set_string_member (output_config, "effort", g_str_equal (effort, "minimal") ? "low"
                                                         : g_str_equal (effort, "xhigh") ? "max" : effort);
}

gboolean
ag_openai_read_content (JsonObject *holder, const char *member, const char *path, gboolean images, JsonArray *blocks,
                        GError **error)
{
  g_autofree char *content_path = ag_field_path (path, member);
  JsonNode *content = json_object_get_member (holder, member);
  JsonArray *parts;

  if (content != NULL && JSON_NODE_HOLDS_VALUE (content) && json_node_get_value_type (content) == G_TYPE_STRING)
    {
      json_array_add_object_element (blocks, ag_openai_text_block (json_node_get_string (content)));
      return TRUE;
    }
  if (content == NULL || !JSON_NODE_HOLDS_ARRAY (content))
    {
      ag_field_set_error (error, content_path, "must be a string or an array of content parts");
      return FALSE;
    }
  parts = json_node_get_array (content);
  for (guint i = 0; i < json_array_get_length (parts); i++)
    {
      g_autofree char *part_path = ag_field_index_path (content_path, i);
      g_autofree char *url_path = ag_field_path (part_path, "image_url");
      JsonObject *part = ag_field_array_object (parts, content_path, i, error);
      JsonObject *image_url = NULL, *block;
      const char *type = NULL, *text = NULL, *url = NULL;

      if (part == NULL || !ag_field_string (part, part_path, "type", TRUE, &type, error))
        return FALSE;
      if (g_str_equal (type, "text") || g_str_equal (type, "input_text") || g_str_equal (type, "output_text"))
        {
          if (!ag_field_string (part, part_path, "text", TRUE, &text, error))
            return FALSE;
          json_array_add_object_element (blocks, ag_openai_text_block (text));
          continue;
        }
      if (g_str_equal (type, "refusal"))
        continue;
      if (!images || (!g_str_equal (type, "image_url") && !g_str_equal (type, "input_image")))
        {
          ag_field_set_error (error, part_path, "unsupported content part type \"%s\"", type);
          return FALSE;
        }
      /* Chat: image_url {"url"}; Responses: input_image with image_url the URL itself. */
      if (g_str_equal (type, "image_url"))
        {
          if (!ag_field_object (part, part_path, "image_url", TRUE, &image_url, error) ||
              !ag_field_string (image_url, url_path, "url", TRUE, &url, error))
            return FALSE;
          g_free (url_path);
          url_path = ag_field_path (part_path, "image_url.url");
        }
      else if (!ag_field_string (part, part_path, "image_url", TRUE, &url, error))
        return FALSE;
      if ((block = ag_openai_image_block (url, url_path, error)) == NULL)
        return FALSE;
      json_array_add_object_element (blocks, block);
    }
  return TRUE;
}

/* Text-only content (system, developer and tool messages) as one string, parts joined by newlines. */
static gboolean
read_text_content (JsonObject *message, const char *path, gboolean required, GString *out, GError **error)
{
  g_autoptr(JsonArray) blocks = json_array_new ();

  if (!json_object_has_member (message, "content") || json_object_get_null_member (message, "content"))
    {
      g_autofree char *content_path = ag_field_path (path, "content");

      if (required)
        ag_field_set_error (error, content_path, "field required");
      return !required;
    }
  if (!ag_openai_read_content (message, "content", path, FALSE, blocks, error))
    return FALSE;
  for (guint i = 0; i < json_array_get_length (blocks); i++)
    {
      if (out->len > 0)
        g_string_append_c (out, '\n');
      g_string_append (out, json_object_get_string_member (json_array_get_object_element (blocks, i), "text"));
    }
  return TRUE;
}

/* Assistant text and tool calls; the call ids are remembered so that tool messages can be checked against them. */
static gboolean
read_assistant (JsonObject *message, const char *path, JsonArray *blocks, GHashTable *call_ids, GError **error)
{
  g_autoptr(GString) text = g_string_new (NULL);
  JsonArray *tool_calls = NULL;
  g_autofree char *calls_path = ag_field_path (path, "tool_calls");

  if (!read_text_content (message, path, FALSE, text, error) ||
      !ag_field_array (message, path, "tool_calls", FALSE, &tool_calls, error))
    return FALSE;
  if (text->len > 0)
    json_array_add_object_element (blocks, ag_openai_text_block (text->str));
  for (guint i = 0; tool_calls != NULL && i < json_array_get_length (tool_calls); i++)
    {
      g_autofree char *call_path = ag_field_index_path (calls_path, i);
      g_autofree char *function_path = ag_field_path (call_path, "function");
      JsonObject *call = ag_field_array_object (tool_calls, calls_path, i, error);
      JsonObject *function = NULL;
      const char *id = NULL, *name = NULL, *arguments = NULL;
      g_autoptr(JsonNode) input = NULL;

      if (call == NULL || !ag_field_string (call, call_path, "id", TRUE, &id, error) ||
          !ag_field_object (call, call_path, "function", TRUE, &function, error) ||
          !ag_field_string (function, function_path, "name", TRUE, &name, error) ||
          !ag_field_string (function, function_path, "arguments", FALSE, &arguments, error))
        return FALSE;
      if ((input = ag_openai_read_arguments (arguments, function_path, error)) == NULL)
        return FALSE;
      json_array_add_object_element (blocks, ag_openai_tool_use_block (id, name, g_steal_pointer (&input)));
      g_hash_table_add (call_ids, g_strdup (id));
    }
  if (json_array_get_length (blocks) == 0)
    json_array_add_object_element (blocks, ag_openai_text_block (""));
  return TRUE;
}

static gboolean
read_tool_result (JsonObject *message, const char *path, JsonArray *blocks, GHashTable *call_ids, GError **error)
{
  g_autoptr(GString) text = g_string_new (NULL);
  const char *call_id = NULL;
  JsonObject *block;

  if (!ag_field_string (message, path, "tool_call_id", TRUE, &call_id, error) ||
      !read_text_content (message, path, TRUE, text, error))
    return FALSE;
  if (!g_hash_table_contains (call_ids, call_id))
    {
      g_autofree char *id_path = ag_field_path (path, "tool_call_id");
      ag_field_set_error (error, id_path, "no earlier assistant tool call has the id \"%s\"", call_id);
      return FALSE;
    }
  block = json_object_new ();
  json_object_set_string_member (block, "type", "tool_result");
  json_object_set_string_member (block, "tool_use_id", call_id);
  json_object_set_string_member (block, "content", text->str);
  json_array_add_object_element (blocks, block);
  return TRUE;
}

static gboolean
read_messages (JsonObject *body, JsonArray *out, GError **error)
{
  g_autoptr(GHashTable) call_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  JsonArray *messages = NULL;

  if (!ag_field_array (body, NULL, "messages", TRUE, &messages, error))
    return FALSE;
  if (json_array_get_length (messages) == 0)
    {
      ag_field_set_error (error, "messages", "must contain at least one message");
      return FALSE;
    }
  for (guint i = 0; i < json_array_get_length (messages); i++)
    {
      g_autofree char *path = ag_field_index_path ("messages", i);
      JsonObject *message = ag_field_array_object (messages, "messages", i, error);
      g_autoptr(JsonArray) blocks = json_array_new ();
      const char *role = NULL, *anthropic_role;
      JsonObject *translated;
      gboolean ok;

      if (message == NULL || !ag_field_string (message, path, "role", TRUE, &role, error))
        return FALSE;
      if (g_str_equal (role, "system") || g_str_equal (role, "developer"))
        {
          g_autoptr(GString) text = g_string_new (NULL);

          if (!read_text_content (message, path, TRUE, text, error))
            return FALSE;
          json_array_add_object_element (blocks, ag_openai_text_block (text->str));
          anthropic_role = "system";
          ok = TRUE;
        }
      else if (g_str_equal (role, "user"))
        ok = ag_openai_read_content (message, "content", path, TRUE, blocks, error), anthropic_role = "user";
      else if (g_str_equal (role, "assistant"))
        ok = read_assistant (message, path, blocks, call_ids, error), anthropic_role = "assistant";
      else if (g_str_equal (role, "tool"))
        ok = read_tool_result (message, path, blocks, call_ids, error), anthropic_role = "user";
      else
        {
          g_autofree char *role_path = ag_field_path (path, "role");
          ag_field_set_error (error, role_path, "unsupported role \"%s\" (system, developer, user, assistant and "
                              "tool are)", role);
          return FALSE;
        }
      if (!ok)
        return FALSE;
      /* Parallel calls are answered by one "tool" message each; in the Messages shape every result of a turn's
       * calls belongs to the one user message after it (the history repair reads a second one as results whose
       * calls are gone). So messages of one role in a row become one. */
      if (!g_str_equal (anthropic_role, "system") && json_array_get_length (out) > 0 &&
          g_strcmp0 (ag_json_string (json_array_get_object_element (out, json_array_get_length (out) - 1), "role"),
                     anthropic_role) == 0)
        {
          JsonArray *previous = ag_json_array (json_array_get_object_element (out, json_array_get_length (out) - 1),
                                               "content");

          for (guint j = 0; previous != NULL && j < json_array_get_length (blocks); j++)
            json_array_add_element (previous, json_node_copy (json_array_get_element (blocks, j)));
          if (previous != NULL)
            continue;
        }
      translated = json_object_new ();
      json_object_set_string_member (translated, "role", anthropic_role);
      json_object_set_array_member (translated, "content", g_steal_pointer (&blocks));
      json_array_add_object_element (out, translated);
    }
  return TRUE;
}

static gboolean
read_tools (JsonObject *body, JsonObject *out, GError **error)
{
  JsonArray *tools = NULL;
  JsonArray *translated;
  JsonNode *choice = json_object_get_member (body, "tool_choice");

  if (!ag_field_array (body, NULL, "tools", FALSE, &tools, error))
    return FALSE;
  translated = json_array_new ();
  json_object_set_array_member (out, "tools", translated);
  for (guint i = 0; tools != NULL && i < json_array_get_length (tools); i++)
    {
      g_autofree char *path = ag_field_index_path ("tools", i);
      g_autofree char *function_path = ag_field_path (path, "function");
      JsonObject *tool = ag_field_array_object (tools, "tools", i, error);
      JsonObject *function = NULL, *parameters = NULL;
      const char *type = NULL, *name = NULL, *description = NULL;

      if (tool == NULL || !ag_field_string (tool, path, "type", TRUE, &type, error))
        return FALSE;
      if (!g_str_equal (type, "function"))
        {
          g_autofree char *type_path = ag_field_path (path, "type");
          ag_field_set_error (error, type_path, "unsupported tool type \"%s\" (function is)", type);
          return FALSE;
        }
      if (!ag_field_object (tool, path, "function", TRUE, &function, error) ||
          !ag_field_string (function, function_path, "name", TRUE, &name, error) ||
          !ag_field_string (function, function_path, "description", FALSE, &description, error) ||
          !ag_field_object (function, function_path, "parameters", FALSE, &parameters, error))
        return FALSE;
      json_array_add_object_element (translated, ag_openai_tool (name, description, parameters));
    }

  if (choice != NULL && !JSON_NODE_HOLDS_NULL (choice))
    {
      JsonObject *anthropic_choice = json_object_new ();

      json_object_set_object_member (out, "tool_choice", anthropic_choice);
      if (JSON_NODE_HOLDS_VALUE (choice) && json_node_get_value_type (choice) == G_TYPE_STRING)
        {
          const char *mode = json_node_get_string (choice);

          if (!g_str_equal (mode, "auto") && !g_str_equal (mode, "none") && !g_str_equal (mode, "required"))
            {
              ag_field_set_error (error, "tool_choice", "unknown value \"%s\" (auto, none or required)", mode);
              return FALSE;
            }
          json_object_set_string_member (anthropic_choice, "type", g_str_equal (mode, "required") ? "any" : mode);
        }
      else if (JSON_NODE_HOLDS_OBJECT (choice))
        {
          JsonObject *function = NULL;
          const char *name = NULL;

          if (!ag_field_object (json_node_get_object (choice), "tool_choice", "function", TRUE, &function, error) ||
              !ag_field_string (function, "tool_choice.function", "name", TRUE, &name, error))
            return FALSE;
          json_object_set_string_member (anthropic_choice, "type", "tool");
          json_object_set_string_member (anthropic_choice, "name", name);
        }
      else
        {
          ag_field_set_error (error, "tool_choice", "must be a string or an object");
          return FALSE;
        }
    }
  return TRUE;
}

gboolean
ag_openai_read_format (JsonObject *format, const char *path, JsonObject *out, GError **error)
{
  g_autofree char *type_path = ag_field_path (path, "type");
  g_autofree char *json_schema_path = ag_field_path (path, "json_schema");
  JsonObject *json_schema = NULL, *schema = NULL, *translated;
  const char *type = NULL;

  if (format == NULL)
    return TRUE;
  if (!ag_field_string (format, path, "type", TRUE, &type, error))
    return FALSE;
  if (g_str_equal (type, "text"))
    return TRUE;
  if (!g_str_equal (type, "json_schema") && !g_str_equal (type, "json_object"))
    {
      ag_field_set_error (error, type_path, "unknown type \"%s\" (text, json_object or json_schema)", type);
      return FALSE;
    }
  /* Chat nests the schema in "json_schema", Responses puts it beside the type. */
  if (!ag_field_object (format, path, "json_schema", FALSE, &json_schema, error) ||
      !ag_field_object (json_schema != NULL ? json_schema : format, json_schema != NULL ? json_schema_path : path,
                        "schema", FALSE, &schema, error))
    return FALSE;
  translated = json_object_new ();
  json_object_set_string_member (translated, "type", "json_schema");
  if (schema != NULL)
    json_object_set_object_member (translated, "schema", json_object_ref (schema));
  json_object_set_object_member (ensure_object (out, "output_config"), "format", translated);
  return TRUE;
}

gboolean
ag_openai_read_sampling (JsonObject *body, JsonObject *out, GError **error)
{
  static const char *const names[] = { "temperature", "top_p" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      double number = -1;

      if (!ag_field_number (body, NULL, names[i], FALSE, &number, error))
        return FALSE;
      if (number >= 0)
        json_object_set_double_member (out, names[i], number);
    }
  return TRUE;
}

static gboolean
read_sampling (JsonObject *body, JsonObject *out, GError **error)
{
  gint64 max_tokens = -1, n = 1;
  const char *effort = NULL;
  JsonNode *stop = json_object_get_member (body, "stop");

  if (!ag_field_int (body, NULL, "max_tokens", FALSE, &max_tokens, error) ||
      !ag_field_int (body, NULL, "max_completion_tokens", FALSE, &max_tokens, error) ||
      !ag_field_int (body, NULL, "n", FALSE, &n, error) ||
      !ag_field_string (body, NULL, "reasoning_effort", FALSE, &effort, error))
    return FALSE;
  if (n != 1)
    {
      ag_field_set_error (error, "n", "only one choice per request is supported");
      return FALSE;
    }
  if (max_tokens != -1)
    json_object_set_int_member (out, "max_tokens", max_tokens);
  if (!ag_openai_read_sampling (body, out, error))
    return FALSE;
  if (stop != NULL && JSON_NODE_HOLDS_VALUE (stop) && json_node_get_value_type (stop) == G_TYPE_STRING)
    {
      JsonArray *sequences = json_array_new ();

      json_array_add_string_element (sequences, json_node_get_string (stop));
      json_object_set_array_member (out, "stop_sequences", sequences);
    }
  else if (stop != NULL && JSON_NODE_HOLDS_ARRAY (stop))
    json_object_set_array_member (out, "stop_sequences", json_array_ref (json_node_get_array (stop)));
  else if (stop != NULL && !JSON_NODE_HOLDS_NULL (stop))
    {
      ag_field_set_error (error, "stop", "must be a string or an array of strings");
      return FALSE;
    }
  ag_openai_set_reasoning_effort (out, effort);
  return TRUE;
}

JsonObject *
ag_openai_chat_to_messages (JsonObject *body, GError **error)
{
  g_autoptr(JsonObject) out = json_object_new ();
  g_autoptr(JsonArray) messages = json_array_new ();
  JsonObject *format = NULL;
  const char *model = NULL;
  gboolean stream = FALSE;

  if (!ag_field_string (body, NULL, "model", TRUE, &model, error) ||
      !ag_field_boolean (body, NULL, "stream", FALSE, &stream, error))
    return NULL;
  json_object_set_string_member (out, "model", model);
  json_object_set_boolean_member (out, "stream", stream);
  if (!read_messages (body, messages, error) || !read_tools (body, out, error) ||
      !ag_field_object (body, NULL, "response_format", FALSE, &format, error) ||
      !ag_openai_read_format (format, "response_format", out, error) || !read_sampling (body, out, error))
    return NULL;
  json_object_set_array_member (out, "messages", g_steal_pointer (&messages));
  return g_steal_pointer (&out);
}

AgClientRequest *
ag_openai_chat_request_read (JsonObject *body, GError **error)
{
  g_autoptr(JsonObject) messages_body = ag_openai_chat_to_messages (body, error);
  JsonObject *stream_options = NULL;
  const char *cache_key = NULL;
  AgClientRequest *request;

  if (messages_body == NULL ||
      !ag_field_object (body, NULL, "stream_options", FALSE, &stream_options, error) ||
      !ag_field_string (body, NULL, "prompt_cache_key", FALSE, &cache_key, error))
    return NULL;
  request = ag_anthropic_request_read (messages_body, NULL, error);
  if (request == NULL)
    return NULL;
  if (stream_options != NULL)
    request->include_usage = ag_json_bool (stream_options, "include_usage", FALSE);
  /* The client's own conversation key, where it gives one, keeps the conversation on one account. */
  if (request->session_id == NULL && cache_key != NULL && *cache_key != '\0')
    request->session_id = g_strdup (cache_key);
  return request;
}
