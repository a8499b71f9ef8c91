/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-gemini-request.c — Gemini GenerateContentRequest → the Cloud Code request.
 *
 * The contents already are what Cloud Code takes. What changes: tool schemas (parametersJsonSchema or parameters)
 * are cleaned into "parameters" as for every other surface; a thinkingLevel becomes a budget (v1internal refused
 * levels, docs/upstream-cloudcode.md#thinking); function-call ids go to Claude only, and a Gemini function call
 * without a signature gets the skip sentinel, as the Anthropic path does; Claude gets no thinking when its history
 * has unsigned calls, which it would refuse. */
#include "ag-gemini-request.h"

#include <string.h>

#include "ag-content-translator.h"
#include "ag-json.h"
#include "ag-protocol-error.h"
#include "ag-request-fields.h"
#include "ag-schema-cleaner.h"
#include "ag-session-id.h"
#include "ag-signature-carrier.h"

gboolean
ag_gemini_path_parse (const char *path, char **model, char **action)
{
  const char *start = strstr (path, "/models/");
  const char *colon;

  if (start == NULL)
    return FALSE;
  start += strlen ("/models/");
  colon = strrchr (start, ':');
  if (colon == NULL || colon == start || strchr (start, '/') != NULL || colon[1] == '\0')
    return FALSE;
  *model = g_strndup (start, colon - start);
  *action = g_strdup (colon + 1);
  return TRUE;
}

/* Checks one content; a functionResponse must answer a call named in an earlier model content. */
static gboolean
read_content (JsonObject *content, const char *path, GHashTable *called, AgClientRequest *request, GError **error)
{
  g_autofree char *parts_path = ag_field_path (path, "parts");
  const char *role = "user";
  JsonArray *parts = NULL;
  gboolean user;

  if (!ag_field_string (content, path, "role", FALSE, &role, error) ||
      !ag_field_array (content, path, "parts", TRUE, &parts, error))
    return FALSE;
  user = g_str_equal (role, "user");
  if (!user && !g_str_equal (role, "model"))
    {
      g_autofree char *role_path = ag_field_path (path, "role");
      ag_field_set_error (error, role_path, "unknown role \"%s\" (user or model)", role);
      return FALSE;
    }
  g_ptr_array_set_size (request->last_user_texts, 0);
  for (guint i = 0; i < json_array_get_length (parts); i++)
    {
      g_autofree char *part_path = ag_field_index_path (parts_path, i);
      JsonObject *part = ag_field_array_object (parts, parts_path, i, error);
      JsonObject *call = NULL, *answer = NULL;
      const char *name = NULL, *text = NULL;
      g_autofree char *call_path = ag_field_path (part_path, "functionCall");
      g_autofree char *answer_path = ag_field_path (part_path, "functionResponse");

      if (part == NULL || !ag_field_string (part, part_path, "text", FALSE, &text, error) ||
          !ag_field_object (part, part_path, "functionCall", FALSE, &call, error) ||
          !ag_field_object (part, part_path, "functionResponse", FALSE, &answer, error))
        return FALSE;
      if (call != NULL && !ag_field_string (call, call_path, "name", TRUE, &name, error))
        return FALSE;
      if (call != NULL)
        g_hash_table_add (called, g_strdup (name));
      if (answer != NULL && !ag_field_string (answer, answer_path, "name", TRUE, &name, error))
        return FALSE;
      if (answer != NULL && !g_hash_table_contains (called, name))
        {
          g_autofree char *name_path = ag_field_path (answer_path, "name");
          ag_field_set_error (error, name_path, "no earlier functionCall is named \"%s\"", name);
          return FALSE;
        }
      if (user && text != NULL && !ag_json_bool (part, "thought", FALSE))
        g_ptr_array_add (request->last_user_texts, (gpointer) text);
    }
  request->last_is_user = user;
  return TRUE;
}

AgClientRequest *
ag_gemini_request_read (JsonObject *body, const char *model, gboolean stream, GError **error)
{
  g_autoptr(AgClientRequest) request = g_new0 (AgClientRequest, 1);
  g_autoptr(GHashTable) called = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  JsonObject *config = NULL, *system = NULL;
  JsonArray *contents = NULL, *tools = NULL;

  request->body = json_object_ref (body);
  request->model = model;
  request->stream = stream;
  request->max_tokens = -1;
  request->last_user_texts = g_ptr_array_new ();
  if (*model == '\0')
    {
      ag_field_set_error (error, "model", "the path names no model");
      return NULL;
    }
  if (!ag_field_array (body, NULL, "contents", TRUE, &contents, error) ||
      !ag_field_object (body, NULL, "systemInstruction", FALSE, &system, error) ||
      !ag_field_array (body, NULL, "tools", FALSE, &tools, error) ||
      !ag_field_object (body, NULL, "generationConfig", FALSE, &config, error) ||
      (config != NULL && !ag_field_int (config, "generationConfig", "maxOutputTokens", FALSE, &request->max_tokens,
                                        error)))
    return NULL;
  if (json_array_get_length (contents) == 0)
    {
      ag_field_set_error (error, "contents", "must contain at least one content");
      return NULL;
    }
  for (guint i = 0; i < json_array_get_length (contents); i++)
    {
      g_autofree char *path = ag_field_index_path ("contents", i);
      JsonObject *content = ag_field_array_object (contents, "contents", i, error);

      if (content == NULL || !read_content (content, path, called, request, error))
        return NULL;
    }
  request->has_system = system != NULL;
  request->n_messages = json_array_get_length (contents);
  return g_steal_pointer (&request);
}

/* functionDeclarations with cleaned schemas under "parameters"; other tools (googleSearch, codeExecution, …) are
 * Gemini API features Cloud Code does not run for these clients, so they are left out. */
static JsonArray *
translate_tools (JsonArray *tools, const AgTranslateOptions *options, AgToolNames *names, GError **error)
{
  JsonArray *declarations = json_array_new ();
  JsonArray *translated;
  JsonObject *holder;

  for (guint i = 0; tools != NULL && i < json_array_get_length (tools); i++)
    {
      g_autofree char *path = ag_field_index_path ("tools", i);
      g_autofree char *list_path = ag_field_path (path, "functionDeclarations");
      JsonObject *tool = ag_field_array_object (tools, "tools", i, error);
      JsonArray *list = NULL;

      if (tool == NULL || !ag_field_array (tool, path, "functionDeclarations", FALSE, &list, error))
        goto failed;
      for (guint j = 0; list != NULL && j < json_array_get_length (list); j++)
        {
          g_autofree char *declaration_path = ag_field_index_path (list_path, j);
          JsonObject *declaration = ag_field_array_object (list, list_path, j, error);
          JsonObject *copy, *schema = NULL;
          const char *name = NULL, *description = NULL;

          if (declaration == NULL || !ag_field_string (declaration, declaration_path, "name", TRUE, &name, error) ||
              !ag_field_string (declaration, declaration_path, "description", FALSE, &description, error) ||
              !ag_field_object (declaration, declaration_path, "parametersJsonSchema", FALSE, &schema, error) ||
              (schema == NULL &&
               !ag_field_object (declaration, declaration_path, "parameters", FALSE, &schema, error)))
            goto failed;
          copy = json_object_new ();
          json_object_set_string_member (copy, "name", ag_tool_names_to_upstream (names, name));
          if (description != NULL && *description != '\0')
            json_object_set_string_member (copy, "description", description);
          if (schema != NULL)
            {
              g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), schema);

              json_object_set_member (copy, "parameters", ag_schema_clean (node, options->family));
            }
          json_array_add_object_element (declarations, copy);
        }
    }
  if (json_array_get_length (declarations) == 0)
    {
      json_array_unref (declarations);
      return NULL;
    }
  holder = json_object_new ();
  json_object_set_array_member (holder, "functionDeclarations", declarations);
  translated = json_array_new ();
  json_array_add_object_element (translated, holder);
  return translated;

