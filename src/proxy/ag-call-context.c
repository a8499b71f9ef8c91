/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "ag-call-context.h"
#include "ag-account-pool.h"
#include "ag-cloudcode-client.h"
#include "ag-history-store.h"
#include "ag-model-catalogue.h"
#include "ag-oauth-client.h"
#include "ag-version-check.h"

typedef struct {
  AgCallContext context;
  gatomicrefcount ref_count;
} Shared;

G_DEFINE_BOXED_TYPE (AgCallContext, ag_call_context, ag_call_context_ref, ag_call_context_unref)

static AgCallContext *
shared_new (void)
{
  Shared *shared = g_new0 (Shared, 1);

  g_atomic_ref_count_init (&shared->ref_count);
  return &shared->context;
}

AgCallContext *
ag_call_context_new (AgCloudcodeClient *cloudcode, AgOAuthClient *oauth, AgAccountPool *pool,
                     AgModelCatalogue *catalogue)
{
  AgCallContext *self = shared_new ();

  self->cloudcode = g_object_ref (cloudcode);
  self->oauth = g_object_ref (oauth);
  self->pool = g_object_ref (pool);
  self->catalogue = g_object_ref (catalogue);
  self->keepalive_ms = 15000;
  self->stream_idle_timeout_ms = 300000;
  self->thinking_keys = AG_THINKING_KEYS_CAMEL;
  return self;
}

AgCallContext *
ag_call_context_copy (const AgCallContext *self)
{
  AgCallContext *copy = shared_new ();

  *copy = *self;
  g_object_ref (copy->cloudcode);
  g_object_ref (copy->oauth);
  g_object_ref (copy->pool);
  g_object_ref (copy->catalogue);
  if (copy->history != NULL)
    g_object_ref (copy->history);
  if (copy->version_check != NULL)
    g_object_ref (copy->version_check);
  return copy;
}

AgCallContext *
ag_call_context_ref (AgCallContext *self)
{
  g_atomic_ref_count_inc (&((Shared *) self)->ref_count);
  return self;
}

void
ag_call_context_unref (AgCallContext *self)
{
  Shared *shared = (Shared *) self;

  if (!g_atomic_ref_count_dec (&shared->ref_count))
    return;
  g_object_unref (self->cloudcode);
  g_object_unref (self->oauth);
  g_object_unref (self->pool);
  g_object_unref (self->catalogue);
  g_clear_object (&self->history);
  g_clear_object (&self->version_check);
  g_free (shared);
}

double
ag_call_context_usage_scale (const AgCallContext *self, gint64 context_tokens)
{
  /* Linear on purpose: the client compacts at the same fraction of the real window as it would of its own. */
  if (!self->scale_usage || self->client_window == 0 || context_tokens <= 0)
    return 1.0;
  return (double) self->client_window / (double) context_tokens;
}

void
ag_call_context_answer_given (const AgCallContext *self, gboolean client_outdated)
{
  if (client_outdated && self->version_check != NULL)
    ag_version_check_recheck (self->version_check);
}
