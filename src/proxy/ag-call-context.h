/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-call-context.h — everything one request needs from the proxy, handed to it at its start: the services it
 * uses and the settings in force then. Immutable: a settings change makes a new context for the requests that
 * follow, so a call never asks the server anything back. */
#pragma once

#include <glib-object.h>
#include "ag-request-translator.h"
#include "ag-types.h"

G_BEGIN_DECLS

struct _AgCallContext {
  AgCloudcodeClient *cloudcode;
  AgOAuthClient     *oauth;
  AgAccountPool     *pool;
  AgModelCatalogue  *catalogue;
  AgHistoryStore    *history;                 /* nullable: no request log */
  AgVersionCheck    *version_check;           /* nullable: asked to look again when Google refuses the version */
  guint              keepalive_ms;            /* silence on a client stream after which a ping is sent */
  guint              stream_idle_timeout_ms;  /* silence from upstream mid-answer after which the call ends */
  AgThinkingKeys     thinking_keys;
  gboolean           scale_usage;             /* report input usage as if the upstream window were the client's */
  guint              client_window;
};

#define AG_TYPE_CALL_CONTEXT (ag_call_context_get_type ())
GType          ag_call_context_get_type (void);

/* A context with the services (each referenced) and default settings. */
AgCallContext *ag_call_context_new (AgCloudcodeClient *cloudcode,
                                    AgOAuthClient     *oauth,
                                    AgAccountPool     *pool,
                                    AgModelCatalogue  *catalogue);
/* A new context equal to @self, to change before anyone else sees it. */
AgCallContext *ag_call_context_copy (const AgCallContext *self);
AgCallContext *ag_call_context_ref (AgCallContext *self);
void           ag_call_context_unref (AgCallContext *self);

/* The factor input usage is reported with for an upstream model with @context_tokens (1.0: unscaled). */
double         ag_call_context_usage_scale (const AgCallContext *self, gint64 context_tokens);

/* What a lease's final answer asks of the proxy beyond the reply: Google refused the client version, so the
 * version check looks for the current release. */
void           ag_call_context_answer_given (const AgCallContext *self, gboolean client_outdated);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AgCallContext, ag_call_context_unref)

G_END_DECLS
