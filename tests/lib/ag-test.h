/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-test.h — the tests' shared helpers (tests/lib), all of them. */
#pragma once

#include "ag-test-cases.h"
#include "ag-test-fixtures.h"
#include "ag-test-harness.h"
#include "ag-test-json.h"
#include "ag-test-messages.h"
#include "ag-test-mock.h"
#include "ag-test-net.h"
#include "ag-test-relay.h"
#include "ag-test-response.h"
#include "ag-test-secrets.h"
#include "ag-test-sync.h"
#include "ag-test-tls.h"
#include "ag-test-wait.h"
#include "ag-test-surface.h"
#include "ag-test-keyring.h"
#include "ag-test-clock.h"
#include "ag-test-files.h"
