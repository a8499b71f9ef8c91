/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "ag-upstream-reader.h"

#define READ_SIZE 16384
/* A bounded burst: other calls on the main loop get their turn even while one upstream floods. */
#define MAX_READS_PER_WAKEUP 16

struct _AgUpstreamReader {
  GInputStream    *stream;
  AgStreamDecoder *decoder;
  gboolean         may_retry_empty;
  guint            idle_timeout_ms;
  GCancellable    *cancellable;
  AgUpstreamFunc   func;
  gpointer         user_data;
  GCancellable    *caller_cancellable;
  gulong           cancelled_id;
  GSource         *readable;      /* waiting for the next bytes (pollable streams) */
  gboolean         stopped;       /* freed by its owner; a pending asynchronous read only lets go of it */
  GSource         *idle;          /* fires after idle_timeout_ms without an upstream event; re-armed, not re-made */
  guint64          n_events;      /* events decoded when the silence timer last restarted */
  char             buffer[READ_SIZE];
};

static void
stop_waiting (AgUpstreamReader *self)
{
  if (self->readable != NULL)
    {
      g_source_destroy (self->readable);
      g_clear_pointer (&self->readable, g_source_unref);
    }
}

static void
reader_clear (gpointer data)
{
  AgUpstreamReader *self = data;

  g_object_unref (self->stream);
  g_object_unref (self->cancellable);
}