failed:
  json_array_unref (declarations);
  return NULL;
}

/* A deep copy of an object node's object (a new reference). */
static JsonObject *
copy_object (JsonNode *node)
{
  g_autoptr(JsonNode) copy = json_node_copy (node);

  return json_object_ref (json_node_get_object (copy));
}

static gboolean
has_real_signature (JsonObject *part)
{
  const char *signature = ag_json_string (part, "thoughtSignature");

  return signature != NULL && strlen (signature) >= AG_SIGNATURE_MIN_LENGTH;
}

/* The contents for the upstream family; *unsigned_calls tells whether a model call has no real signature. */
static JsonArray *
translate_contents (JsonArray *contents, const AgTranslateOptions *options, AgToolNames *names,
                    gboolean *unsigned_calls, GString *first_user_text)
{
  JsonArray *copy = json_array_new ();
  gboolean claude = options->family == AG_MODEL_FAMILY_CLAUDE;

  *unsigned_calls = FALSE;
  for (guint i = 0; i < json_array_get_length (contents); i++)
    {
      JsonObject *content = json_object_new ();
      JsonObject *source = json_array_get_object_element (contents, i);
      JsonArray *parts = json_object_get_array_member (source, "parts");
      JsonArray *parts_copy = json_array_new ();
      const char *role = ag_json_string (source, "role");
      gboolean user = role == NULL || g_str_equal (role, "user");
      /* The whole first user content names the conversation: the Gemini CLI puts the same preamble first. */
      gboolean first_user = user && first_user_text->len == 0;

      json_object_set_string_member (content, "role", user ? "user" : "model");
      for (guint j = 0; j < json_array_get_length (parts); j++)
        {
          JsonObject *part = copy_object (json_array_get_element (parts, j));
          JsonObject *call = ag_json_object (part, "functionCall");
          JsonObject *answer = ag_json_object (part, "functionResponse");
          JsonObject *named = call != NULL ? call : answer;

          if (named != NULL)
            {
              json_object_set_string_member (named, "name",
                                             ag_tool_names_to_upstream (names, ag_json_string (named, "name")));
              if (!claude)
                json_object_remove_member (named, "id");
            }
          if (call != NULL && !has_real_signature (part))
            {
              *unsigned_calls = TRUE;
              if (claude)
                json_object_remove_member (part, "thoughtSignature");
              else
                json_object_set_string_member (part, "thoughtSignature", AG_SKIP_SIGNATURE_SENTINEL);
            }
          if (first_user && ag_json_string (part, "text") != NULL)
            g_string_append (first_user_text, ag_json_string (part, "text"));
          json_array_add_object_element (parts_copy, part);
        }
      json_object_set_array_member (content, "parts", parts_copy);
      json_array_add_object_element (copy, content);
    }
  return copy;
}

