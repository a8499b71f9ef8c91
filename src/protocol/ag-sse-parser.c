/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-sse-parser.c — the WHATWG "event stream interpretation" rules, fed incrementally.
 * Lines are handed to one function whether they arrived whole in one feed (no copy) or were reassembled. */
#include "ag-sse-parser.h"
#include "ag-protocol-error.h"

#include <string.h>

static const guchar utf8_bom[3] = { 0xEF, 0xBB, 0xBF };

struct _AgSseParser {
  AgSseEventFunc func;
  gpointer       user_data;
  gsize          max_event_size;

  GString *line;          /* a line split across feeds */
  GString *data;          /* data lines, each followed by LF (the last LF is dropped at dispatch) */
  GString *event_name;
  gsize    event_bytes;   /* bytes of the field lines of the current event, to enforce the limit */

  guint    bom_matched;   /* leading bytes that matched the BOM so far */
  gboolean past_start;    /* the BOM check is over */
  gboolean after_cr;      /* the previous byte was CR: a LF right after it ends nothing */
  gboolean skipping;      /* after an oversized event: discard lines up to the next blank line */
  gsize    skipped_line_len;
};

AgSseParser *
ag_sse_parser_new (AgSseEventFunc func, gpointer user_data)
{
  AgSseParser *self = g_new0 (AgSseParser, 1);

  self->func = func;
  self->user_data = user_data;
  self->max_event_size = AG_SSE_DEFAULT_MAX_EVENT_SIZE;
  self->line = g_string_new (NULL);
  self->data = g_string_new (NULL);
  self->event_name = g_string_new (NULL);
  return self;
}

void
ag_sse_parser_free (AgSseParser *self)
{
  if (self == NULL)
    return;
  g_string_free (self->line, TRUE);
  g_string_free (self->data, TRUE);
  g_string_free (self->event_name, TRUE);
  g_free (self);
}

void
ag_sse_parser_set_max_event_size (AgSseParser *self, gsize max_bytes)
{
  self->max_event_size = max_bytes;
}

static void
reset_event (AgSseParser *self)
{
  g_string_truncate (self->data, 0);
  g_string_truncate (self->event_name, 0);
  self->event_bytes = 0;
}

static void
dispatch (AgSseParser *self)
{
  /* An event without data lines is not dispatched (WHATWG), only its buffers are cleared. */
  if (self->data->len > 0)
    {
      g_string_truncate (self->data, self->data->len - 1);
      self->func (self->event_name->len > 0 ? self->event_name->str : "message",
                  self->data->str, self->data->len, self->user_data);
    }
  reset_event (self);
}

static void
process_line (AgSseParser *self, const char *line, gsize len)
{
  const char *colon;
  const char *value;
  gsize name_len, value_len;

  if (len == 0)
    {
      dispatch (self);
      return;
    }
  if (line[0] == ':')
    return;

  colon = memchr (line, ':', len);
  name_len = colon != NULL ? (gsize) (colon - line) : len;
  value = colon != NULL ? colon + 1 : line + len;
  value_len = len - (gsize) (value - line);
  if (value_len > 0 && value[0] == ' ')
    {
      value++;
      value_len--;
    }

  if (name_len == 4 && memcmp (line, "data", 4) == 0)
    {
      g_string_append_len (self->data, value, (gssize) value_len);
      g_string_append_c (self->data, '\n');
    }
  else if (name_len == 5 && memcmp (line, "event", 5) == 0)
    {
      g_string_truncate (self->event_name, 0);
      g_string_append_len (self->event_name, value, (gssize) value_len);
    }
  /* "id" and "retry" are valid fields, but nothing downstream uses them; other names are ignored as specified. */
}

/* Drops the oversized event; @line_len_so_far is how much of the current line was already seen (0 when the
 * line has ended), so the rest of that line is not mistaken for the blank line that ends the skipping. */
static void
start_skipping (AgSseParser *self, gsize line_len_so_far)
{
  reset_event (self);
  g_string_truncate (self->line, 0);
  self->skipping = TRUE;
  self->skipped_line_len = line_len_so_far;
}

