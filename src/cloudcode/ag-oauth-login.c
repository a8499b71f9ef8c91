/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "ag-oauth-login.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <string.h>
#include <sys/random.h>

struct _AgOAuthLogin
{
  GObject parent_instance;

  AgCloudcodeConfig *config;
  AgOAuthClient     *oauth;
  char              *verifier;       /* secret until the exchange */
  char              *state;
  guint              timeout_s;

  SoupServer        *server;
  char              *redirect_uri;
  char              *consent_url;
  GTask             *task;           /* the pending wait */
  GMainContext      *context;        /* of the wait */
  guint              timeout_id;
  gulong             cancelled_id;
  gboolean           exchanging;     /* a code arrived: later redirects are stale */
  SoupServerMessage *held;           /* the browser's redirect, answered once the exchange is done */
  guint              responding;     /* answers to the browser still being written */
  char              *refresh_token;  /* the outcome, returned once the browser has its page */
  GError            *error;
  gboolean           completing;
};

G_DEFINE_FINAL_TYPE (AgOAuthLogin, ag_oauth_login, G_TYPE_OBJECT)
G_DEFINE_QUARK (ag-oauth-login-error-quark, ag_oauth_login_error)

void
ag_oauth_redirect_free (AgOAuthRedirect *redirect)
{
  if (redirect == NULL)
    return;
  g_free (redirect->code);
  g_free (redirect->state);
  g_free (redirect->error);
  g_free (redirect);
}

AgOAuthRedirect *
ag_oauth_login_parse_redirect (const char *query, GError **error)
{
  g_autoptr(GHashTable) params = NULL;
  g_autoptr(AgOAuthRedirect) redirect = NULL;
  const char *code;
  const char *oauth_error;

  if (query == NULL)
    {
      g_set_error (error, AG_OAUTH_LOGIN_ERROR, AG_OAUTH_LOGIN_ERROR_BAD_REDIRECT, "the redirect has no query");
      return NULL;
    }
  params = g_uri_parse_params (query, -1, "&", G_URI_PARAMS_WWW_FORM, NULL);
  if (params == NULL)
    {
      g_set_error (error, AG_OAUTH_LOGIN_ERROR, AG_OAUTH_LOGIN_ERROR_BAD_REDIRECT, "the redirect query is malformed");
      return NULL;
    }
  code = g_hash_table_lookup (params, "code");
  oauth_error = g_hash_table_lookup (params, "error");
  if ((code == NULL || *code == '\0') && (oauth_error == NULL || *oauth_error == '\0'))
    {
      g_set_error (error, AG_OAUTH_LOGIN_ERROR, AG_OAUTH_LOGIN_ERROR_BAD_REDIRECT,
                   "the redirect carries neither a code nor an error");
      return NULL;
    }
  redirect = g_new0 (AgOAuthRedirect, 1);
  redirect->code = code != NULL && *code != '\0' ? g_strdup (code) : NULL;
  redirect->error = oauth_error != NULL && *oauth_error != '\0' ? g_strdup (oauth_error) : NULL;
  redirect->state = g_strdup (g_hash_table_lookup (params, "state"));
  return g_steal_pointer (&redirect);
}

static char *
base64url_nopad (const guint8 *data, gsize len)
{
  char *text = g_base64_encode (data, len);

  g_strdelimit (text, "+", '-');
  g_strdelimit (text, "/", '_');
  for (char *p = text; *p != '\0'; p++)
    if (*p == '=')
      {
        *p = '\0';
        break;
      }
  return text;
}

char *
ag_oauth_login_pkce_challenge (const char *verifier)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 digest[32];
  gsize digest_len = sizeof digest;

  g_checksum_update (checksum, (const guchar *) verifier, -1);
  g_checksum_get_digest (checksum, digest, &digest_len);
  return base64url_nopad (digest, digest_len);
}

/* GRand is not a CSPRNG: the verifier and state come from the kernel. */
static char *
random_token (void)
{
  guint8 bytes[32];
  gsize filled = 0;

  while (filled < sizeof bytes)
    {
      ssize_t n = getrandom (bytes + filled, sizeof bytes - filled, 0);

      if (n > 0)
        filled += (gsize) n;
      else if (n < 0 && errno != EINTR)
        g_error ("getrandom failed: %s", g_strerror (errno));
    }
  return base64url_nopad (bytes, sizeof bytes);
}

