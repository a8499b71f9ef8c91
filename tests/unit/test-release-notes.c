/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A release's notes from the metainfo, for the About window: the release asked for, else the newest; the markup
 * kept, text escaped; errors for XML that is broken or has no release; and the project's own metainfo has notes
 * for the version it builds. */
#include "ag-test.h"
#include "ag-release-notes.h"
#include "config.h"

static const char metainfo[] =
  "<?xml version=\"1.0\"?><component><id>x</id>"
  "<description><p>Not a release.</p></description>"
  "<releases>"
  "<release version=\"0.2.0\" date=\"2026-12-03\"><description><p>Other agents &amp; devices.</p>"
  "<ul><li>Codex</li><li>Gemini <code>CLI</code></li></ul></description></release>"
  "<release version=\"0.1.0\" date=\"2026-11-25\"><description><p>First.</p></description></release>"
  "</releases></component>";

static void
test_notes (void)
{
  g_autofree char *version = NULL;
  g_autofree char *notes = ag_release_notes_from_metainfo (metainfo, "0.1.0", &version, NULL);
  g_autofree char *newest_version = NULL;
  g_autofree char *newest = ag_release_notes_from_metainfo (metainfo, "9.9.9", &newest_version, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_cmpstr (notes, ==, "<p>First.</p>");
  g_assert_cmpstr (version, ==, "0.1.0");
  g_assert_cmpstr (newest, ==, "<p>Other agents &amp; devices.</p><ul><li>Codex</li><li>Gemini <code>CLI</code></li></ul>");
  g_assert_cmpstr (newest_version, ==, "0.2.0");

  g_assert_null (ag_release_notes_from_metainfo ("<component><releases/></component>", "0.1.0", NULL, &error));
  g_assert_error (error, G_MARKUP_ERROR, G_MARKUP_ERROR_INVALID_CONTENT);
  g_clear_error (&error);
  g_assert_null (ag_release_notes_from_metainfo ("<component><release version=\"1\">", "1", NULL, &error));
  g_assert_nonnull (error);
}

static void
test_project_metainfo (void)
{
  g_autofree char *path = g_build_filename (g_getenv ("AGCL_BUILD_DIR"), "data", "io.github.agcl.AgCl.metainfo.xml",
                                            NULL);
  g_autofree char *contents = NULL;
  g_autofree char *version = NULL;
  g_autofree char *notes = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_get_contents (path, &contents, NULL, &error));
  notes = ag_release_notes_from_metainfo (contents, AG_VERSION, &version, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (version, ==, AG_VERSION);
  g_assert_true (g_str_has_prefix (notes, "<p>"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/release-notes/notes", test_notes);
  g_test_add_func ("/release-notes/project-metainfo", test_project_metainfo);
  return g_test_run ();
}
