/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-desktop-host.h — the desktop app's one instance per session, without GTK: it runs the proxy (AgProxyService),
 * the tray and the notifications, answers a second `ag-cl` and the session's D-Bus activations, and keeps running
 * with no window. The windows come from a factory (the GTK module, loaded the first time one is needed), so a
 * tray-only ag-cl never maps GTK.
 *
 * Its actions: app.show-window, app.show-page (string: "overview", "accounts", "usage", "requests", "devices",
 * "add-account", "preferences"), app.preferences, app.about, app.copy-claude-settings and app.use-in-antigravity
 * (string: an account's e-mail) need a window and load the UI; app.quit and app.proxy-enabled (turns the proxy on
 * or off and remembers it; its state is whether the proxy runs) do not. */
#pragma once

#include <gio/gio.h>
#include "ag-desktop-ui.h"
#include "ag-proxy-service.h"

G_BEGIN_DECLS

#define AG_TYPE_DESKTOP_HOST (ag_desktop_host_get_type ())
G_DECLARE_FINAL_TYPE (AgDesktopHost, ag_desktop_host, AG, DESKTOP_HOST, GApplication)

/* Makes the UI (registers it, ready for the forwarded actions); NULL with @error when there is none, e.g. no
 * display. Called at most once per host. */
typedef AgDesktopUi *(*AgDesktopUiFactory) (AgDesktopHost *host, GError **error);

/* @settings: nullable (built-in defaults). @address/@port: command-line overrides (NULL / -1 = the settings).
 * @background: start in the tray without the window (unless ag-cl has never been set up). */
AgDesktopHost  *ag_desktop_host_new (GSettings *settings, const char *address, int port, gboolean background);
void            ag_desktop_host_set_ui_factory (AgDesktopHost *self, AgDesktopUiFactory factory);

/* Valid after startup. */
AgProxyService *ag_desktop_host_get_service (AgDesktopHost *self);
/* Nullable. */
GSettings      *ag_desktop_host_get_settings (AgDesktopHost *self);
/* Property "accounts-loaded": the keyring has answered the first load of the accounts, either way. */
gboolean        ag_desktop_host_get_accounts_loaded (AgDesktopHost *self);
/* The UI once a window has been needed, else NULL. */
AgDesktopUi    *ag_desktop_host_get_ui (AgDesktopHost *self);
/* Whether this instance could not set up the proxy at start-up (it then shows nothing and ends). */
gboolean        ag_desktop_host_get_start_failed (AgDesktopHost *self);
/* The UI, made now if it was not yet; NULL with @error when it cannot be. */
AgDesktopUi    *ag_desktop_host_ensure_ui (AgDesktopHost *self, GError **error);
/* The UI's last window has closed. With a relaunch delay set, the host plans to end this process so that the
 * caller runs `ag-cl --background` in its place (GTK cannot be unloaded, and what it keeps is several times the
 * tray's needs): after @delay_ms with no window and no request in flight, it keeps the listening socket for the
 * next process (ag-inherited-listener.h) and quits with ag_desktop_host_get_relaunch_args () set. */
void            ag_desktop_host_windows_closed (AgDesktopHost *self);
/* 0 (the default): never relaunch. */
void            ag_desktop_host_set_relaunch_delay (AgDesktopHost *self, guint delay_ms);
/* After the run: NULL, or the options for the `ag-cl` that replaces this one ("--background" and the listen
 * overrides in force). */
const char * const *ag_desktop_host_get_relaunch_args (AgDesktopHost *self);

/* What app.proxy-enabled does: turns the proxy on or off and remembers it in "proxy-enabled"; FALSE with @error
 * when it cannot listen. */
gboolean        ag_desktop_host_set_proxy_enabled (AgDesktopHost *self, gboolean enabled, GError **error);

G_END_DECLS
