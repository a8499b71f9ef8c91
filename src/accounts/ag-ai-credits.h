/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-ai-credits.h — Google One AI credits (upstream-2026-addendum §2): the balance loadCodeAssist reports in
 * paidTier.availableCredits[] (creditType GOOGLE_ONE_AI, creditAmount, minimumCreditAmountForUsage, numbers as
 * strings), and the envelope member that lets one request spend them. Spending is the user's choice (GSettings
 * ai-credits, off by default); the lease decides when. Pure. */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define AG_AI_CREDITS_TYPE "GOOGLE_ONE_AI"

/* The GOOGLE_ONE_AI balance and the minimum a request needs, from a loadCodeAssist answer; FALSE when the answer
 * lists none (no paid tier, or no such credits). */
gboolean ag_ai_credits_parse (JsonNode *load_code_assist, gint64 *balance, gint64 *minimum);
/* Adds "enabledCreditTypes":["GOOGLE_ONE_AI"] to a generate @envelope. */
void     ag_ai_credits_enable (JsonNode *envelope);

G_END_DECLS
