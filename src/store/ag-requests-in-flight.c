// SPDX-License-Identifier: GPL-3.0-or-later
#include "ag-requests-in-flight.h"

struct _AgRequestsInFlight
{
  GObject     parent_instance;

  guint       watchers;
  guint64     next_handle;
  GHashTable *requests;   /* handle (guint64 *) → AgRequestRecord */
  guint       changed_id;
};

G_DEFINE_FINAL_TYPE (AgRequestsInFlight, ag_requests_in_flight, G_TYPE_OBJECT)

enum {
  SIGNAL_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static gboolean
emit_changed (gpointer user_data)
{
  AgRequestsInFlight *self = user_data;

  self->changed_id = 0;
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
  return G_SOURCE_REMOVE;
}

static void
queue_changed (AgRequestsInFlight *self)
{
  if (self->changed_id == 0)
    self->changed_id = g_idle_add (emit_changed, self);
}

static void
ag_requests_in_flight_dispose (GObject *object)
{
  AgRequestsInFlight *self = AG_REQUESTS_IN_FLIGHT (object);

  g_clear_handle_id (&self->changed_id, g_source_remove);
  G_OBJECT_CLASS (ag_requests_in_flight_parent_class)->dispose (object);
}

static void
ag_requests_in_flight_finalize (GObject *object)
{
  g_hash_table_unref (AG_REQUESTS_IN_FLIGHT (object)->requests);
  G_OBJECT_CLASS (ag_requests_in_flight_parent_class)->finalize (object);
}

static void
ag_requests_in_flight_class_init (AgRequestsInFlightClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = ag_requests_in_flight_dispose;
  G_OBJECT_CLASS (klass)->finalize = ag_requests_in_flight_finalize;
  signals[SIGNAL_CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                                          NULL, G_TYPE_NONE, 0);
}

static void
ag_requests_in_flight_init (AgRequestsInFlight *self)
{
  self->requests = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                          (GDestroyNotify) ag_request_record_free);
}

AgRequestsInFlight *
ag_requests_in_flight_new (void)
{
  return g_object_new (AG_TYPE_REQUESTS_IN_FLIGHT, NULL);
}

void
ag_requests_in_flight_watch (AgRequestsInFlight *self, gboolean watch)
{
  g_return_if_fail (AG_IS_REQUESTS_IN_FLIGHT (self));
  g_return_if_fail (watch || self->watchers > 0);

  self->watchers += watch ? 1 : -1;
  /* Nobody left to tell: what is in flight now would only go stale. */
  if (self->watchers == 0)
    g_hash_table_remove_all (self->requests);
}

guint64
ag_requests_in_flight_start (AgRequestsInFlight *self, gint64 time_ms, const char *client, const char *model)
{
  AgRequestRecord *record;
  guint64 *handle;

  if (self == NULL || self->watchers == 0)
    return 0;
  record = ag_request_record_new ();
  record->time_ms = time_ms;
  record->client = g_strdup (client);
  record->model = g_strdup (model);
  record->outcome = AG_REQUEST_OUTCOME_IN_FLIGHT;
  handle = g_new (guint64, 1);
  *handle = ++self->next_handle;
  g_hash_table_insert (self->requests, handle, record);
  queue_changed (self);
  return *handle;
}

void
ag_requests_in_flight_end (AgRequestsInFlight *self, guint64 handle)
{
  if (self == NULL || handle == 0)
    return;
  if (g_hash_table_remove (self->requests, &handle))
    queue_changed (self);
}

static AgRequestRecord *
record_copy (const AgRequestRecord *record)
{
  AgRequestRecord *copy = ag_request_record_new ();

  copy->time_ms = record->time_ms;
  copy->client = g_strdup (record->client);
  copy->model = g_strdup (record->model);
  copy->outcome = record->outcome;
  return copy;
}

static int
descending (gconstpointer a, gconstpointer b)
{
  guint64 x = *(const guint64 *) a, y = *(const guint64 *) b;

  return (x < y) - (x > y);
}

GPtrArray *
ag_requests_in_flight_list (AgRequestsInFlight *self)
{
  GPtrArray *list = g_ptr_array_new_with_free_func ((GDestroyNotify) ag_request_record_free);
  g_autoptr(GArray) handles = g_array_new (FALSE, FALSE, sizeof (guint64));
  GHashTableIter iter;
  gpointer key;

  g_return_val_if_fail (AG_IS_REQUESTS_IN_FLIGHT (self), list);
  g_hash_table_iter_init (&iter, self->requests);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_array_append_val (handles, *(guint64 *) key);
  /* Handles count up as requests start: the largest is the newest. */
  g_array_sort (handles, descending);
  for (guint i = 0; i < handles->len; i++)
    g_ptr_array_add (list, record_copy (g_hash_table_lookup (self->requests, &g_array_index (handles, guint64, i))));
  return list;
}

guint
ag_requests_in_flight_count (AgRequestsInFlight *self)
{
  return g_hash_table_size (self->requests);
}
