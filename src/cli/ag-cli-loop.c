// SPDX-License-Identifier: GPL-3.0-or-later
#include "ag-cli-loop.h"

void
ag_cli_loop_init (AgCliLoop *self)
{
  self->loop = g_main_loop_new (NULL, FALSE);
  self->status = 1;
}

void
ag_cli_loop_clear (AgCliLoop *self)
{
  g_clear_pointer (&self->loop, g_main_loop_unref);
}

void
ag_cli_loop_quit (AgCliLoop *self, int status)
{
  self->status = status;
  g_main_loop_quit (self->loop);
}

void
ag_cli_loop_fail (AgCliLoop *self, const GError *error)
{
  g_printerr ("ag-cl: %s\n", error->message);
  ag_cli_loop_quit (self, 1);
}
