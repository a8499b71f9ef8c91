/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-secret-scan.h — the old name of ag-test-secrets.h, kept only for tests/ui until its per-page split moves to
 * ag-test.h; nothing else may include this. Delete it then. */
#pragma once

#include "ag-test-secrets.h"
