// SPDX-License-Identifier: GPL-3.0-or-later
/* ag-test-files.h — real files a test writes and reads back in a temporary folder of its own (remove it with
 * ag_test_remove_tree). Each helper fails the test when the file system says no. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A new folder under the temporary directory (g_dir_make_tmp; @template as there, NULL for the default). */
char *ag_test_make_tmp_dir (const char *template);
/* The whole contents of @path. */
char *ag_test_read_file (const char *path);
/* Writes @contents to @path, making its missing folders (0700) first. */
void  ag_test_write_file (const char *path, const char *contents);

G_END_DECLS
