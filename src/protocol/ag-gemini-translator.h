/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-gemini-translator.h — the Gemini surface's back translator: Cloud Code chunks unwrapped into Gemini's own
 * streamGenerateContent SSE (data: frames, CRLF-separated as Google sends them) or merged into one
 * GenerateContentResponse. Pure. */
#pragma once

#include "ag-back-translator.h"
#include "ag-stream-translator.h"

G_BEGIN_DECLS

AgBackTranslator *ag_gemini_back_translator_new (const AgStreamOptions *options, gboolean stream);

G_END_DECLS
