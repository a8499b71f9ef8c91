// SPDX-License-Identifier: GPL-3.0-or-later
#include "ag-antigravity-switch.h"

#include <glib/gi18n.h>

#define CLOSE_TIMEOUT_MS 10000

typedef enum { JOB_PREVIEW, JOB_SWITCH, JOB_RESET, JOB_CAPTURE, JOB_STATUS } JobKind;

typedef struct {
  JobKind                  kind;
  AgAntigravitySwitchFlags flags;
  char                    *email;
  char                    *refresh_token;   /* the account's, for the sign-in */
  AgAntigravityInstall    *install;
  AgDeviceProfile         *current;         /* what storage.json holds now */
  AgDeviceProfile         *profile;         /* what is written */
  AgAntigravitySignIn     *sign_in;
  AgAntigravityPlan       *plan;
  AgAntigravityStatus     *status;
  GPtrArray               *accounts;        /* status: e-mail, refresh token, e-mail, … (secrets) */
  gboolean                 closed;
} Job;

struct _AgAntigravitySwitch
{
  GObject        parent_instance;
  AgDeviceStore *devices;
  AgOAuthClient *oauth;
};

G_DEFINE_FINAL_TYPE (AgAntigravitySwitch, ag_antigravity_switch, G_TYPE_OBJECT)

void
ag_antigravity_plan_free (AgAntigravityPlan *plan)
{
  if (plan == NULL)
    return;
  g_free (plan->folder);
  g_free (plan->storage_path);
  g_free (plan->state_path);
  ag_device_profile_free (plan->profile);
  g_clear_pointer (&plan->backups, g_ptr_array_unref);
  g_free (plan);
}

void
ag_antigravity_status_free (AgAntigravityStatus *status)
{
  if (status == NULL)
    return;
  g_free (status->folder);
  g_free (status->signed_in);
  ag_device_profile_free (status->profile);
  g_free (status->profile_owner);
  g_free (status);
}

static void
job_free (Job *job)
{
  g_free (job->email);
  g_free (job->refresh_token);
  g_clear_object (&job->install);
  ag_device_profile_free (job->current);
  ag_device_profile_free (job->profile);
  ag_antigravity_sign_in_free (job->sign_in);
  ag_antigravity_plan_free (job->plan);
  ag_antigravity_status_free (job->status);
  g_clear_pointer (&job->accounts, g_ptr_array_unref);
  g_free (job);
}

/* ---- steps on a worker thread ---- */

typedef gboolean (*JobStep) (Job *job, GCancellable *cancellable, GError **error);

static void
step_in_thread (GTask *inner, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  GTask *outer = task_data;
  JobStep step = g_object_get_data (G_OBJECT (inner), "step");
  GError *error = NULL;

  if (step (g_task_get_task_data (outer), cancellable, &error))
    g_task_return_boolean (inner, TRUE);
  else
    g_task_return_error (inner, error);
}

/* Runs @step on a worker thread, then @next on this thread with @outer as user data. */
static void
run_step (GTask *outer, JobStep step, GAsyncReadyCallback next)
{
  g_autoptr(GTask) inner = g_task_new (NULL, g_task_get_cancellable (outer), next, g_object_ref (outer));

  g_object_set_data (G_OBJECT (inner), "step", step);
  g_task_set_task_data (inner, outer, NULL);
  g_task_run_in_thread (inner, step_in_thread);
}

static gboolean
find_and_prepare (Job *job, GCancellable *cancellable, GError **error)
{
  AgAntigravityPlan *plan = g_new0 (AgAntigravityPlan, 1);
  g_autoptr(GArray) running = NULL;

  job->plan = plan;
  plan->backups = g_ptr_array_new_with_free_func (g_free);
  job->install = ag_antigravity_install_find (error);
  if (job->install == NULL)
    return FALSE;
  plan->folder = g_strdup (ag_antigravity_install_get_folder (job->install));
  plan->storage_path = g_strdup (ag_antigravity_install_get_storage_path (job->install));
  if (g_file_test (ag_antigravity_install_get_state_path (job->install), G_FILE_TEST_EXISTS))
    plan->state_path = g_strdup (ag_antigravity_install_get_state_path (job->install));
  running = ag_antigravity_install_list_running (job->install);
  plan->running = running->len > 0;
  if (plan->running && (job->kind == JOB_SWITCH || job->kind == JOB_RESET))
    {
      if ((job->flags & AG_ANTIGRAVITY_SWITCH_CLOSE_IDE) == 0)
        {
          g_set_error (error, AG_ANTIGRAVITY_ERROR, AG_ANTIGRAVITY_ERROR_RUNNING,
                       _("Antigravity is running on %s: close it first, or let ag-cl close and reopen it"),
                       plan->folder);
          return FALSE;
        }
      if (!ag_antigravity_install_close (job->install, CLOSE_TIMEOUT_MS, error))
        return FALSE;
      job->closed = TRUE;
    }
  plan->sign_in_store = ag_antigravity_find_sign_in_store (job->install, NULL);
  job->current = ag_antigravity_read_profile (job->install, error);
  return job->current != NULL || error == NULL || *error == NULL;
}

