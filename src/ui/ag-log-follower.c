// SPDX-License-Identifier: GPL-3.0-or-later
#include "config.h"
#include "ag-log-follower.h"

/* New requests redraw a widget at most this often while it is shown. */
#define REFRESH_DELAY_S 5

struct _AgLogFollower
{
  GObject    parent_instance;

  GtkWidget *widget;      /* not a reference: the widget owns the follower */
  guint      refresh_id;
};

enum { REFRESH, N_SIGNALS };
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (AgLogFollower, ag_log_follower, G_TYPE_OBJECT)

static void
refresh (AgLogFollower *self)
{
  g_signal_emit (self, signals[REFRESH], 0);
}

static gboolean
refresh_due (gpointer user_data)
{
  AgLogFollower *self = user_data;

  self->refresh_id = 0;
  refresh (self);
  return G_SOURCE_REMOVE;
}

static void
on_request_added (AgHistoryStore *store, gint64 id, gpointer user_data)
{
  AgLogFollower *self = user_data;

  /* Only a widget someone looks at follows the log: a hidden one costs no wake-ups. */
  if (self->refresh_id == 0 && gtk_widget_get_mapped (self->widget))
    self->refresh_id = g_timeout_add_seconds (REFRESH_DELAY_S, refresh_due, self);
}

static void
ag_log_follower_dispose (GObject *object)
{
  AgLogFollower *self = AG_LOG_FOLLOWER (object);

  g_clear_handle_id (&self->refresh_id, g_source_remove);
  G_OBJECT_CLASS (ag_log_follower_parent_class)->dispose (object);
}

static void
ag_log_follower_class_init (AgLogFollowerClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = ag_log_follower_dispose;

  /* Time to read the log again. */
  signals[REFRESH] = g_signal_new ("refresh", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                   G_TYPE_NONE, 0);
}

static void
ag_log_follower_init (AgLogFollower *self)
{
}

AgLogFollower *
ag_log_follower_new (GtkWidget *widget, AgHistoryStore *history)
{
  AgLogFollower *self;

  g_return_val_if_fail (GTK_IS_WIDGET (widget) && AG_IS_HISTORY_STORE (history), NULL);

  self = g_object_new (AG_TYPE_LOG_FOLLOWER, NULL);
  self->widget = widget;
  /* After the widget's own map handler, as an override of map chaining up first would. */
  g_signal_connect_object (widget, "map", G_CALLBACK (refresh), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (history, "request-added", G_CALLBACK (on_request_added), self, 0);
  return self;
}
