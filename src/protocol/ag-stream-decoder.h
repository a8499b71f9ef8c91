/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-stream-decoder.h — the upstream side of one answer: Cloud Code's SSE bytes in, each event's JSON parsed once,
 * errors and Google's outdated-client notice recognised, good chunks pushed into a back translator; and the one
 * place that decides what the end of the stream means, so that the call only maps a state to its answer. */
#pragma once

#include "ag-back-translator.h"
#include "ag-google-error.h"

G_BEGIN_DECLS

typedef enum {
  /* feed: keep reading. */
  AG_STREAM_STATE_READING,
  /* The answer is complete in the translator's output: write it and end with 200. */
  AG_STREAM_STATE_COMPLETE,
  /* No content came and the client was shown nothing: this answer may be dropped and asked for again. */
  AG_STREAM_STATE_EMPTY,
  /* The stream ended without a single response chunk: 502 api_error with the message. */
  AG_STREAM_STATE_NOTHING_RECEIVED,
  /* The stream ended without a finishReason (a cut connection can look like a clean end): 502 api_error. */
  AG_STREAM_STATE_TRUNCATED,
  /* An upstream error, or the outdated-client notice, arrived before the client was shown anything. Stop reading:
   * the error (ag_stream_decoder_steal_error) is handled like an HTTP failure of the request (rotate, rest,
   * answer), with this answer dropped. */
  AG_STREAM_STATE_FAILED_BEFORE_CONTENT,
  /* An upstream error arrived after the client was shown part of the answer. Stop reading: write the output,
   * then answer the error (an in-stream error event when streaming). */
  AG_STREAM_STATE_FAILED_AFTER_CONTENT,
  /* One event exceeded the size limit; the events around it were still decoded. Stop reading: write the output,
   * then 502 api_error with the message. */
  AG_STREAM_STATE_OVERSIZED_EVENT,
  /* Reading from upstream failed (ag_stream_decoder_read_failed): 502 api_error with the message. */
  AG_STREAM_STATE_READ_FAILED,
  /* The stream ended properly but the translator could not put the client's answer together: 502 api_error. */
  AG_STREAM_STATE_MALFORMED_ANSWER,
} AgStreamState;

typedef struct _AgStreamDecoder AgStreamDecoder;

/* Takes ownership of @back. */
AgStreamDecoder  *ag_stream_decoder_new  (AgBackTranslator *back);
void              ag_stream_decoder_free (AgStreamDecoder *self);
/* The SSE parser's limit on one event (AG_SSE_DEFAULT_MAX_EVENT_SIZE by default). */
void              ag_stream_decoder_set_max_event_size (AgStreamDecoder *self, gsize max_bytes);
/* For the output, keepalives, an in-stream error and usage. */
AgBackTranslator *ag_stream_decoder_get_back_translator (AgStreamDecoder *self);

/* Upstream bytes, in any chunking. Returns READING, or the state that ends the stream early (FAILED_BEFORE_CONTENT,
 * FAILED_AFTER_CONTENT, OVERSIZED_EVENT); once a state other than READING was returned, the decoder takes nothing
 * more and returns that state again. A malformed event, or a chunk that is not a response, is skipped with one
 * warning. */
AgStreamState     ag_stream_decoder_feed (AgStreamDecoder *self, const char *bytes, gsize len);
/* Upstream's end of the stream: decodes a last event that lacked its blank line, then decides. @may_retry_empty
 * says whether an empty answer may still be asked for again (else it ends like any other). Finishing completes
 * the client's answer in the output only when the state is COMPLETE. */
AgStreamState     ag_stream_decoder_finish (AgStreamDecoder *self, gboolean may_retry_empty);
/* Reading from upstream failed with @error. */
AgStreamState     ag_stream_decoder_read_failed (AgStreamDecoder *self, const GError *error);
AgStreamState     ag_stream_decoder_get_state (AgStreamDecoder *self);

/* Upstream events seen so far, malformed ones included (not comments): a caller's idle timeout restarts on each. */
guint64           ag_stream_decoder_get_n_events (AgStreamDecoder *self);
/* FAILED_BEFORE_CONTENT and FAILED_AFTER_CONTENT: the upstream error (in-stream errors carry their real status). */
const AgGoogleError *ag_stream_decoder_get_error (AgStreamDecoder *self);
AgGoogleError    *ag_stream_decoder_steal_error (AgStreamDecoder *self);
/* NOTHING_RECEIVED, TRUNCATED, OVERSIZED_EVENT, READ_FAILED, MALFORMED_ANSWER: the message for the client's 502
 * (error type api_error). NULL in the other states. */
const char       *ag_stream_decoder_get_message (AgStreamDecoder *self);

const char       *ag_stream_state_to_string (AgStreamState state);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AgStreamDecoder, ag_stream_decoder_free)

G_END_DECLS
