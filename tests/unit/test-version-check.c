/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Reading the version out of Antigravity's update manifest, and comparing versions. */
#include "ag-version-check.h"

#include <string.h>

static char *
parse (const char *text)
{
  return ag_version_check_parse_manifest (text, strlen (text));
}

static void
test_parse_manifest (void)
{
  static const struct { const char *text; const char *expected; } cases[] = {
    { "version: 2.12.2\nfiles:\n  - url: Antigravity-2.12.2-arm64-mac.zip\n", "2.12.2" },
    { "version: '2.13.0'\nreleaseDate: '2026-11-20T10:00:00.000Z'\n", "2.13.0" },
    { "version: \"3.0\"\r\n", "3.0" },
    { "files:\n  version: 9.9.9\nversion: 2.10.1\n", "2.10.1" },   /* indented keys belong to other objects */
    { "files:\n  - url: x.zip\n", NULL },
    { "version: latest\n", NULL },
    { "version: 2..1\n", NULL },
    { "version: 2.1.\n", NULL },
    { "version:\n", NULL },
    { "<html><body>Service Unavailable</body></html>", NULL },
    { "", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *version = parse (cases[i].text);

      g_test_message ("case %u", i);
      g_assert_cmpstr (version, ==, cases[i].expected);
    }
}

static void
test_compare (void)
{
  g_assert_cmpint (ag_version_compare ("2.10.0", "2.9.1"), >, 0);
  g_assert_cmpint (ag_version_compare ("2.9.1", "2.10.0"), <, 0);
  g_assert_cmpint (ag_version_compare ("2.9.1", "2.9.1"), ==, 0);
  g_assert_cmpint (ag_version_compare ("2.9", "2.9.0"), ==, 0);
  g_assert_cmpint (ag_version_compare ("2.9.1", "2.9"), >, 0);
  g_assert_cmpint (ag_version_compare ("10.0.0", "9.99.99"), >, 0);
  /* Something that is not a plain version ends, and compares its numbers as far as they go. */
  g_assert_cmpint (ag_version_compare ("2.9.1-beta", "2.9.1"), ==, 0);
  g_assert_cmpint (ag_version_compare ("abc", "0"), ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/version-check/parse-manifest", test_parse_manifest);
  g_test_add_func ("/version-check/compare", test_compare);
  return g_test_run ();
}
