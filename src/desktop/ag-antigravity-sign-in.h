// SPDX-License-Identifier: GPL-3.0-or-later
/* ag-antigravity-sign-in.h — an account's sign-in in the forms the Antigravity IDE reads it (see
 * docs/antigravity-switch.md): the Secret Service item (service "gemini", username "antigravity") that
 * Antigravity ≥ 2.0 and the agy CLI read, holding {"token":{…},"auth_method":"consumer"}; and, for an older IDE, the
 * "oauthTokenInfoSentinelKey" entry of state.vscdb's antigravityUnifiedStateSync.oauthToken topic. Holds secrets:
 * nothing here logs. The keyring calls are synchronous, for the switch's worker thread. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct {
  char   *access_token;
  char   *refresh_token;
  gint64  expiry_unix_s;
} AgAntigravitySignIn;

AgAntigravitySignIn *ag_antigravity_sign_in_new (const char *access_token, const char *refresh_token,
                                                 gint64 expiry_unix_s);
void                 ag_antigravity_sign_in_free (AgAntigravitySignIn *sign_in);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AgAntigravitySignIn, ag_antigravity_sign_in_free)

/* The keyring item's value (JSON). Pure. */
char    *ag_antigravity_sign_in_to_keyring_json (const AgAntigravitySignIn *sign_in);
/* @topic_base64 (a unified-state oauthToken value, nullable) with its sentinel entry replaced by @sign_in and every
 * other entry kept byte for byte; NULL with G_IO_ERROR_INVALID_DATA when @topic_base64 cannot be decoded. Pure. */
char    *ag_antigravity_sign_in_merge_unified (const char *topic_base64, const AgAntigravitySignIn *sign_in,
                                               GError **error);

/* Writes (replaces) the keyring item; AG_ANTIGRAVITY_ERROR_KEYRING when the keyring refuses. */
gboolean ag_antigravity_sign_in_store_keyring (const AgAntigravitySignIn *sign_in, GCancellable *cancellable,
                                               GError **error);
/* The refresh token of the keyring item, NULL without error when there is none. */
char    *ag_antigravity_sign_in_lookup_keyring (GCancellable *cancellable, GError **error);

G_END_DECLS
