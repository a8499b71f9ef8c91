/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-tool-names.h — maps client tool names to names upstream accepts ([A-Za-z0-9_-], ≤ 64 chars, unique)
 * and back, for one request/response exchange. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _AgToolNames AgToolNames;

AgToolNames *ag_tool_names_new (void);
AgToolNames *ag_tool_names_ref (AgToolNames *self);
void         ag_tool_names_unref (AgToolNames *self);
/* Registers @client_name (idempotent) and returns its safe upstream name, owned by @self. */
const char  *ag_tool_names_to_upstream (AgToolNames *self, const char *client_name);
/* The client name for an upstream name; @upstream_name itself when unknown. Owned by @self or the caller's string. */
const char  *ag_tool_names_to_client (AgToolNames *self, const char *upstream_name);

/* TRUE when @name is already acceptable upstream, so it passes unchanged unless it collides. */
gboolean     ag_tool_names_is_valid (const char *name);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AgToolNames, ag_tool_names_unref)

G_END_DECLS
