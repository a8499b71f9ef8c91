/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "ag-request-translator.h"

#include <string.h>

#include "ag-content-translator.h"
#include "ag-history-repair.h"
#include "ag-json.h"
#include "ag-request-fields.h"
#include "ag-schema-cleaner.h"
#include "ag-session-id.h"
#include "ag-web-search.h"

/* max_tokens when the client omits it (antigravity-claude-proxy's default). */
#define DEFAULT_MAX_TOKENS 4096
/* Output limits when the catalogue gives none: Claude 64000 (CLIProxyAPI registry), Gemini 65536 (AM's clamp). */
#define CLAUDE_MAX_OUTPUT 64000
#define GEMINI_MAX_OUTPUT 65536
/* Room left for the answer when max_tokens has to be raised above the thinking budget
 * (docs/upstream-cloudcode.md#output-limits, all peers). */
#define ANSWER_HEADROOM 8192

static const char * const request_member_order[] = {
  "contents", "systemInstruction", "tools", "toolConfig", "generationConfig", "sessionId",
};

typedef enum {
  EFFORT_LOW,
  EFFORT_MEDIUM,
  EFFORT_HIGH,
  EFFORT_MAX,
} Effort;

/* Thinking budgets per effort. Claude: opencode-antigravity-auth's tiers (low 8192, medium 16384, high and max
 * 32768). Gemini: Antigravity-Manager's levels (low 8192, medium 16384, high 24576; max maps to high), and a
 * budget rather than thinkingLevel because v1internal Gemini refused thinkingLevel (AM "FIX #2208"). Claude gets a
 * budget too instead of AM's thinkingLevel: a budget works under both key casings and antigravity-claude-proxy
 * notes that Claude ignores includeThoughts without one. */
static const gint64 claude_budgets[] = { 8192, 16384, 32768, 32768 };
static const gint64 gemini_budgets[] = { 8192, 16384, 24576, 24576 };

static gint64
effort_budget (AgModelFamily family, Effort effort)
{
  return family == AG_MODEL_FAMILY_CLAUDE ? claude_budgets[effort] : gemini_budgets[effort];
}

/* Unknown efforts (a newer client's) count as the default, high, rather than failing the request. */
static Effort
parse_effort (const char *effort)
{
  if (g_strcmp0 (effort, "low") == 0)
    return EFFORT_LOW;
  if (g_strcmp0 (effort, "medium") == 0)
    return EFFORT_MEDIUM;
  if (g_strcmp0 (effort, "max") == 0)
    return EFFORT_MAX;
  return EFFORT_HIGH;
}

gint64
ag_thinking_budget_for_effort (AgModelFamily family, const char *effort)
{
  return effort_budget (family, parse_effort (effort));
}

/* The thinking budget to request, 0 for none. */
static gboolean
resolve_thinking_budget (JsonObject *body, const AgTranslateOptions *options, gint64 *budget, GError **error)
{
  JsonObject *thinking = NULL;
  JsonObject *output_config = NULL;
  const char *type = NULL;
  const char *effort = NULL;
  gint64 budget_tokens = 0;

  if (!ag_field_object (body, NULL, "thinking", FALSE, &thinking, error) ||
      !ag_field_object (body, NULL, "output_config", FALSE, &output_config, error))
    return FALSE;
  if (output_config != NULL && !ag_field_string (output_config, "output_config", "effort", FALSE, &effort, error))
    return FALSE;
  if (thinking != NULL)
    {
      if (!ag_field_string (thinking, "thinking", "type", TRUE, &type, error))
        return FALSE;
      if (g_str_equal (type, "enabled"))
        {
          if (!ag_field_int (thinking, "thinking", "budget_tokens", FALSE, &budget_tokens, error))
            return FALSE;
          if (json_object_has_member (thinking, "budget_tokens") && budget_tokens < 1)
            {
              ag_field_set_error (error, "thinking.budget_tokens", "must be a positive integer");
              return FALSE;
            }
        }
      else if (!g_str_equal (type, "adaptive") && !g_str_equal (type, "disabled"))
        {
          ag_field_set_error (error, "thinking.type", "unknown thinking type \"%s\" (expected enabled, adaptive or disabled)",
                              type);
          return FALSE;
        }
    }

  *budget = 0;
  if (!options->supports_thinking)
    return TRUE;
  if (g_strcmp0 (type, "enabled") == 0)
    *budget = budget_tokens > 0 ? budget_tokens : effort_budget (options->family, EFFORT_HIGH);
  else if (g_strcmp0 (type, "adaptive") == 0)
    *budget = effort_budget (options->family, parse_effort (effort));
  else if (options->family == AG_MODEL_FAMILY_CLAUDE && options->upstream_model != NULL &&
           g_str_has_suffix (options->upstream_model, "-thinking"))
    /* Claude "-thinking" ids only answer with thinking on: Antigravity-Manager enables it by default
     * (docs/upstream-cloudcode.md#thinking). */
    *budget = effort_budget (options->family, EFFORT_HIGH);
  if (*budget > 0 && options->thinking_budget > 0)
    *budget = options->thinking_budget;
  return TRUE;
}

