/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-claude-settings.h — points Claude Code at the proxy: previews and writes env.ANTHROPIC_BASE_URL (and the
 * local API key as env.ANTHROPIC_AUTH_TOKEN) in ~/.claude/settings.json, keeping every other key and a backup;
 * and the equivalent shell export lines for the clipboard. No GTK. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* ~/.claude/settings.json */
char     *ag_claude_settings_default_path (void);

/* "export ANTHROPIC_BASE_URL=…\nexport ANTHROPIC_AUTH_TOKEN=…\n", shell-quoted. @api_key NULL or "" means no
 * local key is set: a placeholder token is exported so Claude Code does not ask for a sign-in. */
char     *ag_claude_settings_export_lines (const char *base_url, const char *api_key);

/* A human-readable list of the keys that writing would change, one line each ("env.ANTHROPIC_BASE_URL: old → new",
 * secrets shown masked), or a sentence saying nothing changes. Fails on unreadable or invalid JSON. */
char     *ag_claude_settings_preview (const char *path, const char *base_url, const char *api_key, GError **error);
void      ag_claude_settings_preview_async (const char *path, const char *base_url, const char *api_key,
                                            GCancellable *cancellable, GAsyncReadyCallback callback,
                                            gpointer user_data);
char     *ag_claude_settings_preview_finish (GAsyncResult *result, GError **error);

/* Writes the keys atomically, preserving the rest of the file (2-space JSON), after copying an existing file to
 * "PATH.bak-YYYYMMDD-HHMMSS" (returned in @backup_path, NULL when there was no file). Creates the file and its
 * directory when missing. Refuses to touch a file that is not a JSON object (the error names the file and the
 * position of the JSON error). */
gboolean  ag_claude_settings_apply (const char *path, const char *base_url, const char *api_key,
                                    char **backup_path, GError **error);

/* Apply in a worker thread (small file I/O, kept off the main loop); the preview has the same pair above. */
void      ag_claude_settings_apply_async (const char *path, const char *base_url, const char *api_key,
                                          GCancellable *cancellable, GAsyncReadyCallback callback,
                                          gpointer user_data);
gboolean  ag_claude_settings_apply_finish (GAsyncResult *result, char **backup_path, GError **error);

/* Gives @api_key to a Claude Code already pointed at @base_url (env.ANTHROPIC_BASE_URL equal to it), the way
 * apply would, backup included: a new key, or require-api-key switched on, must break no configured Claude Code.
 * *@updated is FALSE when the file is missing, points elsewhere, or already sends @api_key. Small file I/O: call it
 * off the main loop (ag_agent_setup_hand_over_key_async does). */
gboolean  ag_claude_settings_give_key (const char *path, const char *base_url, const char *api_key,
                                       gboolean *updated, GError **error);

G_END_DECLS
