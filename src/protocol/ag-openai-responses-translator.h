/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-openai-responses-translator.h — the OpenAI Responses back translator: Cloud Code chunks → the Responses event
 * stream (response.created … response.completed, one output item per message, reasoning, function or custom tool
 * call) or one response object. Pure. */
#pragma once

#include "ag-back-translator.h"
#include "ag-stream-translator.h"

G_BEGIN_DECLS

AgBackTranslator *ag_openai_responses_back_translator_new (const AgStreamOptions *options, gboolean stream);

G_END_DECLS
