/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-api-key-cli.h — the "ag-cl api-key …" subcommand: show, generate (create or replace) and clear the local API
 * key in the keyring (profile from AGCL_PROFILE). show and generate print the key on stdout, for the user to give
 * to clients; nothing else ever prints it. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* @argv[0] is "api-key". Returns the process exit status: 0 on success, 1 with a one-line message on stderr. */
int ag_api_key_cli_run (int argc, char **argv);

G_END_DECLS
