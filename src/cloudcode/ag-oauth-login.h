/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-oauth-login.h — one click-through Google sign-in (RFC 8252 + PKCE S256): a loopback listener on 127.0.0.1
 * with a random port, the consent URL to open in the browser, the redirect it waits for (state checked, with a
 * timeout), and the code exchange. Hands back the refresh token; the caller adds the account. No GTK. */
#pragma once

#include <gio/gio.h>
#include "ag-cloudcode-config.h"
#include "ag-oauth-client.h"

G_BEGIN_DECLS

#define AG_OAUTH_LOGIN_ERROR (ag_oauth_login_error_quark ())
typedef enum {
  AG_OAUTH_LOGIN_ERROR_DENIED,            /* the user declined on the consent page */
  AG_OAUTH_LOGIN_ERROR_TIMED_OUT,         /* no redirect came back in time */
  AG_OAUTH_LOGIN_ERROR_NO_REFRESH_TOKEN,  /* Google returned tokens without a refresh token */
  AG_OAUTH_LOGIN_ERROR_LISTEN,            /* the loopback listener could not be opened */
  AG_OAUTH_LOGIN_ERROR_BAD_REDIRECT,      /* a redirect query that cannot be read */
  AG_OAUTH_LOGIN_ERROR_FAILED,            /* Google reported another error */
} AgOAuthLoginError;
GQuark ag_oauth_login_error_quark (void);

#define AG_OAUTH_LOGIN_DEFAULT_TIMEOUT_S 300
#define AG_OAUTH_LOGIN_CALLBACK_PATH "/oauth-callback"

/* What the consent page sent back in the redirect's query. */
typedef struct {
  char *code;    /* nullable */
  char *state;   /* nullable */
  char *error;   /* nullable, e.g. "access_denied" */
} AgOAuthRedirect;
void ag_oauth_redirect_free (AgOAuthRedirect *redirect);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AgOAuthRedirect, ag_oauth_redirect_free)

/* Parses a redirect query ("code=…&state=…", without '?'). Pure. Fails (AG_OAUTH_LOGIN_ERROR_BAD_REDIRECT) on a
 * NULL or malformed query and when it carries neither a code nor an error. */
AgOAuthRedirect *ag_oauth_login_parse_redirect (const char *query, GError **error);

/* The S256 code challenge of @verifier: base64url (no padding) of its SHA-256. Pure. */
char *ag_oauth_login_pkce_challenge (const char *verifier);

#define AG_TYPE_OAUTH_LOGIN (ag_oauth_login_get_type ())
G_DECLARE_FINAL_TYPE (AgOAuthLogin, ag_oauth_login, AG, OAUTH_LOGIN, GObject)

/* Makes a fresh PKCE verifier and state. */
AgOAuthLogin *ag_oauth_login_new (AgCloudcodeConfig *config, AgOAuthClient *oauth);
/* Seconds to wait for the redirect (default AG_OAUTH_LOGIN_DEFAULT_TIMEOUT_S); set before waiting. */
void          ag_oauth_login_set_timeout (AgOAuthLogin *self, guint seconds);

/* Opens the loopback listener; the consent URL is then available. Fails with AG_OAUTH_LOGIN_ERROR_LISTEN. */
gboolean      ag_oauth_login_start (AgOAuthLogin *self, GError **error);
/* The page to open in the browser (after start), NULL before. */
const char   *ag_oauth_login_get_consent_url (AgOAuthLogin *self);
/* "http://127.0.0.1:PORT/oauth-callback" (after start), NULL before. */
const char   *ag_oauth_login_get_redirect_uri (AgOAuthLogin *self);

/* Waits for the browser to come back, answers it with a short page, exchanges the code and returns the refresh
 * token (a secret: never log it). Redirects with a wrong state are answered with an error page and ignored. The
 * listener closes when this completes. Call once, after start. */
void          ag_oauth_login_wait_async (AgOAuthLogin *self, GCancellable *cancellable,
                                         GAsyncReadyCallback callback, gpointer user_data);
char         *ag_oauth_login_wait_finish (AgOAuthLogin *self, GAsyncResult *result, GError **error);

G_END_DECLS
