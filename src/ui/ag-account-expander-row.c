// SPDX-License-Identifier: GPL-3.0-or-later
#include "config.h"
#include "ag-account-expander-row.h"

typedef struct
{
  AgAccount   *account;
  AgUiContext *context;
} AgAccountExpanderRowPrivate;

G_DEFINE_TYPE_WITH_PRIVATE (AgAccountExpanderRow, ag_account_expander_row, ADW_TYPE_EXPANDER_ROW)

enum {
  PROP_0,
  PROP_ACCOUNT,
  PROP_CONTEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
ag_account_expander_row_constructed (GObject *object)
{
  AgAccountExpanderRowPrivate *priv = ag_account_expander_row_get_instance_private (AG_ACCOUNT_EXPANDER_ROW (object));

  G_OBJECT_CLASS (ag_account_expander_row_parent_class)->constructed (object);

  g_assert (AG_IS_ACCOUNT (priv->account) && AG_IS_UI_CONTEXT (priv->context));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (object), ag_account_get_email (priv->account));
}

/* Runs after the row's own dispose, which may still need both to disconnect from them. */
static void
ag_account_expander_row_dispose (GObject *object)
{
  AgAccountExpanderRowPrivate *priv = ag_account_expander_row_get_instance_private (AG_ACCOUNT_EXPANDER_ROW (object));

  g_clear_object (&priv->account);
  g_clear_object (&priv->context);
  G_OBJECT_CLASS (ag_account_expander_row_parent_class)->dispose (object);
}

static void
ag_account_expander_row_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  AgAccountExpanderRowPrivate *priv = ag_account_expander_row_get_instance_private (AG_ACCOUNT_EXPANDER_ROW (object));

  switch (prop_id)
    {
    case PROP_ACCOUNT:
      g_value_set_object (value, priv->account);
      break;
    case PROP_CONTEXT:
      g_value_set_object (value, priv->context);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ag_account_expander_row_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  AgAccountExpanderRowPrivate *priv = ag_account_expander_row_get_instance_private (AG_ACCOUNT_EXPANDER_ROW (object));

  switch (prop_id)
    {
    case PROP_ACCOUNT:
      priv->account = g_value_dup_object (value);
      break;
    case PROP_CONTEXT:
      priv->context = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ag_account_expander_row_class_init (AgAccountExpanderRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS |
                            G_PARAM_EXPLICIT_NOTIFY;

  object_class->constructed = ag_account_expander_row_constructed;
  object_class->dispose = ag_account_expander_row_dispose;
  object_class->get_property = ag_account_expander_row_get_property;
  object_class->set_property = ag_account_expander_row_set_property;

  properties[PROP_ACCOUNT] = g_param_spec_object ("account", NULL, NULL, AG_TYPE_ACCOUNT, flags);
  properties[PROP_CONTEXT] = g_param_spec_object ("context", NULL, NULL, AG_TYPE_UI_CONTEXT, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ag_account_expander_row_init (AgAccountExpanderRow *self)
{
}

AgAccount *
ag_account_expander_row_get_account (AgAccountExpanderRow *self)
{
  AgAccountExpanderRowPrivate *priv;

  g_return_val_if_fail (AG_IS_ACCOUNT_EXPANDER_ROW (self), NULL);
  priv = ag_account_expander_row_get_instance_private (self);
  return priv->account;
}

AgUiContext *
ag_account_expander_row_get_context (AgAccountExpanderRow *self)
{
  AgAccountExpanderRowPrivate *priv;

  g_return_val_if_fail (AG_IS_ACCOUNT_EXPANDER_ROW (self), NULL);
  priv = ag_account_expander_row_get_instance_private (self);
  return priv->context;
}
