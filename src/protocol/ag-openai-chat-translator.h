/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-openai-chat-translator.h — the Chat Completions back translator: Cloud Code chunks → chat.completion.chunk
 * SSE frames (role first, content / reasoning_content / tool_calls deltas, finish_reason, the usage chunk when
 * asked for, [DONE]) or one chat.completion object. Pure. */
#pragma once

#include "ag-back-translator.h"
#include "ag-stream-translator.h"

G_BEGIN_DECLS

AgBackTranslator *ag_openai_chat_back_translator_new (const AgStreamOptions *options, gboolean stream);

G_END_DECLS
