/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-uri-launcher-private.h — for tests: what the launcher does instead of opening the browser. */
#pragma once

#include "ag-uri-launcher.h"

G_BEGIN_DECLS

typedef void (*AgUriLaunchFunc) (GtkWindow *parent, const char *uri, gpointer user_data);

/* Tests play the browser: @func receives every URI from now on; NULL restores the browser. */
void ag_uri_launcher_set_func (AgUriLauncher *self, AgUriLaunchFunc func, gpointer user_data);

G_END_DECLS
