/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "ag-add-account-page-private.h"
#include "ag-account-registry.h"

#include <glib/gi18n.h>
#include "ag-antigravity-import.h"
#include "ag-oauth-login.h"

struct _AgAddAccountPage
{
  AgPage               parent_instance;

  GtkButton           *sign_in_button;
  GtkButton           *cancel_button;
  GtkSpinner          *spinner;
  GtkLabel            *status_label;
  GtkLabel            *error_label;
  AdwPasswordEntryRow *token_row;
  AdwPreferencesGroup *import_group;
  AdwActionRow        *import_row;
  GtkButton           *import_button;

  AgOAuthLogin        *login;
  GCancellable        *cancellable;
};

G_DEFINE_FINAL_TYPE (AgAddAccountPage, ag_add_account_page, AG_TYPE_PAGE)

char *
ag_add_account_page_explain_error (const GError *error)
{
  if (error->domain == AG_OAUTH_LOGIN_ERROR)
    switch ((AgOAuthLoginError) error->code)
      {
      case AG_OAUTH_LOGIN_ERROR_DENIED:
        return g_strdup (_("You declined access on Google's page, so no account was added."));
      case AG_OAUTH_LOGIN_ERROR_TIMED_OUT:
        return g_strdup (_("The browser did not come back within 5 minutes. Sign in again when you are ready."));
      case AG_OAUTH_LOGIN_ERROR_NO_REFRESH_TOKEN:
        return g_strdup (_("Google returned no refresh token. Remove ag-cl's access in your Google account's "
                           "security settings, then sign in again."));
      case AG_OAUTH_LOGIN_ERROR_LISTEN:
        return g_strdup (_("ag-cl could not open a local port to receive the sign-in. Check that nothing blocks "
                           "connections to 127.0.0.1, then try again."));
      case AG_OAUTH_LOGIN_ERROR_BAD_REDIRECT:
      case AG_OAUTH_LOGIN_ERROR_FAILED:
      default:
        break;
      }
  if (error->domain == AG_ANTIGRAVITY_IMPORT_ERROR && error->code == AG_ANTIGRAVITY_IMPORT_ERROR_NOT_SIGNED_IN)
    return g_strdup (_("The Antigravity IDE on this computer is not signed in. Sign in there first, or use "
                       "“Sign In with Google”."));
  /* Translators: %s is the technical reason, in English. */
  return g_strdup_printf (_("The account could not be added: %s"), error->message);
}

static void
set_busy (AgAddAccountPage *self, const char *status)
{
  gboolean busy = status != NULL;

  gtk_widget_set_sensitive (GTK_WIDGET (self->sign_in_button), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->token_row), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->import_button), !busy);
  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button), busy);
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_label_set_label (self->status_label, busy ? status : "");
  gtk_widget_set_visible (GTK_WIDGET (self->status_label), busy);
  if (!busy)
    {
      g_clear_object (&self->cancellable);
      g_clear_object (&self->login);
    }
}

static void
show_error (AgAddAccountPage *self, const GError *error)
{
  g_autofree char *text = NULL;

  set_busy (self, NULL);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  text = ag_add_account_page_explain_error (error);
  gtk_label_set_label (self->error_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
}

static void
clear_error (AgAddAccountPage *self)
{
  gtk_label_set_label (self->error_label, "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
}

static void
account_added (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(AgAddAccountPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(AgAccount) account = ag_account_registry_add_finish (AG_ACCOUNT_REGISTRY (source), result, &error);
  g_autofree char *text = NULL;

  if (account == NULL)
    {
      show_error (self, error);
      return;
    }
  set_busy (self, NULL);
  gtk_editable_set_text (GTK_EDITABLE (self->token_row), "");
  text = g_strdup_printf (_("%s was added"), ag_account_get_email (account));
  gtk_widget_activate_action (GTK_WIDGET (self), "win.toast", "s", text);
  gtk_widget_activate_action (GTK_WIDGET (self), "win.show-page", "s", "accounts");
}

static void
add_account (AgAddAccountPage *self, const char *refresh_token)
{
  set_busy (self, _("Setting up the account…"));
  if (self->cancellable == NULL)
    self->cancellable = g_cancellable_new ();
  ag_account_registry_add_async (ag_proxy_service_get_registry (ag_page_get_service (AG_PAGE (self))),
                                 refresh_token, self->cancellable, account_added, g_object_ref (self));
}

static void
login_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(AgAddAccountPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *refresh_token = ag_oauth_login_wait_finish (AG_OAUTH_LOGIN (source), result, &error);

  if (refresh_token == NULL)
    {
      show_error (self, error);
      return;
    }
  add_account (self, refresh_token);
}

static void
sign_in (AgAddAccountPage *self)
{
  AgProxyService *service = ag_page_get_service (AG_PAGE (self));
  AgCloudcodeConfig *config = ag_cloudcode_client_get_config (ag_proxy_service_get_cloudcode (service));
  g_autoptr(GError) error = NULL;

  clear_error (self);
  self->login = ag_oauth_login_new (config, ag_proxy_service_get_oauth (service));
  if (!ag_oauth_login_start (self->login, &error))
    {
      show_error (self, error);
      return;
    }
  self->cancellable = g_cancellable_new ();
  set_busy (self, _("Continue in your browser. ag-cl is waiting for Google to send you back."));
  ag_oauth_login_wait_async (self->login, self->cancellable, login_done, g_object_ref (self));
  ag_uri_launcher_launch (ag_ui_context_get_uri_launcher (ag_page_get_context (AG_PAGE (self))),
                          GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                          ag_oauth_login_get_consent_url (self->login));
}

static void
cancel (AgAddAccountPage *self)
{
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
}

static void
token_applied (AgAddAccountPage *self)
{
  g_autofree char *token = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->token_row))));

  clear_error (self);
  if (token[0] == '\0')
    return;
  add_account (self, token);
}

