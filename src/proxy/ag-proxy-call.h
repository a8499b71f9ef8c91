/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-proxy-call.h — one POST /v1/messages in flight: resolve the model, translate, pick an account, stream
 * streamGenerateContent, translate the events back (SSE to a streaming client, one JSON otherwise), keep the
 * client alive with pings, and cancel upstream when the client goes away. */
#pragma once

#include <libsoup/soup.h>
#include "ag-call-context.h"
#include "ag-client-request.h"

G_BEGIN_DECLS

#define AG_TYPE_PROXY_CALL (ag_proxy_call_get_type ())
G_DECLARE_FINAL_TYPE (AgProxyCall, ag_proxy_call, AG, PROXY_CALL, GObject)

/* Takes over the paused @msg and answers it; the call keeps itself alive until the answer is complete.
 * @route_model, when not NULL, is served instead of the requested model (background tasks). */
void ag_proxy_call_start (AgCallContext *context, SoupServerMessage *msg, const AgClientRequest *request,
                          const char *route_model);

G_END_DECLS
