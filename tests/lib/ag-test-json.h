/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-test-json.h — JSON for assertions: parsing that fails the test on invalid input, and structural equality
 * (member order ignored; array order, numbers by value and every other value not) that names the first
 * difference and prints both documents. */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Parses @text, failing the test (the text in its log) when it is not JSON. */
JsonNode *ag_test_parse_json_text (const char *text);
/* Parses a JSON body (not NUL-terminated), failing the test when it is not JSON. */
JsonNode *ag_test_parse_json (GBytes *body);

/* Fails the test unless @actual equals @expected (json_node_equal). */
#define ag_test_assert_json_equal(actual, expected) \
  ag_test_json_check (__FILE__, __LINE__, G_STRFUNC, (actual), (expected))
/* The same against a JSON text. */
#define ag_test_assert_json_text(actual, expected_json) \
  G_STMT_START { \
    g_autoptr(JsonNode) ag_test_expected_ = ag_test_parse_json_text (expected_json); \
    ag_test_json_check (__FILE__, __LINE__, G_STRFUNC, (actual), ag_test_expected_); \
  } G_STMT_END

void ag_test_json_check (const char *file, int line, const char *func, JsonNode *actual, JsonNode *expected);

G_END_DECLS
