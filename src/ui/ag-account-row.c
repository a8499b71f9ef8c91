/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "ag-account-row-private.h"
#include "ag-account-proxy-dialog.h"
#include "ag-account-registry.h"
#include "ag-upstream-proxy.h"
#include "ag-reset-time.h"

#include <glib/gi18n.h>
#include <inttypes.h>

struct _AgAccountRow
{
  AgAccountExpanderRow parent_instance;

  AdwActionRow   *state_row;
  GtkWidget      *state_icon;
  GtkButton      *fix_button;
  GtkButton      *check_button;
  GtkButton      *reenable_button;
  GtkBox         *quota_box;
  GtkSwitch      *enabled_switch;
  AdwActionRow   *preferred_row;
  GtkButton      *preferred_button;
  AdwActionRow   *proxy_row;
  GtkButton      *proxy_button;

  char           *state_text;
};

G_DEFINE_FINAL_TYPE (AgAccountRow, ag_account_row, AG_TYPE_ACCOUNT_EXPANDER_ROW)

static AgAccount *
account_of (AgAccountRow *self)
{
  return ag_account_expander_row_get_account (AG_ACCOUNT_EXPANDER_ROW (self));
}

static AgUiContext *
context_of (AgAccountRow *self)
{
  return ag_account_expander_row_get_context (AG_ACCOUNT_EXPANDER_ROW (self));
}

static char *
format_time (gint64 unix_ms)
{
  return ag_reset_time_format (unix_ms, g_get_real_time () / 1000);
}

char *
ag_account_row_describe_state (AgAccountState state, GPtrArray *limits, const char *email)
{
  switch (state)
    {
    case AG_ACCOUNT_STATE_SIGNED_OUT:
      return g_strdup (_("Needs sign-in"));
    case AG_ACCOUNT_STATE_VALIDATION_REQUIRED:
      return g_strdup (_("Needs verification"));
    case AG_ACCOUNT_STATE_DISABLED:
      return g_strdup (_("Refused by Google"));
    case AG_ACCOUNT_STATE_BANNED:
      return g_strdup (_("Banned by Google"));
    case AG_ACCOUNT_STATE_VALID:
    default:
      break;
    }
  /* The list is sorted by end time: the first rest of this account is the one that ends soonest. */
  for (guint i = 0; limits != NULL && i < limits->len; i++)
    {
      AgRateLimit *limit = g_ptr_array_index (limits, i);
      g_autofree char *until = NULL;

      if (!g_str_equal (limit->account, email))
        continue;
      until = format_time (limit->until_ms);
      if (limit->kind == AG_UPSTREAM_FAILURE_QUOTA_EXHAUSTED)
        /* Translators: a model id and a time, e.g. "gemini-3-pro: quota exhausted until 14:05" */
        return g_strdup_printf (_("%s: quota exhausted until %s"), limit->model, until);
      return g_strdup_printf (_("%s: rate limited until %s"), limit->model, until);
    }
  return g_strdup (_("Active"));
}

static void
replace_text (char **slot, const char *value)
{
  g_free (*slot);
  *slot = g_strdup (value);
}

/* "Claude and GPT models: weekly quota used up until Fri 14:20", for a window at 0 whose reset is ahead. */
static char *
describe_used_up_window (AgAccount *account)
{
  GPtrArray *windows = ag_account_get_quota_windows (account);
  gint64 now_ms = g_get_real_time () / 1000;

  for (guint i = 0; windows != NULL && i < windows->len; i++)
    {
      const AgQuotaWindow *window = windows->pdata[i];
      g_autofree char *until = NULL;

      if (window->fraction > 0.0 || window->reset_ms <= now_ms)
        continue;
      until = format_time (window->reset_ms);
      return window->kind == AG_QUOTA_WINDOW_WEEKLY
             /* Translators: a model group and a day and time, e.g. "Gemini Models: weekly quota used up until
              * Fri 14:20". */
             ? g_strdup_printf (_("%s: weekly quota used up until %s"), window->group, until)
             : g_strdup_printf (_("%s: 5-hour quota used up until %s"), window->group, until);
    }
  return NULL;
}

