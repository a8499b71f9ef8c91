// SPDX-License-Identifier: GPL-3.0-or-later
/* ag-antigravity-writer.h — reads and writes what the Antigravity IDE keeps in its user-data folder: the device
 * profile in User/globalStorage/storage.json (nested telemetry.*, the flat "telemetry.*" keys,
 * storage.serviceMachineId) and in state.vscdb's ItemTable (storage.serviceMachineId), and the account's sign-in
 * (the keyring item, or for an older IDE the unified-state keys of state.vscdb).
 *
 * A write is all or nothing: state.vscdb is changed in one transaction that commits last, storage.json is written
 * to a temporary file renamed into place, and timestamped backups of both are made first and kept. Synchronous:
 * callers run it on a worker thread, never while the IDE runs. */
#pragma once

#include <gio/gio.h>
#include "ag-antigravity-install.h"
#include "ag-antigravity-sign-in.h"
#include "ag-device-profile.h"

G_BEGIN_DECLS

typedef enum {
  AG_ANTIGRAVITY_SIGN_IN_KEYRING,    /* Antigravity ≥ 2.0 and agy: the Secret Service item */
  AG_ANTIGRAVITY_SIGN_IN_STATE_DB,   /* an older IDE: the unified-state keys in state.vscdb */
} AgAntigravitySignInStore;

/* The profile storage.json holds now (nested keys first, then the flat ones); NULL without error when it holds
 * none. BAD_FILE when it is not a JSON object. */
AgDeviceProfile         *ag_antigravity_read_profile (AgAntigravityInstall *install, GError **error);
/* Where the installed IDE reads its sign-in: STATE_DB when state.vscdb holds the unified-state oauthToken key. */
AgAntigravitySignInStore ag_antigravity_find_sign_in_store (AgAntigravityInstall *install, GError **error);
/* The refresh token the IDE is signed in with (a secret: only compare it), NULL without error when none. */
char                    *ag_antigravity_read_refresh_token (AgAntigravityInstall *install, GError **error);

/* Writes @profile, and @sign_in (nullable: the sign-in stays as it is) where @install reads it. The backups'
 * paths are added to @backups (nullable). */
gboolean                 ag_antigravity_write (AgAntigravityInstall *install, const AgDeviceProfile *profile,
                                               const AgAntigravitySignIn *sign_in, GPtrArray *backups,
                                               GError **error);

G_END_DECLS
