/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-autostart.h — "Start at login": ag-cl started with --background when the user logs in. Outside a sandbox by
 * an XDG autostart entry (~/.config/autostart/APP_ID.desktop, the file every desktop reads); inside a
 * Flatpak through the Background portal, the only way a sandboxed app may ask for it. No GTK. See docs/platform.md
 * "Autostart". */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum {
  AG_AUTOSTART_OFF,
  AG_AUTOSTART_ON,
  AG_AUTOSTART_UNKNOWN,        /* in a sandbox: only the portal knows, and it cannot be asked */
} AgAutostartState;

/* Whether ag-cl runs in a Flatpak sandbox (/.flatpak-info exists; AGCL_FLATPAK_INFO names another file, for tests). */
gboolean         ag_autostart_is_sandboxed (void);

/* $XDG_CONFIG_HOME/autostart/APP_ID.desktop (io.github.agcl.AgCl, or .Devel for the development profile) */
char            *ag_autostart_entry_path (void);

/* The entry that starts @executable with --background (@executable: a name on PATH or an absolute path; quoted as
 * the Desktop Entry specification asks). */
char            *ag_autostart_entry_contents (const char *executable);

/* What is registered now: outside a sandbox, whether the entry exists and is not disabled (Hidden=true or
 * X-GNOME-Autostart-enabled=false, as a desktop's own settings write it); inside, UNKNOWN. */
AgAutostartState ag_autostart_get_state (void);

/* Registers (@enabled) or removes the autostart: writes the entry atomically or deletes it; in a sandbox, asks the
 * Background portal (which may ask the user). The result says whether autostart is now on. */
void             ag_autostart_set_async (gboolean             enabled,
                                         const char          *executable,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
gboolean         ag_autostart_set_finish (GAsyncResult *result,
                                          gboolean     *now_enabled,
                                          GError      **error);

/* The same outside a sandbox, synchronously (the CLI): small local file I/O. */
gboolean         ag_autostart_set_file (gboolean enabled, const char *executable, GError **error);

/* The executable to register: "ag-cl" when that is what PATH finds (an installed ag-cl), else this process's own
 * absolute path (a build tree). */
char            *ag_autostart_default_executable (void);

G_END_DECLS
