/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-limit-keeper.h — keeps the pool's rests in history.db, so an account Google rested for hours stays at rest
 * across a restart of ag-cl and across every ag-cl on the same data directory: at start the rests still in force
 * are read back into the pool (the ones over are deleted), then each change of the pool's rests is written. */
#pragma once

#include <glib-object.h>
#include "ag-account-pool.h"
#include "ag-history-store.h"

G_BEGIN_DECLS

#define AG_TYPE_LIMIT_KEEPER (ag_limit_keeper_get_type ())
G_DECLARE_FINAL_TYPE (AgLimitKeeper, ag_limit_keeper, AG, LIMIT_KEEPER, GObject)

/* Starts reading the recorded rests into @pool; logs "restored N rests" when done, then follows @pool. */
AgLimitKeeper *ag_limit_keeper_new (AgHistoryStore *history, AgAccountPool *pool);
/* Whether the recorded rests have been read (or could not be). */
gboolean       ag_limit_keeper_get_restored (AgLimitKeeper *self);

G_END_DECLS
