/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-stream-translator-private.h — the stream translator's state, shared by its two halves: the message
 * (ag-stream-translator.c: chunks, usage, the end, the back-translator interface) and its content blocks
 * (ag-stream-translator-blocks.c: text, thinking and its signature, tool calls, images). */
#pragma once

#include "ag-stream-translator.h"
#include "ag-event-writer.h"
#include "ag-message-collector.h"
#include "ag-upstream-chunk.h"

G_BEGIN_DECLS

/* The random part of the ids ag-cl makes up in Anthropic's form ("msg_…", "toolu_…", "srvtoolu_…"). */
#define AG_ANTHROPIC_ID_RANDOM_CHARS 24

typedef enum {
  AG_OPEN_NONE,
  AG_OPEN_TEXT,
  AG_OPEN_THINKING,
} AgOpenBlock;

/* Where events go. */
typedef enum {
  AG_STREAM_OUTPUT_EVENTS,   /* a JsonNode per event to the caller's function */
  AG_STREAM_OUTPUT_SSE,      /* "event: …\ndata: …\n\n" frames appended to the output */
  AG_STREAM_OUTPUT_MESSAGE,  /* folded by a collector into one Messages response, written to the output at the end */
} AgStreamOutput;

struct _AgStreamTranslator {
  AgBackTranslator     parent;     /* first: the back-translator interface */
  AgStreamOutput       output;
  AgEventWriter        writer;     /* SSE frames into the parent's output, or event trees to a function */
  AgMessageCollector  *collector;  /* AG_STREAM_OUTPUT_MESSAGE */
  gboolean             collected;  /* AG_STREAM_OUTPUT_MESSAGE: the response was written */
  char                *client_model;
  AgModelFamily        family;
  AgToolNames         *tool_names;

  char        message_id[4 + AG_ANTHROPIC_ID_RANDOM_CHARS + 1];
  gboolean    started;    /* message_start was emitted: the client has seen the message */
  gboolean    done;
  AgOpenBlock open;
  gint64      open_index;
  gint64      next_index;
  char       *thinking_signature;    /* for the open thinking block, emitted when it closes */
  char       *gemini_tool_signature; /* Gemini: a signature on the parts before a functionCall belongs to it */
  gboolean    saw_content;
  gboolean    saw_tool_use;
  const char *finish_stop_reason;    /* from the last finishReason, NULL until one arrives */

  double      usage_scale;
  gint64      compact_at;
};

/* Writes @prefix and AG_ANTHROPIC_ID_RANDOM_CHARS random letters and digits, NUL-terminated, into @out. */
void ag_anthropic_random_id (char *out, const char *prefix);

/* The message's events, for the blocks. */
void ag_stream_translator_emit_message_start (AgStreamTranslator *self);
/* The blocks' part, for the message: one upstream part into blocks and deltas; the end of the open block. */
void ag_stream_translator_handle_part (AgStreamTranslator *self, JsonObject *part);
void ag_stream_translator_close_block (AgStreamTranslator *self);

G_END_DECLS
