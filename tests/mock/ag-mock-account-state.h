/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-mock-account-state.h — what Google holds against one mock account, from its script entry:
 *   "banned": true          — content calls (generate, countTokens, fetchAvailableModels) answer the "banned" preset
 *   "verification": true    — generate and countTokens answer "validation_required" with validation_url
 *                             AG_MOCK_VALIDATION_URL&authuser=EMAIL (or "validation_url"), until the test
 *                             finishes the verification with GET or POST BASE/_mock/verify?account=EMAIL (the
 *                             page is Google's https one, which ag-cl insists on, so the mock cannot serve it)
 *   "weekly_exhausted": "claude"|"gemini" — that model group's weekly window is used up: retrieveUserQuotaSummary
 *                             shows it at 0 with its reset "weekly_reset_in" away (Go duration, default "71h15m"),
 *                             and generation of its models answers the "weekly_exhausted" preset
 *   "credits": N              — Google One AI credits: loadCodeAssist lists paidTier.availableCredits (GOOGLE_ONE_AI,
 *                             N, minimum 50); a generate call of a used-up weekly group that carries
 *                             enabledCreditTypes ["GOOGLE_ONE_AI"] is served and costs 100 credits while at least 50
 *                             are left, else answers "credits_insufficient" (INSUFFICIENT_G1_CREDITS_BALANCE);
 *                             without enabledCreditTypes nothing changes
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
  char    *weekly_exhausted;     /* "claude", "gemini" or NULL */
  char    *weekly_reset_in;      /* Go duration */
  gint64   credits;              /* -1: no paid tier */
} AgMockAccountState;

void      ag_mock_account_state_read (AgMockAccountState *state, JsonObject *account);
void      ag_mock_account_state_clear (AgMockAccountState *state);
/* The refusal @state calls for on v1internal @method from a client sending @headers (NULL: none), with its
 * status in *out_status. @email goes into the default validation URL. */
JsonNode *ag_mock_account_state_refusal (AgMockAccountState *state, const char *method, SoupMessageHeaders *headers,
                                         const char *email, JsonObject *envelope, guint *out_status);
/* The paidTier member of loadCodeAssist for the account's credits ("\"paidTier\":{…}," or ""). */
char     *ag_mock_account_state_paid_tier (AgMockAccountState *state);
/* The retrieveUserQuotaSummary answer: the groups "Gemini Models" and "Claude and GPT models", each with a 5h
 * window (full, resetting in 5 h) and a weekly one (full, resetting in 4 days, or used up as scripted). */
JsonNode *ag_mock_account_state_quota_summary (AgMockAccountState *state);

G_END_DECLS
