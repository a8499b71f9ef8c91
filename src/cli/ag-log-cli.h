/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-log-cli.h — `ag-cl log [--limit N] [--since DURATION] [--json]`: the last requests of the request log as an
 * aligned table (or JSON), read from <data dir>/history.db. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* @argv[0] is "log". Returns the process exit status. */
int      ag_log_cli_run (int argc, char **argv);

G_END_DECLS
