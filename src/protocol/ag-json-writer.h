/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-json-writer.h — JSON values written straight into a GString, byte for byte as json-glib's compact generator
 * writes them, so that events of a fixed shape can be sent without building and serialising a JsonNode tree. */
#pragma once

#include <glib.h>
#include <string.h>

G_BEGIN_DECLS

/* g_string_append_len() without a call when the bytes fit, as event frames of a reused buffer always do (GLib
 * 2.74 has no inline version of its own). */
static inline void
ag_json_append_len (GString *out, const char *bytes, gsize len)
{
  if (out->len + len < out->allocated_len)
    {
      memcpy (out->str + out->len, bytes, len);
      out->len += len;
      out->str[out->len] = '\0';
    }
  else
    g_string_append_len (out, bytes, (gssize) len);
}

/* Appends a literal (a constant string of known length). */
#define ag_json_append_literal(out, literal) ag_json_append_len ((out), "" literal, sizeof (literal) - 1)

/* Appends @text as a JSON string, quotes included, escaped exactly as the json-glib ag-cl is built with does. */
void ag_json_append_string (GString *out, const char *text);
/* Appends @value as a JSON integer. */
void ag_json_append_int    (GString *out, gint64 value);

G_END_DECLS
