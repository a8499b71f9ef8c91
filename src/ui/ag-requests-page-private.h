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
  AG_REQUESTS_SHOW_IN_FLIGHT,
} AgRequestsShow;

AgRequestList *ag_requests_page_get_log (AgRequestsPage *self);
/* The rows the list view shows (AgRequestItem), newest first. */
GListModel    *ag_requests_page_get_shown (AgRequestsPage *self);
void           ag_requests_page_set_search (AgRequestsPage *self, const char *text);
void           ag_requests_page_set_show (AgRequestsPage *self, AgRequestsShow show);
/* The model and account filters' choices (GtkStringObject), "All Models" / "All Accounts" first, then each model
 * (upstream, or the client's when nothing went upstream) or account met in the log, sorted. */
GListModel    *ag_requests_page_get_models (AgRequestsPage *self);
GListModel    *ag_requests_page_get_accounts (AgRequestsPage *self);
/* Shows only requests of @model (the client's or the upstream name) or @account; NULL shows all. FALSE when the
 * filter has no such choice. */
gboolean       ag_requests_page_set_model (AgRequestsPage *self, const char *model);
gboolean       ag_requests_page_set_account (AgRequestsPage *self, const char *account);
/* Selects shown row @position (GTK_INVALID_LIST_POSITION: none). */
void           ag_requests_page_select (AgRequestsPage *self, guint position);
const char    *ag_requests_page_get_detail_text (AgRequestsPage *self);
/* How far the list is scrolled down, in pixels (0: the newest row is at the top). */
double         ag_requests_page_get_scroll (AgRequestsPage *self);
/* The title and subtitle of a row as the list shows them. */
char          *ag_requests_page_describe_row (AgRequestItem *item, char **subtitle);

G_END_DECLS