/* docs/upstream-cloudcode.md#output-limits: maxOutputTokens is capped by the model and must exceed the thinking
 * budget; when it does not, it is
 * raised to budget + 8192 within the cap, and if the cap still does not allow that the budget gives way. */
void
ag_request_fit_output_tokens (gint64 max_tokens, const AgTranslateOptions *options, gint64 *max_output, gint64 *budget)
{
  gint64 cap = options->max_output_cap > 0 ? options->max_output_cap
             : options->family == AG_MODEL_FAMILY_CLAUDE ? CLAUDE_MAX_OUTPUT : GEMINI_MAX_OUTPUT;

  *max_output = MIN (max_tokens, cap);
  if (*budget <= 0 || *budget < *max_output)
    return;
  *max_output = MIN (*budget + ANSWER_HEADROOM, cap);
  if (*budget >= *max_output)
    *budget = *max_output > 2 * ANSWER_HEADROOM ? *max_output - ANSWER_HEADROOM : *max_output / 2;
}

JsonObject *
ag_thinking_config_new (AgThinkingKeys keys, gint64 budget)
{
  JsonObject *config = json_object_new ();
  gboolean snake = keys == AG_THINKING_KEYS_SNAKE;

  json_object_set_boolean_member (config, snake ? "include_thoughts" : "includeThoughts", TRUE);
  json_object_set_int_member (config, snake ? "thinking_budget" : "thinkingBudget", budget);
  return config;
}

/* Structured output, output_config.format {"type":"json_schema","schema":{…}}: JSON text, shaped by the schema
 * (cleaned as tool schemas are) when one is given. */
static gboolean
add_response_format (JsonObject *body, const AgTranslateOptions *options, JsonObject *config, GError **error)
{
  JsonObject *output_config = NULL, *format = NULL, *schema = NULL;
  const char *type = NULL;

  if (!ag_field_object (body, NULL, "output_config", FALSE, &output_config, error))
    return FALSE;
  if (output_config == NULL ||
      !ag_field_object (output_config, "output_config", "format", FALSE, &format, error))
    return output_config == NULL;
  if (format == NULL)
    return TRUE;
  if (!ag_field_string (format, "output_config.format", "type", TRUE, &type, error) ||
      !ag_field_object (format, "output_config.format", "schema", FALSE, &schema, error))
    return FALSE;
  if (!g_str_equal (type, "json_schema"))
    {
      ag_field_set_error (error, "output_config.format.type", "unknown format \"%s\" (expected json_schema)", type);
      return FALSE;
    }
  json_object_set_string_member (config, "responseMimeType", "application/json");
  if (schema != NULL)
    json_object_set_member (config, "responseSchema",
                            ag_schema_clean (json_object_get_member (format, "schema"), options->family));
  return TRUE;
}

