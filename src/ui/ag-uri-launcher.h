/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-uri-launcher.h — opens a web page for the user: the browser, through the OpenURI portal in Flatpak. Given to
 * the widgets that send the user to Google (sign-in, verification); GTK 4.10's GtkUriLauncher plays this part
 * once the floor moves past 4.8. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define AG_TYPE_URI_LAUNCHER (ag_uri_launcher_get_type ())
G_DECLARE_FINAL_TYPE (AgUriLauncher, ag_uri_launcher, AG, URI_LAUNCHER, GObject)

AgUriLauncher *ag_uri_launcher_new (void);
/* Opens @uri for the user; @parent (nullable) is the window the browser is opened for. */
void           ag_uri_launcher_launch (AgUriLauncher *self, GtkWindow *parent, const char *uri);

G_END_DECLS
