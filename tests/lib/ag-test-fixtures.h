/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-test-fixtures.h — the files tests read and write: fixtures under tests/fixtures/@kind/ ("request",
 * "response", "accounts"; a missing or unreadable one fails the test), and temporary folders. */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

char     *ag_test_fixture_path (const char *kind, const char *name);
/* The fixture's bytes (NUL-terminated; @length nullable). */
char     *ag_test_fixture_load (const char *kind, const char *name, gsize *length);
/* The fixture parsed as JSON. */
JsonNode *ag_test_fixture_load_json (const char *kind, const char *name);

/* Deletes @path and everything below it (a missing path is fine), asserting it is gone. */
void      ag_test_remove_tree (const char *path);

G_END_DECLS
