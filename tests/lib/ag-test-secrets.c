/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-test-secrets.c — finds tokens where none may be; see the header. */
#include "ag-test-secrets.h"

#include <string.h>

static GPtrArray *extra_secrets;

void
ag_test_add_secret (const char *secret)
{
  if (extra_secrets == NULL)
    extra_secrets = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (extra_secrets, g_strdup (secret));
}

void
ag_test_assert_no_secret (const char *what, const char *text, gssize length)
{
  static GRegex *tokens;
  g_autofree char *copy = NULL;
  g_autoptr(GMatchInfo) match = NULL;
  gsize size;

  if (text == NULL)
    return;
  if (tokens == NULL)
    tokens = g_regex_new ("ya29\\.mock-|(?<![A-Za-z0-9])rt-[A-Za-z0-9]", G_REGEX_RAW, 0, NULL);
  size = length < 0 ? strlen (text) : (gsize) length;
  /* Binary files (SQLite) hold NULs: scan them as text with the NULs replaced. */
  copy = g_malloc (size + 1);
  for (gsize i = 0; i < size; i++)
    copy[i] = text[i] != '\0' ? text[i] : '\n';
  copy[size] = '\0';
  if (g_regex_match (tokens, copy, 0, &match))
    {
      int start = 0;

      /* The offset only: a test that found a secret must not print it either. */
      g_match_info_fetch_pos (match, 0, &start, NULL);
      g_error ("%s contains a token at offset %d", what, start);
    }
  for (guint i = 0; extra_secrets != NULL && i < extra_secrets->len; i++)
    {
      const char *found = strstr (copy, extra_secrets->pdata[i]);

      if (found != NULL)
        g_error ("%s contains a secret at offset %d", what, (int) (found - copy));
    }
}

void
ag_test_assert_no_secret_in_directory (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir == NULL)
    return;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      g_autofree char *contents = NULL;
      gsize length = 0;

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        ag_test_assert_no_secret_in_directory (child);
      else if (g_file_get_contents (child, &contents, &length, NULL))
        ag_test_assert_no_secret (child, contents, (gssize) length);
    }
}
