/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-event-back-translator.h — the base of a back translator that works from the Anthropic stream translator's
 * events (the OpenAI surfaces'): the Cloud Code chunks go to that translator in event mode, whose answers to "has
 * the client seen anything, was it empty, did it finish, what was used" are this translator's answers too. An
 * implementation embeds AgEventBackTranslator first and puts the functions below in its class. Pure. */
#pragma once

#include "ag-back-translator.h"
#include "ag-stream-translator.h"

G_BEGIN_DECLS

typedef struct {
  AgBackTranslator    parent;   /* first: the back-translator interface */
  AgStreamTranslator *inner;    /* Cloud Code → Anthropic events, into the implementation's function */
} AgEventBackTranslator;

void     ag_event_back_translator_init  (AgEventBackTranslator *self, const AgBackTranslatorClass *klass,
                                         const AgStreamOptions *options, AgAnthropicEventFunc func);
void     ag_event_back_translator_clear (AgEventBackTranslator *self);
/* An SSE comment as keepalive while the answer is open (@open: started and not ended); FALSE and nothing written
 * otherwise. */
gboolean ag_event_back_translator_ping_comment (AgEventBackTranslator *self, gboolean open);

/* Class members that the inner translator answers. */
gboolean ag_event_back_translator_push              (AgBackTranslator *back, JsonObject *chunk, GError **error);
gboolean ag_event_back_translator_started           (AgBackTranslator *back);
gboolean ag_event_back_translator_is_empty          (AgBackTranslator *back);
gboolean ag_event_back_translator_received_response (AgBackTranslator *back);
gboolean ag_event_back_translator_saw_finish_reason (AgBackTranslator *back);
void     ag_event_back_translator_get_usage         (AgBackTranslator *back, gint64 *input_tokens,
                                                     gint64 *output_tokens, gint64 *cache_read_tokens);

G_END_DECLS
