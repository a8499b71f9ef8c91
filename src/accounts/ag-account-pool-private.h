/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-account-pool-private.h — what tests may do to an AgAccountPool: run it on a fake clock. */
#pragma once

#include "ag-account-pool.h"

G_BEGIN_DECLS

/* Replaces the clock (tests); NULL restores the real one. */
void                ag_account_pool_set_clock (AgAccountPool *self, AgClockFunc clock, gpointer user_data);

G_END_DECLS
