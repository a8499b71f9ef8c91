/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-upstream-reader.h — reads one upstream answer into its stream decoder: everything that has arrived, at once,
 * then waits on the main loop, so a burst of upstream data is one wake-up and one write to the client. Ends the
 * answer when upstream goes silent for too long. */
#pragma once

#include <gio/gio.h>
#include "ag-stream-decoder.h"

G_BEGIN_DECLS

typedef enum {
  AG_UPSTREAM_MORE,    /* a burst was decoded: the back translator may have output; reading goes on */
  AG_UPSTREAM_ENDED,   /* the decoder left READING (ag_stream_decoder_get_state says how); reading stopped */
  AG_UPSTREAM_SILENT,  /* no upstream event for the idle timeout; reading stopped */
} AgUpstreamProgress;

/* Called after each burst and once at the end. The reader may be freed from the callback. */
typedef void (*AgUpstreamFunc) (AgUpstreamProgress progress, gpointer user_data);

typedef struct _AgUpstreamReader AgUpstreamReader;

/* Starts reading @stream into @decoder (not owned: it must outlive the reader). At the end of the stream an empty
 * answer is reported as such only when @may_retry_empty. */
AgUpstreamReader *ag_upstream_reader_new (GInputStream   *stream,
                                          AgStreamDecoder *decoder,
                                          gboolean        may_retry_empty,
                                          guint           idle_timeout_ms,
                                          GCancellable   *cancellable,
                                          AgUpstreamFunc  func,
                                          gpointer        user_data);
/* Stops reading and closes the stream. */
void              ag_upstream_reader_free (AgUpstreamReader *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AgUpstreamReader, ag_upstream_reader_free)

G_END_DECLS
