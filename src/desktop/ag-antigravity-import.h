/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-antigravity-import.h — the account the Antigravity IDE on this machine is signed in to: its refresh token, read
 * from the IDE's state database (SQLite, table ItemTable). Newer IDEs keep it under
 * "antigravityUnifiedStateSync.oauthToken" (a protobuf Topic whose "oauthTokenInfoSentinelKey" entry holds a base64
 * OAuthTokenInfo), older ones in field 6 of "jetskiStateSync.agentManagerInitState". No GTK. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define AG_ANTIGRAVITY_IMPORT_ERROR (ag_antigravity_import_error_quark ())
typedef enum {
  AG_ANTIGRAVITY_IMPORT_ERROR_NOT_SIGNED_IN,  /* the database holds no sign-in */
  AG_ANTIGRAVITY_IMPORT_ERROR_BAD_DATA,       /* a value that cannot be decoded */
  AG_ANTIGRAVITY_IMPORT_ERROR_DATABASE,       /* the database cannot be read */
} AgAntigravityImportError;
GQuark ag_antigravity_import_error_quark (void);

/* User/globalStorage/state.vscdb in the IDE's user-data folder (ag_antigravity_install_default_folder(): 
 * $AGCL_ANTIGRAVITY_CONFIG_DIR, a running IDE's, or the default one). */
char *ag_antigravity_import_get_default_path (void);

/* The refresh token in a base64 value of the newer key / of the older key. Pure. */
char *ag_antigravity_import_parse_unified (const char *value, GError **error);
char *ag_antigravity_import_parse_legacy (const char *value, GError **error);

/* Reads @path (read-only, in a worker thread) and returns the refresh token (a secret: never log it). */
void  ag_antigravity_import_read_async (const char *path, GCancellable *cancellable, GAsyncReadyCallback callback,
                                        gpointer user_data);
char *ag_antigravity_import_read_finish (GAsyncResult *result, GError **error);

G_END_DECLS
