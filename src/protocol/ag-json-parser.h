/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-json-parser.h — parses JSON text into json-glib nodes, one parser reused for every event of a stream. Text in
 * plain RFC 8259 form is read by a small parser of our own, several times faster than json-glib's; anything else
 * goes to json-glib's parser, so what is accepted, and the tree it reads as, stay exactly json-glib's. */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef struct _AgJsonParser AgJsonParser;

AgJsonParser *ag_json_parser_new  (void);
void          ag_json_parser_free (AgJsonParser *self);
/* The value in @data (owned by the caller; mutable, unsealed nodes), or NULL with @error when the text is not JSON
 * or holds no value. */
JsonNode     *ag_json_parser_parse (AgJsonParser *self, const char *data, gsize len, GError **error);
/* The same value, owned by the parser and valid until its next parse_reused or free: the caller must not keep a
 * reference to it or any part of it, nor change it. A text of the same shape as the last one (the same names in
 * the same order, the same kinds of values: a stream's run of similar events) is read into the same tree, its
 * values replaced, instead of building and freeing a new one. */
JsonNode     *ag_json_parser_parse_reused (AgJsonParser *self, const char *data, gsize len, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AgJsonParser, ag_json_parser_free)

G_END_DECLS
