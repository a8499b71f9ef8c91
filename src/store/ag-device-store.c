// SPDX-License-Identifier: GPL-3.0-or-later
#include "ag-device-store.h"

#include "ag-history-store.h"

typedef enum {
  OP_LIST,
  OP_CURRENT,
  OP_ADD,
  OP_ENSURE,
  OP_RESTORE,
  OP_GET_BASELINE,
  OP_KEEP_BASELINE,
  OP_FIND_ACCOUNT,
} OpKind;

typedef struct {
  OpKind           kind;
  char            *path;
  char            *account;
  AgDeviceProfile *profile;
  char            *label;
  gint64           id;
  gboolean         created;   /* out: a version or the baseline was stored */
} Op;

struct _AgDeviceStore
{
  GObject       parent_instance;
  char         *path;
  GMainContext *context;      /* where "changed" is emitted */
};

G_DEFINE_FINAL_TYPE (AgDeviceStore, ag_device_store, G_TYPE_OBJECT)

enum { SIGNAL_CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
op_free (Op *op)
{
  g_free (op->path);
  g_free (op->account);
  ag_device_profile_free (op->profile);
  g_free (op->label);
  g_free (op);
}

typedef struct {
  AgDeviceStore *store;
  char          *account;
} Changed;

static gboolean
emit_changed (gpointer data)
{
  Changed *changed = data;

  g_signal_emit (changed->store, signals[SIGNAL_CHANGED], 0, changed->account);
  return G_SOURCE_REMOVE;
}

static void
changed_free (gpointer data)
{
  Changed *changed = data;

  g_object_unref (changed->store);
  g_free (changed->account);
  g_free (changed);
}

static void
queue_changed (AgDeviceStore *self, const char *account)
{
  Changed *changed = g_new0 (Changed, 1);

  changed->store = g_object_ref (self);
  changed->account = g_strdup (account);
  g_main_context_invoke_full (self->context, G_PRIORITY_DEFAULT, emit_changed, changed, changed_free);
}

/* The operation inside its transaction. Returns the task's value (NULL without error is a valid answer). */
static gpointer
run_op (AgDeviceDb *db, Op *op, GDestroyNotify *free_func, GError **error)
{
  gint64 now_ms = g_get_real_time () / 1000;
  AgDeviceVersion *version;

  *free_func = (GDestroyNotify) ag_device_version_free;
  switch (op->kind)
    {
    case OP_LIST:
      *free_func = (GDestroyNotify) g_ptr_array_unref;
      return ag_device_db_list_versions (db, op->account, error);
    case OP_CURRENT:
      return ag_device_db_get_current (db, op->account, error);
    case OP_ENSURE:
      version = ag_device_db_get_current (db, op->account, error);
      if (version != NULL || (error != NULL && *error != NULL))
        return version;
      op->profile = ag_device_profile_generate ();
      G_GNUC_FALLTHROUGH;
    case OP_ADD:
      op->created = TRUE;
      return ag_device_db_add_version (db, op->account, op->profile, op->label, now_ms, error);
    case OP_RESTORE:
      return ag_device_db_bind (db, op->account, op->id, error);
    case OP_KEEP_BASELINE:
      if (!ag_device_db_keep_baseline (db, op->profile, now_ms, &op->created, error))
        return NULL;
      G_GNUC_FALLTHROUGH;
    case OP_GET_BASELINE:
      *free_func = (GDestroyNotify) ag_device_profile_free;
      return ag_device_db_get_baseline (db, NULL, error);
    case OP_FIND_ACCOUNT:
      *free_func = g_free;
      return ag_device_db_find_account (db, op->profile, error);
    }
  g_assert_not_reached ();
}

static void
op_in_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  AgDeviceStore *self = source;
  Op *op = task_data;
  g_autoptr(AgDeviceDb) db = NULL;
  GError *error = NULL;
  GDestroyNotify free_func = NULL;
  gpointer value = NULL;

  db = ag_device_db_open (op->path, &error);
  if (db != NULL && ag_device_db_begin (db, &error))
    {
      value = run_op (db, op, &free_func, &error);
      if (error == NULL && !ag_device_db_commit (db, &error))
        g_clear_pointer (&value, free_func);
      if (error != NULL)
        {
          ag_device_db_rollback (db);
          g_clear_pointer (&value, free_func);
          op->created = FALSE;
        }
    }
  if (error != NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (op->created || op->kind == OP_RESTORE)
    queue_changed (self, op->kind == OP_KEEP_BASELINE ? "" : op->account);
  g_task_return_pointer (task, value, free_func);
}

static void
start_op (AgDeviceStore *self, Op *op, gpointer source_tag, GCancellable *cancellable, GAsyncReadyCallback callback,
          gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  op->path = g_strdup (self->path);
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, op, (GDestroyNotify) op_free);
  g_task_run_in_thread (task, op_in_thread);
}

static Op *
op_new (OpKind kind, const char *account, const AgDeviceProfile *profile, const char *label)
{
  Op *op = g_new0 (Op, 1);

  op->kind = kind;
  op->account = g_strdup (account);
  op->profile = ag_device_profile_copy (profile);
  op->label = g_strdup (label);
  return op;
}