static void
set_too_large (AgSseParser *self, GError **first_error)
{
  if (first_error != NULL && *first_error == NULL)
    g_set_error (first_error, AG_PROTOCOL_ERROR, AG_PROTOCOL_ERROR_TOO_LARGE,
                 "Upstream event exceeds %" G_GSIZE_FORMAT " bytes", self->max_event_size);
}

static gboolean
exceeds_limit (AgSseParser *self, gsize line_len)
{
  return line_len > self->max_event_size || self->event_bytes > self->max_event_size - line_len;
}

/* A complete line: @line may point into the caller's buffer or at self->line. */
static void
end_line (AgSseParser *self, const char *line, gsize len, GError **first_error)
{
  if (self->skipping)
    {
      if (self->skipped_line_len + len == 0)
        self->skipping = FALSE;
      self->skipped_line_len = 0;
      return;
    }
  if (exceeds_limit (self, len))
    {
      set_too_large (self, first_error);
      start_skipping (self, 0);
      return;
    }
  self->event_bytes += len;
  process_line (self, line, len);
}

/* A piece of a line that continues in the next feed. */
static void
keep_partial (AgSseParser *self, const char *bytes, gsize len, GError **first_error)
{
  if (self->skipping)
    {
      self->skipped_line_len += len;
      return;
    }
  if (exceeds_limit (self, self->line->len + len))
    {
      gsize so_far = self->line->len + len;

      set_too_large (self, first_error);
      start_skipping (self, so_far);
      return;
    }
  g_string_append_len (self->line, bytes, (gssize) len);
}

/* The first CR or LF in [@p, @end), or @end. memchr, not a byte loop: events are mostly one long data line. */
static const char *
find_line_end (const char *p, const char *end)
{
  const char *lf = memchr (p, '\n', (gsize) (end - p));
  const char *cr = memchr (p, '\r', (gsize) ((lf != NULL ? lf : end) - p));

  return cr != NULL ? cr : lf != NULL ? lf : end;
}

static void
feed_lines (AgSseParser *self, const char *bytes, gsize len, GError **first_error)
{
  const char *p = bytes;
  const char *end = bytes + len;

  while (p < end)
    {
      const char *eol;

      if (self->after_cr)
        {
          self->after_cr = FALSE;
          if (*p == '\n')
            {
              p++;
              continue;
            }
        }

      eol = find_line_end (p, end);

      if (eol == end)
        {
          keep_partial (self, p, (gsize) (end - p), first_error);
          return;
        }

      if (self->line->len > 0)
        {
          keep_partial (self, p, (gsize) (eol - p), first_error);
          if (self->skipping)
            end_line (self, NULL, 0, first_error);
          else
            {
              end_line (self, self->line->str, self->line->len, first_error);
              g_string_truncate (self->line, 0);
            }
        }
      else
        end_line (self, p, (gsize) (eol - p), first_error);

      self->after_cr = *eol == '\r';
      p = eol + 1;
    }
}

gboolean
ag_sse_parser_feed (AgSseParser *self, const char *bytes, gsize len, GError **error)
{
  GError *first_error = NULL;

  /* The BOM may itself be split across feeds, so match it byte by byte. */
  while (!self->past_start && len > 0)
    {
      if ((guchar) bytes[0] != utf8_bom[self->bom_matched])
        {
          guint matched = self->bom_matched;

          self->past_start = TRUE;
          if (matched > 0)
            feed_lines (self, (const char *) utf8_bom, matched, &first_error);
          break;
        }
      bytes++;
      len--;
      if (++self->bom_matched == G_N_ELEMENTS (utf8_bom))
        self->past_start = TRUE;
    }

  feed_lines (self, bytes, len, &first_error);

  if (first_error != NULL)
    {
      g_propagate_error (error, first_error);
      return FALSE;
    }
  return TRUE;
}

void
ag_sse_parser_finish (AgSseParser *self)
{
  if (!self->past_start && self->bom_matched > 0)
    {
      self->past_start = TRUE;
      feed_lines (self, (const char *) utf8_bom, self->bom_matched, NULL);
    }

  if (!self->skipping && self->line->len > 0)
    end_line (self, self->line->str, self->line->len, NULL);
  if (!self->skipping)
    dispatch (self);

  g_string_truncate (self->line, 0);
  reset_event (self);
  self->skipping = FALSE;
  self->skipped_line_len = 0;
  self->after_cr = FALSE;
}
