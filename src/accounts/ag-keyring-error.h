/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-keyring-error.h — one wording for libsecret failures, shared by everything that keeps secrets in the keyring. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Takes @error and returns it with its domain and code kept and a message that tells the user the keyring is at
 * fault ("the keyring is locked and could not be unlocked", "cannot reach the keyring: …"); cancellation unchanged. */
GError *ag_keyring_error (GError *error);

G_END_DECLS