static gboolean
write_files (Job *job, GCancellable *cancellable, GError **error)
{
  return ag_antigravity_write (job->install, job->profile, job->sign_in, job->plan->backups, error);
}

static gboolean
read_status (Job *job, GCancellable *cancellable, GError **error)
{
  AgAntigravityStatus *status = g_new0 (AgAntigravityStatus, 1);
  g_autofree char *token = NULL;

  job->status = status;
  if (!find_and_prepare (job, cancellable, error))
    return FALSE;
  status->folder = g_strdup (job->plan->folder);
  status->running = job->plan->running;
  status->sign_in_store = job->plan->sign_in_store;
  status->profile = ag_device_profile_copy (job->current);
  token = ag_antigravity_read_refresh_token (job->install, error);
  if (error != NULL && *error != NULL)
    return FALSE;
  for (guint i = 0; token != NULL && i + 1 < job->accounts->len; i += 2)
    if (g_strcmp0 (token, g_ptr_array_index (job->accounts, i + 1)) == 0)
      status->signed_in = g_strdup (g_ptr_array_index (job->accounts, i));
  return TRUE;
}

/* ---- the chain on the caller's thread ---- */

static void
job_fail (GTask *task, GError *error)
{
  Job *job = g_task_get_task_data (task);

  /* The user did not ask to be left without the IDE because the write failed. */
  if (job->closed)
    ag_antigravity_install_reopen (job->install, NULL);
  g_task_return_error (task, error);
}

static void
job_done (GTask *task)
{
  Job *job = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (job->closed)
    {
      if (!ag_antigravity_install_reopen (job->install, &error))
        g_warning ("cannot start Antigravity again: %s", error->message);
      job->plan->reopened = error == NULL;
    }
  job->plan->profile = ag_device_profile_copy (job->profile);
  g_task_return_pointer (task, g_steal_pointer (&job->plan), (GDestroyNotify) ag_antigravity_plan_free);
}

static void
written (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    job_fail (task, error);
  else
    job_done (task);
}

static void
tokens_refreshed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  Job *job = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr(AgOAuthTokens) tokens = ag_oauth_client_refresh_finish (AG_OAUTH_CLIENT (source), result, &error);

  if (tokens == NULL)
    {
      g_prefix_error (&error, _("cannot get a fresh sign-in for %s: "), job->email);
      job_fail (task, error);
      return;
    }
  job->sign_in = ag_antigravity_sign_in_new (tokens->access_token,
                                             tokens->refresh_token != NULL ? tokens->refresh_token
                                                                           : job->refresh_token,
                                             tokens->expires_at_unix_s);
  run_step (task, write_files, written);
}

static void
profile_ensured (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  GCancellable *cancellable = g_task_get_cancellable (task);
  AgAntigravitySwitch *self = g_task_get_source_object (task);
  Job *job = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr(AgDeviceVersion) version = ag_device_store_version_finish (AG_DEVICE_STORE (source), result,
                                                                       &job->plan->profile_generated, &error);

  if (version == NULL)
    {
      job_fail (task, error);
      return;
    }
  job->profile = ag_device_profile_copy (version->profile);
  ag_oauth_client_refresh_async (self->oauth, job->refresh_token, cancellable, tokens_refreshed,
                                 g_steal_pointer (&task));
}

static void
captured (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  AgDeviceVersion *version = ag_device_store_version_finish (AG_DEVICE_STORE (source), result, NULL, &error);

  if (version == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, version, (GDestroyNotify) ag_device_version_free);
}