static gboolean
add_generation_config (JsonObject *body, const AgTranslateOptions *options, gint64 max_output, gint64 budget,
                       JsonObject *request, GError **error)
{
  g_autoptr(JsonObject) config = json_object_new ();
  JsonArray *stop_sequences = NULL;
  double number;
  gint64 top_k;

  json_object_set_int_member (config, "maxOutputTokens", max_output);

  if (json_object_has_member (body, "temperature"))
    {
      number = -1;
      if (!ag_field_number (body, NULL, "temperature", FALSE, &number, error))
        return FALSE;
      if (number >= 0)
        json_object_set_double_member (config, "temperature", number);
    }
  if (json_object_has_member (body, "top_p"))
    {
      number = -1;
      if (!ag_field_number (body, NULL, "top_p", FALSE, &number, error))
        return FALSE;
      if (number >= 0)
        json_object_set_double_member (config, "topP", number);
    }
  top_k = -1;
  if (!ag_field_int (body, NULL, "top_k", FALSE, &top_k, error))
    return FALSE;
  if (top_k >= 0)
    json_object_set_int_member (config, "topK", top_k);

  if (!ag_field_array (body, NULL, "stop_sequences", FALSE, &stop_sequences, error))
    return FALSE;
  if (stop_sequences != NULL && json_array_get_length (stop_sequences) > 0)
    {
      JsonArray *copy = json_array_new ();

      json_object_set_array_member (config, "stopSequences", copy);
      for (guint i = 0; i < json_array_get_length (stop_sequences); i++)
        {
          JsonNode *item = json_array_get_element (stop_sequences, i);
          if (!JSON_NODE_HOLDS_VALUE (item) || json_node_get_value_type (item) != G_TYPE_STRING)
            {
              g_autofree char *path = ag_field_index_path ("stop_sequences", i);
              ag_field_set_error (error, path, "must be a string");
              return FALSE;
            }
          json_array_add_string_element (copy, json_node_get_string (item));
        }
    }

  if (budget > 0)
    json_object_set_object_member (config, "thinkingConfig", ag_thinking_config_new (options->thinking_keys, budget));
  if (!add_response_format (body, options, config, error))
    return FALSE;
  json_object_set_object_member (request, "generationConfig", g_steal_pointer (&config));
  return TRUE;
}

/* A server tool (web_search_20250305, bash_20250124, …) has a "type" other than "custom": Anthropic runs or
 * defines it, Cloud Code cannot, so it is skipped. */
static gboolean
is_server_tool (JsonObject *tool)
{
  JsonNode *type = json_object_get_member (tool, "type");

  return type != NULL && JSON_NODE_HOLDS_VALUE (type) && json_node_get_value_type (type) == G_TYPE_STRING &&
         !g_str_equal (json_node_get_string (type), "custom");
}

/* Validates "tools" and returns the function tools' objects in order, without duplicate names. */
static GPtrArray *
collect_function_tools (JsonObject *body, GError **error)
{
  g_autoptr(GPtrArray) function_tools = g_ptr_array_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  JsonArray *tools = NULL;

  if (!ag_field_array (body, NULL, "tools", FALSE, &tools, error))
    return NULL;
  for (guint i = 0; tools != NULL && i < json_array_get_length (tools); i++)
    {
      g_autofree char *path = ag_field_index_path ("tools", i);
      JsonObject *tool = ag_field_array_object (tools, "tools", i, error);
      const char *type = NULL;
      const char *name = NULL;
      const char *description = NULL;
      JsonObject *schema = NULL;

      if (tool == NULL || !ag_field_string (tool, path, "type", FALSE, &type, error) ||
          !ag_field_string (tool, path, "name", TRUE, &name, error))
        return NULL;
      if (is_server_tool (tool))
        continue;
      if (*name == '\0')
        {
          g_autofree char *name_path = ag_field_path (path, "name");
          ag_field_set_error (error, name_path, "must not be empty");
          return NULL;
        }
      if (!ag_field_string (tool, path, "description", FALSE, &description, error) ||
          !ag_field_object (tool, path, "input_schema", FALSE, &schema, error))
        return NULL;
      if (g_hash_table_add (seen, (gpointer) name))
        g_ptr_array_add (function_tools, tool);
    }
  return g_steal_pointer (&function_tools);
}

