/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "ag-account-actions.h"

#include <glib/gi18n.h>

typedef struct {
  AgProxyService *service;
  GApplication   *app;      /* weak */
} Context;

static void
context_free (gpointer data, GClosure *closure)
{
  Context *context = data;

  g_clear_object (&context->service);
  g_clear_weak_pointer (&context->app);
  g_free (context);
}

static void
page_opened (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GError) error = NULL;

  if (!g_app_info_launch_default_for_uri_finish (result, &error))
    g_warning ("cannot open the account's page: %s", error->message);
}

static void
open_page (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  Context *context = user_data;
  const char *email = g_variant_get_string (parameter, NULL);
  g_autoptr(AgAccount) account = ag_account_pool_find (ag_proxy_service_get_pool (context->service), email);
  const char *url = account != NULL ? ag_account_get_validation_url (account) : NULL;

  /* Only Google's https pages are ever kept (ag-google-error.c); nothing else is opened. */
  if (url == NULL || !g_str_has_prefix (url, "https://"))
    return;
  g_app_info_launch_default_for_uri_async (url, NULL, NULL, page_opened, NULL);
}

typedef struct {
  GApplication *app;   /* weak */
  char         *email;
} Check;

static void
checked (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Check *check = user_data;
  g_autoptr(GError) error = NULL;
  gboolean passed = ag_proxy_service_check_account_finish (AG_PROXY_SERVICE (source), result, &error);
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *id = g_strconcat ("account-", check->email, NULL);
  g_autofree char *title = NULL;

  if (check->app != NULL)
    {
      /* Translators: %s is an e-mail address. */
      title = passed ? g_strdup_printf (_("%s can be used again"), check->email)
                     : g_strdup_printf (_("%s still cannot be used"), check->email);
      notification = g_notification_new (title);
      if (!passed)
        g_notification_set_body (notification, error->message);
      g_notification_set_default_action (notification, "app.show-window");
      g_application_send_notification (check->app, id, notification);
    }
  g_clear_weak_pointer (&check->app);
  g_free (check->email);
  g_free (check);
}

static void
check_account (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  Context *context = user_data;
  Check *check = g_new0 (Check, 1);

  check->email = g_variant_dup_string (parameter, NULL);
  g_set_weak_pointer (&check->app, context->app);
  ag_proxy_service_check_account_async (context->service, check->email, NULL, checked, check);
}

static void
add_action (GActionMap *map, const char *name, GCallback activate, Context *context, gboolean owns_context)
{
  g_autoptr(GSimpleAction) action = g_simple_action_new (name, G_VARIANT_TYPE_STRING);

  if (owns_context)
    g_signal_connect_data (action, "activate", activate, context, context_free, 0);
  else
    g_signal_connect (action, "activate", activate, context);
  g_action_map_add_action (map, G_ACTION (action));
}

void
ag_account_actions_add (GActionMap *map, GApplication *app, AgProxyService *service)
{
  Context *context;

  g_return_if_fail (G_IS_ACTION_MAP (map));
  g_return_if_fail (AG_IS_PROXY_SERVICE (service));

  /* The actions live as long as the application; the context goes with the last of them. */
  context = g_new0 (Context, 1);
  context->service = g_object_ref (service);
  g_set_weak_pointer (&context->app, app);
  add_action (map, "account-check", G_CALLBACK (check_account), context, FALSE);
  add_action (map, "account-open-page", G_CALLBACK (open_page), context, TRUE);
}
