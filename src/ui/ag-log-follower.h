// SPDX-License-Identifier: GPL-3.0-or-later
/* ag-log-follower.h — keeps a widget drawn from the request log current: it emits "refresh" each time the widget is
 * mapped, and a few seconds after the log grows while the widget stays mapped (one refresh for a burst of
 * requests, and no wake-ups at all for a widget nobody looks at). Used by the Usage page and the Overview's quota
 * glance. */
#pragma once

#include <gtk/gtk.h>
#include "ag-history-store.h"

G_BEGIN_DECLS

#define AG_TYPE_LOG_FOLLOWER (ag_log_follower_get_type ())
G_DECLARE_FINAL_TYPE (AgLogFollower, ag_log_follower, AG, LOG_FOLLOWER, GObject)

/* @widget owns the follower (no reference is taken to it); @history is the log followed. */
AgLogFollower *ag_log_follower_new (GtkWidget *widget, AgHistoryStore *history);

G_END_DECLS
