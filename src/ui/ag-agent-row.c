/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "ag-agent-row-private.h"
#include "ag-local-api-key.h"

#include <glib/gi18n.h>

struct _AgAgentRow
{
  AdwActionRow  parent_instance;

  GtkButton    *button;
  GtkImage     *status_icon;
  AgUiContext  *context;
  AgAgent       agent;
  GCancellable *cancellable;
  gboolean      set_up;
  gboolean      busy;
};

G_DEFINE_FINAL_TYPE (AgAgentRow, ag_agent_row, ADW_TYPE_ACTION_ROW)

/* Where the agent should point now; FALSE while the proxy does not listen. */
static gboolean
current_target (AgAgentRow *self, char **url, char **api_key)
{
  AgProxyService *service = ag_ui_context_get_service (self->context);

  *url = ag_proxy_service_get_url (service);
  *api_key = g_strdup (ag_local_api_key_get_value (ag_proxy_service_get_local_api_key (service)));
  return *url != NULL;
}

static void
show_state (AgAgentRow *self)
{
  g_autofree char *path = ag_agent_get_path (self->agent);
  g_autofree char *home_path = NULL;
  g_autofree char *subtitle = NULL;
  const char *home = g_get_home_dir ();
  const char *shown;

  if (g_str_has_prefix (path, home))
    home_path = g_strconcat ("~", path + strlen (home), NULL);
  shown = home_path != NULL ? home_path : path;
  if (self->busy)
    subtitle = g_strdup (shown);
  else
    /* Translators: a settings file, then whether the agent is pointed at ag-cl. */
    subtitle = g_strdup_printf (_("%s — %s"), shown, self->set_up ? _("uses ag-cl") : _("not set up"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self), subtitle);
  gtk_widget_set_visible (GTK_WIDGET (self->status_icon), self->set_up);
}

static void
is_current_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(AgAgentRow) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean current = ag_agent_setup_is_current_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->busy = FALSE;
  self->set_up = current;
  show_state (self);
}

void
ag_agent_row_refresh (AgAgentRow *self)
{
  g_autofree char *url = NULL, *api_key = NULL;
  AgAgentTarget target;

  g_return_if_fail (AG_IS_AGENT_ROW (self));
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  gtk_widget_set_sensitive (GTK_WIDGET (self->button), current_target (self, &url, &api_key));
  if (url == NULL)
    return;
  self->cancellable = g_cancellable_new ();
  self->busy = TRUE;
  target = (AgAgentTarget) { url, api_key, NULL };
  ag_agent_setup_is_current_async (self->agent, &target, self->cancellable, is_current_done, g_object_ref (self));
}

static void
show_error (AgAgentRow *self, const char *heading, const char *body)
{
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))), heading, body);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
applied (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(AgAgentRow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) backups = ag_agent_setup_apply_finish (result, &error);
  g_autofree char *text = NULL;

  if (backups == NULL)
    {
      g_autofree char *heading = g_strdup_printf (_("%s Was Not Changed"), ag_agent_get_name (self->agent));
      show_error (self, heading, error->message);
      return;
    }
  if (backups[0] != NULL)
    text = g_strdup_printf (_("%s now uses ag-cl (backup: %s)"), ag_agent_get_name (self->agent), backups[0]);
  else
    text = g_strdup_printf (_("%s now uses ag-cl"), ag_agent_get_name (self->agent));
  gtk_widget_activate_action (GTK_WIDGET (self), "win.toast", "s", text);
  ag_agent_row_refresh (self);
}

static void
on_response (AdwMessageDialog *dialog, const char *response, gpointer user_data)
{
  AgAgentRow *self = user_data;
  g_autofree char *url = NULL, *api_key = NULL;
  AgAgentTarget target;

  if (!g_str_equal (response, "apply") || !current_target (self, &url, &api_key))
    return;
  target = (AgAgentTarget) { url, api_key, NULL };
  ag_agent_setup_apply_async (self->agent, &target, NULL, applied, g_object_ref (self));
}

static void
previewed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(AgAgentRow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *preview = ag_agent_setup_preview_finish (result, &error);
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;
  GtkWidget *dialog;

  if (preview == NULL)
    {
      heading = g_strdup_printf (_("Cannot Read the %s Settings"), ag_agent_get_name (self->agent));
      show_error (self, heading, error->message);
      return;
    }
  /* Translators: the list of changes to the agent's settings files follows. */
  body = g_strdup_printf (_("ag-cl will make these changes (a backup of each file is kept):\n\n%s"), preview);
  /* Translators: %s is a coding agent, e.g. Codex. */
  heading = g_strdup_printf (_("Use ag-cl in %s?"), ag_agent_get_name (self->agent));
  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))), heading, body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"), "apply", _("_Change"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "apply", ADW_RESPONSE_SUGGESTED);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
set_up_clicked (AgAgentRow *self)
{
  g_autofree char *url = NULL, *api_key = NULL;
  AgAgentTarget target;

  if (!current_target (self, &url, &api_key))
    return;
  target = (AgAgentTarget) { url, api_key, NULL };
  ag_agent_setup_preview_async (self->agent, &target, NULL, previewed, g_object_ref (self));
}

static void
ag_agent_row_dispose (GObject *object)
{
  AgAgentRow *self = AG_AGENT_ROW (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->context);
  G_OBJECT_CLASS (ag_agent_row_parent_class)->dispose (object);
}

static void
ag_agent_row_class_init (AgAgentRowClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = ag_agent_row_dispose;
}

static void
ag_agent_row_init (AgAgentRow *self)
{
  self->status_icon = GTK_IMAGE (gtk_image_new_from_icon_name ("emblem-ok-symbolic"));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->status_icon), _("Uses ag-cl"));
  gtk_widget_set_visible (GTK_WIDGET (self->status_icon), FALSE);
  adw_action_row_add_suffix (ADW_ACTION_ROW (self), GTK_WIDGET (self->status_icon));
  self->button = GTK_BUTTON (gtk_button_new_with_mnemonic (_("_Set Up…")));
  gtk_widget_set_valign (GTK_WIDGET (self->button), GTK_ALIGN_CENTER);
  g_signal_connect_swapped (self->button, "clicked", G_CALLBACK (set_up_clicked), self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (self), GTK_WIDGET (self->button));
}

GtkWidget *
ag_agent_row_new (AgUiContext *context, AgAgent agent)
{
  AgAgentRow *self = g_object_new (AG_TYPE_AGENT_ROW, NULL);
  g_autofree char *title = NULL;

  self->context = g_object_ref (context);
  self->agent = agent;
  /* Translators: %s is a coding agent: Claude Code, Codex or Gemini CLI. */
  title = g_strdup_printf (_("Use with %s"), ag_agent_get_name (agent));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), title);
  show_state (self);
  ag_agent_row_refresh (self);
  return GTK_WIDGET (self);
}

GtkButton *ag_agent_row_get_button (AgAgentRow *self) { return self->button; }
gboolean ag_agent_row_get_set_up (AgAgentRow *self) { return self->set_up; }
gboolean ag_agent_row_get_busy (AgAgentRow *self) { return self->busy; }
