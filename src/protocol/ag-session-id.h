/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-session-id.h — which client session a request belongs to, so parallel requests of one conversation (Claude
 * Code's subagents) stay on one account. Pure. */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Claude Code names its session in the x-claude-code-session-id header (@header, nullable) and inside
 * metadata.user_id of @body: a JSON string today, "user_…_session_<uuid>" before. NULL when neither says. */
char *ag_session_id_find (const char *header, JsonObject *body);

/* The upstream sessionId for a conversation that names none: derived from its first user text, so the same
 * conversation keeps the same session; random when there is no text. */
char *ag_session_id_derive (const char *first_user_text);

G_END_DECLS
