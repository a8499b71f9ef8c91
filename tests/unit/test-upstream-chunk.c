/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One reading of a Cloud Code chunk: which chunks are responses, what usageMetadata counts as input, output and
 * cache reads, and that every back translator (Anthropic, web search, OpenAI Chat and Responses, Gemini) reports
 * the same usage for the same chunks and accepts (or refuses, with the same message) the same chunks. */
#include "ag-gemini-translator.h"
#include "ag-openai-chat-translator.h"
#include "ag-openai-responses-translator.h"
#include "ag-protocol-error.h"
#include "ag-stream-translator.h"
#include "ag-test.h"
#include "ag-upstream-chunk.h"
#include "ag-web-search-translator.h"

static JsonObject *
object_from (const char *text)
{
  g_autoptr(JsonNode) node = json_from_string (text, NULL);

  g_assert_nonnull (node);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  return json_object_ref (json_node_get_object (node));
}

/* ── which chunks are responses ───────────────────────────────────────────────────────────────────────────── */

typedef struct {
  const char *chunk;
  const char *marker;   /* a member of the response found, or NULL: not a response */
  const char *error;    /* then the error's message */
} ResponseCase;

#define NOT_A_RESPONSE "Upstream sent a chunk that is not a response"

static const ResponseCase response_cases[] = {
  { "{\"response\":{\"candidates\":[]},\"traceId\":\"t\"}", "candidates" },
  { "{\"candidates\":[],\"modelVersion\":\"m\"}", "modelVersion" },
  { "{\"response\":{\"usageMetadata\":{}}}", "usageMetadata" },
  { "{\"response\":{\"responseId\":\"r\"}}", "responseId" },
  { "{\"response\":{\"promptFeedback\":{\"blockReason\":\"SAFETY\"}}}", "promptFeedback" },
  { "{\"error\":{\"code\":429,\"message\":\"slow down\"}}", NULL, "Upstream sent an error in the stream: slow down" },
  { "{\"response\":{\"error\":{\"code\":500,\"message\":\"boom\"}}}", NULL,
    "Upstream sent an error in the stream: boom" },
  { "{\"response\":{\"error\":{\"code\":500}}}", NULL, NOT_A_RESPONSE },
  /* An envelope whose response is not an object is not read as a bare response. */
  { "{\"response\":5,\"candidates\":[],\"error\":{\"message\":\"x\"}}", NULL, NOT_A_RESPONSE },
  { "{}", NULL, NOT_A_RESPONSE },
};

static void
test_response (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (response_cases); i++)
    {
      g_autoptr(JsonObject) chunk = object_from (response_cases[i].chunk);
      g_autoptr(GError) error = NULL;
      JsonObject *response = ag_upstream_chunk_response (chunk, &error);

      g_test_message ("%s", response_cases[i].chunk);
      if (response_cases[i].marker == NULL)
        {
          g_assert_null (response);
          g_assert_error (error, AG_PROTOCOL_ERROR, AG_PROTOCOL_ERROR_BAD_UPSTREAM);
          g_assert_cmpstr (error->message, ==, response_cases[i].error);
        }
      else
        {
          g_assert_no_error (error);
          g_assert_nonnull (response);
          g_assert_true (json_object_has_member (response, response_cases[i].marker));
        }
    }
}

/* ── usage ────────────────────────────────────────────────────────────────────────────────────────────────── */

typedef struct {
  const char *name;
  const char *chunks[4];   /* usageMetadata objects, in stream order */
  gint64      input, output, cached;
} UsageCase;

static const UsageCase usage_cases[] = {
  { "running-totals", { "{\"promptTokenCount\":100,\"cachedContentTokenCount\":40}", "{\"candidatesTokenCount\":10}",
                        "{\"candidatesTokenCount\":25,\"thoughtsTokenCount\":5}" }, 60, 30, 40 },
  { "total-only", { "{\"promptTokenCount\":100,\"totalTokenCount\":150}" }, 100, 50, 0 },
  /* Counts Google sent win over the total, even when they are 0. */
  { "zero-candidates", { "{\"promptTokenCount\":100,\"candidatesTokenCount\":0,\"totalTokenCount\":150}" }, 100, 0, 0 },
  { "thoughts-only", { "{\"promptTokenCount\":10,\"thoughtsTokenCount\":7,\"totalTokenCount\":99}" }, 10, 7, 0 },
  { "no-output-count", { "{\"promptTokenCount\":10}" }, 10, 0, 0 },
  { "total-below-prompt", { "{\"promptTokenCount\":10,\"totalTokenCount\":4}" }, 10, 0, 0 },
  { "cache-above-prompt", { "{\"promptTokenCount\":10,\"cachedContentTokenCount\":30}" }, 0, 0, 30 },
  /* Whatever upstream sends, each count stays in 0…G_MAXINT32, so sums cannot overflow. */
  { "out-of-range", { "{\"promptTokenCount\":-5,\"candidatesTokenCount\":99999999999,"
                      "\"thoughtsTokenCount\":99999999999,\"cachedContentTokenCount\":-1}" },
    0, 2 * (gint64) G_MAXINT32, 0 },
};

