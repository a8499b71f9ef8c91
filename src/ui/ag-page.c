// SPDX-License-Identifier: GPL-3.0-or-later
#include "config.h"
#include "ag-page.h"

typedef struct
{
  AgUiContext *context;
} AgPagePrivate;

G_DEFINE_TYPE_WITH_PRIVATE (AgPage, ag_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_CONTEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
ag_page_constructed (GObject *object)
{
  AgPagePrivate *priv = ag_page_get_instance_private (AG_PAGE (object));

  G_OBJECT_CLASS (ag_page_parent_class)->constructed (object);

  g_assert (AG_IS_UI_CONTEXT (priv->context));
}

/* Runs after the page's own dispose, which may still need the context to disconnect from its objects. */
static void
ag_page_dispose (GObject *object)
{
  AgPagePrivate *priv = ag_page_get_instance_private (AG_PAGE (object));

  g_clear_object (&priv->context);
  G_OBJECT_CLASS (ag_page_parent_class)->dispose (object);
}

static void
ag_page_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  AgPagePrivate *priv = ag_page_get_instance_private (AG_PAGE (object));

  switch (prop_id)
    {
    case PROP_CONTEXT:
      g_value_set_object (value, priv->context);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ag_page_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  AgPagePrivate *priv = ag_page_get_instance_private (AG_PAGE (object));

  switch (prop_id)
    {
    case PROP_CONTEXT:
      priv->context = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ag_page_class_init (AgPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = ag_page_constructed;
  object_class->dispose = ag_page_dispose;
  object_class->get_property = ag_page_get_property;
  object_class->set_property = ag_page_set_property;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, AG_TYPE_UI_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS |
                         G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ag_page_init (AgPage *self)
{
}

AgUiContext *
ag_page_get_context (AgPage *self)
{
  AgPagePrivate *priv;

  g_return_val_if_fail (AG_IS_PAGE (self), NULL);
  priv = ag_page_get_instance_private (self);
  return priv->context;
}

AgProxyService *
ag_page_get_service (AgPage *self)
{
  AgUiContext *context = ag_page_get_context (self);

  return context != NULL ? ag_ui_context_get_service (context) : NULL;
}