static void
ide_token_read (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(AgAddAccountPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *refresh_token = ag_antigravity_import_read_finish (result, &error);

  if (refresh_token == NULL)
    {
      show_error (self, error);
      return;
    }
  add_account (self, refresh_token);
}

static void
import_from_ide (AgAddAccountPage *self)
{
  g_autofree char *path = ag_antigravity_import_get_default_path ();

  clear_error (self);
  set_busy (self, _("Reading the Antigravity IDE’s sign-in…"));
  self->cancellable = g_cancellable_new ();
  ag_antigravity_import_read_async (path, self->cancellable, ide_token_read, g_object_ref (self));
}

static void
ag_add_account_page_dispose (GObject *object)
{
  AgAddAccountPage *self = AG_ADD_ACCOUNT_PAGE (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->login);
  G_OBJECT_CLASS (ag_add_account_page_parent_class)->dispose (object);
}

static void
ag_add_account_page_constructed (GObject *object)
{
  AgAddAccountPage *self = AG_ADD_ACCOUNT_PAGE (object);
  g_autofree char *ide_state = ag_antigravity_import_get_default_path ();

  G_OBJECT_CLASS (ag_add_account_page_parent_class)->constructed (object);

  /* Offered only when the IDE has its state on this machine. */
  if (g_file_test (ide_state, G_FILE_TEST_IS_REGULAR))
    {
      adw_action_row_set_subtitle (self->import_row, ide_state);
      gtk_widget_set_visible (GTK_WIDGET (self->import_group), TRUE);
    }
}

static void
ag_add_account_page_class_init (AgAddAccountPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = ag_add_account_page_constructed;
  object_class->dispose = ag_add_account_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/agcl/AgCl/ag-add-account-page.ui");
  gtk_widget_class_bind_template_child (widget_class, AgAddAccountPage, sign_in_button);
  gtk_widget_class_bind_template_child (widget_class, AgAddAccountPage, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, AgAddAccountPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, AgAddAccountPage, status_label);
  gtk_widget_class_bind_template_child (widget_class, AgAddAccountPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, AgAddAccountPage, token_row);
  gtk_widget_class_bind_template_child (widget_class, AgAddAccountPage, import_group);
  gtk_widget_class_bind_template_child (widget_class, AgAddAccountPage, import_row);
  gtk_widget_class_bind_template_child (widget_class, AgAddAccountPage, import_button);
  gtk_widget_class_bind_template_callback (widget_class, sign_in);
  gtk_widget_class_bind_template_callback (widget_class, cancel);
  gtk_widget_class_bind_template_callback (widget_class, token_applied);
  gtk_widget_class_bind_template_callback (widget_class, import_from_ide);
}

static void
ag_add_account_page_init (AgAddAccountPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
ag_add_account_page_new (AgUiContext *context)
{
  return g_object_new (AG_TYPE_ADD_ACCOUNT_PAGE, "context", context, NULL);
}

GtkButton *ag_add_account_page_get_sign_in_button (AgAddAccountPage *self) { return self->sign_in_button; }
GtkButton *ag_add_account_page_get_import_button (AgAddAccountPage *self) { return self->import_button; }
GtkButton *ag_add_account_page_get_cancel_button (AgAddAccountPage *self) { return self->cancel_button; }
gboolean ag_add_account_page_get_busy (AgAddAccountPage *self) { return self->cancellable != NULL; }
const char *ag_add_account_page_get_error_text (AgAddAccountPage *self)
{
  return gtk_label_get_label (self->error_label);
}
