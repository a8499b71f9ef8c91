/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-setup-cli.h — the "ag-cl setup claude-code|codex|gemini-cli [--print]" subcommand: points a coding agent at
 * the proxy by writing the settings it reads (keeping the rest of each file, with a backup), or with --print shows
 * what would change. The local API key, when one is set, is put where that client sends it from. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* @argv[0] is "setup". Returns the process exit status: 0 on success, 1 with a message on stderr, 2 on bad usage. */
int ag_setup_cli_run (int argc, char **argv);

G_END_DECLS
