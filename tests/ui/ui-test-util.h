/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ui-test-util.h — what the UI test files share: the desktop app in a real window (under Xvfb) against the
 * in-process mock, each test file with its own settings file, data directory, keyring profile and desktop
 * notification server; waiting while the main loop runs; screenshots; the browser's part in a sign-in; the check
 * that no secret was written to disk. */
#pragma once

#include "ag-test.h"
#include "ag-application-private.h"
#include "ag-window-private.h"

G_BEGIN_DECLS

typedef struct {
  AgDesktopHost *host;               /* the application the session sees: proxy, tray, notifications */
  AgApplication *app;                /* its windows (the host's UI) */
  AgWindow      *window;
  GSettings     *settings;           /* the app's, on disk (keyfile backend) */
  AgMockServer  *mock;
  GPtrArray     *notifications;      /* "id\ttitle\tbody" of each desktop notification, in order */
  GPtrArray     *notification_actions; /* "id\tdefault action\tits target (GVariant text)" of each */
  char          *launched_uri;       /* the last URI the app opened in "the browser" */
} UiTest;

extern UiTest ui;

/* Points the environment at files of the test file @name (under G_TEST_BUILDDIR/ui-@name, keyring profile
 * "test-ui-@name"), then g_test_init. FALSE when there is no display: main returns 0 (the TAP skip line is out). */
gboolean   ui_test_init (int *argc, char ***argv, const char *name);
/* Starts the notification server, the mock (refresh tokens rt-ui for desktop@example.com in proj-ui and rt-ide
 * for ide@example.com in proj-ide), an Antigravity IDE state signed in with rt-ide, and the app on a free port
 * with no account; returns once its window is on screen and the proxy listens. */
void       ui_test_start (void);
/* g_test_run, then quits the app and frees what ui_test_start made. */
int        ui_test_run (void);

typedef gboolean (*UiCondition) (gpointer data);

/* Iterates the main context until @condition holds (fails the test after 20 s). */
void       ui_wait_until (UiCondition condition, gpointer data);
/* Iterates the main context for @ms. */
void       ui_settle (guint ms);
/* Activates app.@action (@target: nullable, floating) of the running ag-cl as another process does (a second
 * ag-cl, the notification server, gapplication): org.freedesktop.Application over a D-Bus connection of its own;
 * returns once it has answered. */
void       ui_activate_remotely (const char *action, GVariant *target);
/* Conditions: *(gboolean *) data; at least GPOINTER_TO_UINT (data) notifications. */
gboolean   ui_flag_is_set (gpointer data);
gboolean   ui_has_notifications (gpointer data);

/* Renders @window as it is on screen into G_TEST_BUILDDIR/screenshots/@name.png. */
void       ui_save_screenshot (GtkWidget *window, const char *name);
/* TRUE when 127.0.0.1:@port accepts a connection, FALSE when it refuses it. */
gboolean   ui_connection_accepted (guint port);
guint      ui_free_port (void);
/* GETs @url without following redirects, like the browser's first hop; returns the Location header. */
char      *ui_browse (SoupSession *browser, const char *url, guint expected_status);
/* Adds the account of @refresh_token through the service, as a sign-in with the CLI would; returns it. */
AgAccount *ui_add_account (const char *refresh_token);
/* Writes the IDE's storage.json (its four device ids, which a switch reads) beside the state database
 * ui_test_start made, then adds the mock's two accounts (rt-ui, rt-ide). */
void       ui_test_add_ide_storage_and_accounts (void);
/* What a page built directly needs: the app's service, its settings, and "the browser" that records
 * ui.launched_uri. */
AgUiContext *ui_context_new (void);

/* The settings file on disk (which holds @written, proof it is the one the app wrote) and the data directory
 * hold none of the tokens the flows handled, nor the local API key. */
void       ui_assert_no_secret_at_rest (const char *written);

G_END_DECLS
