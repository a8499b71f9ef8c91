// SPDX-License-Identifier: GPL-3.0-or-later
/* ag-test-clock.h — a clock the test sets by hand, for the account pool (ag_account_pool_set_clock): rests, resets
 * and quota windows then move only when the test moves ag_test_now. */
#pragma once

#include "ag-account-pool.h"

G_BEGIN_DECLS

/* The time the hand-set clock shows, in milliseconds since the epoch. */
extern gint64 ag_test_now;

/* The hand-set clock as an AgClockFunc: ag_test_now. */
gint64 ag_test_clock (gpointer user_data);
/* Sets ag_test_now to a fixed moment (in 2026) and runs @pool on the hand-set clock. */
void   ag_test_clock_install (AgAccountPool *pool);

G_END_DECLS
