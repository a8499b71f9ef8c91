/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-agent-row-private.h — for tests: the row's state. */
#pragma once

#include "ag-agent-row.h"

G_BEGIN_DECLS

GtkButton *ag_agent_row_get_button (AgAgentRow *self);
/* TRUE once the files were read and already point the agent at ag-cl. */
gboolean   ag_agent_row_get_set_up (AgAgentRow *self);
/* TRUE while the files are being read. */
gboolean   ag_agent_row_get_busy (AgAgentRow *self);

G_END_DECLS
