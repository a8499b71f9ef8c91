/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-release-notes.h — the notes of a release, read from the AppStream metainfo (the one place they are written),
 * in the description markup (<p>, <ul>, <ol>, <li>, <em>, <code>) the About window shows. No GTK. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The description of @version's <release> in @metainfo, or of the newest release when @version has none (its
 * version in @found_version, nullable); NULL with @error when the XML cannot be read or has no release. */
char *ag_release_notes_from_metainfo (const char *metainfo, const char *version, char **found_version,
                                      GError **error);

G_END_DECLS
