// SPDX-License-Identifier: GPL-3.0-or-later
/* ag-device-cli.h — the "ag-cl device …" (device profiles of accounts) and "ag-cl ide …" (switch the Antigravity
 * IDE to an account, put the machine's identity back, status) subcommands. Each runs its own main loop; prints no
 * secret. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* @argv[0] is "device" / "ide". Returns the exit status: 0, 1 with a one-line message on stderr, or 2 for usage. */
int ag_device_cli_run (int argc, char **argv);
int ag_ide_cli_run (int argc, char **argv);

G_END_DECLS
