/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "ag-test-fixtures.h"
#include "ag-test-json.h"

#include <glib/gstdio.h>

char *
ag_test_fixture_path (const char *kind, const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "fixtures", kind, name, NULL);
}

char *
ag_test_fixture_load (const char *kind, const char *name, gsize *length)
{
  g_autofree char *path = ag_test_fixture_path (kind, name);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, length, &error);
  g_assert_no_error (error);
  return contents;
}

JsonNode *
ag_test_fixture_load_json (const char *kind, const char *name)
{
  g_autofree char *text = ag_test_fixture_load (kind, name, NULL);

  return ag_test_parse_json_text (text);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (!g_file_test (path, G_FILE_TEST_IS_SYMLINK) && g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      /* A folder left read-only by a test is emptied all the same. */
      g_chmod (path, 0700);
      dir = g_dir_open (path, 0, NULL);
      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          remove_tree (child);
        }
      g_rmdir (path);
    }
  else
    g_unlink (path);
}

void
ag_test_remove_tree (const char *path)
{
  remove_tree (path);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS | G_FILE_TEST_IS_SYMLINK));
}
