/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-settings-file.h — what the agent settings writers (Claude Code, Codex, Gemini CLI) share: reading a client's
 * settings file, JSON in the layout the clients write themselves, and replacing a file atomically and privately
 * after a timestamped backup. No GTK. */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Where a client is pointed: ag-cl's base URL ("http://127.0.0.1:8045"), the local API key (NULL or "" when none is
 * set) and the model the client should ask for (NULL: the writer's default). */
typedef struct {
  const char *base_url;
  const char *api_key;
  const char *model;
} AgAgentTarget;

/* What clients send as the key when ag-cl has none (it accepts anything then); some clients refuse to start
 * without one. */
#define AG_AGENT_PLACEHOLDER_KEY "ag-cl"

/* The file's text; a missing file is "" with *@exists FALSE. Errors name the file. */
char       *ag_settings_file_read (const char *path, gboolean *exists, GError **error);
/* The file as a JSON object; a missing or blank file is an empty object. A file that is not a JSON object is
 * refused, the error naming the file and the position of the JSON error. */
JsonObject *ag_settings_file_read_json (const char *path, gboolean *exists, GError **error);
/* @object as JSON.stringify (value, null, 2) writes it, with a final newline. */
char       *ag_settings_file_json_text (JsonObject *object);
/* Writes @contents to @path (mode 0600, through a temporary file and a rename), creating its directory, after
 * copying an existing file to "PATH.bak-YYYYMMDD-HHMMSS" (returned in @backup_path, NULL when there was none). */
gboolean    ag_settings_file_write (const char *path, const char *contents, char **backup_path, GError **error);
/* "old → new" for a preview line; secrets are masked, a missing value is "(not set)". */
char       *ag_settings_file_change (const char *old_value, gboolean old_secret, const char *new_value,
                                     gboolean new_secret);

/* A preview: "Changes to PATH:" (or "PATH will be created:") over the @changes lines, or a sentence saying the file
 * already points @client at the proxy when there are none. */
char       *ag_settings_file_preview_text (const char *path, gboolean exists, GString *changes, const char *client);

G_END_DECLS
