/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-quota-glance.h — the Overview's "Quota at a Glance": per model family the quota left across the pool, the
 * accounts that can serve now, when it runs out at the recent pace and whether a reset comes first (the forecast,
 * with its assumptions stated), and today's requests and tokens with an hourly sparkline. Read from the history
 * store off the main loop; refreshed while shown as requests come in. */
#pragma once

#include <adwaita.h>
#include "ag-ui-context.h"

G_BEGIN_DECLS

#define AG_TYPE_QUOTA_GLANCE (ag_quota_glance_get_type ())
G_DECLARE_FINAL_TYPE (AgQuotaGlance, ag_quota_glance, AG, QUOTA_GLANCE, AdwPreferencesGroup)

GtkWidget  *ag_quota_glance_new (AgUiContext *context);
/* For tests: the rows' texts ("Claude: about 2 h left…", one per family, then "Today: …"), joined with "\n". */
char       *ag_quota_glance_describe (AgQuotaGlance *self);
/* For tests: loads completed since it was made. */
guint       ag_quota_glance_get_loads (AgQuotaGlance *self);

G_END_DECLS