static void
stop_waiting (AgOAuthLogin *self)
{
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  if (self->task != NULL && self->cancelled_id != 0)
    g_cancellable_disconnect (g_task_get_cancellable (self->task), self->cancelled_id);
  self->cancelled_id = 0;
}

static void
ag_oauth_login_dispose (GObject *object)
{
  AgOAuthLogin *self = AG_OAUTH_LOGIN (object);

  stop_waiting (self);
  if (self->server != NULL)
    soup_server_disconnect (self->server);
  g_clear_object (&self->server);
  g_clear_object (&self->oauth);
  g_clear_object (&self->config);
  G_OBJECT_CLASS (ag_oauth_login_parent_class)->dispose (object);
}

static void
ag_oauth_login_finalize (GObject *object)
{
  AgOAuthLogin *self = AG_OAUTH_LOGIN (object);

  g_free (self->verifier);
  g_free (self->state);
  g_free (self->redirect_uri);
  g_free (self->consent_url);
  g_free (self->refresh_token);
  g_clear_error (&self->error);
  g_clear_pointer (&self->context, g_main_context_unref);
  G_OBJECT_CLASS (ag_oauth_login_parent_class)->finalize (object);
}

static void
ag_oauth_login_class_init (AgOAuthLoginClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ag_oauth_login_dispose;
  object_class->finalize = ag_oauth_login_finalize;
}

static void
ag_oauth_login_init (AgOAuthLogin *self)
{
  self->timeout_s = AG_OAUTH_LOGIN_DEFAULT_TIMEOUT_S;
}

AgOAuthLogin *
ag_oauth_login_new (AgCloudcodeConfig *config, AgOAuthClient *oauth)
{
  AgOAuthLogin *self;

  g_return_val_if_fail (AG_IS_CLOUDCODE_CONFIG (config), NULL);
  g_return_val_if_fail (AG_IS_OAUTH_CLIENT (oauth), NULL);

  self = g_object_new (AG_TYPE_OAUTH_LOGIN, NULL);
  self->config = g_object_ref (config);
  self->oauth = g_object_ref (oauth);
  self->verifier = random_token ();
  self->state = random_token ();
  return self;
}

void
ag_oauth_login_set_timeout (AgOAuthLogin *self, guint seconds)
{
  g_return_if_fail (AG_IS_OAUTH_LOGIN (self));
  self->timeout_s = seconds;
}

const char *
ag_oauth_login_get_consent_url (AgOAuthLogin *self)
{
  return self->consent_url;
}

const char *
ag_oauth_login_get_redirect_uri (AgOAuthLogin *self)
{
  return self->redirect_uri;
}

/* Closes the listener and hands the outcome to the caller. */
static gboolean
complete_now (gpointer user_data)
{
  AgOAuthLogin *self = user_data;
  g_autoptr(GTask) task = g_steal_pointer (&self->task);

  soup_server_disconnect (self->server);
  if (self->error != NULL)
    g_task_return_error (task, g_steal_pointer (&self->error));
  else
    g_task_return_pointer (task, g_steal_pointer (&self->refresh_token), g_free);
  return G_SOURCE_REMOVE;
}

/* Takes @refresh_token or @error. Closing the listener would cut off the page the browser is still receiving, so
 * the wait completes once that page is out. */
static void
complete (AgOAuthLogin *self, char *refresh_token, GError *error)
{
  if (self->task == NULL || self->completing)
    {
      g_free (refresh_token);
      g_clear_error (&error);
      return;
    }
  self->completing = TRUE;
  self->refresh_token = refresh_token;
  self->error = error;
  stop_waiting (self);
  if (self->responding == 0)
    g_idle_add_full (G_PRIORITY_DEFAULT, complete_now, g_object_ref (self), g_object_unref);
}

static void
on_response_finished (SoupServerMessage *msg, gpointer user_data)
{
  AgOAuthLogin *self = user_data;

  self->responding--;
  if (self->responding == 0 && self->completing)
    g_idle_add_full (G_PRIORITY_DEFAULT, complete_now, g_object_ref (self), g_object_unref);
}

