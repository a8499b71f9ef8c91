/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-request-body.h — a request's JSON body, read once: UTF-8 checked, parsed with the stream decoder's reusable
 * reader, and an object required; every failure an invalid-request error saying what is wrong. */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include "ag-json-parser.h"

G_BEGIN_DECLS

/* The body of @msg (read whole) as an object (a new reference), or NULL with an AG_PROTOCOL_ERROR_INVALID_REQUEST. */
JsonObject *ag_request_body_parse (AgJsonParser *parser, SoupServerMessage *msg, GError **error);

G_END_DECLS
