// SPDX-License-Identifier: GPL-3.0-or-later
/* A stand-in for a running Antigravity IDE: a program named "antigravity" that takes --user-data-dir and lives
 * until it is sent SIGTERM, as the IDE quits when asked. */
#include <signal.h>
#include <unistd.h>

int
main (int argc, char **argv)
{
  /* Nobody else ends it: a test that forgets it does not leave it behind for long. */
  alarm (60);
  pause ();
  return 0;
}
