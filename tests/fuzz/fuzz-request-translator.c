/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Fuzzes client request → Cloud Code translation: the input is parsed as JSON and, when it is an object, read by
 * every surface's front end (Anthropic Messages, OpenAI Chat Completions and Responses, Gemini) and translated for
 * both model families, with and without thinking support, with both thinking key spellings. A translated request
 * must serialise; a refused one must carry an INVALID_REQUEST message. */
#include "fuzz-common.h"
#include "ag-protocol-error.h"
#include "ag-client-request.h"
#include "ag-request-translator.h"
#include "ag-gemini-request.h"
#include "ag-openai-chat-request.h"
#include "ag-openai-responses-request.h"

typedef AgTranslatedRequest *(*TranslateFunc) (const AgClientRequest *, const AgTranslateOptions *, GError **);


int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  fuzz_make_glib_strict ();
  return 0;
}

static void
translate (TranslateFunc func, const AgClientRequest *request, AgModelFamily family, gboolean supports_thinking,
           AgThinkingKeys keys)
{
  AgTranslateOptions options = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(AgTranslatedRequest) translated = NULL;
  g_autofree char *text = NULL;

  options.upstream_model = family == AG_MODEL_FAMILY_CLAUDE ? "claude-opus-4-6-thinking" : "gemini-3.1-pro-high";
  options.family = family;
  options.supports_thinking = supports_thinking;
  options.max_output_cap = supports_thinking ? 64000 : 0;
  options.thinking_keys = keys;
  translated = func (request, &options, &error);
  if (translated == NULL)
    {
      g_assert_error (error, AG_PROTOCOL_ERROR, AG_PROTOCOL_ERROR_INVALID_REQUEST);
      g_assert_true (error->message[0] != '\0');
      return;
    }
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (translated->request));
  g_assert_nonnull (translated->client_model);
  text = json_to_string (translated->request, FALSE);
  g_assert_nonnull (text);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) error = NULL;
  g_autoptr(AgClientRequest) request = NULL;
  JsonObject *body;

  if (!json_parser_load_from_data (parser, (const char *) data, (gssize) size, &error))
    return 0;
  if (json_parser_get_root (parser) == NULL || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return 0;
  body = json_node_get_object (json_parser_get_root (parser));
  for (guint surface = 0; surface < 4; surface++)
    {
      TranslateFunc func = surface == 3 ? ag_gemini_request_translate : ag_request_translate;

      g_clear_error (&error);
      g_clear_pointer (&request, ag_client_request_free);
      switch (surface)
        {
        case 0: request = ag_anthropic_request_read (body, NULL, &error); break;
        case 1: request = ag_openai_chat_request_read (body, &error); break;
        case 2: request = ag_openai_responses_request_read (body, "session", &error); break;
        default: request = ag_gemini_request_read (body, "gemini-3-flash", TRUE, &error); break;
        }
      if (request == NULL)
        {
          g_assert_error (error, AG_PROTOCOL_ERROR, AG_PROTOCOL_ERROR_INVALID_REQUEST);
          continue;
        }
      g_assert_true (request->model != NULL && request->model[0] != '\0');
      translate (func, request, AG_MODEL_FAMILY_CLAUDE, TRUE, AG_THINKING_KEYS_CAMEL);
      translate (func, request, AG_MODEL_FAMILY_CLAUDE, FALSE, AG_THINKING_KEYS_SNAKE);
      translate (func, request, AG_MODEL_FAMILY_GEMINI, TRUE, AG_THINKING_KEYS_SNAKE);
      translate (func, request, AG_MODEL_FAMILY_GEMINI, FALSE, AG_THINKING_KEYS_CAMEL);
    }
  return 0;
}
