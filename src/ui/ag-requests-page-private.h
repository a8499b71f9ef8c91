/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-requests-page-private.h — for tests: the rows as shown (after filtering), the filters, the selection and
 * the detail text. */
#pragma once

#include "ag-requests-page.h"
#include "ag-request-item.h"
#include "ag-request-list.h"

G_BEGIN_DECLS

/* The outcome filter's choices, in the order of its drop-down. */
typedef enum {
  AG_REQUESTS_SHOW_ALL,
  AG_REQUESTS_SHOW_OK,
  AG_REQUESTS_SHOW_ERRORS,
  AG_REQUESTS_SHOW_REFUSED,
  AG_REQUESTS_SHOW_CANCELLED,
  AG_REQUESTS_SHOW_INTERCEPTED,
} AgRequestsShow;

AgRequestList *ag_requests_page_get_log (AgRequestsPage *self);
/* The rows the list view shows (AgRequestItem), newest first. */
GListModel    *ag_requests_page_get_shown (AgRequestsPage *self);
void           ag_requests_page_set_search (AgRequestsPage *self, const char *text);
void           ag_requests_page_set_show (AgRequestsPage *self, AgRequestsShow show);
/* Selects shown row @position (GTK_INVALID_LIST_POSITION: none). */
void           ag_requests_page_select (AgRequestsPage *self, guint position);
const char    *ag_requests_page_get_detail_text (AgRequestsPage *self);
/* How far the list is scrolled down, in pixels (0: the newest row is at the top). */
double         ag_requests_page_get_scroll (AgRequestsPage *self);
/* The title and subtitle of a row as the list shows them. */
char          *ag_requests_page_describe_row (AgRequestItem *item, char **subtitle);

G_END_DECLS
