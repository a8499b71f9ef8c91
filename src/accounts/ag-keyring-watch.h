/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-keyring-watch.h — notices changes to the Secret Service's items, so that a running proxy follows what the
 * CLI (or a keyring manager) did to its accounts and its local API key without a restart.
 *
 * Watches the session bus for the Secret Service's ItemCreated, ItemDeleted and ItemChanged signals, from any
 * collection, and emits "changed" once per burst (a save is a create and a delete). It does not say what changed:
 * the owner re-reads what it keeps in the keyring. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define AG_TYPE_KEYRING_WATCH (ag_keyring_watch_get_type ())
G_DECLARE_FINAL_TYPE (AgKeyringWatch, ag_keyring_watch, AG, KEYRING_WATCH, GObject)

/* Starts watching (the session bus is connected to asynchronously; without one, nothing is ever emitted). */
AgKeyringWatch *ag_keyring_watch_new (void);

G_END_DECLS
