// SPDX-License-Identifier: GPL-3.0-or-later
#include "ag-test-clock.h"
#include "ag-account-pool-private.h"

gint64 ag_test_now;

gint64
ag_test_clock (gpointer user_data)
{
  return ag_test_now;
}

void
ag_test_clock_install (AgAccountPool *pool)
{
  ag_test_now = G_GINT64_CONSTANT (1780000000000);
  ag_account_pool_set_clock (pool, ag_test_clock, NULL);
}
