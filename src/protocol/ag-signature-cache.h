/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-signature-cache.h — remembers upstream thought signatures that cannot travel inside Anthropic blocks
 * (a Gemini functionCall's signature has no place on a tool_use block), keyed by tool_use id, and which model
 * family produced a thinking signature, so the next turn sends the matching thoughtSignature upstream.
 * In memory with a TTL; thread-unsafe, main loop only. */
#pragma once

#include <glib-object.h>
#include "ag-model-family.h"

G_BEGIN_DECLS

#define AG_TYPE_SIGNATURE_CACHE (ag_signature_cache_get_type ())
G_DECLARE_FINAL_TYPE (AgSignatureCache, ag_signature_cache, AG, SIGNATURE_CACHE, GObject)

/* Signatures shorter than this are placeholders, never real (docs/upstream-cloudcode.md#signatures: ≥ 50 chars). */
#define AG_SIGNATURE_MIN_LENGTH 50

AgSignatureCache *ag_signature_cache_new (void);
/* Time-to-live of entries, default 2 hours. */
void        ag_signature_cache_set_ttl (AgSignatureCache *self, GTimeSpan ttl);
void        ag_signature_cache_put_tool (AgSignatureCache *self, const char *tool_use_id, const char *signature);
const char *ag_signature_cache_lookup_tool (AgSignatureCache *self, const char *tool_use_id);
void        ag_signature_cache_put_thinking (AgSignatureCache *self, const char *signature, AgModelFamily family);
/* TRUE and the family when @signature was produced upstream through ag-cl and is still remembered. */
gboolean    ag_signature_cache_lookup_thinking (AgSignatureCache *self, const char *signature, AgModelFamily *family);
guint       ag_signature_cache_size (AgSignatureCache *self);

G_END_DECLS
