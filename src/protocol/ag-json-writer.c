/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-json-writer.c — json-glib's generator escapes ", \ and the control characters below U+0020 (\b \f \n \r \t by
 * name, the others as \u00xx in lower-case hex) plus DEL; every other byte, UTF-8 included, passes unchanged.
 * Releases before 1.10.8 leave U+001F unescaped; the same is done here so that both ways of writing an event
 * give the same bytes with the json-glib in use. */
#include "ag-json-writer.h"

#include <json-glib/json-glib.h>

#if JSON_CHECK_VERSION (1, 10, 8)
#define ESCAPES_UNIT_SEPARATOR 1
#else
#define ESCAPES_UNIT_SEPARATOR 0
#endif

/* 0: the byte is written as it is; otherwise the character after the backslash ('u' for \u00xx). */
static const char escapes[256] = {
  ['\b'] = 'b', ['\f'] = 'f', ['\n'] = 'n', ['\r'] = 'r', ['\t'] = 't', ['"'] = '"', ['\\'] = '\\',
  [0x01] = 'u', [0x02] = 'u', [0x03] = 'u', [0x04] = 'u', [0x05] = 'u', [0x06] = 'u', [0x07] = 'u',
  [0x0b] = 'u', [0x0e] = 'u', [0x0f] = 'u', [0x10] = 'u', [0x11] = 'u', [0x12] = 'u', [0x13] = 'u',
  [0x14] = 'u', [0x15] = 'u', [0x16] = 'u', [0x17] = 'u', [0x18] = 'u', [0x19] = 'u', [0x1a] = 'u',
  [0x1b] = 'u', [0x1c] = 'u', [0x1d] = 'u', [0x1e] = 'u', [0x1f] = ESCAPES_UNIT_SEPARATOR ? 'u' : 0,
  [0x7f] = 'u',
};

void
ag_json_append_string (GString *out, const char *text)
{
  static const char hex[] = "0123456789abcdef";
  const guchar *run = (const guchar *) text;
  const guchar *p = run;

  g_string_append_c (out, '"');
  for (;; p++)
    {
      char escape;

      /* The string ends at its NUL, as json-glib's does. */
      while (*p != '\0' && escapes[*p] == 0)
        p++;
      if (p > run)
        ag_json_append_len (out, (const char *) run, (gsize) (p - run));
      if (*p == '\0')
        break;
      escape = escapes[*p];
      if (escape == 'u')
        {
          char unicode[6] = { '\\', 'u', '0', '0', hex[*p >> 4], hex[*p & 0xf] };

          ag_json_append_len (out, unicode, sizeof unicode);
        }
      else
        {
          char pair[2] = { '\\', escape };

          ag_json_append_len (out, pair, sizeof pair);
        }
      run = p + 1;
    }
  g_string_append_c (out, '"');
}

void
ag_json_append_int (GString *out, gint64 value)
{
  char digits[24];
  char *end = digits + sizeof digits;
  char *p = end;
  /* Through the unsigned magnitude, so that G_MININT64 has one too. */
  guint64 magnitude = value < 0 ? (guint64) 0 - (guint64) value : (guint64) value;

  do
    {
      *--p = (char) ('0' + magnitude % 10);
      magnitude /= 10;
    }
  while (magnitude > 0);
  if (value < 0)
    *--p = '-';
  ag_json_append_len (out, p, (gsize) (end - p));
}
