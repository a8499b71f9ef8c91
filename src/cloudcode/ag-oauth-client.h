/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-oauth-client.h — Google OAuth 2.0 calls: refresh-token exchange and userinfo (the authorization-code flow
 * with PKCE is added by the desktop app). Async on the main loop. */
#pragma once

#include <libsoup/soup.h>
#include "ag-cloudcode-config.h"

G_BEGIN_DECLS

#define AG_OAUTH_ERROR (ag_oauth_error_quark ())
typedef enum {
  AG_OAUTH_ERROR_INVALID_GRANT,   /* the refresh token was revoked or expired: the user must sign in again */
  AG_OAUTH_ERROR_FAILED,          /* any other HTTP or OAuth failure */
  AG_OAUTH_ERROR_BAD_RESPONSE,    /* the server answered something unreadable */
  AG_OAUTH_ERROR_UNREACHABLE,     /* no answer at all: the network, or the account's own proxy */
} AgOAuthError;
GQuark ag_oauth_error_quark (void);

#define AG_TYPE_OAUTH_CLIENT (ag_oauth_client_get_type ())
G_DECLARE_FINAL_TYPE (AgOAuthClient, ag_oauth_client, AG, OAUTH_CLIENT, GObject)

typedef struct {
  char   *access_token;
  char   *refresh_token;      /* NULL when the server did not rotate it */
  gint64  expires_at_unix_s;
} AgOAuthTokens;
void ag_oauth_tokens_free (AgOAuthTokens *tokens);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AgOAuthTokens, ag_oauth_tokens_free)

/* @session: the session to share (e.g. the Cloud Code client's), or NULL for a private one. */
AgOAuthClient *ag_oauth_client_new (AgCloudcodeConfig *config, SoupSession *session);
/* The client whose token calls go through @proxy_uri (an account's own proxy; NULL or empty: @self), kept by
 * @self (transfer none). */
AgOAuthClient *ag_oauth_client_for_proxy (AgOAuthClient *self, const char *proxy_uri);

void           ag_oauth_client_refresh_async (AgOAuthClient *self, const char *refresh_token, GCancellable *cancellable,
                                              GAsyncReadyCallback callback, gpointer user_data);
AgOAuthTokens *ag_oauth_client_refresh_finish (AgOAuthClient *self, GAsyncResult *result, GError **error);

/* Exchanges an authorization code from the consent page (PKCE: @code_verifier; @redirect_uri as sent to it). The
 * tokens' refresh_token is NULL when Google sent none (the user had already granted consent). */
void           ag_oauth_client_exchange_code_async (AgOAuthClient *self, const char *code, const char *code_verifier,
                                                    const char *redirect_uri, GCancellable *cancellable,
                                                    GAsyncReadyCallback callback, gpointer user_data);
AgOAuthTokens *ag_oauth_client_exchange_code_finish (AgOAuthClient *self, GAsyncResult *result, GError **error);

/* The account's e-mail address from the userinfo endpoint. */
void           ag_oauth_client_get_email_async (AgOAuthClient *self, const char *access_token, GCancellable *cancellable,
                                                GAsyncReadyCallback callback, gpointer user_data);
char          *ag_oauth_client_get_email_finish (AgOAuthClient *self, GAsyncResult *result, GError **error);

G_END_DECLS