static void
baseline_read (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  GCancellable *cancellable = g_task_get_cancellable (task);
  AgAntigravitySwitch *self = g_task_get_source_object (task);
  Job *job = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr(AgDeviceProfile) baseline = ag_device_store_baseline_finish (AG_DEVICE_STORE (source), result, NULL,
                                                                         &error);

  if (error != NULL)
    {
      job_fail (task, error);
      return;
    }
  switch (job->kind)
    {
    case JOB_SWITCH:
      ag_device_store_ensure_async (self->devices, job->email, cancellable, profile_ensured,
                                    g_steal_pointer (&task));
      return;
    case JOB_RESET:
      if (baseline == NULL)
        {
          job_fail (task, g_error_new (G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                                       "no baseline is kept: ag-cl has not changed this machine's identity"));
          return;
        }
      job->profile = g_steal_pointer (&baseline);
      run_step (task, write_files, written);
      return;
    case JOB_PREVIEW:
      job->plan->profile = g_steal_pointer (&baseline);
      g_task_return_pointer (task, g_steal_pointer (&job->plan), (GDestroyNotify) ag_antigravity_plan_free);
      return;
    case JOB_CAPTURE:
      ag_device_store_add_async (self->devices, job->email, job->current, "captured", cancellable,
                                 captured, g_steal_pointer (&task));
      return;
    case JOB_STATUS:
      if (job->status->profile_owner == NULL && ag_device_profile_equal (baseline, job->current) && baseline != NULL)
        job->status->profile_owner = g_strdup ("baseline");
      g_task_return_pointer (task, g_steal_pointer (&job->status), (GDestroyNotify) ag_antigravity_status_free);
      return;
    }
}

static void
owner_found (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  GCancellable *cancellable = g_task_get_cancellable (task);
  Job *job = g_task_get_task_data (task);
  GError *error = NULL;

  job->status->profile_owner = ag_device_store_find_account_finish (AG_DEVICE_STORE (source), result, &error);
  if (error != NULL)
    {
      job_fail (task, error);
      return;
    }
  ag_device_store_get_baseline_async (AG_DEVICE_STORE (source), cancellable, baseline_read,
                                      g_steal_pointer (&task));
}

static void
previewed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  Job *job = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr(AgDeviceVersion) version = ag_device_store_version_finish (AG_DEVICE_STORE (source), result, NULL,
                                                                       &error);

  if (error != NULL)
    {
      job_fail (task, error);
      return;
    }
  if (version != NULL)
    job->plan->profile = ag_device_profile_copy (version->profile);
  g_task_return_pointer (task, g_steal_pointer (&job->plan), (GDestroyNotify) ag_antigravity_plan_free);
}

static void
prepared (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  AgAntigravitySwitch *self = g_task_get_source_object (task);
  Job *job = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      job_fail (task, error);
      return;
    }
  if (job->kind == JOB_STATUS)
    {
      if (job->current != NULL)
        ag_device_store_find_account_async (self->devices, job->current, cancellable, owner_found,
                                            g_steal_pointer (&task));
      else
        g_task_return_pointer (task, g_steal_pointer (&job->status), (GDestroyNotify) ag_antigravity_status_free);
      return;
    }
  if (job->kind == JOB_PREVIEW && job->email != NULL)
    {
      ag_device_store_current_async (self->devices, job->email, cancellable, previewed, g_steal_pointer (&task));
      return;
    }
  if (job->kind == JOB_CAPTURE && job->current == NULL)
    {
      job_fail (task, g_error_new (AG_ANTIGRAVITY_ERROR, AG_ANTIGRAVITY_ERROR_BAD_FILE,
                                   "%s holds no device identity to capture", job->plan->storage_path));
      return;
    }
  /* The machine's own identity is kept before anything ag-cl writes could replace it. */
  if (job->current != NULL && (job->kind == JOB_SWITCH || job->kind == JOB_CAPTURE))
    ag_device_store_keep_baseline_async (self->devices, job->current, cancellable, baseline_read,
                                         g_steal_pointer (&task));
  else
    ag_device_store_get_baseline_async (self->devices, cancellable, baseline_read, g_steal_pointer (&task));
}

static void
start_job (AgAntigravitySwitch *self, Job *job, JobStep first, gpointer source_tag, GCancellable *cancellable,
           GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  run_step (task, first, prepared);
}

static Job *
job_new (JobKind kind, const char *email, AgAntigravitySwitchFlags flags)
{
  Job *job = g_new0 (Job, 1);

  job->kind = kind;
  job->email = g_strdup (email);
  job->flags = flags;
  return job;
}