/* A thinkingLevel ("LOW", "HIGH", …) as the effort word the budget tiers know. */
static char *
level_effort (const char *level)
{
  char *effort = g_ascii_strdown (level, -1);

  if (g_str_equal (effort, "minimal"))
    {
      g_free (effort);
      effort = g_strdup ("low");
    }
  return effort;
}

/* The thinking budget the client asked for: 0 for none. */
static gint64
requested_budget (JsonObject *thinking, const AgTranslateOptions *options)
{
  const char *level = ag_json_string (thinking, "thinkingLevel");
  gint64 budget = ag_json_int (thinking, "thinkingBudget", -1);

  if (budget >= 0)
    return budget;
  if (level != NULL)
    {
      g_autofree char *effort = level_effort (level);

      return ag_thinking_budget_for_effort (options->family, effort);
    }
  /* Dynamic thinking (-1 or no budget) gets the default tier. */
  return ag_thinking_budget_for_effort (options->family, "high");
}

/* generationConfig with thinking as a budget within the model's output limit, and a JSON schema cleaned like a
 * tool's. */
static JsonObject *
translate_config (JsonObject *config, const AgTranslateOptions *options, gboolean unsigned_calls, gboolean *thinking)
{
  static const char *const replaced[] = {
    "thinkingConfig", "maxOutputTokens", "responseJsonSchema", "responseSchema", NULL,
  };
  JsonObject *copy = json_object_new ();
  JsonObject *thinking_config = ag_json_object (config, "thinkingConfig");
  JsonNode *schema = NULL;
  gint64 budget = 0, max_output = 0;
  gint64 max_tokens = ag_json_int (config, "maxOutputTokens", G_MAXINT64);
  gboolean claude = options->family == AG_MODEL_FAMILY_CLAUDE;
  JsonObjectIter iter;
  const char *name;
  JsonNode *value;

  if (config != NULL)
    {
      json_object_iter_init (&iter, config);
      while (json_object_iter_next (&iter, &name, &value))
        if (!g_strv_contains (replaced, name))
          json_object_set_member (copy, name, json_node_copy (value));
      schema = json_object_get_member (config, "responseJsonSchema");
      if (schema == NULL)
        schema = json_object_get_member (config, "responseSchema");
    }
  /* Claude refuses thinking over tool calls it cannot see the signed thinking of. */
  if (thinking_config != NULL && options->supports_thinking && !(claude && unsigned_calls))
    budget = requested_budget (thinking_config, options);
  ag_request_fit_output_tokens (max_tokens, options, &max_output, &budget);
  json_object_set_int_member (copy, "maxOutputTokens", max_output);
  if (budget > 0)
    json_object_set_object_member (copy, "thinkingConfig", ag_thinking_config_new (options->thinking_keys, budget));
  if (schema != NULL && JSON_NODE_HOLDS_OBJECT (schema))
    json_object_set_member (copy, "responseSchema", ag_schema_clean (schema, options->family));
  *thinking = budget > 0;
  return copy;
}

