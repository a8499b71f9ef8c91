/* SPDX-License-Identifier: GPL-3.0-or-later */
/* response-test-util.h — shared by the response-side tests: fixtures, running a recorded upstream stream
 * through the SSE parser and the stream translator, and structural JSON comparison. */
#pragma once

#include "ag-stream-translator.h"

G_BEGIN_DECLS

/* The recorded-style upstream streams in tests/fixtures/response/ (NAME.sse, NAME.events.json, NAME.message.json)
 * and the model family each was recorded for. */
typedef struct {
  const char   *name;
  AgModelFamily family;
} ResponseFixture;

extern const ResponseFixture response_fixtures[];
extern const gsize response_n_fixtures;

/* The fixture's bytes from tests/fixtures/response/; fails the test when it is missing. */
char     *response_fixture_load (const char *name, gsize *len);
JsonNode *response_fixture_load_json (const char *name);

/* Feeds @sse through the SSE parser into @translator (asserting every chunk is accepted), then finishes it. */
void      response_run_stream (AgStreamTranslator *translator, const char *sse, gsize len);

/* Collects translator events as [{"event":name,"data":…}, …]; use as the AgAnthropicEventFunc with an array. */
void      response_record_event (const char *event_name, JsonNode *data, gpointer events_array);

/* Replaces random message and tool ids ("msg_" / "toolu_" + 24 alphanumerics) by "msg_RANDOM" and
 * "toolu_RANDOM" in recorded events or a message; the generated tool ids are appended to @tool_ids (nullable). */
void      response_normalize_ids (JsonNode *node, GPtrArray *tool_ids);

/* Structural equality, with both documents printed on failure. */
void      response_assert_json_equal (JsonNode *actual, JsonNode *expected);

G_END_DECLS
