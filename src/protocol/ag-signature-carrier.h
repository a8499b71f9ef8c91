/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-signature-carrier.h — Google's thought signatures carried inside what an Anthropic client already sends
 * back, so no turn depends on ag-cl remembering anything (docs/upstream-cloudcode.md#signatures):
 *   - a thinking block's "signature" is "agcl1" + family letter + "." + Google's signature, so ag-cl knows on the
 *     next turn that it issued it and for which model family;
 *   - a Gemini function call's signature rides on the tool_use id: "<id>_agsig1_<number of '='><signature in base64url>".
 * Anything without the envelope was not issued by ag-cl (another proxy's, Anthropic's, an older build's) and is
 * not replayed. Pure string functions. */
#pragma once

#include <glib.h>
#include "ag-model-family.h"

G_BEGIN_DECLS

/* Signatures shorter than this are placeholders, never real (docs/upstream-cloudcode.md#signatures: ≥ 50 chars). */
#define AG_SIGNATURE_MIN_LENGTH 50

/* The signature to give the client for a thinking block Google signed with @signature. */
char       *ag_signature_carrier_wrap_thinking (const char *signature, AgModelFamily family);
/* Google's signature inside @carried (a pointer into it) and the family that produced it; NULL when @carried is
 * not a signature ag-cl issued or holds a placeholder shorter than AG_SIGNATURE_MIN_LENGTH. */
const char *ag_signature_carrier_unwrap_thinking (const char *carried, AgModelFamily *family);

/* @id with @signature appended; @id itself when the signature cannot ride on an id (not base64) or is NULL. */
char       *ag_signature_carrier_wrap_tool_id (const char *id, const char *signature);
/* The id as upstream knows it (new string), and the carried signature in *@signature (new string, nullable;
 * NULL when @carried_id carries none). */
char       *ag_signature_carrier_unwrap_tool_id (const char *carried_id, char **signature);

G_END_DECLS
