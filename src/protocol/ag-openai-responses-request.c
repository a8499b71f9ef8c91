/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-openai-responses-request.c — Responses body → Anthropic Messages body.
 *
 * Input items map onto Anthropic blocks: messages by role (system and developer are system text), function and
 * custom tool calls onto tool_use (a custom call's raw text as its one "input" argument), their outputs onto
 * tool_result, and reasoning items that carry encrypted_content onto signed thinking, which is where ag-cl put the
 * signature when it answered. Tools Cloud Code cannot run (web search, file search, computer use, …) are left out,
 * as Codex tolerates; namespaces are flattened. */
#include "ag-openai-responses-request.h"

#include "ag-json.h"
#include "ag-openai-chat-request.h"
#include "ag-protocol-error.h"
#include "ag-request-fields.h"

typedef struct {
  JsonArray  *messages;        /* the Anthropic messages being built */
  JsonArray  *tools;
  GPtrArray  *freeform_tools;
  GHashTable *call_ids;        /* ids of the calls seen so far, for their outputs */
  GHashTable *tool_names;      /* declared so far, against duplicates */
} Reader;

/* One Anthropic message per item; the content translator joins consecutive turns of a role. */
static void
add_message (Reader *reader, const char *role, JsonArray *blocks)
{
  JsonObject *message = json_object_new ();

  json_object_set_string_member (message, "role", role);
  json_object_set_array_member (message, "content", blocks);
  json_array_add_object_element (reader->messages, message);
}

static gboolean
read_message (Reader *reader, JsonObject *item, const char *path, GError **error)
{
  g_autoptr(JsonArray) blocks = json_array_new ();
  const char *role = NULL;
  gboolean system;

  if (!ag_field_string (item, path, "role", TRUE, &role, error))
    return FALSE;
  system = g_str_equal (role, "system") || g_str_equal (role, "developer");
  if (!system && !g_str_equal (role, "user") && !g_str_equal (role, "assistant"))
    {
      g_autofree char *role_path = ag_field_path (path, "role");
      ag_field_set_error (error, role_path, "unsupported role \"%s\" (system, developer, user and assistant are)", role);
      return FALSE;
    }
  if (!ag_openai_read_content (item, "content", path, g_str_equal (role, "user"), blocks, error))
    return FALSE;
  if (json_array_get_length (blocks) == 0)
    return TRUE;
  add_message (reader, system ? "system" : role, g_steal_pointer (&blocks));
  return TRUE;
}

static gboolean
read_call (Reader *reader, JsonObject *item, const char *path, gboolean freeform, GError **error)
{
  const char *call_id = NULL, *name = NULL, *text = NULL;
  g_autoptr(JsonNode) input = NULL;
  JsonArray *blocks;

  if (!ag_field_string (item, path, "call_id", TRUE, &call_id, error) ||
      !ag_field_string (item, path, "name", TRUE, &name, error) ||
      !ag_field_string (item, path, freeform ? "input" : "arguments", FALSE, &text, error))
    return FALSE;
  if (freeform)
    {
      JsonObject *arguments = json_object_new ();

      json_object_set_string_member (arguments, AG_FREEFORM_TOOL_ARGUMENT, text != NULL ? text : "");
      input = json_node_init_object (json_node_alloc (), arguments);
      json_object_unref (arguments);
    }
  else if ((input = ag_openai_read_arguments (text, path, error)) == NULL)
    return FALSE;
  blocks = json_array_new ();
  json_array_add_object_element (blocks, ag_openai_tool_use_block (call_id, name, g_steal_pointer (&input)));
  add_message (reader, "assistant", blocks);
  g_hash_table_add (reader->call_ids, g_strdup (call_id));
  return TRUE;
}

/* A call's output: a string, or an array of input_text (and input_image) parts. */
static gboolean
read_call_output (Reader *reader, JsonObject *item, const char *path, GError **error)
{
  g_autofree char *output_path = ag_field_path (path, "output");
  g_autoptr(JsonArray) content = json_array_new ();
  JsonNode *output = json_object_get_member (item, "output");
  const char *call_id = NULL;
  JsonObject *block;
  JsonArray *blocks;

  if (!ag_field_string (item, path, "call_id", TRUE, &call_id, error))
    return FALSE;
  if (!g_hash_table_contains (reader->call_ids, call_id))
    {
      g_autofree char *id_path = ag_field_path (path, "call_id");
      ag_field_set_error (error, id_path, "no earlier call in input has the call_id \"%s\"", call_id);
      return FALSE;
    }
  if (output != NULL && JSON_NODE_HOLDS_ARRAY (output))
    {
      if (!ag_openai_read_content (item, "output", path, TRUE, content, error))
        return FALSE;
    }
  else if (output != NULL && JSON_NODE_HOLDS_VALUE (output) && json_node_get_value_type (output) == G_TYPE_STRING)
    json_array_add_object_element (content, ag_openai_text_block (json_node_get_string (output)));
  else
    {
      ag_field_set_error (error, output_path, "must be a string or an array of content parts");
      return FALSE;
    }
  block = json_object_new ();
  json_object_set_string_member (block, "type", "tool_result");
  json_object_set_string_member (block, "tool_use_id", call_id);
  json_object_set_array_member (block, "content", g_steal_pointer (&content));
  blocks = json_array_new ();
  json_array_add_object_element (blocks, block);
  add_message (reader, "user", blocks);
  return TRUE;
}

/* A reasoning item ag-cl produced: its summary is the thinking, its encrypted_content the signature. Without a
 * signature the thinking cannot be replayed upstream, so the item is left out. */
static gboolean
read_reasoning (Reader *reader, JsonObject *item, const char *path, GError **error)
{
  g_autoptr(GString) thinking = g_string_new (NULL);
  const char *signature = NULL;
  JsonArray *summary = NULL;
  JsonObject *block;
  JsonArray *blocks;

  if (!ag_field_string (item, path, "encrypted_content", FALSE, &signature, error) ||
      !ag_field_array (item, path, "summary", FALSE, &summary, error))
    return FALSE;
  if (signature == NULL || *signature == '\0')
    return TRUE;
  for (guint i = 0; summary != NULL && i < json_array_get_length (summary); i++)
    {
      const char *text = ag_json_string (ag_json_array_object (summary, i), "text");

      if (text != NULL)
        g_string_append (thinking, text);
    }
  block = json_object_new ();
  json_object_set_string_member (block, "type", "thinking");
  json_object_set_string_member (block, "thinking", thinking->str);
  json_object_set_string_member (block, "signature", signature);
  blocks = json_array_new ();
  json_array_add_object_element (blocks, block);
  add_message (reader, "assistant", blocks);
  return TRUE;
}

static gboolean read_tools (Reader *reader, JsonArray *tools, const char *path, GError **error);

static gboolean
read_item (Reader *reader, JsonObject *item, const char *path, GError **error)
{
  const char *type = "message";

  if (!ag_field_string (item, path, "type", FALSE, &type, error))
    return FALSE;
  if (g_str_equal (type, "message"))
    return read_message (reader, item, path, error);
  if (g_str_equal (type, "function_call") || g_str_equal (type, "custom_tool_call"))
    return read_call (reader, item, path, g_str_equal (type, "custom_tool_call"), error);
  if (g_str_equal (type, "function_call_output") || g_str_equal (type, "custom_tool_call_output"))
    return read_call_output (reader, item, path, error);
  if (g_str_equal (type, "reasoning"))
    return read_reasoning (reader, item, path, error);
  if (g_str_equal (type, "additional_tools"))
    {
      JsonArray *tools = NULL;
      g_autofree char *tools_path = ag_field_path (path, "tools");

      return ag_field_array (item, path, "tools", TRUE, &tools, error) &&
             read_tools (reader, tools, tools_path, error);
    }
  {
    g_autofree char *type_path = ag_field_path (path, "type");
    ag_field_set_error (error, type_path, "unsupported input item type \"%s\"", type);
    return FALSE;
  }
}

static void
add_tool (Reader *reader, const char *name, const char *description, JsonObject *parameters, gboolean freeform)
{
  g_autoptr(JsonObject) schema = NULL;

  if (!g_hash_table_add (reader->tool_names, g_strdup (name)))
    return;
  if (freeform)
    {
      JsonObject *properties = json_object_new (), *argument = json_object_new ();
      JsonArray *required = json_array_new ();

      schema = json_object_new ();
      json_object_set_string_member (argument, "type", "string");
      json_object_set_string_member (argument, "description", "The tool's raw input, as its description says.");
      json_object_set_object_member (properties, AG_FREEFORM_TOOL_ARGUMENT, argument);
      json_array_add_string_element (required, AG_FREEFORM_TOOL_ARGUMENT);
      json_object_set_string_member (schema, "type", "object");
      json_object_set_object_member (schema, "properties", properties);
      json_object_set_array_member (schema, "required", required);
      parameters = schema;
      g_ptr_array_add (reader->freeform_tools, g_strdup (name));
    }
  json_array_add_object_element (reader->tools, ag_openai_tool (name, description, parameters));
}

static gboolean
read_tools (Reader *reader, JsonArray *tools, const char *path, GError **error)
{
  for (guint i = 0; i < json_array_get_length (tools); i++)
    {
      g_autofree char *tool_path = ag_field_index_path (path, i);
      JsonObject *tool = ag_field_array_object (tools, path, i, error);
      const char *type = NULL, *name = NULL, *description = NULL;
      JsonObject *parameters = NULL;
      JsonArray *members = NULL;

      if (tool == NULL || !ag_field_string (tool, tool_path, "type", TRUE, &type, error))
        return FALSE;
      if (g_str_equal (type, "namespace"))
        {
          g_autofree char *members_path = ag_field_path (tool_path, "tools");

          if (!ag_field_array (tool, tool_path, "tools", TRUE, &members, error) ||
              !read_tools (reader, members, members_path, error))
            return FALSE;
          continue;
        }
      if (!g_str_equal (type, "function") && !g_str_equal (type, "custom"))
        continue;
      if (!ag_field_string (tool, tool_path, "name", TRUE, &name, error) ||
          !ag_field_string (tool, tool_path, "description", FALSE, &description, error) ||
          !ag_field_object (tool, tool_path, "parameters", FALSE, &parameters, error))
        return FALSE;
      add_tool (reader, name, description, parameters, g_str_equal (type, "custom"));
    }
  return TRUE;
}

static gboolean
read_tool_choice (JsonObject *body, JsonObject *out, GError **error)
{
  JsonNode *choice = json_object_get_member (body, "tool_choice");
  JsonObject *translated;
  const char *mode = NULL, *name = NULL;

  if (choice == NULL || JSON_NODE_HOLDS_NULL (choice))
    return TRUE;
  translated = json_object_new ();
  json_object_set_object_member (out, "tool_choice", translated);
  if (JSON_NODE_HOLDS_VALUE (choice) && json_node_get_value_type (choice) == G_TYPE_STRING)
    mode = json_node_get_string (choice);
  else if (!JSON_NODE_HOLDS_OBJECT (choice) ||
           !ag_field_string (json_node_get_object (choice), "tool_choice", "name", TRUE, &name, error))
    {
      if (!JSON_NODE_HOLDS_OBJECT (choice))
        ag_field_set_error (error, "tool_choice", "must be a string or an object");
      return FALSE;
    }
  if (name != NULL)
    {
      json_object_set_string_member (translated, "type", "tool");
      json_object_set_string_member (translated, "name", name);
    }
  else if (g_str_equal (mode, "auto") || g_str_equal (mode, "none") || g_str_equal (mode, "required"))
    json_object_set_string_member (translated, "type", g_str_equal (mode, "required") ? "any" : mode);
  else
    {
      ag_field_set_error (error, "tool_choice", "unknown value \"%s\" (auto, none or required)", mode);
      return FALSE;
    }
  return TRUE;
}

/* instructions, reasoning, max_output_tokens, temperature, top_p and text.format. */
static gboolean
read_settings (JsonObject *body, JsonObject *out, GError **error)
{
  JsonObject *reasoning = NULL, *text = NULL, *format = NULL;
  const char *effort = NULL;
  gint64 max_tokens = -1;

  if (!ag_field_object (body, NULL, "reasoning", FALSE, &reasoning, error) ||
      (reasoning != NULL && !ag_field_string (reasoning, "reasoning", "effort", FALSE, &effort, error)) ||
      !ag_field_int (body, NULL, "max_output_tokens", FALSE, &max_tokens, error) ||
      !ag_field_object (body, NULL, "text", FALSE, &text, error) ||
      (text != NULL && !ag_field_object (text, "text", "format", FALSE, &format, error)))
    return FALSE;
  if (max_tokens != -1)
    json_object_set_int_member (out, "max_tokens", max_tokens);
  ag_openai_set_reasoning_effort (out, effort);
  return ag_openai_read_sampling (body, out, error) && ag_openai_read_format (format, "text.format", out, error);
}

JsonObject *
ag_openai_responses_to_messages (JsonObject *body, GPtrArray *freeform_tools, GError **error)
{
  g_autoptr(JsonObject) out = json_object_new ();
  g_autoptr(GHashTable) call_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) tool_names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  Reader reader = { .messages = json_array_new (), .tools = json_array_new (), .freeform_tools = freeform_tools,
                    .call_ids = call_ids, .tool_names = tool_names };
  const char *model = NULL, *instructions = NULL, *previous = NULL;
  JsonNode *input = json_object_get_member (body, "input");
  JsonArray *tools = NULL;
  gboolean stream = FALSE;

  json_object_set_array_member (out, "messages", reader.messages);
  json_object_set_array_member (out, "tools", reader.tools);
  if (!ag_field_string (body, NULL, "model", TRUE, &model, error) ||
      !ag_field_boolean (body, NULL, "stream", FALSE, &stream, error) ||
      !ag_field_string (body, NULL, "instructions", FALSE, &instructions, error) ||
      !ag_field_string (body, NULL, "previous_response_id", FALSE, &previous, error) ||
      !ag_field_array (body, NULL, "tools", FALSE, &tools, error))
    return NULL;
  if (previous != NULL)
    {
      ag_field_set_error (error, "previous_response_id", "ag-cl keeps no responses; send the whole conversation "
                          "in input (as store:false clients do)");
      return NULL;
    }
  json_object_set_string_member (out, "model", model);
  json_object_set_boolean_member (out, "stream", stream);
  if (instructions != NULL && *instructions != '\0')
    json_object_set_string_member (out, "system", instructions);
  if (tools != NULL && !read_tools (&reader, tools, "tools", error))
    return NULL;

  if (input != NULL && JSON_NODE_HOLDS_VALUE (input) && json_node_get_value_type (input) == G_TYPE_STRING)
    {
      JsonArray *blocks = json_array_new ();

      json_array_add_object_element (blocks, ag_openai_text_block (json_node_get_string (input)));
      add_message (&reader, "user", blocks);
    }
  else if (input != NULL && JSON_NODE_HOLDS_ARRAY (input))
    {
      JsonArray *items = json_node_get_array (input);

      for (guint i = 0; i < json_array_get_length (items); i++)
        {
          g_autofree char *path = ag_field_index_path ("input", i);
          JsonObject *item = ag_field_array_object (items, "input", i, error);

          if (item == NULL || !read_item (&reader, item, path, error))
            return NULL;
        }
    }
  else
    {
      ag_field_set_error (error, "input", input == NULL ? "field required" : "must be a string or an array of items");
      return NULL;
    }
  if (json_array_get_length (reader.messages) == 0)
    {
      ag_field_set_error (error, "input", "must contain at least one item");
      return NULL;
    }
  if (!read_tool_choice (body, out, error) || !read_settings (body, out, error))
    return NULL;
  return g_steal_pointer (&out);
}

AgClientRequest *
ag_openai_responses_request_read (JsonObject *body, const char *session_header, GError **error)
{
  g_autoptr(GPtrArray) freeform = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(JsonObject) messages_body = ag_openai_responses_to_messages (body, freeform, error);
  const char *cache_key = NULL;
  AgClientRequest *request;

  if (messages_body == NULL || !ag_field_string (body, NULL, "prompt_cache_key", FALSE, &cache_key, error))
    return NULL;
  request = ag_anthropic_request_read (messages_body, NULL, error);
  if (request == NULL)
    return NULL;
  if (session_header != NULL && *session_header != '\0')
    {
      g_free (request->session_id);
      request->session_id = g_strdup (session_header);
    }
  else if (request->session_id == NULL && cache_key != NULL && *cache_key != '\0')
    request->session_id = g_strdup (cache_key);
  if (freeform->len > 0)
    {
      g_ptr_array_add (freeform, NULL);
      request->freeform_tools = (char **) g_ptr_array_free (g_steal_pointer (&freeform), FALSE);
    }
  return request;
}