static void
add_tools (GPtrArray *function_tools, const AgTranslateOptions *options, AgToolNames *names, JsonObject *request)
{
  JsonArray *declarations;
  JsonObject *tool;
  JsonArray *tools;

  if (function_tools->len == 0)
    return;

  /* Names upstream already accepts are registered first, so a sanitised name can never push one aside. */
  for (guint i = 0; i < function_tools->len; i++)
    {
      const char *name = json_object_get_string_member (function_tools->pdata[i], "name");
      if (ag_tool_names_is_valid (name))
        ag_tool_names_to_upstream (names, name);
    }

  declarations = json_array_new ();
  for (guint i = 0; i < function_tools->len; i++)
    {
      JsonObject *function_tool = function_tools->pdata[i];
      JsonObject *declaration = json_object_new ();
      JsonNode *description = json_object_get_member (function_tool, "description");
      const char *name = json_object_get_string_member (function_tool, "name");

      json_object_set_string_member (declaration, "name", ag_tool_names_to_upstream (names, name));
      if (description != NULL && JSON_NODE_HOLDS_VALUE (description) && *json_node_get_string (description) != '\0')
        json_object_set_string_member (declaration, "description", json_node_get_string (description));
      json_object_set_member (declaration, "parameters",
                              ag_schema_clean (json_object_get_member (function_tool, "input_schema"),
                                               options->family));
      json_array_add_object_element (declarations, declaration);
    }
  tool = json_object_new ();
  json_object_set_array_member (tool, "functionDeclarations", declarations);
  tools = json_array_new ();
  json_array_add_object_element (tools, tool);
  json_object_set_array_member (request, "tools", tools);
}

/* tool_choice → functionCallingConfig. Claude gets mode VALIDATED for "auto" (and when absent), as
 * antigravity-claude-proxy, CLIProxyAPI and opencode-antigravity-auth send; an explicit any/tool/none is honoured
 * with CLIProxyAPI's translator mapping (ANY, ANY + allowedFunctionNames, NONE). Gemini "auto" is AUTO, and with
 * no tool_choice Gemini gets no toolConfig (its default is AUTO). */
static gboolean
add_tool_config (JsonObject *body, const AgTranslateOptions *options, GPtrArray *function_tools,
                 AgToolNames *names, JsonObject *request, GError **error)
{
  JsonObject *tool_choice = NULL;
  const char *type = "auto";
  const char *mode;
  const char *tool_name = NULL;
  JsonObject *calling;
  JsonObject *config;

  if (!ag_field_object (body, NULL, "tool_choice", FALSE, &tool_choice, error))
    return FALSE;
  if (tool_choice != NULL && !ag_field_string (tool_choice, "tool_choice", "type", TRUE, &type, error))
    return FALSE;

  if (g_str_equal (type, "auto"))
    mode = options->family == AG_MODEL_FAMILY_CLAUDE ? "VALIDATED" : tool_choice != NULL ? "AUTO" : NULL;
  else if (g_str_equal (type, "any"))
    mode = "ANY";
  else if (g_str_equal (type, "none"))
    mode = "NONE";
  else if (g_str_equal (type, "tool"))
    {
      gboolean declared = FALSE;

      mode = "ANY";
      if (!ag_field_string (tool_choice, "tool_choice", "name", TRUE, &tool_name, error))
        return FALSE;
      for (guint i = 0; i < function_tools->len && !declared; i++)
        declared = g_str_equal (json_object_get_string_member (function_tools->pdata[i], "name"), tool_name);
      if (!declared)
        {
          ag_field_set_error (error, "tool_choice.name", "no tool named \"%s\" in tools", tool_name);
          return FALSE;
        }
    }
  else
    {
      ag_field_set_error (error, "tool_choice.type", "unknown tool_choice type \"%s\" (expected auto, any, tool or none)",
                          type);
      return FALSE;
    }

  if (mode == NULL || function_tools->len == 0)
    return TRUE;
  calling = json_object_new ();
  json_object_set_string_member (calling, "mode", mode);
  if (tool_name != NULL)
    {
      JsonArray *allowed = json_array_new ();
      json_array_add_string_element (allowed, ag_tool_names_to_upstream (names, tool_name));
      json_object_set_array_member (calling, "allowedFunctionNames", allowed);
    }
  config = json_object_new ();
  json_object_set_object_member (config, "functionCallingConfig", calling);
  json_object_set_object_member (request, "toolConfig", config);
  return TRUE;
}