void
ag_antigravity_switch_preview_async (AgAntigravitySwitch *self, const char *email, GCancellable *cancellable,
                                     GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (AG_IS_ANTIGRAVITY_SWITCH (self));
  start_job (self, job_new (JOB_PREVIEW, email, 0), find_and_prepare, ag_antigravity_switch_preview_async,
             cancellable, callback, user_data);
}

void
ag_antigravity_switch_account_async (AgAntigravitySwitch *self, AgAccount *account, AgAntigravitySwitchFlags flags,
                                     GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  Job *job;

  g_return_if_fail (AG_IS_ANTIGRAVITY_SWITCH (self) && AG_IS_ACCOUNT (account));
  job = job_new (JOB_SWITCH, ag_account_get_email (account), flags);
  job->refresh_token = g_strdup (ag_account_get_refresh_token (account));
  start_job (self, job, find_and_prepare, ag_antigravity_switch_account_async, cancellable, callback, user_data);
}

void
ag_antigravity_switch_reset_async (AgAntigravitySwitch *self, AgAntigravitySwitchFlags flags,
                                   GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (AG_IS_ANTIGRAVITY_SWITCH (self));
  start_job (self, job_new (JOB_RESET, NULL, flags), find_and_prepare, ag_antigravity_switch_reset_async,
             cancellable, callback, user_data);
}

AgAntigravityPlan *
ag_antigravity_switch_finish (AgAntigravitySwitch *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
ag_antigravity_switch_capture_async (AgAntigravitySwitch *self, const char *email, GCancellable *cancellable,
                                     GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (AG_IS_ANTIGRAVITY_SWITCH (self) && email != NULL);
  start_job (self, job_new (JOB_CAPTURE, email, 0), find_and_prepare, ag_antigravity_switch_capture_async,
             cancellable, callback, user_data);
}

AgDeviceVersion *
ag_antigravity_switch_capture_finish (AgAntigravitySwitch *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

AgDeviceVersion *
ag_antigravity_switch_version_finish (GObject *source, GAsyncResult *result, GError **error)
{
  if (AG_IS_ANTIGRAVITY_SWITCH (source))
    return ag_antigravity_switch_capture_finish (AG_ANTIGRAVITY_SWITCH (source), result, error);
  return ag_device_store_version_finish (AG_DEVICE_STORE (source), result, NULL, error);
}

void
ag_antigravity_switch_status_async (AgAntigravitySwitch *self, GPtrArray *accounts, GCancellable *cancellable,
                                    GAsyncReadyCallback callback, gpointer user_data)
{
  Job *job;

  g_return_if_fail (AG_IS_ANTIGRAVITY_SWITCH (self));
  job = job_new (JOB_STATUS, NULL, 0);
  /* Copied here: AgAccount is not for worker threads. */
  job->accounts = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; accounts != NULL && i < accounts->len; i++)
    {
      g_ptr_array_add (job->accounts, g_strdup (ag_account_get_email (g_ptr_array_index (accounts, i))));
      g_ptr_array_add (job->accounts, g_strdup (ag_account_get_refresh_token (g_ptr_array_index (accounts, i))));
    }
  start_job (self, job, read_status, ag_antigravity_switch_status_async, cancellable, callback, user_data);
}

AgAntigravityStatus *
ag_antigravity_switch_status_finish (AgAntigravitySwitch *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
ag_antigravity_switch_dispose (GObject *object)
{
  AgAntigravitySwitch *self = AG_ANTIGRAVITY_SWITCH (object);

  g_clear_object (&self->devices);
  g_clear_object (&self->oauth);
  G_OBJECT_CLASS (ag_antigravity_switch_parent_class)->dispose (object);
}

static void
ag_antigravity_switch_class_init (AgAntigravitySwitchClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = ag_antigravity_switch_dispose;
}

static void
ag_antigravity_switch_init (AgAntigravitySwitch *self)
{
}

AgAntigravitySwitch *
ag_antigravity_switch_new (AgDeviceStore *devices, AgOAuthClient *oauth)
{
  AgAntigravitySwitch *self = g_object_new (AG_TYPE_ANTIGRAVITY_SWITCH, NULL);

  self->devices = g_object_ref (devices);
  self->oauth = g_object_ref (oauth);
  return self;
}

AgDeviceStore *
ag_antigravity_switch_get_devices (AgAntigravitySwitch *self)
{
  g_return_val_if_fail (AG_IS_ANTIGRAVITY_SWITCH (self), NULL);
  return self->devices;
}
