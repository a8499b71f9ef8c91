/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-content-translator.h — turns Anthropic "messages" into Gemini "contents" (part of ag-request-translator):
 * roles, blocks, tool calls and results, replayed thinking with signatures. */
#pragma once

#include <json-glib/json-glib.h>
#include "ag-model-family.h"
#include "ag-tool-names.h"

G_BEGIN_DECLS

/* What Gemini accepts on a functionCall that has no real signature (docs/upstream-cloudcode.md#signatures); never sent
 * to Claude. */
#define AG_SKIP_SIGNATURE_SENTINEL "skip_thought_signature_validator"

typedef struct {
  AgModelFamily     family;
  gboolean          thinking;     /* thinking is enabled upstream, so signed thinking history is replayed */
  AgToolNames      *tool_names;
  gboolean          drop_signatures;  /* replay no thinking and no carried call signature */
} AgContentOptions;

/* Validates and translates @messages (path "messages" in errors). Messages with role "system" are not contents:
 * their texts are appended to @system_texts (char *) in order. @first_user_text receives the text of the first
 * user message (for a stable session id). Returns a new array, possibly empty. */
JsonArray *ag_contents_translate (JsonArray              *messages,
                                  const AgContentOptions *options,
                                  GPtrArray              *system_texts,
                                  GString                *first_user_text,
                                  GError                **error);

/* Appends the texts of a "system" value (a string or an array of text blocks) to @texts, minus the
 * per-request billing header line Claude Code puts first (it would defeat prompt caching and session hashing). */
gboolean ag_system_texts_collect (JsonNode   *system,
                                  const char *path,
                                  GPtrArray  *texts,
                                  GError    **error);

G_END_DECLS
