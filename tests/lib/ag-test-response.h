/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-test-response.h — shared by the response-side tests: the recorded upstream streams, running one through the
 * SSE parser and the stream translator, recording the translator's events, and normalising their random ids. */
#pragma once

#include "ag-stream-translator.h"

G_BEGIN_DECLS

/* The recorded-style upstream streams in tests/fixtures/response/ (NAME.sse, NAME.events.json, NAME.message.json)
 * and the model family each was recorded for. */
typedef struct {
  const char   *name;
  AgModelFamily family;
} AgTestResponseFixture;

extern const AgTestResponseFixture ag_test_response_fixtures[];
extern const gsize ag_test_response_n_fixtures;

/* Feeds @sse through the SSE parser into @translator (asserting every chunk is accepted), then finishes it. */
void      ag_test_run_stream (AgStreamTranslator *translator, const char *sse, gsize len);

/* Feeds @sse through the SSE parser into the back translator @translator (asserting every chunk is accepted),
 * finishes it (asserting success) and returns everything it wrote. */
GBytes   *ag_test_run_back_translator (AgBackTranslator *translator, const char *sse, gsize len);
/* Loads the expected JSON fixture @kind/@name and asserts @actual equals it; with AGCL_UPDATE_FIXTURES=1 in the
 * environment writes @actual there instead (to record a reviewed new fixture). */
void      ag_test_check_fixture (JsonNode *actual, const char *kind, const char *name);

/* Collects translator events as [{"event":name,"data":…}, …]; use as the AgAnthropicEventFunc with an array. */
void      ag_test_record_event (const char *event_name, JsonNode *data, gpointer events_array);

/* Replaces random message and tool ids ("msg_" / "toolu_" + 24 alphanumerics) by "msg_RANDOM" and
 * "toolu_RANDOM" in recorded events or a message; the generated tool ids are appended to @tool_ids (nullable). */
void      ag_test_normalize_ids (JsonNode *node, GPtrArray *tool_ids);

G_END_DECLS
