// SPDX-License-Identifier: GPL-3.0-or-later
/* ag-proxy-call-private.h — what the call's two halves share. ag-proxy-call.c runs the steps (translate, lease an
 * account, open the upstream stream, act on how it ended) and records the outcome; ag-proxy-call-client.c is the
 * client's side: the response headers and writes, keepalives, the replies that end the call, and noticing a client
 * that hangs up. Neither decides what a failure means: that is the lease's. */
#pragma once

#include "ag-proxy-call.h"
#include "ag-account-lease.h"
#include "ag-history-store.h"
#include "ag-model-catalogue.h"
#include "ag-stream-decoder.h"
#include "ag-upstream-reader.h"

G_BEGIN_DECLS

struct _AgProxyCall {
  GObject              parent_instance;

  AgCallContext       *context;
  const AgSurface     *surface;
  SoupServerMessage   *msg;
  gulong               disconnected_id;
  GCancellable        *cancellable;
  gint64               started_at;
  gint64               started_at_wall_ms;
  gint64               first_byte_at;       /* monotonic µs of the first byte to the client; 0 = none yet */

  char                *client_model;
  AgResolvedModel      model;
  gint64               thinking_budget;     /* a Flash effort tier's budget, 0 = the translator's own */
  AgTranslatedRequest *translated;
  JsonObject          *body;                /* the client's body, translated again for a history retry */
  char                *repairs;             /* what was mended in the history (ag_history_repair), or NULL */
  gboolean             history_retranslated;
  char                *session_id;          /* the client's session: keeps its requests on one account */
  AgAccountLease      *lease;               /* which account serves, and what each failure means */
  AgRequestRecord     *record;              /* the request log's entry, its attempts filled as they happen */
  guint64              flight;              /* its handle among the requests in flight, 0 = not watched */

  AgStreamDecoder     *decoder;             /* the answer being read; exists before upstream answers */
  AgUpstreamReader    *reader;

  gboolean             headers_sent;
  gboolean             completed;
  guint                keepalive_id;
  GSource             *client_watch;        /* notices a client that hangs up while its message is paused */
  gint64               last_write_at;
};

static inline gboolean
ag_proxy_call_is_streaming (AgProxyCall *self)
{
  return self->translated != NULL && self->translated->stream;
}

static inline AgBackTranslator *
ag_proxy_call_get_back_translator (AgProxyCall *self)
{
  return self->decoder != NULL ? ag_stream_decoder_get_back_translator (self->decoder) : NULL;
}

/* ag-proxy-call.c: ends the call with @status (logged and recorded) and drops the reference taken at start. */
void ag_proxy_call_complete (AgProxyCall *self, guint status);

/* ag-proxy-call-client.c */
/* Follows the client from the start: a "disconnected" message ends the call with 499. */
void ag_proxy_call_follow_client (AgProxyCall *self);
/* Once the request is translated: keepalives for a stream, and a watch on the socket of the paused message. */
void ag_proxy_call_watch_client (AgProxyCall *self);
/* Stops all three (at the end, and at finalize). */
void ag_proxy_call_unwatch_client (AgProxyCall *self);
/* Writes what the back translator produced since the last time, as one chunk (streams only). */
void ag_proxy_call_write_output (AgProxyCall *self);
/* These answer the client and complete the call. */
void ag_proxy_call_reply_error (AgProxyCall *self, guint status, const char *error_type, const char *message);
void ag_proxy_call_reply_google_error (AgProxyCall *self, const AgGoogleError *error);
void ag_proxy_call_reply_lease_answer (AgProxyCall *self);
void ag_proxy_call_reply_complete (AgProxyCall *self);

G_END_DECLS
