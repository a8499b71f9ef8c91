/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "ag-uri-launcher-private.h"

struct _AgUriLauncher
{
  GObject         parent_instance;

  AgUriLaunchFunc func;
  gpointer        func_data;
};

G_DEFINE_FINAL_TYPE (AgUriLauncher, ag_uri_launcher, G_TYPE_OBJECT)

static void
show_uri_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GError) error = NULL;

  if (!gtk_show_uri_full_finish (GTK_WINDOW (source), result, &error))
    g_warning ("cannot open the browser: %s", error->message);
}

static void
launch_with_gtk (GtkWindow *parent, const char *uri, gpointer user_data)
{
  gtk_show_uri_full (parent, uri, GDK_CURRENT_TIME, NULL, show_uri_done, NULL);
}

static void
ag_uri_launcher_class_init (AgUriLauncherClass *klass)
{
}

static void
ag_uri_launcher_init (AgUriLauncher *self)
{
  self->func = launch_with_gtk;
}

AgUriLauncher *
ag_uri_launcher_new (void)
{
  return g_object_new (AG_TYPE_URI_LAUNCHER, NULL);
}

void
ag_uri_launcher_launch (AgUriLauncher *self, GtkWindow *parent, const char *uri)
{
  g_return_if_fail (AG_IS_URI_LAUNCHER (self));
  g_return_if_fail (uri != NULL);

  self->func (parent, uri, self->func_data);
}

void
ag_uri_launcher_set_func (AgUriLauncher *self, AgUriLaunchFunc func, gpointer user_data)
{
  g_return_if_fail (AG_IS_URI_LAUNCHER (self));

  self->func = func != NULL ? func : launch_with_gtk;
  self->func_data = func != NULL ? user_data : NULL;
}
