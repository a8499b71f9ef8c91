/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-account-state-keeper.h — keeps the lasting states of the pool's accounts (banned, needs verification, signed
 * out, refused; the Gemini CLI pool closed to the account's tier) in history.db, so they outlive a restart and
 * `ag-cl account list` shows them. At start the recorded states are read back onto the accounts as they join the
 * pool (without a new notification: the user was told when it happened); then every change is written. An account
 * that joins later (signed in again) starts afresh and its old state is forgotten. */
#pragma once

#include <glib-object.h>
#include "ag-account-pool.h"
#include "ag-history-store.h"

G_BEGIN_DECLS

#define AG_TYPE_ACCOUNT_STATE_KEEPER (ag_account_state_keeper_get_type ())
G_DECLARE_FINAL_TYPE (AgAccountStateKeeper, ag_account_state_keeper, AG, ACCOUNT_STATE_KEEPER, GObject)

AgAccountStateKeeper *ag_account_state_keeper_new (AgHistoryStore *history, AgAccountPool *pool);
/* Whether the recorded states have been read (or could not be). */
gboolean              ag_account_state_keeper_get_restored (AgAccountStateKeeper *self);

/* The row that records @account now. */
AgAccountStateRow    *ag_account_state_keeper_row_for (AgAccount *account, gint64 now_ms);

G_END_DECLS
