// SPDX-License-Identifier: GPL-3.0-or-later
#include "ag-test-surface.h"
#include "ag-protocol-error.h"
#include "ag-test-fixtures.h"

AgTranslateOptions
ag_test_translate_options (const char *upstream_model)
{
  AgTranslateOptions options = {
    .upstream_model = upstream_model,
    .family = ag_model_family_from_id (upstream_model),
    .supports_thinking = TRUE,
    .thinking_keys = AG_THINKING_KEYS_CAMEL,
  };

  return options;
}

JsonNode *
ag_test_client_body (const char *name, const char *suffix)
{
  g_autofree char *file = g_strconcat (name, suffix, NULL);

  return ag_test_fixture_load_json ("request", file);
}

void
ag_test_check_translation (const AgTranslatedRequest *result, const GError *error, const char *name)
{
  g_autofree char *expected = g_strconcat (name, ".cloudcode.json", NULL);

  g_assert_no_error (error);
  g_assert_nonnull (result);
  ag_test_check_fixture (result->request, "request", expected);
}

void
ag_test_assert_refused (AgTranslatedRequest *result, const GError *error, const char *message)
{
  g_assert_null (result);
  g_assert_error (error, AG_PROTOCOL_ERROR, AG_PROTOCOL_ERROR_INVALID_REQUEST);
  g_assert_cmpstr (error->message, ==, message);
}

AgTranslatedRequest *
ag_test_translate_request (const AgClientRequest *request, const char *upstream_model, GError **error)
{
  AgTranslateOptions options = ag_test_translate_options (upstream_model);

  if (request == NULL)
    return NULL;
  options.session_id = request->session_id;
  return ag_request_translate (request, &options, error);
}

void
ag_test_check_back_translation (AgBackTranslator *translator, const char *name, const char *suffix,
                                JsonNode *(*read) (GBytes *written))
{
  g_autofree char *file = g_strconcat (name, ".sse", NULL);
  g_autofree char *expected = g_strconcat (name, suffix, NULL);
  gsize len;
  g_autofree char *sse = ag_test_fixture_load ("response", file, &len);
  g_autoptr(GBytes) written = ag_test_run_back_translator (translator, sse, len);
  g_autoptr(JsonNode) actual = read (written);

  ag_test_check_fixture (actual, "response", expected);
}
