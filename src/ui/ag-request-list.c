/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "ag-request-list.h"

#include "ag-request-item.h"

struct _AgRequestList
{
  GObject         parent_instance;

  AgHistoryStore *store;
  guint           limit;
  GPtrArray      *flights;      /* AgRequestItem in flight, newest first: the model's first items */
  GPtrArray      *items;        /* AgRequestItem answered, oldest first: after the flights, newest first */
  AgRequestsInFlight *in_flight;
  GPtrArray      *flights_read; /* what was in flight when the read in progress was asked for */
  gint64          newest_id;
  gint64          newest_time;
  gboolean        loaded;
  gboolean        reading;      /* a read is in flight; "request-added" meanwhile asks for another */
  gboolean        read_again;
  GCancellable   *cancellable;
};

static void ag_request_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (AgRequestList, ag_request_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, ag_request_list_model_init))

static GType
get_item_type (GListModel *model)
{
  return AG_TYPE_REQUEST_ITEM;
}

static guint
get_n_items (GListModel *model)
{
  AgRequestList *self = AG_REQUEST_LIST (model);

  return self->flights->len + self->items->len;
}

static gpointer
get_item (GListModel *model, guint position)
{
  AgRequestList *self = AG_REQUEST_LIST (model);

  if (position < self->flights->len)
    return g_object_ref (g_ptr_array_index (self->flights, position));
  position -= self->flights->len;
  if (position >= self->items->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->items, self->items->len - 1 - position));
}

static void
ag_request_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

static void read_rows (AgRequestList *self);

static void
rows_read (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = ag_history_store_query_requests_finish (AG_HISTORY_STORE (source), result, &error);
  g_autoptr(GPtrArray) flights = NULL;
  AgRequestList *self;
  guint added = 0, dropped = 0, old_flights;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = AG_REQUEST_LIST (user_data);
  self->reading = FALSE;
  flights = g_steal_pointer (&self->flights_read);
  if (rows == NULL)
    g_warning ("cannot read the request log: %s", error->message);
  for (guint i = 0; rows != NULL && i < rows->len; i++)
    {
      AgRequestRecord *record = g_ptr_array_index (rows, i);

      /* Rows at the newest time already shown come again; the id tells them apart. */
      if (record->id <= self->newest_id)
        continue;
      self->newest_id = record->id;
      self->newest_time = record->time_ms;
      g_ptr_array_add (self->items, ag_request_item_new (g_ptr_array_steal_index (rows, i--)));
      added++;
    }
  self->loaded = TRUE;
  /* The requests in flight when this read was asked for: the ones answered since are in the rows just read, so
   * an answered request takes the place of its row in flight in one change, never vanishing in between. */
  old_flights = self->flights->len;
  g_ptr_array_unref (self->flights);
  self->flights = g_steal_pointer (&flights);
  if (added > 0 || old_flights > 0 || self->flights->len > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, old_flights, self->flights->len + added);
  /* Bounded like the store: the oldest rows (the end of the list) go as new ones come. */
  if (self->limit > 0 && self->items->len > self->limit)
    {
      dropped = self->items->len - self->limit;
      g_ptr_array_remove_range (self->items, 0, dropped);
      g_list_model_items_changed (G_LIST_MODEL (self), self->flights->len + self->items->len, dropped, 0);
    }
  if (self->read_again)
    read_rows (self);
}

static GPtrArray *
flight_items (AgRequestList *self)
{
  g_autoptr(GPtrArray) records = ag_requests_in_flight_list (self->in_flight);
  GPtrArray *items = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < records->len; i++)
    g_ptr_array_add (items, ag_request_item_new (g_steal_pointer (&records->pdata[i])));
  return items;
}

static void
read_rows (AgRequestList *self)
{
  self->read_again = FALSE;
  self->reading = TRUE;
  /* Asked before the query is queued: every request that ends after this is still in flight in this list. */
  g_clear_pointer (&self->flights_read, g_ptr_array_unref);
  self->flights_read = flight_items (self);
  ag_history_store_query_requests_async (self->store, self->newest_id == 0 ? self->limit : 0, self->newest_time,
                                         self->cancellable, rows_read, self);
}

static void
on_request_added (AgHistoryStore *store, gint64 id, gpointer user_data)
{
  AgRequestList *self = user_data;

  if (self->reading)
    self->read_again = TRUE;
  else
    read_rows (self);
}

static void
on_in_flight_changed (AgRequestsInFlight *in_flight, gpointer user_data)
{
  on_request_added (NULL, 0, user_data);
}

static void
ag_request_list_dispose (GObject *object)
{
  AgRequestList *self = AG_REQUEST_LIST (object);

  if (self->in_flight != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->in_flight, self);
      ag_requests_in_flight_watch (self->in_flight, FALSE);
      g_clear_object (&self->in_flight);
    }
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (ag_request_list_parent_class)->dispose (object);
}

static void
ag_request_list_finalize (GObject *object)
{
  g_ptr_array_unref (AG_REQUEST_LIST (object)->items);
  g_ptr_array_unref (AG_REQUEST_LIST (object)->flights);
  g_clear_pointer (&AG_REQUEST_LIST (object)->flights_read, g_ptr_array_unref);
  G_OBJECT_CLASS (ag_request_list_parent_class)->finalize (object);
}

static void
ag_request_list_class_init (AgRequestListClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = ag_request_list_dispose;
  G_OBJECT_CLASS (klass)->finalize = ag_request_list_finalize;
}

static void
ag_request_list_init (AgRequestList *self)
{
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
  self->flights = g_ptr_array_new_with_free_func (g_object_unref);
  self->cancellable = g_cancellable_new ();
}

AgRequestList *
ag_request_list_new (AgHistoryStore *store, guint limit)
{
  AgRequestList *self = g_object_new (AG_TYPE_REQUEST_LIST, NULL);

  self->store = g_object_ref (store);
  self->limit = limit;
  g_signal_connect_object (store, "request-added", G_CALLBACK (on_request_added), self, 0);
  self->in_flight = g_object_ref (ag_history_store_get_in_flight (store));
  ag_requests_in_flight_watch (self->in_flight, TRUE);
  g_signal_connect (self->in_flight, "changed", G_CALLBACK (on_in_flight_changed), self);
  read_rows (self);
  return self;
}

gboolean
ag_request_list_get_loaded (AgRequestList *self)
{
  return self->loaded;
}
