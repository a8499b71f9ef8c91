/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "ag-ui-context.h"

struct _AgUiContext
{
  GObject         parent_instance;

  AgProxyService *service;
  GSettings      *settings;       /* nullable */
  AgUriLauncher  *uri_launcher;
  AgAntigravitySwitch *antigravity;  /* made on first use */
};

G_DEFINE_FINAL_TYPE (AgUiContext, ag_ui_context, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_SERVICE,
  PROP_SETTINGS,
  PROP_URI_LAUNCHER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
ag_ui_context_constructed (GObject *object)
{
  AgUiContext *self = AG_UI_CONTEXT (object);

  G_OBJECT_CLASS (ag_ui_context_parent_class)->constructed (object);

  g_assert (AG_IS_PROXY_SERVICE (self->service));
  g_assert (AG_IS_URI_LAUNCHER (self->uri_launcher));
}

static void
ag_ui_context_dispose (GObject *object)
{
  AgUiContext *self = AG_UI_CONTEXT (object);

  g_clear_object (&self->service);
  g_clear_object (&self->settings);
  g_clear_object (&self->uri_launcher);
  g_clear_object (&self->antigravity);
  G_OBJECT_CLASS (ag_ui_context_parent_class)->dispose (object);
}

static void
ag_ui_context_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  AgUiContext *self = AG_UI_CONTEXT (object);

  switch (prop_id)
    {
    case PROP_SERVICE:
      g_value_set_object (value, self->service);
      break;
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;
    case PROP_URI_LAUNCHER:
      g_value_set_object (value, self->uri_launcher);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ag_ui_context_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  AgUiContext *self = AG_UI_CONTEXT (object);

  switch (prop_id)
    {
    case PROP_SERVICE:
      self->service = g_value_dup_object (value);
      break;
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;
    case PROP_URI_LAUNCHER:
      self->uri_launcher = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ag_ui_context_class_init (AgUiContextClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS |
                            G_PARAM_EXPLICIT_NOTIFY;

  object_class->constructed = ag_ui_context_constructed;
  object_class->dispose = ag_ui_context_dispose;
  object_class->get_property = ag_ui_context_get_property;
  object_class->set_property = ag_ui_context_set_property;

  properties[PROP_SERVICE] = g_param_spec_object ("service", NULL, NULL, AG_TYPE_PROXY_SERVICE, flags);
  properties[PROP_SETTINGS] = g_param_spec_object ("settings", NULL, NULL, G_TYPE_SETTINGS, flags);
  properties[PROP_URI_LAUNCHER] = g_param_spec_object ("uri-launcher", NULL, NULL, AG_TYPE_URI_LAUNCHER, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ag_ui_context_init (AgUiContext *self)
{
}

AgUiContext *
ag_ui_context_new (AgProxyService *service, GSettings *settings, AgUriLauncher *uri_launcher)
{
  return g_object_new (AG_TYPE_UI_CONTEXT,
                       "service", service,
                       "settings", settings,
                       "uri-launcher", uri_launcher,
                       NULL);
}

AgProxyService *ag_ui_context_get_service (AgUiContext *self) { return self->service; }
GSettings *ag_ui_context_get_settings (AgUiContext *self) { return self->settings; }
AgUriLauncher *ag_ui_context_get_uri_launcher (AgUiContext *self) { return self->uri_launcher; }

AgAntigravitySwitch *
ag_ui_context_get_antigravity_switch (AgUiContext *self)
{
  g_return_val_if_fail (AG_IS_UI_CONTEXT (self), NULL);

  if (self->antigravity == NULL)
    {
      g_autoptr(AgDeviceStore) devices = ag_device_store_new (NULL);

      self->antigravity = ag_antigravity_switch_new (devices, ag_proxy_service_get_oauth (self->service));
    }
  return self->antigravity;
}
