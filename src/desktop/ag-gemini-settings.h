/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-gemini-settings.h — points the Gemini CLI at the proxy: API-key sign-in and the model in
 * ~/.gemini/settings.json, and in ~/.gemini/.env (which the CLI loads) GOOGLE_GEMINI_BASE_URL, the local API key as
 * GEMINI_API_KEY and GEMINI_API_KEY_AUTH_MECHANISM=bearer, so the key goes out as x-goog-api-key and as a bearer
 * token. Every other key and line is kept; each file changed is backed up first. No GTK. */
#pragma once

#include <gio/gio.h>
#include "ag-settings-file.h"

G_BEGIN_DECLS

/* The model the Gemini CLI asks for unless told otherwise ("auto" would route through models ag-cl lacks). */
#define AG_GEMINI_DEFAULT_MODEL "gemini-3-flash"

/* ~/.gemini */
char     *ag_gemini_settings_default_dir (void);
/* @env (the .env text) with the variables set; changes appended to @changes. Pure. */
char     *ag_gemini_settings_update_env (const char *env, const AgAgentTarget *target, GString *changes);
/* The changes writing would make to both files, or sentences saying nothing changes. */
char     *ag_gemini_settings_preview (const char *dir, const AgAgentTarget *target, GError **error);
/* Writes both files; the backups made are added to @backups (char *). */
gboolean  ag_gemini_settings_apply (const char *dir, const AgAgentTarget *target, GPtrArray *backups,
                                    GError **error);

G_END_DECLS
