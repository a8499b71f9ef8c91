/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-test-secrets.h — the tests' check that no secret leaks.
 *
 * Every integration test that uses the harness is a secrets check as well: each response body and header
 * (ag_test_send), each CLI output, each run's proxy log and, at the end, every file in the data directory are
 * scanned for the mock's access tokens ("ya29.mock-…"), the tests' refresh tokens ("rt-…" at a word start) and the
 * secrets added with ag_test_add_secret. The UI test scans the GSettings store it wrote. A find fails the test and
 * prints only where, never the secret. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* @text is @length bytes (NULs allowed; -1: NUL-terminated). */
void ag_test_assert_no_secret (const char *what, const char *text, gssize length);
void ag_test_assert_no_secret_in_directory (const char *path);
/* Also scan for @secret (e.g. the local API key) from now on. */
void ag_test_add_secret (const char *secret);

G_END_DECLS
