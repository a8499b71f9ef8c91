/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-request-item.h — one row of the request log as an object, for list models and list views. Immutable. */
#pragma once

#include <glib-object.h>
#include "ag-request-record.h"

G_BEGIN_DECLS

#define AG_TYPE_REQUEST_ITEM (ag_request_item_get_type ())
G_DECLARE_FINAL_TYPE (AgRequestItem, ag_request_item, AG, REQUEST_ITEM, GObject)

/* Takes @record. */
AgRequestItem         *ag_request_item_new (AgRequestRecord *record);
const AgRequestRecord *ag_request_item_get_record (AgRequestItem *self);
/* Whether @needle (lower case) occurs in the client, models, account, outcome or detail. */
gboolean               ag_request_item_matches (AgRequestItem *self, const char *needle);

G_END_DECLS
