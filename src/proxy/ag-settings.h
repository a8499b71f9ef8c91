/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-settings.h — the app's GSettings (schema io.github.agcl.AgCl), found whether ag-cl is installed, run from
 * its build tree, or run in tests (GSETTINGS_BACKEND=memory keeps tests off the user's settings). */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* NULL (with a warning) only when the schema is nowhere to be found; callers then use built-in defaults. */
GSettings *ag_settings_new (void);

G_END_DECLS