static void
sync_header (AgAccountRow *self)
{
  AgAccount *account = account_of (self);
  const char *tier = ag_account_get_tier (account);
  const char *project = ag_account_get_project_id (account);
  AgAccountPool *pool = ag_proxy_service_get_pool (ag_ui_context_get_service (context_of (self)));
  g_autoptr(GPtrArray) limits = ag_account_pool_list_limits (pool);
  AgAccountState state = ag_account_get_state (account);
  const char *reason = ag_account_get_invalid_reason (account);
  g_autofree char *subtitle = NULL;

  g_free (self->state_text);
  self->state_text = ag_account_row_describe_state (state, limits, ag_account_get_email (account));
  if (g_strcmp0 (self->state_text, _("Active")) == 0)
    {
      g_autofree char *window = describe_used_up_window (account);

      if (window != NULL)
        replace_text (&self->state_text, window);
    }
  if (!ag_account_get_enabled (account))
    subtitle = g_strdup (_("Disabled"));
  else if (ag_account_get_ai_credits (account, NULL) >= 0)
    /* Translators: state · tier · project · the Google One AI credit balance, e.g. "1000 AI credits". */
    subtitle = g_strdup_printf (_("%s · %s · %s · %" PRId64 " AI credits"), self->state_text,
                                tier != NULL ? tier : _("unknown tier"), project != NULL ? project : _("no project"),
                                ag_account_get_ai_credits (account, NULL));
  else
    subtitle = g_strdup_printf ("%s · %s · %s", self->state_text, tier != NULL ? tier : _("unknown tier"),
                                project != NULL ? project : _("no project"));
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (self), subtitle);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->state_row), self->state_text);
  if (state != AG_ACCOUNT_STATE_VALID)
    adw_action_row_set_subtitle (self->state_row, reason != NULL ? reason : "");
  else
    adw_action_row_set_subtitle (self->state_row, ag_account_get_gemini_cli_closed (account)
                                 ? _("The Gemini CLI quota no longer serves this account’s tier") : "");
  gtk_widget_set_visible (GTK_WIDGET (self->fix_button), state == AG_ACCOUNT_STATE_SIGNED_OUT
                          || ((state == AG_ACCOUNT_STATE_VALIDATION_REQUIRED || state == AG_ACCOUNT_STATE_BANNED)
                              && ag_account_get_validation_url (account) != NULL));
  gtk_button_set_label (self->fix_button, state == AG_ACCOUNT_STATE_SIGNED_OUT ? _("_Sign In Again")
                                          : state == AG_ACCOUNT_STATE_BANNED   ? _("_Appeal…")
                                                                                : _("_Verify…"));
  gtk_widget_set_visible (GTK_WIDGET (self->check_button), state == AG_ACCOUNT_STATE_VALIDATION_REQUIRED
                          || state == AG_ACCOUNT_STATE_DISABLED);
  gtk_widget_set_visible (GTK_WIDGET (self->reenable_button), state == AG_ACCOUNT_STATE_BANNED);
  /* The warning is the icon's alone: on the whole row, its colour would make Check Again look destructive. */
  gtk_widget_set_visible (self->state_icon, state != AG_ACCOUNT_STATE_VALID);
}

static GtkWidget *
quota_row (const char *title, const char *subtitle, double fraction)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *bar = gtk_level_bar_new_for_interval (0, 1);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_level_bar_set_value (GTK_LEVEL_BAR (bar), fraction);
  gtk_widget_set_size_request (bar, 160, -1);
  gtk_widget_set_valign (bar, GTK_ALIGN_CENTER);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), bar);
  return row;
}

/* Google's 5-hour and weekly windows, one row each per model group, before the per-model figures. */
static void
add_window_rows (AgAccountRow *self)
{
  GPtrArray *windows = ag_account_get_quota_windows (account_of (self));

  for (guint i = 0; windows != NULL && i < windows->len; i++)
    {
      const AgQuotaWindow *window = windows->pdata[i];
      g_autofree char *title = NULL;
      g_autofree char *subtitle = NULL;

      /* Translators: a model group and Google's quota window, e.g. "Gemini Models · weekly". */
      title = g_strdup_printf (_("%s · %s"), window->group,
                               window->kind == AG_QUOTA_WINDOW_WEEKLY ? _("weekly") : _("5 h"));
      if (window->reset_ms > 0)
        {
          g_autofree char *time = format_time (window->reset_ms);

          subtitle = g_strdup_printf (_("%.0f %% left, resets at %s"), window->fraction * 100, time);
        }
      else
        subtitle = g_strdup_printf (_("%.0f %% left"), window->fraction * 100);
      gtk_box_append (self->quota_box, quota_row (title, subtitle, window->fraction));
    }
}

static void
sync_quota (AgAccountRow *self)
{
  g_auto(GStrv) models = ag_account_list_quota_models (account_of (self));
  GPtrArray *windows = ag_account_get_quota_windows (account_of (self));
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->quota_box))) != NULL)
    gtk_box_remove (self->quota_box, child);
  gtk_widget_set_visible (GTK_WIDGET (self->quota_box), (models != NULL && models[0] != NULL) ||
                                                        (windows != NULL && windows->len > 0));
  add_window_rows (self);
  for (guint i = 0; models != NULL && models[i] != NULL; i++)
    {
      double fraction = 0;
      gint64 reset_ms = 0;
      g_autofree char *subtitle = NULL;

      ag_account_get_model_quota (account_of (self), models[i], &fraction, &reset_ms);
      if (reset_ms > 0)
        {
          g_autofree char *time = format_time (reset_ms);

          /* Translators: "80 % left, resets at 14:05" */
          subtitle = g_strdup_printf (_("%.0f %% left, resets at %s"), fraction * 100, time);
        }
      else
        subtitle = g_strdup_printf (_("%.0f %% left"), fraction * 100);
      gtk_box_append (self->quota_box, quota_row (models[i], subtitle, fraction));
    }
}

