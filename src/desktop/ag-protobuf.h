// SPDX-License-Identifier: GPL-3.0-or-later
/* ag-protobuf.h — the few protobuf wire-format reads and writes the Antigravity IDE's state records need
 * (varints and length-delimited fields), without a schema. Pure. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Called for each length-delimited field numbered as asked; returning TRUE stops the walk. */
typedef gboolean (*AgProtobufVisitor) (const guint8 *data, gsize len, gpointer user_data);

/* Visits every length-delimited field numbered @wanted in the message [data, data+len); @wanted 0 visits every
 * field of any number, passing the whole field (tag and length included) so it can be copied verbatim. FALSE when
 * the message is malformed. */
gboolean ag_protobuf_each_field (const guint8 *data, gsize len, guint wanted, AgProtobufVisitor visit,
                                 gpointer user_data);
/* The string field @field of a message, or NULL. */
char    *ag_protobuf_string_field (const guint8 *data, gsize len, guint field);

void     ag_protobuf_put_varint (GByteArray *out, guint64 value);
void     ag_protobuf_put_varint_field (GByteArray *out, guint field, guint64 value);
void     ag_protobuf_put_bytes (GByteArray *out, guint field, const guint8 *data, gsize len);
void     ag_protobuf_put_string (GByteArray *out, guint field, const char *text);

G_END_DECLS