static void
test_usage (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (usage_cases); i++)
    {
      AgUpstreamUsage usage = { 0 };

      g_test_message ("%s", usage_cases[i].name);
      for (guint c = 0; c < G_N_ELEMENTS (usage_cases[i].chunks) && usage_cases[i].chunks[c] != NULL; c++)
        {
          g_autoptr(JsonObject) metadata = object_from (usage_cases[i].chunks[c]);

          ag_upstream_usage_read (&usage, metadata);
        }
      g_assert_cmpint (ag_upstream_usage_input (&usage), ==, usage_cases[i].input);
      g_assert_cmpint (ag_upstream_usage_output (&usage), ==, usage_cases[i].output);
      g_assert_cmpint (usage.cached, ==, usage_cases[i].cached);
    }
}

static void
test_scaled (void)
{
  g_assert_cmpint (ag_usage_scaled (1000, 0.0), ==, 1000);
  g_assert_cmpint (ag_usage_scaled (1000, 1.0), ==, 1000);
  g_assert_cmpint (ag_usage_scaled (1000, 0.5), ==, 500);
  g_assert_cmpint (ag_usage_scaled (3, 0.5), ==, 2);
  g_assert_cmpint (ag_usage_scaled (1000, 0.1953), ==, 195);
}

/* ── every back translator reads chunks the same way ──────────────────────────────────────────────────────── */

typedef AgBackTranslator *(*NewTranslator) (const AgStreamOptions *options, gboolean stream);

static const struct {
  const char   *name;
  NewTranslator new_translator;
  AgModelFamily family;
} translators[] = {
  { "anthropic", ag_anthropic_back_translator_new, AG_MODEL_FAMILY_CLAUDE },
  { "web-search", ag_web_search_translator_new, AG_MODEL_FAMILY_GEMINI },
  { "openai-chat", ag_openai_chat_back_translator_new, AG_MODEL_FAMILY_GEMINI },
  { "openai-responses", ag_openai_responses_back_translator_new, AG_MODEL_FAMILY_CLAUDE },
  { "gemini", ag_gemini_back_translator_new, AG_MODEL_FAMILY_GEMINI },
};

static AgBackTranslator *
new_translator (gsize t, gboolean stream)
{
  AgStreamOptions options = { .client_model = "model", .family = translators[t].family, .web_search_max_uses = 1 };

  return translators[t].new_translator (&options, stream);
}

static void
test_translators_agree_on_usage (void)
{
  for (gsize t = 0; t < G_N_ELEMENTS (translators); t++)
    for (gsize i = 0; i < G_N_ELEMENTS (usage_cases); i++)
      for (int stream = 0; stream <= 1; stream++)
        {
          g_autoptr(AgBackTranslator) back = new_translator (t, stream);
          g_autoptr(GError) error = NULL;
          gint64 input = -1, output = -1, cached = -1;

          g_test_message ("%s, %s, %s", translators[t].name, usage_cases[i].name, stream ? "stream" : "whole");
          for (guint c = 0; c < G_N_ELEMENTS (usage_cases[i].chunks) && usage_cases[i].chunks[c] != NULL; c++)
            {
              g_autofree char *text = g_strdup_printf (
                "{\"response\":{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"x\"}]}}],"
                "\"usageMetadata\":%s}}", usage_cases[i].chunks[c]);
              g_autoptr(JsonObject) chunk = object_from (text);

              g_assert_true (ag_back_translator_push (back, chunk, &error));
              g_assert_no_error (error);
            }
          g_assert_true (ag_back_translator_finish (back, &error));
          g_assert_no_error (error);
          ag_back_translator_get_usage (back, &input, &output, &cached);
          g_assert_cmpint (input, ==, usage_cases[i].input);
          g_assert_cmpint (output, ==, usage_cases[i].output);
          g_assert_cmpint (cached, ==, usage_cases[i].cached);
        }
}

static void
test_translators_agree_on_responses (void)
{
  for (gsize t = 0; t < G_N_ELEMENTS (translators); t++)
    for (gsize i = 0; i < G_N_ELEMENTS (response_cases); i++)
      {
        g_autoptr(AgBackTranslator) back = new_translator (t, TRUE);
        g_autoptr(JsonObject) chunk = object_from (response_cases[i].chunk);
        g_autoptr(GError) error = NULL;
        gboolean pushed = ag_back_translator_push (back, chunk, &error);

        g_test_message ("%s, %s", translators[t].name, response_cases[i].chunk);
        g_assert_cmpint (pushed, ==, response_cases[i].marker != NULL);
        if (pushed)
          {
            g_assert_no_error (error);
            g_assert_true (ag_back_translator_received_response (back));
          }
        else
          {
            g_assert_error (error, AG_PROTOCOL_ERROR, AG_PROTOCOL_ERROR_BAD_UPSTREAM);
            g_assert_cmpstr (error->message, ==, response_cases[i].error);
            g_assert_false (ag_back_translator_received_response (back));
          }
      }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/upstream-chunk/response", test_response);
  g_test_add_func ("/upstream-chunk/usage", test_usage);
  g_test_add_func ("/upstream-chunk/scaled", test_scaled);
  g_test_add_func ("/upstream-chunk/translators-agree-on-usage", test_translators_agree_on_usage);
  g_test_add_func ("/upstream-chunk/translators-agree-on-responses", test_translators_agree_on_responses);
  return g_test_run ();
}
