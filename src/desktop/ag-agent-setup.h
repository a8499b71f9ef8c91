/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-agent-setup.h — the coding agents ag-cl can point at itself (Claude Code, Codex, Gemini CLI) behind one
 * interface, for the CLI's `ag-cl setup` and the overview's "Use with …" rows: each agent's settings writer
 * previews, applies, and says whether the files already point at ag-cl. Work on files runs in a thread. No GTK. */
#pragma once

#include <gio/gio.h>
#include "ag-settings-file.h"

G_BEGIN_DECLS

typedef enum {
  AG_AGENT_CLAUDE_CODE,
  AG_AGENT_CODEX,
  AG_AGENT_GEMINI_CLI,
  AG_N_AGENTS,
} AgAgent;

/* "claude-code", "codex", "gemini-cli" (the CLI's words); FALSE for another word. */
gboolean    ag_agent_from_id (const char *id, AgAgent *agent);
/* The agent's name for people ("Claude Code"), untranslated product names. */
const char *ag_agent_get_name (AgAgent agent);
/* The file (or, for the Gemini CLI, the folder) the writer changes. */
char       *ag_agent_get_path (AgAgent agent);

char       *ag_agent_setup_preview (AgAgent agent, const AgAgentTarget *target, GError **error);
/* The backups made go into @backups (char *). */
gboolean    ag_agent_setup_apply (AgAgent agent, const AgAgentTarget *target, GPtrArray *backups, GError **error);
/* TRUE when writing would change nothing: the agent already uses ag-cl at this address with this key. */
gboolean    ag_agent_setup_is_current (AgAgent agent, const AgAgentTarget *target, GError **error);

/* The same in a worker thread; @target is copied. */
void        ag_agent_setup_preview_async (AgAgent agent, const AgAgentTarget *target, GCancellable *cancellable,
                                          GAsyncReadyCallback callback, gpointer user_data);
char       *ag_agent_setup_preview_finish (GAsyncResult *result, GError **error);
void        ag_agent_setup_apply_async (AgAgent agent, const AgAgentTarget *target, GCancellable *cancellable,
                                        GAsyncReadyCallback callback, gpointer user_data);
/* The backups made, NULL-terminated (possibly empty), or NULL with @error. */
char      **ag_agent_setup_apply_finish (GAsyncResult *result, GError **error);
void        ag_agent_setup_is_current_async (AgAgent agent, const AgAgentTarget *target, GCancellable *cancellable,
                                             GAsyncReadyCallback callback, gpointer user_data);
gboolean    ag_agent_setup_is_current_finish (GAsyncResult *result, GError **error);

/* A new local API key (@new_key) for the agents already set up for ag-cl at @base_url, so that requiring the key, or
 * replacing it, breaks none of them: Claude Code when its settings point at @base_url, Codex and the Gemini CLI when
 * they were what `ag-cl setup` writes for @old_key (NULL: set up while ag-cl had no key). Each is written the way
 * `ag-cl setup` writes it, with a backup; an agent that cannot be written is logged and skipped. In a thread; the
 * names of the agents updated. */
void        ag_agent_setup_hand_over_key_async (const char *base_url, const char *old_key, const char *new_key,
                                                GCancellable *cancellable, GAsyncReadyCallback callback,
                                                gpointer user_data);
char      **ag_agent_setup_hand_over_key_finish (GAsyncResult *result, GError **error);

G_END_DECLS
