/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-quota-poller-private.h — what tests may look at in an AgQuotaPoller: whether its timer is armed. */
#pragma once

#include "ag-quota-poller.h"

G_BEGIN_DECLS

/* Whether the periodic timer is armed (for tests and diagnostics). */
gboolean       ag_quota_poller_is_scheduled (AgQuotaPoller *self);

G_END_DECLS
