/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-json-cursor.c — strings and numbers in the form AgJsonParser's fast path reads (ag-json-parser.c says which,
 * and why it is exactly json-glib's reading). */
#include "ag-json-cursor.h"
#include "ag-json-writer.h"

/* json-glib reads longer integers as unsigned and casts, which wraps: they go to json-glib. */
#define MAX_INT_DIGITS 18

static int
hex_value (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* Four hex digits after "\u", at c->p; -1 when they are not there. */
static int
read_hex4 (AgJsonCursor *c)
{
  int value = 0;

  if (c->end - c->p < 4)
    return -1;
  for (int i = 0; i < 4; i++)
    {
      int digit = hex_value (c->p[i]);

      if (digit < 0)
        return -1;
      value = value << 4 | digit;
    }
  c->p += 4;
  return value;
}

/* The bytes that end a run of plain string bytes: control characters, the quote and the backslash. */
static const gboolean stops_string[256] = {
  [0x00] = 1, [0x01] = 1, [0x02] = 1, [0x03] = 1, [0x04] = 1, [0x05] = 1, [0x06] = 1, [0x07] = 1,
  [0x08] = 1, [0x09] = 1, [0x0a] = 1, [0x0b] = 1, [0x0c] = 1, [0x0d] = 1, [0x0e] = 1, [0x0f] = 1,
  [0x10] = 1, [0x11] = 1, [0x12] = 1, [0x13] = 1, [0x14] = 1, [0x15] = 1, [0x16] = 1, [0x17] = 1,
  [0x18] = 1, [0x19] = 1, [0x1a] = 1, [0x1b] = 1, [0x1c] = 1, [0x1d] = 1, [0x1e] = 1, [0x1f] = 1,
  ['"'] = 1, ['\\'] = 1,
};

gboolean
ag_json_cursor_string (AgJsonCursor *c)
{
  const char *run;
  guchar high = 0;

  g_string_truncate (c->scratch, 0);
  run = ++c->p;
  for (;;)
    {
      guchar byte;

      /* Plain bytes are copied in runs; only the closing quote, escapes and control bytes stop a run. */
      while (c->p < c->end && !stops_string[byte = (guchar) *c->p])
        {
          high |= byte;
          c->p++;
        }
      if (c->p >= c->end || (guchar) *c->p < 0x20)
        return FALSE;
      ag_json_append_len (c->scratch, run, (gsize) (c->p - run));
      if (*c->p++ == '"')
        break;
      /* An escape. */
      if (c->p >= c->end)
        return FALSE;
      switch (*c->p++)
        {
        case '"': g_string_append_c (c->scratch, '"'); break;
        case '\\': g_string_append_c (c->scratch, '\\'); break;
        case '/': g_string_append_c (c->scratch, '/'); break;
        case 'b': g_string_append_c (c->scratch, '\b'); break;
        case 'f': g_string_append_c (c->scratch, '\f'); break;
        case 'n': g_string_append_c (c->scratch, '\n'); break;
        case 'r': g_string_append_c (c->scratch, '\r'); break;
        case 't': g_string_append_c (c->scratch, '\t'); break;
        case 'u':
          {
            int unit = read_hex4 (c);
            gunichar ch;

            if (unit <= 0 || (unit >= 0xdc00 && unit <= 0xdfff))
              return FALSE;
            ch = (gunichar) unit;
            if (unit >= 0xd800 && unit <= 0xdbff)
              {
                int low;

                if (c->end - c->p < 2 || c->p[0] != '\\' || c->p[1] != 'u')
                  return FALSE;
                c->p += 2;
                low = read_hex4 (c);
                if (low < 0xdc00 || low > 0xdfff)
                  return FALSE;
                ch = 0x10000 + (((gunichar) unit - 0xd800) << 10) + ((gunichar) low - 0xdc00);
              }
            g_string_append_unichar (c->scratch, ch);
          }
          break;
        default:
          return FALSE;
        }
      run = c->p;
    }
  /* Escapes only ever add valid UTF-8; raw bytes above ASCII must be valid too. */
  return (high & 0x80) == 0 || g_utf8_validate_len (c->scratch->str, c->scratch->len, NULL);
}

gboolean
ag_json_cursor_number (AgJsonCursor *c, gboolean *is_integer, gint64 *integer_value, double *double_value)
{
  const char *start;
  const char *digits;
  gboolean negative = FALSE;
  gboolean integer = TRUE;

  if (*c->p == '-')
    {
      negative = TRUE;
      c->p++;
    }
  start = digits = c->p;
  if (c->p < c->end && *c->p == '0')
    c->p++;
  else if (c->p < c->end && *c->p >= '1' && *c->p <= '9')
    while (c->p < c->end && g_ascii_isdigit (*c->p))
      c->p++;
  else
    return FALSE;
  if (c->p < c->end && *c->p == '.')
    {
      integer = FALSE;
      digits = ++c->p;
      while (c->p < c->end && g_ascii_isdigit (*c->p))
        c->p++;
      if (c->p == digits)
        return FALSE;
    }
  if (c->p < c->end && (*c->p == 'e' || *c->p == 'E'))
    {
      integer = FALSE;
      c->p++;
      if (c->p < c->end && (*c->p == '+' || *c->p == '-'))
        c->p++;
      digits = c->p;
      while (c->p < c->end && g_ascii_isdigit (*c->p))
        c->p++;
      if (c->p == digits)
        return FALSE;
    }

  *is_integer = integer;
  if (integer)
    {
      gint64 value = 0;

      if (c->p - start > MAX_INT_DIGITS)
        return FALSE;
      for (const char *d = start; d < c->p; d++)
        value = value * 10 + (*d - '0');
      *integer_value = negative ? value * -1 : value;
    }
  else
    {
      double value;

      g_string_truncate (c->scratch, 0);
      g_string_append_len (c->scratch, start, c->p - start);
      value = g_ascii_strtod (c->scratch->str, NULL);
      *double_value = negative ? value * -1.0 : value;
    }
  return TRUE;
}
