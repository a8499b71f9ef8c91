/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-account-registry.c — accounts in the keyring and in the pool; see the header. */
#include "ag-account-registry.h"
#include "ag-upstream-proxy.h"
#include "ag-account-setup.h"

struct _AgAccountRegistry {
  GObject            parent_instance;

  AgTokenStore      *store;
  AgAccountPool     *pool;
  AgOAuthClient     *oauth;
  AgCloudcodeClient *cloudcode;
  AgKeyringWatch    *watch;
  gboolean           loaded;
};

enum { PROP_0, PROP_LOADED, N_PROPS };
static GParamSpec *properties[N_PROPS];

enum { ACCOUNT_ADDED, N_SIGNALS };
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (AgAccountRegistry, ag_account_registry, G_TYPE_OBJECT)

static void
ag_account_registry_dispose (GObject *object)
{
  AgAccountRegistry *self = AG_ACCOUNT_REGISTRY (object);

  if (self->watch != NULL)
    g_signal_handlers_disconnect_by_data (self->watch, self);
  g_clear_object (&self->watch);
  g_clear_object (&self->store);
  g_clear_object (&self->pool);
  g_clear_object (&self->oauth);
  g_clear_object (&self->cloudcode);
  G_OBJECT_CLASS (ag_account_registry_parent_class)->dispose (object);
}

static void
ag_account_registry_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  AgAccountRegistry *self = AG_ACCOUNT_REGISTRY (object);

  switch (prop_id)
    {
    case PROP_LOADED:
      g_value_set_boolean (value, self->loaded);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ag_account_registry_class_init (AgAccountRegistryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ag_account_registry_dispose;
  object_class->get_property = ag_account_registry_get_property;

  properties[PROP_LOADED] = g_param_spec_boolean ("loaded", NULL, NULL, FALSE,
                                                  G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[ACCOUNT_ADDED] = g_signal_new ("account-added", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                         NULL, NULL, NULL, G_TYPE_NONE, 1, AG_TYPE_ACCOUNT);
}

static void
ag_account_registry_init (AgAccountRegistry *self)
{
}

/* ── saving what changes ───────────────────────────────────────────────────────────────────────────────────── */

static void
account_saved (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GError) error = NULL;

  if (!ag_token_store_save_finish (AG_TOKEN_STORE (source), result, &error))
    g_warning ("cannot save an account to the keyring: %s", error->message);
}

/* Google may rotate a refresh token when it is used, and the user may disable an account: the keyring keeps up. */
static void
save_if_pooled (AgAccountRegistry *self, AgAccount *account)
{
  g_autoptr(AgAccount) pooled = ag_account_pool_find (self->pool, ag_account_get_email (account));

  /* An account removed meanwhile (with the CLI, say) must not come back through a late token refresh. */
  if (pooled == account)
    ag_token_store_save_async (self->store, account, NULL, account_saved, NULL);
}

static void
on_refresh_token_changed (AgAccount *account, gpointer user_data)
{
  save_if_pooled (AG_ACCOUNT_REGISTRY (user_data), account);
}

static void
on_enabled_changed (AgAccount *account, GParamSpec *pspec, gpointer user_data)
{
  save_if_pooled (AG_ACCOUNT_REGISTRY (user_data), account);
}

/* Adds @account to the pool; one with the same e-mail (a new sign-in of it) is replaced. */
static void
adopt (AgAccountRegistry *self, AgAccount *account)
{
  g_signal_connect_object (account, "refresh-token-changed", G_CALLBACK (on_refresh_token_changed), self, 0);
  g_signal_connect_object (account, "notify::enabled", G_CALLBACK (on_enabled_changed), self, 0);
  ag_account_pool_add (self->pool, account);
}

/* An account joined while the proxy runs (signed in here, or with the CLI). */
static void
adopt_new (AgAccountRegistry *self, AgAccount *account)
{
  adopt (self, account);
  g_signal_emit (self, signals[ACCOUNT_ADDED], 0, account);
}

/* ── loading ───────────────────────────────────────────────────────────────────────────────────────────────── */

static void
accounts_loaded (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  AgAccountRegistry *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) accounts = ag_token_store_load_all_finish (AG_TOKEN_STORE (source), result, &error);

  if (accounts == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  for (guint i = 0; i < accounts->len; i++)
    adopt (self, g_ptr_array_index (accounts, i));
  g_message ("%u account(s) loaded from the keyring", accounts->len);
  if (!self->loaded)
    {
      self->loaded = TRUE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADED]);
    }
  g_task_return_boolean (task, TRUE);
}

void
ag_account_registry_load_async (AgAccountRegistry *self, GCancellable *cancellable, GAsyncReadyCallback callback,
                                gpointer user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  ag_token_store_load_all_async (self->store, cancellable, accounts_loaded, task);
}