AgTranslatedRequest *
ag_gemini_request_translate (const AgClientRequest *request, const AgTranslateOptions *options, GError **error)
{
  g_autoptr(AgToolNames) names = ag_tool_names_new ();
  g_autoptr(JsonObject) translated = json_object_new ();
  g_autoptr(GString) first_user_text = g_string_new (NULL);
  g_autoptr(GError) local_error = NULL;
  JsonObject *body = request->body, *system = ag_json_object (body, "systemInstruction");
  JsonObject *tool_config = ag_json_object (body, "toolConfig");
  JsonArray *tools = NULL;
  gboolean unsigned_calls, thinking = FALSE;
  g_autofree char *session_id = NULL;
  AgTranslatedRequest *result;

  /* Tools first, so that their declared names win the name map. */
  if (json_object_has_member (body, "tools"))
    {
      tools = translate_tools (json_object_get_array_member (body, "tools"), options, names, &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
    }
  json_object_set_array_member (translated, "contents",
                                translate_contents (json_object_get_array_member (body, "contents"), options, names,
                                                    &unsigned_calls, first_user_text));
  if (system != NULL)
    {
      JsonObject *instruction = copy_object (json_object_get_member (body, "systemInstruction"));

      json_object_set_string_member (instruction, "role", "user");
      json_object_set_object_member (translated, "systemInstruction", instruction);
    }
  if (tools != NULL)
    json_object_set_array_member (translated, "tools", tools);
  if (tool_config != NULL && tools != NULL)
    json_object_set_member (translated, "toolConfig", json_object_dup_member (body, "toolConfig"));
  json_object_set_object_member (translated, "generationConfig",
                                 translate_config (ag_json_object (body, "generationConfig"), options, unsigned_calls,
                                                   &thinking));
  if (options->session_id != NULL && *options->session_id != '\0')
    json_object_set_string_member (translated, "sessionId", options->session_id);
  else
    json_object_set_string_member (translated, "sessionId", session_id = ag_session_id_derive (first_user_text->str));

  result = g_new0 (AgTranslatedRequest, 1);
  result->request = json_node_init_object (json_node_alloc (), translated);
  result->tool_names = g_steal_pointer (&names);
  result->thinking = thinking;
  result->stream = request->stream;
  result->client_model = g_strdup (request->model);
  return result;
}
