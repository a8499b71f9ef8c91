/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-message-collector.h — folds the Anthropic stream events back into one non-stream Messages response,
 * for clients that asked for "stream": false (upstream is always streamed). */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef struct _AgMessageCollector AgMessageCollector;

AgMessageCollector *ag_message_collector_new (void);
void      ag_message_collector_free (AgMessageCollector *self);
/* Feed every event the stream translator emits (signature matches AgAnthropicEventFunc). */
void      ag_message_collector_add_event (const char *event_name, JsonNode *data, gpointer collector);
/* The complete {"id","type":"message","role","model","content":[…],"stop_reason","stop_sequence","usage"}.
 * NULL with @error when the stream carried an "error" event (its type and message in the error message). */
JsonNode *ag_message_collector_finish (AgMessageCollector *self, char **error_type, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AgMessageCollector, ag_message_collector_free)

G_END_DECLS
