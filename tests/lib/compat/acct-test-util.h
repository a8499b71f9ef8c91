/* SPDX-License-Identifier: GPL-3.0-or-later */
/* acct-test-util.h — the old names of tests/lib helpers, kept only for tests/ui until its per-page split moves to
 * ag-test.h; nothing else may include this. Delete it then. */
#pragma once

#include "ag-test.h"

#define acct_store_result ag_test_store_result
#define acct_wait         ag_test_await
#define acct_mock_start   ag_test_mock_start
