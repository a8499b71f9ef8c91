// SPDX-License-Identifier: GPL-3.0-or-later
/* ag-antigravity-install.h — the Antigravity IDE installed on this machine, as ag-cl sees it: its user-data folder
 * (the one holding User/globalStorage/storage.json and state.vscdb) and the IDE processes running on it.
 *
 * The folder is $AGCL_ANTIGRAVITY_CONFIG_DIR when set; else a running IDE's --user-data-dir; else the first of
 * ~/.config/Antigravity IDE and ~/.config/Antigravity that holds User/globalStorage. Processes are read from /proc:
 * an IDE is a process whose program is named "antigravity" (Electron's --type= helpers aside). No GTK; the
 * lookups read /proc and stat files, so callers run them on a worker thread. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define AG_ANTIGRAVITY_ERROR (ag_antigravity_error_quark ())
typedef enum {
  AG_ANTIGRAVITY_ERROR_NOT_INSTALLED,  /* no user-data folder with storage.json */
  AG_ANTIGRAVITY_ERROR_RUNNING,        /* the IDE runs on the folder: nothing is written under it */
  AG_ANTIGRAVITY_ERROR_BAD_FILE,       /* storage.json is not a JSON object, state.vscdb is not a database */
  AG_ANTIGRAVITY_ERROR_LOCKED,         /* state.vscdb is locked by another program */
  AG_ANTIGRAVITY_ERROR_WRITE,          /* a file could not be written (nothing was replaced) */
  AG_ANTIGRAVITY_ERROR_KEYRING,        /* the keyring refused the sign-in */
} AgAntigravityError;
GQuark ag_antigravity_error_quark (void);

#define AG_TYPE_ANTIGRAVITY_INSTALL (ag_antigravity_install_get_type ())
G_DECLARE_FINAL_TYPE (AgAntigravityInstall, ag_antigravity_install, AG, ANTIGRAVITY_INSTALL, GObject)

/* The install found as the header says, or AG_ANTIGRAVITY_ERROR_NOT_INSTALLED naming where it looked. */
AgAntigravityInstall *ag_antigravity_install_find (GError **error);
/* The install in @folder, found or not (for tests and for the import's default path). */
AgAntigravityInstall *ag_antigravity_install_new (const char *folder);
/* The folder the lookup picks, whether or not it holds an install (never NULL). */
char                 *ag_antigravity_install_default_folder (void);

const char           *ag_antigravity_install_get_folder (AgAntigravityInstall *self);
const char           *ag_antigravity_install_get_storage_path (AgAntigravityInstall *self);
const char           *ag_antigravity_install_get_state_path (AgAntigravityInstall *self);

/* The IDE processes running on this folder now: a GArray of GPid, empty when none. Rescans /proc. */
GArray               *ag_antigravity_install_list_running (AgAntigravityInstall *self);
/* Asks each running IDE to quit (SIGTERM) and waits up to @timeout_ms for all to be gone; remembers how they were
 * started so ag_antigravity_install_reopen() can start them again. FALSE with RUNNING when one outlived the wait. */
gboolean              ag_antigravity_install_close (AgAntigravityInstall *self, guint timeout_ms, GError **error);
/* Starts again what ag_antigravity_install_close() closed; nothing when it closed nothing. */
gboolean              ag_antigravity_install_reopen (AgAntigravityInstall *self, GError **error);

G_END_DECLS