static void
respond_page (SoupServerMessage *msg, guint status, const char *title, const char *text)
{
  g_autofree char *escaped_title = g_markup_escape_text (title, -1);
  g_autofree char *escaped_text = g_markup_escape_text (text, -1);
  g_autofree char *page = g_strdup_printf ("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>%s</title>"
                                           "</head><body style=\"font-family: sans-serif; margin: 4em auto; "
                                           "max-width: 32em; text-align: center\"><h1>%s</h1><p>%s</p>"
                                           "</body></html>\n",
                                           escaped_title, escaped_title, escaped_text);

  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "text/html; charset=utf-8", SOUP_MEMORY_COPY, page, strlen (page));
}

/* Counts an answer the listener must stay open for. */
static void
hold_listener_for (AgOAuthLogin *self, SoupServerMessage *msg)
{
  self->responding++;
  g_signal_connect_object (msg, "finished", G_CALLBACK (on_response_finished), self, 0);
}

static void
code_exchanged (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(AgOAuthLogin) self = user_data;
  g_autoptr(SoupServerMessage) held = g_steal_pointer (&self->held);
  g_autoptr(GError) error = NULL;
  g_autoptr(AgOAuthTokens) tokens = ag_oauth_client_exchange_code_finish (AG_OAUTH_CLIENT (source), result, &error);

  if (tokens != NULL && tokens->refresh_token == NULL)
    error = g_error_new (AG_OAUTH_LOGIN_ERROR, AG_OAUTH_LOGIN_ERROR_NO_REFRESH_TOKEN,
                         "Google returned no refresh token");
  if (error == NULL)
    respond_page (held, SOUP_STATUS_OK, _("Signed in"),
                  _("You are signed in. You can close this tab and go back to ag-cl."));
  else
    respond_page (held, SOUP_STATUS_OK, _("Sign-in failed"),
                  _("ag-cl could not finish the sign-in. Go back to ag-cl to see why."));
  soup_server_message_unpause (held);
  if (error != NULL)
    complete (self, NULL, g_steal_pointer (&error));
  else
    complete (self, g_steal_pointer (&tokens->refresh_token), NULL);
}

static void
on_callback (SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *query, gpointer user_data)
{
  AgOAuthLogin *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(AgOAuthRedirect) redirect = NULL;

  if (self->task == NULL || self->exchanging || self->completing)
    {
      respond_page (msg, SOUP_STATUS_GONE, _("Sign-in already handled"),
                    _("This sign-in has already finished. You can close this tab."));
      return;
    }
  redirect = ag_oauth_login_parse_redirect (g_uri_get_query (soup_server_message_get_uri (msg)), &error);
  /* A redirect without our state did not come from the consent page we opened (RFC 6749 §10.12): ignore it. */
  if (redirect == NULL || g_strcmp0 (redirect->state, self->state) != 0)
    {
      respond_page (msg, SOUP_STATUS_BAD_REQUEST, _("Sign-in link not recognised"),
                    _("This page does not belong to the sign-in ag-cl is waiting for. Start again from ag-cl."));
      return;
    }
  hold_listener_for (self, msg);
  if (redirect->error != NULL)
    {
      respond_page (msg, SOUP_STATUS_OK, _("Sign-in cancelled"),
                    _("ag-cl was not given access. You can close this tab and go back to ag-cl."));
      if (g_str_equal (redirect->error, "access_denied"))
        complete (self, NULL, g_error_new (AG_OAUTH_LOGIN_ERROR, AG_OAUTH_LOGIN_ERROR_DENIED,
                                           "access was declined on the Google consent page"));
      else
        complete (self, NULL, g_error_new (AG_OAUTH_LOGIN_ERROR, AG_OAUTH_LOGIN_ERROR_FAILED,
                                           "Google refused the sign-in: %s", redirect->error));
      return;
    }
  /* The browser's page waits for the exchange so that it can say whether the sign-in worked. */
  self->exchanging = TRUE;
  self->held = g_object_ref (msg);
  soup_server_message_pause (msg);
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  ag_oauth_client_exchange_code_async (self->oauth, redirect->code, self->verifier, self->redirect_uri,
                                       g_task_get_cancellable (self->task), code_exchanged, g_object_ref (self));
}

static void
append_param (GString *url, const char *name, const char *value)
{
  g_autofree char *escaped = g_uri_escape_string (value, NULL, FALSE);

  g_string_append_printf (url, "%s=%s&", name, escaped);
}