static void
sync_preferred (AgAccountRow *self)
{
  GSettings *settings = ag_ui_context_get_settings (context_of (self));
  g_autofree char *preferred = settings != NULL ? g_settings_get_string (settings, "preferred-account") : NULL;
  gboolean is_preferred = g_strcmp0 (preferred, ag_account_get_email (account_of (self))) == 0;

  gtk_widget_set_visible (GTK_WIDGET (self->preferred_button), !is_preferred && settings != NULL);
  adw_action_row_set_subtitle (self->preferred_row, is_preferred ? _("Used first while it can serve requests")
                                                                 : _("Use this account before the others"));
}

/* Without the user information: the password stays in the keyring. */
static void
sync_proxy (AgAccountRow *self)
{
  const char *uri = ag_account_get_proxy (account_of (self));
  g_autofree char *shown = uri != NULL ? ag_upstream_proxy_uri_display (uri) : NULL;

  adw_action_row_set_subtitle (self->proxy_row, shown != NULL ? shown
                                                : _("Same as the other accounts (AGCL_UPSTREAM_PROXY)"));
}

static void
edit_proxy (AgAccountRow *self)
{
  const char *profile = g_getenv ("AGCL_PROFILE");

  gtk_window_present (GTK_WINDOW (ag_account_proxy_dialog_new (GTK_WIDGET (self), account_of (self),
                                                               profile != NULL && *profile != '\0' ? profile
                                                                                                   : "default")));
}

static void
set_preferred (AgAccountRow *self)
{
  GSettings *settings = ag_ui_context_get_settings (context_of (self));

  if (settings != NULL)
    g_settings_set_string (settings, "preferred-account", ag_account_get_email (account_of (self)));
}

static void
check_account (AgAccountRow *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "app.account-check", "s", ag_account_get_email (account_of (self)));
}

static void
reenable_account (AgAccountRow *self)
{
  ag_proxy_service_reenable_account (ag_ui_context_get_service (context_of (self)),
                                     ag_account_get_email (account_of (self)));
}

static void
fix_account (AgAccountRow *self)
{
  AgAccountState state = ag_account_get_state (account_of (self));

  if (state == AG_ACCOUNT_STATE_VALIDATION_REQUIRED || state == AG_ACCOUNT_STATE_BANNED)
    ag_uri_launcher_launch (ag_ui_context_get_uri_launcher (context_of (self)),
                            GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                            ag_account_get_validation_url (account_of (self)));
  else
    gtk_widget_activate_action (GTK_WIDGET (self), "win.show-page", "s", "add-account");
}

static void
account_removed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(AgAccountRow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!ag_account_registry_remove_finish (AG_ACCOUNT_REGISTRY (source), result, &error))
    gtk_widget_activate_action (GTK_WIDGET (self), "win.toast", "s", error->message);
}

static void
on_remove_response (AdwMessageDialog *dialog, const char *response, gpointer user_data)
{
  AgAccountRow *self = user_data;

  AgAccountRegistry *registry = ag_proxy_service_get_registry (ag_ui_context_get_service (context_of (self)));

  if (g_str_equal (response, "remove"))
    ag_account_registry_remove_async (registry, ag_account_get_email (account_of (self)), NULL, account_removed,
                                      g_object_ref (self));
}