void
ag_device_store_list_async (AgDeviceStore *self, const char *account, GCancellable *cancellable,
                            GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (AG_IS_DEVICE_STORE (self) && account != NULL);
  start_op (self, op_new (OP_LIST, account, NULL, NULL), ag_device_store_list_async, cancellable, callback,
            user_data);
}

GPtrArray *
ag_device_store_list_finish (AgDeviceStore *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
ag_device_store_current_async (AgDeviceStore *self, const char *account, GCancellable *cancellable,
                               GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (AG_IS_DEVICE_STORE (self) && account != NULL);
  start_op (self, op_new (OP_CURRENT, account, NULL, NULL), ag_device_store_current_async, cancellable, callback,
            user_data);
}

void
ag_device_store_add_async (AgDeviceStore *self, const char *account, const AgDeviceProfile *profile,
                           const char *label, GCancellable *cancellable, GAsyncReadyCallback callback,
                           gpointer user_data)
{
  g_return_if_fail (AG_IS_DEVICE_STORE (self) && account != NULL && profile != NULL && label != NULL);
  start_op (self, op_new (OP_ADD, account, profile, label), ag_device_store_add_async, cancellable, callback,
            user_data);
}

void
ag_device_store_generate_async (AgDeviceStore *self, const char *account, GCancellable *cancellable,
                                GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(AgDeviceProfile) profile = ag_device_profile_generate ();

  ag_device_store_add_async (self, account, profile, "generated", cancellable, callback, user_data);
}

void
ag_device_store_ensure_async (AgDeviceStore *self, const char *account, GCancellable *cancellable,
                              GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (AG_IS_DEVICE_STORE (self) && account != NULL);
  start_op (self, op_new (OP_ENSURE, account, NULL, "auto_generated"), ag_device_store_ensure_async, cancellable,
            callback, user_data);
}

void
ag_device_store_restore_async (AgDeviceStore *self, const char *account, gint64 id, GCancellable *cancellable,
                               GAsyncReadyCallback callback, gpointer user_data)
{
  Op *op;

  g_return_if_fail (AG_IS_DEVICE_STORE (self) && account != NULL);
  op = op_new (OP_RESTORE, account, NULL, NULL);
  op->id = id;
  start_op (self, op, ag_device_store_restore_async, cancellable, callback, user_data);
}

static gpointer
finish_with_flag (AgDeviceStore *self, GAsyncResult *result, gboolean *created, GError **error)
{
  Op *op;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  op = g_task_get_task_data (G_TASK (result));
  if (created != NULL)
    *created = op->created;
  return g_task_propagate_pointer (G_TASK (result), error);
}

AgDeviceVersion *
ag_device_store_version_finish (AgDeviceStore *self, GAsyncResult *result, gboolean *created, GError **error)
{
  return finish_with_flag (self, result, created, error);
}

void
ag_device_store_get_baseline_async (AgDeviceStore *self, GCancellable *cancellable, GAsyncReadyCallback callback,
                                    gpointer user_data)
{
  g_return_if_fail (AG_IS_DEVICE_STORE (self));
  start_op (self, op_new (OP_GET_BASELINE, NULL, NULL, NULL), ag_device_store_get_baseline_async, cancellable,
            callback, user_data);
}

void
ag_device_store_keep_baseline_async (AgDeviceStore *self, const AgDeviceProfile *profile,
                                     GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (AG_IS_DEVICE_STORE (self) && profile != NULL);
  start_op (self, op_new (OP_KEEP_BASELINE, NULL, profile, NULL), ag_device_store_keep_baseline_async, cancellable,
            callback, user_data);
}

AgDeviceProfile *
ag_device_store_baseline_finish (AgDeviceStore *self, GAsyncResult *result, gboolean *created, GError **error)
{
  return finish_with_flag (self, result, created, error);
}

void
ag_device_store_find_account_async (AgDeviceStore *self, const AgDeviceProfile *profile,
                                    GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (AG_IS_DEVICE_STORE (self) && profile != NULL);
  start_op (self, op_new (OP_FIND_ACCOUNT, NULL, profile, NULL), ag_device_store_find_account_async, cancellable,
            callback, user_data);
}

char *
ag_device_store_find_account_finish (AgDeviceStore *self, GAsyncResult *result, GError **error)
{
  return finish_with_flag (self, result, NULL, error);
}

static void
ag_device_store_finalize (GObject *object)
{
  AgDeviceStore *self = AG_DEVICE_STORE (object);

  g_free (self->path);
  g_main_context_unref (self->context);
  G_OBJECT_CLASS (ag_device_store_parent_class)->finalize (object);
}

static void
ag_device_store_class_init (AgDeviceStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ag_device_store_finalize;
  signals[SIGNAL_CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                                          NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
ag_device_store_init (AgDeviceStore *self)
{
  self->context = g_main_context_ref_thread_default ();
}

AgDeviceStore *
ag_device_store_new (const char *path)
{
  AgDeviceStore *self = g_object_new (AG_TYPE_DEVICE_STORE, NULL);

  if (path != NULL)
    self->path = g_strdup (path);
  else
    {
      g_autofree char *dir = ag_history_store_get_data_dir ();

      self->path = g_build_filename (dir, "devices.db", NULL);
    }
  return self;
}

const char *
ag_device_store_get_path (AgDeviceStore *self)
{
  g_return_val_if_fail (AG_IS_DEVICE_STORE (self), NULL);
  return self->path;
}
