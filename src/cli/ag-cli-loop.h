// SPDX-License-Identifier: GPL-3.0-or-later
/* ag-cli-loop.h — the main loop a subcommand runs while its async steps work, and the exit status they end it with. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  GMainLoop *loop;
  int        status;  /* the exit status: 1 until a step says the command succeeded */
} AgCliLoop;

/* A new loop; the status is 1 (failed) until ag_cli_loop_quit (self, 0). */
void ag_cli_loop_init (AgCliLoop *self);
void ag_cli_loop_clear (AgCliLoop *self);
/* Ends the loop with @status. */
void ag_cli_loop_quit (AgCliLoop *self, int status);
/* Prints "ag-cl: " and @error's message to stderr and ends the loop with status 1. */
void ag_cli_loop_fail (AgCliLoop *self, const GError *error);

G_END_DECLS
