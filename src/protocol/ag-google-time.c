/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-google-time.c — Go durations and RFC 3339 times, as Google writes them in error bodies and quota answers. */
#include "ag-google-time.h"

#include <string.h>

static gboolean
unit_nanoseconds (const char **p, guint64 *out)
{
  static const struct { const char *name; guint64 ns; } units[] = {
    /* Longer names first so "ms" is not read as "m". */
    { "ns", 1 }, { "us", 1000 }, { "\xC2\xB5s", 1000 }, { "\xCE\xBCs", 1000 }, { "ms", 1000000 },
    { "s", G_GUINT64_CONSTANT (1000000000) }, { "m", G_GUINT64_CONSTANT (60000000000) },
    { "h", G_GUINT64_CONSTANT (3600000000000) },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (units); i++)
    {
      gsize n = strlen (units[i].name);

      if (strncmp (*p, units[i].name, n) == 0)
        {
          *p += n;
          *out = units[i].ns;
          return TRUE;
        }
    }
  return FALSE;
}

/* Go's time.ParseDuration grammar without the sign: [0-9]*(.[0-9]*)?unit, repeated; "0" alone is valid. */
gboolean
ag_parse_go_duration (const char *text, gint64 *out_ms)
{
  const char *p = text;
  guint64 total_ns = 0;

  if (text == NULL || *text == '\0')
    return FALSE;
  if (*p == '+')
    p++;
  if (strcmp (p, "0") == 0)
    {
      *out_ms = 0;
      return TRUE;
    }
  if (*p == '\0')
    return FALSE;

  while (*p != '\0')
    {
      guint64 whole = 0, frac = 0, scale = 1, unit, part, frac_ns;
      gboolean digits = FALSE;

      for (; g_ascii_isdigit (*p); p++, digits = TRUE)
        {
          if (whole > ((guint64) G_MAXINT64 - (guint64) (*p - '0')) / 10)
            return FALSE;
          whole = whole * 10 + (guint64) (*p - '0');
        }
      if (*p == '.')
        {
          p++;
          for (; g_ascii_isdigit (*p); p++, digits = TRUE)
            if (scale <= G_GUINT64_CONSTANT (100000000000000000))  /* beyond 18 digits adds nothing */
              {
                frac = frac * 10 + (guint64) (*p - '0');
                scale *= 10;
              }
        }
      if (!digits || !unit_nanoseconds (&p, &unit))
        return FALSE;
      if (whole > (guint64) G_MAXINT64 / unit)
        return FALSE;
      part = whole * unit;
      /* Like Go, the fraction goes through a double (exact for the ≤ 9 digits Google sends); it is < unit. */
      frac_ns = (guint64) ((double) frac * ((double) unit / (double) scale));
      if (frac_ns > (guint64) G_MAXINT64 - part)
        return FALSE;
      part += frac_ns;
      if (part > (guint64) G_MAXINT64 - total_ns)
        return FALSE;
      total_ns += part;
    }

  *out_ms = (gint64) ((total_ns + 999999) / 1000000);
  return TRUE;
}

static gboolean
read_digits (const char **p, guint count, int *out)
{
  int value = 0;

  for (guint i = 0; i < count; i++, (*p)++)
    {
      if (!g_ascii_isdigit (**p))
        return FALSE;
      value = value * 10 + (**p - '0');
    }
  *out = value;
  return TRUE;
}

static gboolean
expect_char (const char **p, const char *accepted)
{
  if (**p == '\0' || strchr (accepted, **p) == NULL)
    return FALSE;
  (*p)++;
  return TRUE;
}

static int
days_in_month (int year, int month)
{
  static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
  gboolean leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;

  return month == 2 && leap ? 29 : days[month - 1];
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
static gint64
days_from_civil (int y, int m, int d)
{
  gint64 era, yoe, doy, doe;

  y -= m <= 2;
  era = (y >= 0 ? y : y - 399) / 400;
  yoe = y - era * 400;
  doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

gboolean
ag_parse_rfc3339 (const char *text, gint64 *out_unix_ms)
{
  const char *p = text;
  int year, month, day, hour, minute, second, offset_h = 0, offset_m = 0, offset_sign = 0;
  gint64 frac_ms = 0, unix_ms;

  if (text == NULL)
    return FALSE;
  if (!read_digits (&p, 4, &year) || !expect_char (&p, "-") || !read_digits (&p, 2, &month) ||
      !expect_char (&p, "-") || !read_digits (&p, 2, &day) || !expect_char (&p, "Tt ") ||
      !read_digits (&p, 2, &hour) || !expect_char (&p, ":") || !read_digits (&p, 2, &minute) ||
      !expect_char (&p, ":") || !read_digits (&p, 2, &second))
    return FALSE;
  if (month < 1 || month > 12 || day < 1 || day > days_in_month (year, month) ||
      hour > 23 || minute > 59 || second > 60)
    return FALSE;

  if (*p == '.')
    {
      gint64 scale = 1000;
      gboolean rest_nonzero = FALSE;

      p++;
      if (!g_ascii_isdigit (*p))
        return FALSE;
      for (; g_ascii_isdigit (*p); p++)
        {
          if (scale > 1)
            {
              scale /= 10;
              frac_ms += (*p - '0') * scale;
            }
          else if (*p != '0')
            rest_nonzero = TRUE;
        }
      /* A reset time is a "not before": round sub-millisecond parts up. */
      if (rest_nonzero)
        frac_ms++;
    }

  if (*p == 'Z' || *p == 'z')
    p++;
  else if (*p == '+' || *p == '-')
    {
      offset_sign = *p == '+' ? 1 : -1;
      p++;
      if (!read_digits (&p, 2, &offset_h) || !expect_char (&p, ":") || !read_digits (&p, 2, &offset_m) ||
          offset_h > 23 || offset_m > 59)
        return FALSE;
    }
  else
    return FALSE;
  if (*p != '\0')
    return FALSE;

  unix_ms = days_from_civil (year, month, day) * 86400000 + (gint64) hour * 3600000 + (gint64) minute * 60000 +
            (gint64) second * 1000 + frac_ms;
  unix_ms -= (gint64) offset_sign * ((gint64) offset_h * 3600000 + (gint64) offset_m * 60000);
  *out_unix_ms = unix_ms;
  return TRUE;
}
