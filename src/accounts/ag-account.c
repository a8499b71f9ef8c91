/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-account.c — the account object: identity, project and tier, its own proxy, whether it is enabled, and the
 * state Google gives it. Tokens are in ag-account-token.c, what it has left in ag-account-quota.c. */
#include "ag-account-private.h"

G_DEFINE_FINAL_TYPE (AgAccount, ag_account, G_TYPE_OBJECT)
G_DEFINE_ENUM_TYPE (AgAccountState, ag_account_state,
                    G_DEFINE_ENUM_VALUE (AG_ACCOUNT_STATE_VALID, "valid"),
                    G_DEFINE_ENUM_VALUE (AG_ACCOUNT_STATE_SIGNED_OUT, "signed-out"),
                    G_DEFINE_ENUM_VALUE (AG_ACCOUNT_STATE_VALIDATION_REQUIRED, "validation-required"),
                    G_DEFINE_ENUM_VALUE (AG_ACCOUNT_STATE_DISABLED, "disabled"),
                    G_DEFINE_ENUM_VALUE (AG_ACCOUNT_STATE_BANNED, "banned"))

/* g_set_str() is GLib 2.76. */
static gboolean
replace_str (char **slot, const char *value)
{
  if (g_strcmp0 (*slot, value) == 0)
    return FALSE;
  g_free (*slot);
  *slot = g_strdup (value);
  return TRUE;
}

enum {
  PROP_0,
  PROP_EMAIL,
  PROP_PROJECT_ID,
  PROP_TIER,
  PROP_ENABLED,
  PROP_STATE,
  PROP_INVALID_REASON,
  PROP_VALIDATION_URL,
  PROP_GEMINI_CLI_CLOSED,
  PROP_AI_CREDITS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_REFRESH_TOKEN_CHANGED,
  SIGNAL_QUOTA_CHANGED,
  SIGNAL_QUOTA_WINDOWS_CHANGED,
  SIGNAL_PROXY_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
ag_account_finalize (GObject *object)
{
  AgAccount *self = AG_ACCOUNT (object);

  g_free (self->email);
  g_free (self->project_id);
  g_free (self->tier);
  g_free (self->proxy);
  g_free (self->invalid_reason);
  g_free (self->validation_url);
  g_clear_pointer (&self->windows, g_ptr_array_unref);
  g_free (self->refresh_token);
  g_free (self->access_token);
  g_clear_pointer (&self->waiters, g_ptr_array_unref);
  g_clear_pointer (&self->quota, g_hash_table_unref);

  G_OBJECT_CLASS (ag_account_parent_class)->finalize (object);
}

static void
ag_account_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  AgAccount *self = AG_ACCOUNT (object);