void
ag_upstream_reader_free (AgUpstreamReader *self)
{
  if (self == NULL)
    return;
  self->stopped = TRUE;
  stop_waiting (self);
  g_source_destroy (self->idle);
  g_clear_pointer (&self->idle, g_source_unref);
  if (self->caller_cancellable != NULL)
    {
      g_cancellable_disconnect (self->caller_cancellable, self->cancelled_id);
      g_clear_object (&self->caller_cancellable);
    }
  /* A pending asynchronous read keeps the reader (and its buffer) until it returns, cancelled. */
  g_cancellable_cancel (self->cancellable);
  g_input_stream_close_async (self->stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
  g_rc_box_release_full (self, reader_clear);
}

static gboolean
idle_timeout (gpointer user_data)
{
  AgUpstreamReader *self = user_data;

  g_source_set_ready_time (self->idle, -1);
  stop_waiting (self);
  self->func (AG_UPSTREAM_SILENT, self->user_data);
  return G_SOURCE_CONTINUE;
}

static gboolean
idle_dispatch (GSource *source, GSourceFunc callback, gpointer user_data)
{
  return callback (user_data);
}

static GSourceFuncs idle_funcs = { .dispatch = idle_dispatch };

/* Restarted on every upstream event, not every read: a stalled connection, or one that only ever sends
 * comments, must not hold the client forever. One source moved in time, so a burst costs no allocation. */
static void
restart_idle_timeout (AgUpstreamReader *self)
{
  g_source_set_ready_time (self->idle, g_get_monotonic_time () + (gint64) self->idle_timeout_ms * 1000);
  self->n_events = ag_stream_decoder_get_n_events (self->decoder);
}

/* Decodes one read: @length 0 is the end of the stream. */
static AgStreamState
decode (AgUpstreamReader *self, gssize length, const GError *error)
{
  AgStreamState state;

  if (length < 0)
    state = ag_stream_decoder_read_failed (self->decoder, error);
  else if (length == 0)
    state = ag_stream_decoder_finish (self->decoder, self->may_retry_empty);
  else
    state = ag_stream_decoder_feed (self->decoder, self->buffer, (gsize) length);
  if (ag_stream_decoder_get_n_events (self->decoder) != self->n_events)
    restart_idle_timeout (self);
  return state;
}

/* The burst is over: tell the caller, who may free the reader. */
static void
report (AgUpstreamReader *self, AgStreamState state)
{
  if (state != AG_STREAM_STATE_READING)
    g_source_set_ready_time (self->idle, -1);
  self->func (state == AG_STREAM_STATE_READING ? AG_UPSTREAM_MORE : AG_UPSTREAM_ENDED, self->user_data);
}

static void read_burst (AgUpstreamReader *self);

static gboolean
readable (GObject *stream, gpointer user_data)
{
  AgUpstreamReader *self = user_data;

  g_clear_pointer (&self->readable, g_source_unref);
  read_burst (self);
  return G_SOURCE_REMOVE;
}

static void
read_burst (AgUpstreamReader *self)
{
  GPollableInputStream *pollable = G_POLLABLE_INPUT_STREAM (self->stream);
  AgStreamState state = AG_STREAM_STATE_READING;

  for (guint reads = 0; reads < MAX_READS_PER_WAKEUP && state == AG_STREAM_STATE_READING; reads++)
    {
      g_autoptr(GError) error = NULL;
      gssize n = g_pollable_input_stream_read_nonblocking (pollable, self->buffer, sizeof self->buffer,
                                                           self->cancellable, &error);

      if (n < 0 && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        break;
      if (n < 0 && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      state = decode (self, n, error);
    }
  if (state == AG_STREAM_STATE_READING)
    {
      /* Fires at once when the burst stopped at its bound with more to read. */
      self->readable = g_pollable_input_stream_create_source (pollable, self->cancellable);
      g_source_set_callback (self->readable, G_SOURCE_FUNC (readable), self, NULL);
      g_source_attach (self->readable, NULL);
    }
  report (self, state);
}

static void read_async (AgUpstreamReader *self);

static void
read_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  AgUpstreamReader *self = user_data;
  g_autoptr(GError) error = NULL;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, &error);
  gboolean stopped = self->stopped;
  AgStreamState state;

  g_rc_box_release_full (self, reader_clear);
  if (stopped || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  state = decode (self, n, error);
  if (state == AG_STREAM_STATE_READING)
    read_async (self);
  report (self, state);
}

/* For a stream that cannot be polled: one read at a time. Cancelled (by free) before the reader goes away. */
static void
read_async (AgUpstreamReader *self)
{
  g_input_stream_read_async (self->stream, self->buffer, sizeof self->buffer, G_PRIORITY_DEFAULT, self->cancellable,
                             read_done, g_rc_box_acquire (self));
}

static void
cancel_own (GCancellable *caller, gpointer own)
{
  g_cancellable_cancel (G_CANCELLABLE (own));
}

AgUpstreamReader *
ag_upstream_reader_new (GInputStream *stream, AgStreamDecoder *decoder, gboolean may_retry_empty,
                        guint idle_timeout_ms, GCancellable *cancellable, AgUpstreamFunc func, gpointer user_data)
{
  AgUpstreamReader *self = g_rc_box_new0 (AgUpstreamReader);

  self->stream = g_object_ref (stream);
  self->decoder = decoder;
  self->may_retry_empty = may_retry_empty;
  self->idle_timeout_ms = idle_timeout_ms;
  /* Its own, chained to the caller's: freeing the reader must stop it without cancelling the caller. */
  self->cancellable = g_cancellable_new ();
  if (cancellable != NULL)
    {
      self->caller_cancellable = g_object_ref (cancellable);
      self->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (cancel_own),
                                                  g_object_ref (self->cancellable), g_object_unref);
    }
  self->func = func;
  self->user_data = user_data;
  self->idle = g_source_new (&idle_funcs, sizeof (GSource));
  g_source_set_callback (self->idle, idle_timeout, self, NULL);
  g_source_attach (self->idle, NULL);
  restart_idle_timeout (self);
  if (G_IS_POLLABLE_INPUT_STREAM (stream) && g_pollable_input_stream_can_poll (G_POLLABLE_INPUT_STREAM (stream)))
    {
      self->readable = g_pollable_input_stream_create_source (G_POLLABLE_INPUT_STREAM (stream), self->cancellable);
      g_source_set_callback (self->readable, G_SOURCE_FUNC (readable), self, NULL);
      g_source_attach (self->readable, NULL);
    }
  else
    read_async (self);
  return self;
}