static void
remove_account (AgAccountRow *self)
{
  GtkWidget *dialog;
  g_autofree char *body = g_strdup_printf (_("ag-cl forgets %s and deletes its sign-in from the keyring. You can "
                                             "add it again later."), ag_account_get_email (account_of (self)));

  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                   _("Remove Account?"), body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"), "remove", _("_Remove"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "remove", ADW_RESPONSE_DESTRUCTIVE);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_remove_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
ag_account_row_dispose (GObject *object)
{
  AgAccountRow *self = AG_ACCOUNT_ROW (object);
  AgUiContext *context = context_of (self);

  if (context != NULL)
    {
      GSettings *settings = ag_ui_context_get_settings (context);

      if (settings != NULL)
        g_signal_handlers_disconnect_by_data (settings, self);
      g_signal_handlers_disconnect_by_data (ag_proxy_service_get_pool (ag_ui_context_get_service (context)), self);
    }
  if (account_of (self) != NULL)
    g_signal_handlers_disconnect_by_data (account_of (self), self);
  g_clear_pointer (&self->state_text, g_free);
  G_OBJECT_CLASS (ag_account_row_parent_class)->dispose (object);
}

static void
ag_account_row_constructed (GObject *object)
{
  AgAccountRow *self = AG_ACCOUNT_ROW (object);
  AgAccount *account;
  GSettings *settings;

  G_OBJECT_CLASS (ag_account_row_parent_class)->constructed (object);

  account = account_of (self);
  settings = ag_ui_context_get_settings (context_of (self));
  g_object_bind_property (account, "enabled", self->enabled_switch, "active",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  g_signal_connect_swapped (account, "notify", G_CALLBACK (sync_header), self);
  g_signal_connect_swapped (account, "quota-changed", G_CALLBACK (sync_quota), self);
  g_signal_connect_swapped (account, "quota-windows-changed", G_CALLBACK (sync_quota), self);
  g_signal_connect_swapped (account, "quota-windows-changed", G_CALLBACK (sync_header), self);
  /* Saved from the row's dialog or by `ag-cl account proxy` (the registry follows the keyring). */
  g_signal_connect_swapped (account, "proxy-changed", G_CALLBACK (sync_proxy), self);
  g_signal_connect_swapped (ag_proxy_service_get_pool (ag_ui_context_get_service (context_of (self))), "changed",
                            G_CALLBACK (sync_header), self);
  if (settings != NULL)
    g_signal_connect_swapped (settings, "changed::preferred-account", G_CALLBACK (sync_preferred), self);
  sync_header (self);
  sync_quota (self);
  sync_preferred (self);
  sync_proxy (self);
}

static void
ag_account_row_class_init (AgAccountRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = ag_account_row_constructed;
  object_class->dispose = ag_account_row_dispose;


  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/agcl/AgCl/ag-account-row.ui");
  gtk_widget_class_bind_template_child (widget_class, AgAccountRow, state_row);
  gtk_widget_class_bind_template_child (widget_class, AgAccountRow, fix_button);
  gtk_widget_class_bind_template_child (widget_class, AgAccountRow, check_button);
  gtk_widget_class_bind_template_child (widget_class, AgAccountRow, reenable_button);
  gtk_widget_class_bind_template_child (widget_class, AgAccountRow, quota_box);
  gtk_widget_class_bind_template_child (widget_class, AgAccountRow, enabled_switch);
  gtk_widget_class_bind_template_child (widget_class, AgAccountRow, preferred_row);
  gtk_widget_class_bind_template_child (widget_class, AgAccountRow, preferred_button);
  gtk_widget_class_bind_template_child (widget_class, AgAccountRow, proxy_row);
  gtk_widget_class_bind_template_child (widget_class, AgAccountRow, proxy_button);
  gtk_widget_class_bind_template_callback (widget_class, edit_proxy);
  gtk_widget_class_bind_template_callback (widget_class, set_preferred);
  gtk_widget_class_bind_template_callback (widget_class, fix_account);
  gtk_widget_class_bind_template_callback (widget_class, check_account);
  gtk_widget_class_bind_template_callback (widget_class, reenable_account);
  gtk_widget_class_bind_template_callback (widget_class, remove_account);
}

static void
ag_account_row_init (AgAccountRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->state_icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");
  gtk_widget_add_css_class (self->state_icon, "error");
  gtk_widget_set_visible (self->state_icon, FALSE);
  adw_action_row_add_prefix (self->state_row, self->state_icon);
}

GtkWidget *
ag_account_row_new (AgAccount *account, AgUiContext *context)
{
  return g_object_new (AG_TYPE_ACCOUNT_ROW, "account", account, "context", context, NULL);
}

AgAccount *ag_account_row_get_account (AgAccountRow *self) { return account_of (self); }
const char *ag_account_row_get_state_text (AgAccountRow *self) { return self->state_text; }
GtkWidget *ag_account_row_get_fix_button (AgAccountRow *self) { return GTK_WIDGET (self->fix_button); }
GtkWidget *ag_account_row_get_check_button (AgAccountRow *self) { return GTK_WIDGET (self->check_button); }
GtkWidget *ag_account_row_get_reenable_button (AgAccountRow *self) { return GTK_WIDGET (self->reenable_button); }
GtkWidget *ag_account_row_get_proxy_button (AgAccountRow *self) { return GTK_WIDGET (self->proxy_button); }
const char *ag_account_row_get_proxy_text (AgAccountRow *self) { return adw_action_row_get_subtitle (self->proxy_row); }

guint
ag_account_row_get_n_quota_bars (AgAccountRow *self)
{
  guint n = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->quota_box)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n++;
  return n;
}
