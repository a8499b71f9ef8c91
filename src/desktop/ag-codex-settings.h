/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-codex-settings.h — points Codex CLI at the proxy: a [model_providers.agcl] provider speaking the Responses API
 * (base_url …/v1, the local API key as its bearer token) chosen by model_provider, in ~/.codex/config.toml, keeping
 * every other line of the file and a backup. The TOML is edited line by line, not re-serialised, so comments and
 * layout survive. No GTK. */
#pragma once

#include <gio/gio.h>
#include "ag-settings-file.h"

G_BEGIN_DECLS

/* The model Codex asks for unless told otherwise. */
#define AG_CODEX_DEFAULT_MODEL "claude-sonnet-4-6"

/* $CODEX_HOME/config.toml, or ~/.codex/config.toml. */
char     *ag_codex_settings_default_path (void);
/* @toml with the provider set; each change is appended to @changes as a line ("model_provider: openai → agcl",
 * secrets masked). Pure. */
char     *ag_codex_settings_update (const char *toml, const AgAgentTarget *target, GString *changes);
/* The changes writing would make, as lines under a heading, or a sentence saying nothing changes. */
char     *ag_codex_settings_preview (const char *path, const AgAgentTarget *target, GError **error);
/* Writes the changed file (after a backup, returned in @backup_path; NULL when there was no file). */
gboolean  ag_codex_settings_apply (const char *path, const AgAgentTarget *target, char **backup_path,
                                   GError **error);

G_END_DECLS
