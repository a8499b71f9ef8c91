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
  gboolean            stream;   /* the answer is streamed (else written whole by finish) */
  gboolean            done;     /* the implementation ended the answer (finish or fail): nothing may follow */
} AgEventBackTranslator;

void     ag_event_back_translator_init  (AgEventBackTranslator *self, const AgBackTranslatorClass *klass,
                                         const AgStreamOptions *options, gboolean stream, AgAnthropicEventFunc func);
void     ag_event_back_translator_clear (AgEventBackTranslator *self);

/* Class members that the base answers: ping writes an SSE comment while a streamed answer is open (started and not
 * done); the others are the inner translator's answers. */
gboolean ag_event_back_translator_ping              (AgBackTranslator *back);
gboolean ag_event_back_translator_push              (AgBackTranslator *back, JsonObject *chunk, GError **error);
gboolean ag_event_back_translator_started           (AgBackTranslator *back);
gboolean ag_event_back_translator_is_empty          (AgBackTranslator *back);
gboolean ag_event_back_translator_received_response (AgBackTranslator *back);
gboolean ag_event_back_translator_saw_finish_reason (AgBackTranslator *back);
void     ag_event_back_translator_get_usage         (AgBackTranslator *back, gint64 *input_tokens,
                                                     gint64 *output_tokens, gint64 *cache_read_tokens);

/* The class of an implementation: its own finish, fail and free, the rest the base's. */
#define AG_EVENT_BACK_TRANSLATOR_CLASS(finish_func, fail_func, free_func) {   \
    .borrows_chunks = TRUE,                                               \
    .push = ag_event_back_translator_push,                                \
    .finish = (finish_func),                                              \
    .fail = (fail_func),                                                  \
    .ping = ag_event_back_translator_ping,                                \
    .started = ag_event_back_translator_started,                          \
    .is_empty = ag_event_back_translator_is_empty,                        \
    .received_response = ag_event_back_translator_received_response,      \
    .saw_finish_reason = ag_event_back_translator_saw_finish_reason,      \
    .get_usage = ag_event_back_translator_get_usage,                      \
    .free = (free_func),                                                  \
  }

G_END_DECLS
