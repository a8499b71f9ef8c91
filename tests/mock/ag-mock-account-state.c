/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "ag-mock-account-state.h"
#include "ag-mock-generate.h"
#include "ag-mock-json.h"

void
ag_mock_account_state_read (AgMockAccountState *state, JsonObject *account)
{
  state->banned = ag_mock_json_bool (account, "banned", FALSE);
  state->needs_verification = ag_mock_json_bool (account, "verification", FALSE);
  state->validation_url = g_strdup (ag_mock_json_string (account, "validation_url"));
  state->gemini_cli_ineligible = g_strcmp0 (ag_mock_json_string (account, "gemini_cli"), "ineligible") == 0;
}

void
ag_mock_account_state_clear (AgMockAccountState *state)
{
  g_clear_pointer (&state->validation_url, g_free);
}

static gboolean
is_gemini_cli (SoupMessageHeaders *headers)
{
  const char *agent = headers != NULL ? soup_message_headers_get_one (headers, "User-Agent") : NULL;

  return agent != NULL && g_str_has_prefix (agent, "google-api-nodejs-client/");
}

JsonNode *
ag_mock_account_state_refusal (AgMockAccountState *state, const char *method, SoupMessageHeaders *headers,
                               const char *email, guint *out_status)
{
  gboolean generate = g_str_equal (method, "streamGenerateContent") || g_str_equal (method, "generateContent");
  gboolean content = generate || g_str_equal (method, "countTokens");
  g_autoptr(JsonObject) options = json_object_new ();

  if (state->banned && (content || g_str_equal (method, "fetchAvailableModels")))
    return ag_mock_error_preset ("banned", options, NULL, out_status, NULL);
  if (state->needs_verification && content)
    {
      g_autofree char *escaped = g_uri_escape_string (email, NULL, FALSE);
      g_autofree char *url = state->validation_url != NULL
                             ? g_strdup (state->validation_url)
                             : g_strdup_printf ("%s&authuser=%s", AG_MOCK_VALIDATION_URL, escaped);

      json_object_set_string_member (options, "validation_url", url);
      return ag_mock_error_preset ("validation_required", options, NULL, out_status, NULL);
    }
  if (state->gemini_cli_ineligible && generate && is_gemini_cli (headers))
    return ag_mock_error_preset ("ineligible_tier", options, NULL, out_status, NULL);
  return NULL;
}
