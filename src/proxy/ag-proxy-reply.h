/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-proxy-reply.h — answers to the client: JSON bodies and Anthropic-shaped errors on a paused or unpaused
 * SoupServerMessage. */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include "ag-account-lease.h"

G_BEGIN_DECLS

/* Sets a JSON response (status and body); unpauses @msg when it was paused. */
void ag_proxy_reply_json (SoupServerMessage *msg, guint status, JsonNode *body);
/* {"type":"error","error":{"type":@error_type (NULL = from @status),"message":@message}} */
void ag_proxy_reply_error (SoupServerMessage *msg, guint status, const char *error_type, const char *message);

/* The retry advice of a lease's final answer, as the headers Claude Code and the Anthropic SDKs obey: retry-after,
 * and x-should-retry: false. Call before the headers are sent. */
void ag_proxy_reply_set_retry_advice (SoupServerMessage *msg, const AgLeaseAnswer *answer);

G_END_DECLS
