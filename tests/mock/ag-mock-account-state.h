/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-mock-account-state.h — what Google holds against one mock account, from its script entry:
 *   "banned": true          — content calls (generate, countTokens, fetchAvailableModels) answer the "banned" preset
 *   "verification": true    — generate and countTokens answer "validation_required" with validation_url
 *                             AG_MOCK_VALIDATION_URL&authuser=EMAIL (or "validation_url"), until the test
 *                             finishes the verification with GET or POST BASE/_mock/verify?account=EMAIL (the
 *                             page is Google's https one, which ag-cl insists on, so the mock cannot serve it)
 *   "gemini_cli": "ineligible" — a generate call with the Gemini CLI identity (User-Agent google-api-nodejs-client)
 *                             answers the "ineligible_tier" preset; the Antigravity identity is served */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

typedef struct {
  gboolean banned;
  gboolean needs_verification;
  char    *validation_url;
  gboolean gemini_cli_ineligible;
} AgMockAccountState;

void      ag_mock_account_state_read (AgMockAccountState *state, JsonObject *account);
void      ag_mock_account_state_clear (AgMockAccountState *state);
/* The refusal @state calls for on v1internal @method from a client sending @headers (NULL: none), with its
 * status in *out_status. @email goes into the default validation URL. */
JsonNode *ag_mock_account_state_refusal (AgMockAccountState *state, const char *method, SoupMessageHeaders *headers,
                                         const char *email, guint *out_status);

G_END_DECLS