gboolean
ag_oauth_login_start (AgOAuthLogin *self, GError **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GSList) uris = NULL;
  g_autoptr(GString) url = NULL;
  g_autofree char *challenge = NULL;
  const char *auth_url;
  int port;

  g_return_val_if_fail (AG_IS_OAUTH_LOGIN (self), FALSE);
  g_return_val_if_fail (self->server == NULL, FALSE);

  self->server = soup_server_new ("server-header", "ag-cl", NULL);
  soup_server_add_handler (self->server, AG_OAUTH_LOGIN_CALLBACK_PATH, on_callback, self, NULL);
  if (!soup_server_listen_local (self->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &local_error))
    {
      g_set_error (error, AG_OAUTH_LOGIN_ERROR, AG_OAUTH_LOGIN_ERROR_LISTEN,
                   "cannot open a local port for the sign-in: %s", local_error->message);
      return FALSE;
    }
  uris = soup_server_get_uris (self->server);
  port = g_uri_get_port (uris->data);
  g_slist_free_full (g_steal_pointer (&uris), (GDestroyNotify) g_uri_unref);
  /* The literal address, not "localhost": RFC 8252 §7.3, and it cannot resolve to ::1 where nothing listens. */
  self->redirect_uri = g_strdup_printf ("http://127.0.0.1:%d" AG_OAUTH_LOGIN_CALLBACK_PATH, port);

  challenge = ag_oauth_login_pkce_challenge (self->verifier);
  auth_url = ag_cloudcode_config_get_auth_url (self->config);
  url = g_string_new (auth_url);
  g_string_append_c (url, strchr (auth_url, '?') != NULL ? '&' : '?');
  append_param (url, "client_id", ag_cloudcode_config_get_client_id (self->config));
  append_param (url, "redirect_uri", self->redirect_uri);
  append_param (url, "response_type", "code");
  append_param (url, "scope", ag_cloudcode_config_get_scopes (self->config));
  append_param (url, "access_type", "offline");
  /* Without a fresh consent Google issues no refresh token to a client that had one before. */
  append_param (url, "prompt", "consent");
  append_param (url, "code_challenge", challenge);
  append_param (url, "code_challenge_method", "S256");
  append_param (url, "state", self->state);
  g_string_truncate (url, url->len - 1);   /* the last '&' */
  self->consent_url = g_string_free (g_steal_pointer (&url), FALSE);
  return TRUE;
}

static gboolean
on_timeout (gpointer user_data)
{
  AgOAuthLogin *self = user_data;

  self->timeout_id = 0;
  complete (self, NULL, g_error_new (AG_OAUTH_LOGIN_ERROR, AG_OAUTH_LOGIN_ERROR_TIMED_OUT,
                                     "no answer from the browser within %u seconds", self->timeout_s));
  return G_SOURCE_REMOVE;
}

static gboolean
finish_cancelled (gpointer user_data)
{
  AgOAuthLogin *self = user_data;

  /* During the exchange the cancellable stops the token request, which completes the wait. */
  if (!self->exchanging)
    complete (self, NULL, g_error_new (G_IO_ERROR, G_IO_ERROR_CANCELLED, "the sign-in was cancelled"));
  return G_SOURCE_REMOVE;
}

/* Runs inside g_cancellable_cancel(), where disconnecting would deadlock: finish from an idle instead. */
static void
on_cancelled (GCancellable *cancellable, gpointer user_data)
{
  AgOAuthLogin *self = user_data;
  g_autoptr(GSource) idle = g_idle_source_new ();

  g_source_set_callback (idle, finish_cancelled, g_object_ref (self), g_object_unref);
  g_source_attach (idle, self->context);
}

void
ag_oauth_login_wait_async (AgOAuthLogin *self, GCancellable *cancellable,
                           GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (AG_IS_OAUTH_LOGIN (self));
  g_return_if_fail (self->task == NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ag_oauth_login_wait_async);
  if (self->server == NULL)
    {
      g_task_return_new_error (task, AG_OAUTH_LOGIN_ERROR, AG_OAUTH_LOGIN_ERROR_LISTEN,
                               "the sign-in was not started");
      return;
    }
  if (g_task_return_error_if_cancelled (task))
    return;
  self->task = g_steal_pointer (&task);
  self->context = g_main_context_ref_thread_default ();
  self->timeout_id = g_timeout_add_seconds (self->timeout_s, on_timeout, self);
  if (cancellable != NULL)
    self->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (on_cancelled), self, NULL);
}

char *
ag_oauth_login_wait_finish (AgOAuthLogin *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
