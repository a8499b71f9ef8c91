/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-mock-history.h — what Google refuses in a conversation's history, checked the way it checks it
 * (docs/upstream-cloudcode.md#history-google-refuses): thought signatures it did not issue for the model's family,
 * a Gemini function call without its signature in the current turn, a call not answered in the next turn (or an
 * answer to no call), a Claude tool loop under thinking whose calling turn does not start with thinking, and an
 * input longer than the model's window. Pure JSON, no I/O. */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Signatures the mock gave out, signature → "claude" or "gemini". */
GHashTable *ag_mock_history_issued_new (void);
/* Remembers every thoughtSignature in @chunks (GenerateContentResponse nodes) as issued for @model's family. */
void        ag_mock_history_remember (GHashTable *issued, const char *model, GPtrArray *chunks);

/* NULL when upstream would take @envelope's request for @model; else Google's error body, *@status its HTTP
 * status. @window is the model's input limit in tokens (0: none), measured as ceil(@body_len / 4) like the
 * mock's promptTokenCount. */
JsonNode   *ag_mock_history_check (JsonObject *envelope, GHashTable *issued, gint64 window, gsize body_len,
                                   guint *status);

G_END_DECLS
