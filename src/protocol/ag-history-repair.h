/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-history-repair.h — mends an Anthropic "messages" history that upstream would refuse and the client cannot fix
 * by itself (docs/client-formats.md#history-repairs): a tool_use whose tool_result never came (the user pressed Esc,
 * the client crashed mid-tool) gets a synthetic "interrupted" result; a tool_result whose tool_use was compacted away
 * becomes text; a tool_use id used twice is renamed. Malformed blocks are left for the translator to refuse. Pure. */
#pragma once

#include <json-glib/json-glib.h>
#include "ag-model-family.h"

G_BEGIN_DECLS

/* The text of the tool_result put in for a call that never returned. */
#define AG_HISTORY_INTERRUPTED_RESULT "The tool call was interrupted before it returned a result."

/* Repairs @messages in place; repairing twice changes nothing more. Appends what was repaired to @repairs (words
 * separated by spaces: "interrupted:ID", "orphan:ID", "duplicate:ID"). With @thinking on, also counts the
 * thinking blocks the translator will drop for want of a signature ag-cl issued for @family
 * ("thinking-dropped:N"). */
void ag_history_repair (JsonArray *messages, AgModelFamily family, gboolean thinking, GString *repairs);

/* Whether the assistant message that made the calls the last message answers had thinking, and none of it can be
 * replayed to @family (all when @drop_all): Claude under thinking refuses such a tool loop. */
gboolean ag_history_calling_turn_lost_thinking (JsonArray *messages, AgModelFamily family, gboolean drop_all);

G_END_DECLS
