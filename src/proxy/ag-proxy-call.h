/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-proxy-call.h — one model request in flight, for any surface: the client's side of it (headers, writes,
 * keepalives, hanging up) and the order of the steps — translate, lease an account, open the upstream stream, read
 * it through the decoder into the surface's back translator. What failures mean is the lease's, what the stream's
 * end means is the decoder's. */
#pragma once

#include <libsoup/soup.h>
#include "ag-call-context.h"
#include "ag-client-request.h"
#include "ag-surface.h"

G_BEGIN_DECLS

#define AG_TYPE_PROXY_CALL (ag_proxy_call_get_type ())
G_DECLARE_FINAL_TYPE (AgProxyCall, ag_proxy_call, AG, PROXY_CALL, GObject)

/* Takes over the paused @msg and answers it; the call keeps itself alive until the answer is complete.
 * @route_model, when not NULL, is served instead of the requested model (background tasks). */
void ag_proxy_call_start (AgCallContext *context, const AgSurface *surface, SoupServerMessage *msg,
                          const AgClientRequest *request, const char *route_model);

G_END_DECLS
