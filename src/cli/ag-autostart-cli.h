/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-autostart-cli.h — "ag-cl autostart on|off|status": start ag-cl in the tray at login, from a terminal, the same
 * way Preferences → "Start at login" does (ag-autostart.h). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* @argv[0] is "autostart". Returns the exit status: 0 done (status: printed), 1 with a message on stderr when it
 * could not be done, 2 for a usage error. */
int ag_autostart_cli_run (int argc, char **argv);

G_END_DECLS