  switch (prop_id)
    {
    case PROP_EMAIL:
      g_value_set_string (value, self->email);
      break;
    case PROP_PROJECT_ID:
      g_value_set_string (value, self->project_id);
      break;
    case PROP_TIER:
      g_value_set_string (value, self->tier);
      break;
    case PROP_ENABLED:
      g_value_set_boolean (value, self->enabled);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_INVALID_REASON:
      g_value_set_string (value, self->invalid_reason);
      break;
    case PROP_VALIDATION_URL:
      g_value_set_string (value, self->validation_url);
      break;
    case PROP_GEMINI_CLI_CLOSED:
      g_value_set_boolean (value, self->gemini_cli_closed);
      break;
    case PROP_AI_CREDITS:
      g_value_set_int64 (value, self->ai_credits);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ag_account_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  AgAccount *self = AG_ACCOUNT (object);

  switch (prop_id)
    {
    case PROP_EMAIL:
      g_free (self->email);
      self->email = g_value_dup_string (value);
      break;
    case PROP_PROJECT_ID:
      ag_account_set_project_id (self, g_value_get_string (value));
      break;
    case PROP_TIER:
      ag_account_set_tier (self, g_value_get_string (value));
      break;
    case PROP_ENABLED:
      ag_account_set_enabled (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ag_account_class_init (AgAccountClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ag_account_finalize;
  object_class->get_property = ag_account_get_property;
  object_class->set_property = ag_account_set_property;

  properties[PROP_EMAIL] =
    g_param_spec_string ("email", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PROJECT_ID] =
    g_param_spec_string ("project-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TIER] =
    g_param_spec_string ("tier", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ENABLED] =
    g_param_spec_boolean ("enabled", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, AG_TYPE_ACCOUNT_STATE, AG_ACCOUNT_STATE_VALID,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_INVALID_REASON] =
    g_param_spec_string ("invalid-reason", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_VALIDATION_URL] =
    g_param_spec_string ("validation-url", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_GEMINI_CLI_CLOSED] =
    g_param_spec_boolean ("gemini-cli-closed", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_AI_CREDITS] =
    g_param_spec_int64 ("ai-credits", NULL, NULL, -1, G_MAXINT64, -1,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* Google rotated the refresh token: the owner must save the account again (read the new token with
   * ag_account_get_refresh_token; it is not passed along so it does not travel through signal logs). */
  signals[SIGNAL_REFRESH_TOKEN_CHANGED] =
    g_signal_new ("refresh-token-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /* The account's own proxy changed (a signal, not a property: the URI may hold a password). */
  signals[SIGNAL_PROXY_CHANGED] =
    g_signal_new ("proxy-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
  /* The 5-hour or weekly windows changed. */
  signals[SIGNAL_QUOTA_WINDOWS_CHANGED] =
    g_signal_new ("quota-windows-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
  /* The remaining quota or reset time of a model changed (argument: the model id). */
  signals[SIGNAL_QUOTA_CHANGED] =
    g_signal_new ("quota-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
ag_account_init (AgAccount *self)
{
  self->enabled = TRUE;
  self->ai_credits = -1;
  self->quota = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

AgAccount *
ag_account_new (const char *email, const char *project_id, const char *refresh_token)
{
  AgAccount *self;

  g_return_val_if_fail (email != NULL, NULL);
  g_return_val_if_fail (refresh_token != NULL, NULL);

  self = g_object_new (AG_TYPE_ACCOUNT, "email", email, "project-id", project_id, NULL);
  self->refresh_token = g_strdup (refresh_token);
  return self;
}

const char *
ag_account_get_email (AgAccount *self)
{
  g_return_val_if_fail (AG_IS_ACCOUNT (self), NULL);
  return self->email;
}

const char *
ag_account_get_project_id (AgAccount *self)
{
  g_return_val_if_fail (AG_IS_ACCOUNT (self), NULL);
  return self->project_id;
}

void
ag_account_set_project_id (AgAccount *self, const char *project_id)
{
  g_return_if_fail (AG_IS_ACCOUNT (self));

  if (replace_str (&self->project_id, project_id))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROJECT_ID]);
}

const char *
ag_account_get_tier (AgAccount *self)
{
  g_return_val_if_fail (AG_IS_ACCOUNT (self), NULL);
  return self->tier;
}

void
ag_account_set_tier (AgAccount *self, const char *tier)
{
  g_return_if_fail (AG_IS_ACCOUNT (self));

  if (replace_str (&self->tier, tier))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIER]);
}

const char *
ag_account_get_proxy (AgAccount *self)
{
  g_return_val_if_fail (AG_IS_ACCOUNT (self), NULL);
  return self->proxy;
}

void
ag_account_set_proxy (AgAccount *self, const char *proxy_uri)
{
  g_return_if_fail (AG_IS_ACCOUNT (self));
  if (!replace_str (&self->proxy, proxy_uri != NULL && *proxy_uri != '\0' ? proxy_uri : NULL))
    return;
  /* Another proxy deserves its own chance. */
  self->proxy_rest_until = 0;
  g_signal_emit (self, signals[SIGNAL_PROXY_CHANGED], 0);
}

gboolean
ag_account_get_enabled (AgAccount *self)
{
  g_return_val_if_fail (AG_IS_ACCOUNT (self), FALSE);
  return self->enabled;
}

void
ag_account_set_enabled (AgAccount *self, gboolean enabled)
{
  g_return_if_fail (AG_IS_ACCOUNT (self));

  enabled = !!enabled;
  if (self->enabled == enabled)
    return;
  self->enabled = enabled;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENABLED]);
}

const char *
ag_account_get_refresh_token (AgAccount *self)
{
  g_return_val_if_fail (AG_IS_ACCOUNT (self), NULL);
  return self->refresh_token;
}

AgAccountState
ag_account_get_state (AgAccount *self)
{
  g_return_val_if_fail (AG_IS_ACCOUNT (self), AG_ACCOUNT_STATE_VALID);
  return self->state;
}

const char *
ag_account_get_invalid_reason (AgAccount *self)
{
  g_return_val_if_fail (AG_IS_ACCOUNT (self), NULL);
  return self->invalid_reason;
}

const char *
ag_account_get_validation_url (AgAccount *self)
{
  g_return_val_if_fail (AG_IS_ACCOUNT (self), NULL);
  return self->validation_url;
}

void
ag_account_set_state (AgAccount *self, AgAccountState state, const char *reason, const char *validation_url)
{
  g_return_if_fail (AG_IS_ACCOUNT (self));

  if (state == AG_ACCOUNT_STATE_VALID)
    reason = validation_url = NULL;
  g_object_freeze_notify (G_OBJECT (self));
  if (self->state != state)
    {
      self->state = state;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
    }
  if (replace_str (&self->invalid_reason, reason))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INVALID_REASON]);
  if (replace_str (&self->validation_url, validation_url))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VALIDATION_URL]);
  g_object_thaw_notify (G_OBJECT (self));
}

const char *
ag_account_state_to_nick (AgAccountState state)
{
  /* A static enum class is never finalised: the nick outlives the reference. */
  GEnumClass *klass = g_type_class_ref (AG_TYPE_ACCOUNT_STATE);
  GEnumValue *value = g_enum_get_value (klass, (gint) state);

  g_type_class_unref (klass);
  return value != NULL ? value->value_nick : "valid";
}

gboolean
ag_account_state_from_nick (const char *nick, AgAccountState *out_state)
{
  GEnumClass *klass = g_type_class_ref (AG_TYPE_ACCOUNT_STATE);
  GEnumValue *value = nick != NULL ? g_enum_get_value_by_nick (klass, nick) : NULL;

  if (value != NULL)
    *out_state = (AgAccountState) value->value;
  g_type_class_unref (klass);
  return value != NULL;
}

gboolean
ag_account_get_gemini_cli_closed (AgAccount *self)
{
  g_return_val_if_fail (AG_IS_ACCOUNT (self), FALSE);
  return self->gemini_cli_closed;
}

void
ag_account_set_gemini_cli_closed (AgAccount *self, gboolean closed)
{
  g_return_if_fail (AG_IS_ACCOUNT (self));

  if (self->gemini_cli_closed == !!closed)
    return;
  self->gemini_cli_closed = !!closed;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_GEMINI_CLI_CLOSED]);
}
