/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-agent-row.h — one coding agent on the Overview: whether it already uses ag-cl, and "Set Up…", which shows the
 * changes to its settings and writes them (with a backup) once confirmed. */
#pragma once

#include <adwaita.h>
#include "ag-agent-setup.h"
#include "ag-ui-context.h"

G_BEGIN_DECLS

#define AG_TYPE_AGENT_ROW (ag_agent_row_get_type ())
G_DECLARE_FINAL_TYPE (AgAgentRow, ag_agent_row, AG, AGENT_ROW, AdwActionRow)

GtkWidget *ag_agent_row_new (AgUiContext *context, AgAgent agent);
/* Looks again at the agent's files (after the proxy's address or key changed). */
void       ag_agent_row_refresh (AgAgentRow *self);

G_END_DECLS