static void
add_system_instruction (GPtrArray *texts, JsonObject *request)
{
  JsonObject *instruction;
  JsonArray *parts;

  if (texts->len == 0)
    return;
  parts = json_array_new ();
  for (guint i = 0; i < texts->len; i++)
    {
      JsonObject *part = json_object_new ();
      json_object_set_string_member (part, "text", texts->pdata[i]);
      json_array_add_object_element (parts, part);
    }
  instruction = json_object_new ();
  json_object_set_string_member (instruction, "role", "user");
  json_object_set_array_member (instruction, "parts", parts);
  json_object_set_object_member (request, "systemInstruction", instruction);
}

void
ag_translated_request_free (AgTranslatedRequest *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->request, json_node_unref);
  g_clear_pointer (&self->tool_names, ag_tool_names_unref);
  g_free (self->client_model);
  g_strfreev (self->freeform_tools);
  g_free (self->repairs);
  g_free (self);
}

static JsonObject *
text_turn (const char *role, const char *text)
{
  JsonObject *turn = json_object_new ();
  JsonArray *parts = json_array_new ();
  JsonObject *part = json_object_new ();

  json_object_set_string_member (part, "text", text);
  json_array_add_object_element (parts, part);
  json_object_set_string_member (turn, "role", role);
  json_object_set_array_member (turn, "parts", parts);
  return turn;
}

/* Claude under thinking refuses a tool loop whose calling turn had thinking that cannot go back (another family's,
 * from before the signature carrier, or dropped for the retry). The loop is closed with a short model turn and a
 * user turn, as antigravity-claude-proxy does, so the results are kept and the next answer starts a fresh turn. */
static void
close_unsigned_tool_loop (JsonArray *contents, GString *repairs)
{
  guint n = json_array_get_length (contents);
  JsonObject *last = n >= 2 ? json_array_get_object_element (contents, n - 1) : NULL;
  JsonObject *calling = n >= 2 ? json_array_get_object_element (contents, n - 2) : NULL;
  JsonArray *last_parts = last != NULL ? ag_json_array (last, "parts") : NULL;
  JsonArray *calling_parts = calling != NULL ? ag_json_array (calling, "parts") : NULL;
  gboolean answers = FALSE;

  for (guint i = 0; last_parts != NULL && i < json_array_get_length (last_parts); i++)
    answers |= ag_json_object (json_array_get_object_element (last_parts, i), "functionResponse") != NULL;
  if (!answers || g_strcmp0 (ag_json_string (calling, "role"), "model") != 0 || calling_parts == NULL ||
      (json_array_get_length (calling_parts) > 0 &&
       ag_json_bool (json_array_get_object_element (calling_parts, 0), "thought", FALSE)))
    return;
  json_array_add_object_element (contents, text_turn ("model", "[The tool results above are in.]"));
  json_array_add_object_element (contents, text_turn ("user", "Continue."));
  g_string_append_printf (repairs, "%stool-loop-closed", repairs->len > 0 ? " " : "");
}

