/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-json-cursor.h — the lexical half of AgJsonParser's fast path: a position in JSON text and the tokens read at
 * it (whitespace, strings, numbers, literals), each only in the form the parser's own reading accepts. Internal to
 * the parser. */
#pragma once

#include <glib.h>
#include <string.h>

G_BEGIN_DECLS

typedef struct {
  const char *p;
  const char *end;
  GString    *scratch;   /* a string being unescaped, or a number made NUL-terminated */
} AgJsonCursor;

static inline void
ag_json_cursor_skip_whitespace (AgJsonCursor *c)
{
  while (c->p < c->end && (*c->p == ' ' || *c->p == '\n' || *c->p == '\r' || *c->p == '\t'))
    c->p++;
}

static inline gboolean
ag_json_cursor_literal (AgJsonCursor *c, const char *literal, gsize len)
{
  if ((gsize) (c->end - c->p) < len || memcmp (c->p, literal, len) != 0)
    return FALSE;
  c->p += len;
  return TRUE;
}

/* The string at c->p (its opening quote) into c->scratch, NUL-terminated. FALSE when outside the fast form. */
gboolean ag_json_cursor_string (AgJsonCursor *c);
/* The number at c->p: an integer in *integer_value (*is_integer TRUE) or a double in *double_value. FALSE when
 * outside the fast form. */
gboolean ag_json_cursor_number (AgJsonCursor *c, gboolean *is_integer, gint64 *integer_value, double *double_value);

G_END_DECLS
