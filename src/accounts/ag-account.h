/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-account.h — one Google account: identity, Cloud Code project, and its tokens (in memory only; the refresh
 * token is persisted solely by AgTokenStore in the keyring). Hands out fresh access tokens, refreshing before
 * expiry with one refresh shared by all concurrent callers.
 * Signal "refresh-token-changed" (no arguments): Google rotated the refresh token during a refresh; the owner saves
 * the account again (AgTokenStore). Properties "email" (construct-only), "project-id", "tier", "enabled" notify. */
#pragma once

#include <gio/gio.h>
#include "ag-oauth-client.h"
#include "ag-quota-window.h"

G_BEGIN_DECLS

#define AG_TYPE_ACCOUNT (ag_account_get_type ())
G_DECLARE_FINAL_TYPE (AgAccount, ag_account, AG, ACCOUNT, GObject)

/* Refresh this long before the access token expires. */
#define AG_ACCOUNT_REFRESH_MARGIN_SECONDS 300

AgAccount  *ag_account_new (const char *email, const char *project_id, const char *refresh_token);
const char *ag_account_get_email (AgAccount *self);
const char *ag_account_get_project_id (AgAccount *self);
void        ag_account_set_project_id (AgAccount *self, const char *project_id);
const char *ag_account_get_tier (AgAccount *self);          /* nullable, e.g. "free-tier" */
void        ag_account_set_tier (AgAccount *self, const char *tier);
/* The account's own upstream proxy (http://, https:// or socks5:// URI, credentials included; never log it, show
 * ag_upstream_proxy_uri_display of it), or NULL: the global AGCL_UPSTREAM_PROXY choice. Its token refresh, quota
 * poll and content calls all go through it. Setting a new value emits "proxy-changed". */
const char *ag_account_get_proxy (AgAccount *self);
void        ag_account_set_proxy (AgAccount *self, const char *proxy_uri);
/* Until when (ms, the pool's clock; 0: not) the account rests because its own proxy did not answer: every model,
 * as the proxy carries them all. A new proxy ends the rest. */
gint64      ag_account_get_proxy_rest_until (AgAccount *self);
void        ag_account_set_proxy_rest_until (AgAccount *self, gint64 until_ms);
gboolean    ag_account_get_enabled (AgAccount *self);        /* property "enabled" */
void        ag_account_set_enabled (AgAccount *self, gboolean enabled);
/* Secret: never log it. */
const char *ag_account_get_refresh_token (AgAccount *self);
/* Seeds a known access token (e.g. right after adding the account). */
void        ag_account_set_access_token (AgAccount *self, const char *access_token, gint64 expires_at_unix_s);

/* A valid access token: the cached one when it is not within the margin of expiry, else one refresh through
 * @oauth, coalesced across concurrent calls. Fails with the OAuth error (invalid_grant → AG_OAUTH_ERROR_INVALID_GRANT). */
void        ag_account_get_access_token_async (AgAccount           *self,
                                               AgOAuthClient       *oauth,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
char       *ag_account_get_access_token_finish (AgAccount *self, GAsyncResult *result, GError **error);
/* Drops the cached access token (after a 401) so the next call refreshes. */
void        ag_account_invalidate_access_token (AgAccount *self);

/* Whether Google still lets the account work; anything but VALID keeps it out of the pool's choices until the user
 * fixes it (sign in again, visit the validation URL) and the state is set back to VALID. */
typedef enum {
  AG_ACCOUNT_STATE_VALID,
  AG_ACCOUNT_STATE_SIGNED_OUT,           /* the refresh token was revoked or expired */
  AG_ACCOUNT_STATE_VALIDATION_REQUIRED,  /* Google asks the user to verify the account at the validation URL */
  AG_ACCOUNT_STATE_DISABLED,             /* Google refused the account (permission denied) */
  AG_ACCOUNT_STATE_BANNED,               /* Google banned it for the Terms of Service; the URL is the appeal page */
} AgAccountState;

#define AG_TYPE_ACCOUNT_STATE (ag_account_state_get_type ())
GType          ag_account_state_get_type (void);
/* Properties "state", "invalid-reason" (a sentence for the user, nullable) and "validation-url" (nullable). */
AgAccountState ag_account_get_state (AgAccount *self);
const char    *ag_account_get_invalid_reason (AgAccount *self);
const char    *ag_account_get_validation_url (AgAccount *self);
/* Sets all three at once (VALID clears the reason and URL); notifies what changed. */
void           ag_account_set_state (AgAccount *self, AgAccountState state, const char *reason,
                                     const char *validation_url);

/* The state's GEnum nick ("valid", "signed-out", "validation-required", "disabled", "banned"), as kept in
 * history.db and printed by `ag-cl account list`; from_nick gives FALSE for an unknown nick. */
const char    *ag_account_state_to_nick (AgAccountState state);
gboolean       ag_account_state_from_nick (const char *nick, AgAccountState *out_state);

/* Property "gemini-cli-closed": the Gemini CLI quota pool refused this account's tier (IneligibleTier), so the
 * fallback never tries it for this account again. Lasts until set back (a new sign-in). */
gboolean       ag_account_get_gemini_cli_closed (AgAccount *self);
void           ag_account_set_gemini_cli_closed (AgAccount *self, gboolean closed);

/* Property "ai-credits": the Google One AI credit balance loadCodeAssist last reported (-1: none known), and the
 * minimum a request needs. has_ai_credits: a balance of at least that minimum (and above 0). */
gint64         ag_account_get_ai_credits (AgAccount *self, gint64 *minimum);
void           ag_account_set_ai_credits (AgAccount *self, gint64 balance, gint64 minimum);
gboolean       ag_account_has_ai_credits (AgAccount *self);

/* Remaining quota per model, as last read by the quota poller: @fraction in [0, 1] (clamped), @reset_unix_ms the
 * next reset (0 = unknown). Emits "quota-changed" (model id) when the values change. */
void        ag_account_set_model_quota (AgAccount *self, const char *model, double fraction, gint64 reset_unix_ms);
/* FALSE when nothing is known about @model on this account. */
gboolean    ag_account_get_model_quota (AgAccount *self, const char *model, double *fraction, gint64 *reset_unix_ms);
/* The models with known quota, sorted; free with g_strfreev. */
char      **ag_account_list_quota_models (AgAccount *self);

/* The 5-hour and weekly windows (AgQuotaWindow) last read by the quota poller; takes a reference on @windows.
 * Emits "quota-windows-changed" (no arguments) when they differ from the last reading. get: borrowed, nullable. */
void        ag_account_set_quota_windows (AgAccount *self, GPtrArray *windows);
GPtrArray  *ag_account_get_quota_windows (AgAccount *self);

G_END_DECLS
