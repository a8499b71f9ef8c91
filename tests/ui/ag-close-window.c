/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-close-window [--check] PID — for test-ui-background and build-aux/memory-bench.sh: closes the X windows of
 * process PID that are on screen the way a window manager does when the user clicks the close button
 * (WM_DELETE_WINDOW); with --check, only looks. Exit status 1 when it found none. */
#include <X11/Xatom.h>
#include <X11/Xlib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static long
window_pid (Display *display, Window window, Atom pid_atom)
{
  Atom type;
  int format;
  unsigned long n_items, after;
  unsigned char *data = NULL;
  long pid = -1;

  if (XGetWindowProperty (display, window, pid_atom, 0, 1, False, XA_CARDINAL, &type, &format, &n_items, &after,
                          &data) == Success && data != NULL && n_items == 1)
    pid = (long) *(unsigned long *) data;
  if (data != NULL)
    XFree (data);
  return pid;
}

int
main (int argc, char **argv)
{
  Display *display = XOpenDisplay (NULL);
  Window root, parent, *children = NULL;
  unsigned int n_children = 0;
  Atom pid_atom, protocols, delete_window;
  int check = argc == 3 && strcmp (argv[1], "--check") == 0;
  long pid;
  int closed = 0;

  if (argc != 2 + check || display == NULL)
    {
      fprintf (stderr, "usage: ag-close-window [--check] PID (with DISPLAY set)\n");
      return 2;
    }
  pid = strtol (argv[1 + check], NULL, 10);
  pid_atom = XInternAtom (display, "_NET_WM_PID", False);
  protocols = XInternAtom (display, "WM_PROTOCOLS", False);
  delete_window = XInternAtom (display, "WM_DELETE_WINDOW", False);
  XQueryTree (display, DefaultRootWindow (display), &root, &parent, &children, &n_children);
  for (unsigned int i = 0; i < n_children; i++)
    {
      XWindowAttributes attributes;
      XEvent event = { 0 };

      if (window_pid (display, children[i], pid_atom) != pid ||
          !XGetWindowAttributes (display, children[i], &attributes) || attributes.map_state != IsViewable)
        continue;
      closed++;
      if (check)
        continue;
      event.xclient.type = ClientMessage;
      event.xclient.window = children[i];
      event.xclient.message_type = protocols;
      event.xclient.format = 32;
      event.xclient.data.l[0] = (long) delete_window;
      event.xclient.data.l[1] = CurrentTime;
      XSendEvent (display, children[i], False, NoEventMask, &event);
    }
  if (children != NULL)
    XFree (children);
  XCloseDisplay (display);
  return closed > 0 ? 0 : 1;
}
