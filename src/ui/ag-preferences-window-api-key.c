// SPDX-License-Identifier: GPL-3.0-or-later
/* The preferences' Local API Key group: generating, replacing, removing and copying the key, and handing a new or
 * newly required key to the coding agents set up for ag-cl. */
#include "config.h"
#include "ag-preferences-window-private.h"
#include "ag-agent-setup.h"
#include "ag-local-api-key.h"

#include <glib/gi18n.h>
#include <string.h>

static AgLocalApiKey *
local_api_key (AgPreferencesWindow *self)
{
  return ag_proxy_service_get_local_api_key (ag_ui_context_get_service (self->context));
}

void
ag_preferences_window_sync_api_key (AgPreferencesWindow *self)
{
  gboolean has_key = ag_local_api_key_is_set (local_api_key (self));
  GSettings *settings = ag_ui_context_get_settings (self->context);
  gboolean required = settings != NULL && g_settings_get_boolean (settings, "require-api-key");
  const char *text;

  if (required)
    text = has_key ? _("Set: every client must send it")
                   : _("Not set, but required: every client is refused until there is one");
  else
    text = has_key ? _("Set: clients on other computers and other users’ clients must send it")
                   : _("Not set: only your own clients on this computer can connect");
  adw_action_row_set_subtitle (self->api_key_row, text);
  gtk_widget_set_sensitive (GTK_WIDGET (self->api_key_copy_button), has_key);
  gtk_widget_set_sensitive (GTK_WIDGET (self->api_key_remove_button), has_key);
  ag_preferences_window_sync_address_status (self);
}

void
ag_preferences_window_forget_previous_key (AgPreferencesWindow *self)
{
  if (self->previous_key != NULL)
    memset (self->previous_key, 0, strlen (self->previous_key));
  g_clear_pointer (&self->previous_key, g_free);
}

static void api_key_generated (GObject *source, GAsyncResult *result, gpointer user_data);

/* Remembers the key being replaced (none: the agents were set up without one) for the hand-over. */
static void
generate_key (AgPreferencesWindow *self)
{
  ag_preferences_window_forget_previous_key (self);
  self->previous_key = g_strdup (ag_local_api_key_get_value (local_api_key (self)));
  ag_local_api_key_generate_async (local_api_key (self), self->cancellable, api_key_generated, g_object_ref (self));
}

static void
key_handed_over (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(AgPreferencesWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) updated = ag_agent_setup_hand_over_key_finish (result, &error);
  g_autofree char *names = NULL;
  g_autofree char *text = NULL;

  if (updated == NULL || updated[0] == NULL)
    return;
  names = g_strjoinv (", ", updated);
  /* Translators: %s is a list of coding agents, such as "Claude Code, Codex" */
  text = g_strdup_printf (_("%s now send the new local API key"), names);
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (text));
}

/* A new key, or the key required from local clients too: the agents set up for ag-cl get it, so that neither
 * locks one out (ag_agent_setup_hand_over_key_async says which count as set up). */
static void
give_key_to_agents (AgPreferencesWindow *self)
{
  AgProxyService *service = ag_ui_context_get_service (self->context);
  g_autofree char *url = ag_proxy_service_get_url (service);
  const char *key = ag_local_api_key_get_value (local_api_key (self));

  if (url != NULL && key != NULL)
    ag_agent_setup_hand_over_key_async (url, self->previous_key, key, self->cancellable, key_handed_over,
                                        g_object_ref (self));
  ag_preferences_window_forget_previous_key (self);
}

static void
api_key_generated (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(AgPreferencesWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = ag_local_api_key_generate_finish (AG_LOCAL_API_KEY (source), result, &error);

  if (key == NULL)
    {
      ag_preferences_window_forget_previous_key (self);
      adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (error->message));
      return;
    }
  memset (key, 0, strlen (key));
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self),
                                    adw_toast_new (_("New key set: copy it to your clients")));
  give_key_to_agents (self);
}

/* Switched on: the key must exist, and the agents set up here must send it. */
void
ag_preferences_window_require_key_changed (AgPreferencesWindow *self)
{
  ag_preferences_window_sync_api_key (self);
  if (!g_settings_get_boolean (ag_ui_context_get_settings (self->context), "require-api-key"))
    return;
  if (!ag_local_api_key_is_set (local_api_key (self)))
    generate_key (self);
  else
    give_key_to_agents (self);
}

static void
api_key_removed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(AgPreferencesWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!ag_local_api_key_clear_finish (AG_LOCAL_API_KEY (source), result, &error))
    adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (error->message));
}

static void
on_api_key_response (AdwMessageDialog *dialog, const char *response, gpointer user_data)
{
  AgPreferencesWindow *self = user_data;

  if (g_str_equal (response, "replace"))
    generate_key (self);
  else if (g_str_equal (response, "remove"))
    ag_local_api_key_clear_async (local_api_key (self), self->cancellable, api_key_removed, g_object_ref (self));
}

static void
confirm_api_key_change (AgPreferencesWindow *self, const char *heading, const char *body, const char *response,
                        const char *label)
{
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), heading, body);

  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"), response, label, NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), response, ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_api_key_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* A first key is harmless; replacing one locks out every client that has the old one, so that is confirmed. */
static void
generate_api_key (AgPreferencesWindow *self)
{
  if (!ag_local_api_key_is_set (local_api_key (self)))
    {
      generate_key (self);
      return;
    }
  confirm_api_key_change (self, _("Replace the Local API Key?"),
                          _("Clients that use the current key are refused until they get the new one."),
                          "replace", _("_Replace"));
}

static void
remove_api_key (AgPreferencesWindow *self)
{
  confirm_api_key_change (self, _("Remove the Local API Key?"),
                          _("Clients no longer need a key, and ag-cl stops listening on any address other than "
                            "loopback."),
                          "remove", _("_Remove"));
}

static void
copy_api_key (AgPreferencesWindow *self)
{
  const char *key = ag_local_api_key_get_value (local_api_key (self));

  if (key == NULL)
    return;
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), key);
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (_("Key copied")));
}

void
ag_preferences_window_api_key_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_callback (widget_class, generate_api_key);
  gtk_widget_class_bind_template_callback (widget_class, remove_api_key);
  gtk_widget_class_bind_template_callback (widget_class, copy_api_key);
}
