/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-json-parser-private.h — for tests and fuzzers that hold the fast path to json-glib's results. */
#pragma once

#include "ag-json-parser.h"

G_BEGIN_DECLS

/* The value in @data as our own parser reads it, or NULL when the text is outside the form it reads (json-glib's
 * parser then decides). */
JsonNode *ag_json_parser_parse_fast (AgJsonParser *self, const char *data, gsize len);

G_END_DECLS
