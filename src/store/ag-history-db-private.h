/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-history-db-private.h — the SQLite connection of an AgHistoryDb, for the table files beside it
 * (ag-account-state-db.c) that keep their own SQL. */
#pragma once

#include <sqlite3.h>
#include "ag-history-db.h"

G_BEGIN_DECLS

sqlite3 *ag_history_db_get_handle (AgHistoryDb *self);

G_END_DECLS
