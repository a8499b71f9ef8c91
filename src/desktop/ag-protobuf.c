// SPDX-License-Identifier: GPL-3.0-or-later
#include "ag-protobuf.h"

#include <string.h>

static gboolean
read_varint (const guint8 **cursor, const guint8 *end, guint64 *value)
{
  *value = 0;
  for (guint shift = 0; shift < 64 && *cursor < end; shift += 7)
    {
      guint8 byte = *(*cursor)++;

      *value |= (guint64) (byte & 0x7f) << shift;
      if ((byte & 0x80) == 0)
        return TRUE;
    }
  return FALSE;
}

gboolean
ag_protobuf_each_field (const guint8 *data, gsize len, guint wanted, AgProtobufVisitor visit, gpointer user_data)
{
  const guint8 *cursor = data;
  const guint8 *end = data + len;

  while (cursor < end)
    {
      const guint8 *start = cursor;
      guint64 tag, value;

      if (!read_varint (&cursor, end, &tag))
        return FALSE;
      switch (tag & 7)
        {
        case 0:
          if (!read_varint (&cursor, end, &value))
            return FALSE;
          break;
        case 1:
          if (end - cursor < 8)
            return FALSE;
          cursor += 8;
          break;
        case 5:
          if (end - cursor < 4)
            return FALSE;
          cursor += 4;
          break;
        case 2:
          if (!read_varint (&cursor, end, &value) || value > (guint64) (end - cursor))
            return FALSE;
          if (wanted != 0 && (tag >> 3) == wanted && visit (cursor, (gsize) value, user_data))
            return TRUE;
          cursor += value;
          break;
        default:
          return FALSE;
        }
      if (wanted == 0 && visit (start, (gsize) (cursor - start), user_data))
        return TRUE;
    }
  return TRUE;
}

static gboolean
take_string (const guint8 *data, gsize len, gpointer user_data)
{
  char **out = user_data;

  g_free (*out);
  *out = g_strndup ((const char *) data, len);
  return TRUE;
}

char *
ag_protobuf_string_field (const guint8 *data, gsize len, guint field)
{
  char *value = NULL;

  if (!ag_protobuf_each_field (data, len, field, take_string, &value))
    g_clear_pointer (&value, g_free);
  return value;
}

void
ag_protobuf_put_varint (GByteArray *out, guint64 value)
{
  while (value >= 0x80)
    {
      guint8 byte = (guint8) (value | 0x80);

      g_byte_array_append (out, &byte, 1);
      value >>= 7;
    }
  guint8 last = (guint8) value;
  g_byte_array_append (out, &last, 1);
}

void
ag_protobuf_put_varint_field (GByteArray *out, guint field, guint64 value)
{
  ag_protobuf_put_varint (out, (guint64) field << 3);
  ag_protobuf_put_varint (out, value);
}

void
ag_protobuf_put_bytes (GByteArray *out, guint field, const guint8 *data, gsize len)
{
  ag_protobuf_put_varint (out, ((guint64) field << 3) | 2);
  ag_protobuf_put_varint (out, len);
  g_byte_array_append (out, data, (guint) len);
}

void
ag_protobuf_put_string (GByteArray *out, guint field, const char *text)
{
  ag_protobuf_put_bytes (out, field, (const guint8 *) text, strlen (text));
}
