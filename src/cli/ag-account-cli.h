/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-account-cli.h — the "ag-cl account …" subcommand: add (from a refresh token), list and remove the accounts
 * stored in the keyring (profile from AGCL_PROFILE). Runs its own main loop; prints no secret. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* @argv[0] is "account". Returns the process exit status: 0 on success, 1 with a one-line message on stderr. */
int ag_account_cli_run (int argc, char **argv);

G_END_DECLS
