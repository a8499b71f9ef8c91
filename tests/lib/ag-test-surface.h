// SPDX-License-Identifier: GPL-3.0-or-later
/* ag-test-surface.h — shared by the client-surface translator tests (Chat Completions, Responses, Gemini): the
 * translate options every surface test uses, refused bodies as a table, and a recorded upstream stream run through a
 * back translator. */
#pragma once

#include "ag-request-translator.h"
#include "ag-stream-translator.h"
#include "ag-test-cases.h"
#include "ag-test-response.h"

G_BEGIN_DECLS

/* Options for translating towards @upstream_model: its family, thinking supported, camelCase thinking keys. */
AgTranslateOptions ag_test_translate_options (const char *upstream_model);

/* The client body recorded in tests/fixtures/request/@name@suffix. */
JsonNode *ag_test_client_body (const char *name, const char *suffix);
/* Asserts the translation succeeded (@error unset) and its Cloud Code request is the fixture
 * request/@name.cloudcode.json (as ag_test_check_fixture). */
void      ag_test_check_translation (const AgTranslatedRequest *result, const GError *error, const char *name);

/* A body a surface must refuse, and the message it must give. */
typedef struct {
  const char *name;
  const char *body;
  const char *message;
} AgTestRefusal;

/* Asserts a translation was refused as an invalid request with exactly @message: @result NULL, @error set. */
void ag_test_assert_refused (AgTranslatedRequest *result, const GError *error, const char *message);

/* Translates @request (nullable: a read that failed, its @error already set; then NULL) with
 * ag_test_translate_options (@upstream_model) and the request's own session id. */
AgTranslatedRequest *ag_test_translate_request (const AgClientRequest *request, const char *upstream_model,
                                                GError **error);

/* Runs the recorded upstream stream tests/fixtures/response/@name.sse through @translator (as
 * ag_test_run_back_translator), turns what it wrote into JSON with @read (which asserts the framing and replaces
 * random values) and checks that against the fixture response/@name@suffix (as ag_test_check_fixture). */
void ag_test_check_back_translation (AgBackTranslator *translator, const char *name, const char *suffix,
                                     JsonNode *(*read) (GBytes *written));

/* Registers @test once per recorded upstream stream (AgTestResponseFixture as data), at @prefix + its name. */
#define AG_TEST_ADD_RESPONSE_CASES(prefix, test) \
  ag_test_add_cases ((prefix), ag_test_response_fixtures, ag_test_response_n_fixtures, \
                     sizeof ag_test_response_fixtures[0], (test))

G_END_DECLS