AgTranslatedRequest *
ag_request_translate (const AgClientRequest  *client_request,
                      const AgTranslateOptions *options,
                      GError                  **error)
{
  g_autoptr(AgToolNames) names = ag_tool_names_new ();
  g_autoptr(JsonObject) request = json_object_new ();
  g_autoptr(JsonObject) staged = json_object_new ();
  g_autoptr(GPtrArray) system_texts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) function_tools = NULL;
  g_autoptr(JsonArray) contents = NULL;
  g_autoptr(GString) first_user_text = g_string_new (NULL);
  g_autofree char *session_id = NULL;
  g_autoptr(GString) repairs = g_string_new (NULL);
  AgContentOptions content_options;
  AgTranslatedRequest *result;
  JsonObject *body;
  JsonArray *messages = NULL;
  gint64 max_tokens = DEFAULT_MAX_TOKENS;
  gint64 budget = 0;
  gint64 max_output = 0;

  g_return_val_if_fail (client_request != NULL, NULL);
  g_return_val_if_fail (options != NULL, NULL);

  body = client_request->body;
  if (!ag_field_array (body, NULL, "messages", TRUE, &messages, error) ||
      !ag_field_int (body, NULL, "max_tokens", FALSE, &max_tokens, error))
    return NULL;
  if (json_array_get_length (messages) == 0)
    {
      ag_field_set_error (error, "messages", "must contain at least one message");
      return NULL;
    }
  if (max_tokens < 1)
    {
      ag_field_set_error (error, "max_tokens", "must be a positive integer");
      return NULL;
    }
  if (!resolve_thinking_budget (body, options, &budget, error) ||
      !ag_system_texts_collect (json_object_get_member (body, "system"), "system", system_texts, error))
    return NULL;

  /* A grounding call thinks not and declares no function: Google refuses googleSearch beside them. */
  if (client_request->web_search_max_uses > 0)
    budget = 0;
  ag_request_fit_output_tokens (max_tokens, options, &max_output, &budget);

  function_tools = collect_function_tools (body, error);
  if (function_tools == NULL)
    return NULL;
  if (client_request->web_search_max_uses > 0)
    g_ptr_array_set_size (function_tools, 0);
  /* Tools first, so their declared names win the name map over names only seen in history. */
  add_tools (function_tools, options, names, staged);

  ag_history_repair (messages, options->family, budget > 0 && !options->drop_signatures, repairs);
  if (options->drop_signatures)
    g_string_append_printf (repairs, "%ssignatures-dropped", repairs->len > 0 ? " " : "");
  content_options = (AgContentOptions) {
    .family = options->family,
    .thinking = budget > 0,
    .tool_names = names,
    .drop_signatures = options->drop_signatures,
  };
  contents = ag_contents_translate (messages, &content_options, system_texts, first_user_text, error);
  if (contents == NULL)
    return NULL;
  if (json_array_get_length (contents) == 0)
    {
      ag_field_set_error (error, "messages", "must contain at least one user or assistant message with content");
      return NULL;
    }
  if (options->family == AG_MODEL_FAMILY_CLAUDE && budget > 0 &&
      ag_history_calling_turn_lost_thinking (messages, options->family, options->drop_signatures))
    close_unsigned_tool_loop (contents, repairs);
  if ((client_request->web_search_max_uses == 0 &&
       !add_tool_config (body, options, function_tools, names, staged, error)) ||
      !add_generation_config (body, options, max_output, budget, staged, error))
    return NULL;

  json_object_set_array_member (staged, "contents", g_steal_pointer (&contents));
  add_system_instruction (system_texts, staged);
  if (options->session_id != NULL && *options->session_id != '\0')
    session_id = g_strdup (options->session_id);
  else
    session_id = ag_session_id_derive (first_user_text->str);
  json_object_set_string_member (staged, "sessionId", session_id);
  if (client_request->web_search_max_uses > 0)
    ag_web_search_shape_request (staged);

  /* A fixed member order keeps logs and fixtures readable. */
  for (gsize i = 0; i < G_N_ELEMENTS (request_member_order); i++)
    if (json_object_has_member (staged, request_member_order[i]))
      json_object_set_member (request, request_member_order[i],
                              json_object_dup_member (staged, request_member_order[i]));

  result = g_new0 (AgTranslatedRequest, 1);
  result->request = json_node_init_object (json_node_alloc (), request);
  result->tool_names = g_steal_pointer (&names);
  result->thinking = budget > 0;
  result->stream = client_request->stream;
  result->client_model = g_strdup (client_request->model);
  result->include_usage = client_request->include_usage;
  result->freeform_tools = g_strdupv (client_request->freeform_tools);
  result->web_search_max_uses = client_request->web_search_max_uses;
  result->request_type = client_request->web_search_max_uses > 0 ? AG_WEB_SEARCH_REQUEST_TYPE : "agent";
  result->repairs = repairs->len > 0 ? g_string_free (g_steal_pointer (&repairs), FALSE) : NULL;
  return result;
}