gboolean
ag_account_registry_load_finish (AgAccountRegistry *self, GAsyncResult *result, GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
ag_account_registry_get_loaded (AgAccountRegistry *self)
{
  return self->loaded;
}

/* ── following the keyring ─────────────────────────────────────────────────────────────────────────────────── */

/* Whether @stored, read from the keyring, should take the place of @pooled: only to bring back an account that
 * needs a new sign-in and got one elsewhere (`ag-cl account add` again). A healthy account keeps its state, and a
 * keyring read that raced with its own token update cannot undo that update. */
static gboolean
replaces_pooled (AgAccount *stored, AgAccount *pooled)
{
  return ag_account_get_state (pooled) != AG_ACCOUNT_STATE_VALID &&
         g_strcmp0 (ag_account_get_refresh_token (stored), ag_account_get_refresh_token (pooled)) != 0;
}

/* `ag-cl account add` or `account remove` while this proxy runs: the pool follows the keyring. Accounts that
 * stay keep their state (rests, tokens); new ones are adopted, missing ones dropped, signed-out ones that were
 * signed in again replaced. */
static void
accounts_reread (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(AgAccountRegistry) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) stored = ag_token_store_load_all_finish (AG_TOKEN_STORE (source), result, &error);
  g_autoptr(GHashTable) stored_emails = g_hash_table_new (g_str_hash, g_str_equal);
  GListModel *pooled = ag_account_pool_get_accounts (self->pool);
  g_autoptr(GPtrArray) gone = g_ptr_array_new_with_free_func (g_free);

  if (stored == NULL)
    {
      g_message ("cannot re-read the accounts after a keyring change: %s", error->message);
      return;
    }
  for (guint i = 0; i < stored->len; i++)
    {
      AgAccount *account = g_ptr_array_index (stored, i);
      g_autoptr(AgAccount) known = ag_account_pool_find (self->pool, ag_account_get_email (account));

      g_hash_table_add (stored_emails, (gpointer) ag_account_get_email (account));
      /* `ag-cl account proxy` takes effect at once: the next call of that account goes through it. */
      if (known != NULL && g_strcmp0 (ag_account_get_proxy (known), ag_account_get_proxy (account)) != 0)
        {
          g_autofree char *shown = ag_account_get_proxy (account) != NULL
                                   ? ag_upstream_proxy_uri_display (ag_account_get_proxy (account)) : NULL;

          ag_account_set_proxy (known, ag_account_get_proxy (account));
          g_message ("account %s now reaches Google %s%s", ag_account_get_email (account),
                     shown != NULL ? "through " : "directly or through the global proxy", shown != NULL ? shown : "");
        }
      if (known != NULL && !replaces_pooled (account, known))
        continue;
      adopt_new (self, account);
      g_message ("account %s was %s the keyring; serving with it", ag_account_get_email (account),
                 known != NULL ? "signed in again in" : "added to");
    }
  for (guint i = 0; i < g_list_model_get_n_items (pooled); i++)
    {
      g_autoptr(AgAccount) account = g_list_model_get_item (pooled, i);

      if (!g_hash_table_contains (stored_emails, ag_account_get_email (account)))
        g_ptr_array_add (gone, g_strdup (ag_account_get_email (account)));
    }
  for (guint i = 0; i < gone->len; i++)
    {
      ag_account_pool_remove (self->pool, g_ptr_array_index (gone, i));
      g_message ("account %s was removed from the keyring; no longer serving with it",
                 (const char *) g_ptr_array_index (gone, i));
    }
}

static void
on_keyring_changed (AgKeyringWatch *watch, gpointer user_data)
{
  AgAccountRegistry *self = user_data;

  /* Before the first load answered there is nothing to compare with; it reads the latest state anyway. */
  if (self->loaded)
    ag_token_store_load_all_async (self->store, NULL, accounts_reread, g_object_ref (self));
}

AgAccountRegistry *
ag_account_registry_new (AgTokenStore *store, AgAccountPool *pool, AgOAuthClient *oauth, AgCloudcodeClient *cloudcode,
                         AgKeyringWatch *watch)
{
  AgAccountRegistry *self = g_object_new (AG_TYPE_ACCOUNT_REGISTRY, NULL);

  self->store = g_object_ref (store);
  self->pool = g_object_ref (pool);
  self->oauth = g_object_ref (oauth);
  self->cloudcode = g_object_ref (cloudcode);
  self->watch = g_object_ref (watch);
  g_signal_connect (watch, "changed", G_CALLBACK (on_keyring_changed), self);
  return self;
}

/* ── adding and removing ───────────────────────────────────────────────────────────────────────────────────── */

static void
new_account_saved (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  AgAccountRegistry *self = g_task_get_source_object (task);
  AgAccount *account = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!ag_token_store_save_finish (AG_TOKEN_STORE (source), result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  adopt_new (self, account);
  g_task_return_pointer (task, g_object_ref (account), g_object_unref);
}

static void
account_set_up (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  AgAccountRegistry *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  AgAccount *account = ag_account_setup_finish (result, &error);

  if (account == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_set_task_data (task, account, g_object_unref);
  ag_token_store_save_async (self->store, account, g_task_get_cancellable (task), new_account_saved,
                             g_object_ref (task));
}

void
ag_account_registry_add_async (AgAccountRegistry *self, const char *refresh_token, GCancellable *cancellable,
                               GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  ag_account_setup_async (self->oauth, self->cloudcode, refresh_token, cancellable, account_set_up, task);
}

AgAccount *
ag_account_registry_add_finish (AgAccountRegistry *self, GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
account_removed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  AgAccountRegistry *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  if (!ag_token_store_remove_finish (AG_TOKEN_STORE (source), result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  ag_account_pool_remove (self->pool, g_task_get_task_data (task));
  g_task_return_boolean (task, TRUE);
}

void
ag_account_registry_remove_async (AgAccountRegistry *self, const char *email, GCancellable *cancellable,
                                  GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_task_data (task, g_strdup (email), g_free);
  ag_token_store_remove_async (self->store, email, cancellable, account_removed, task);
}

gboolean
ag_account_registry_remove_finish (AgAccountRegistry *self, GAsyncResult *result, GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}
