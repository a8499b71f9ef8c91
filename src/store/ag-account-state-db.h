/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-account-state-db.h — the account_states table of history.db: per account, the lasting state Google put it in
 * (an AgAccountState nick other than "valid"), Google's words and the page to fix it, and whether the Gemini CLI
 * pool refused its tier. Plain functions on the worker thread's connection, like ag-history-db.h. */
#pragma once

#include <gio/gio.h>
#include "ag-history-db.h"

G_BEGIN_DECLS

typedef struct {
  char    *account;            /* e-mail */
  char    *state;              /* AgAccountState nick */
  char    *reason;             /* nullable: Google's text or ours */
  char    *url;                /* nullable: verification or appeal page */
  gboolean gemini_cli_closed;
  gint64   since_ms;           /* when it was recorded */
} AgAccountStateRow;

AgAccountStateRow *ag_account_state_row_new (const char *account, const char *state, const char *reason,
                                             const char *url, gboolean gemini_cli_closed, gint64 since_ms);
AgAccountStateRow *ag_account_state_row_copy (const AgAccountStateRow *row);
void               ag_account_state_row_free (AgAccountStateRow *row);
/* Whether the row says nothing worth keeping (valid, pool open): saving it deletes the account's row. */
gboolean           ag_account_state_row_is_plain (const AgAccountStateRow *row);

/* Records @row (or forgets the account when the row is plain). */
gboolean   ag_account_state_db_save (AgHistoryDb *db, const AgAccountStateRow *row, GError **error);
/* Every recorded row, by account (AgAccountStateRow). */
GPtrArray *ag_account_state_db_load (AgHistoryDb *db, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AgAccountStateRow, ag_account_state_row_free)

G_END_DECLS
