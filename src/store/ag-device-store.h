// SPDX-License-Identifier: GPL-3.0-or-later
/* ag-device-store.h — the owner of device profiles: each account's versions and binding, and the machine's
 * baseline, in <data dir>/devices.db (AgDeviceDb). Every operation runs on a worker thread with its own
 * connection and one transaction, so the main loop never waits on the disk.
 *
 * Signal (on the thread-default main context of the creator):
 *   "changed" (const char *account)   an account's versions or binding changed; "" for the baseline */
#pragma once

#include <gio/gio.h>
#include "ag-device-db.h"

G_BEGIN_DECLS

#define AG_TYPE_DEVICE_STORE (ag_device_store_get_type ())
G_DECLARE_FINAL_TYPE (AgDeviceStore, ag_device_store, AG, DEVICE_STORE, GObject)

/* @path NULL: <data dir>/devices.db. The file is opened by the first operation. */
AgDeviceStore   *ag_device_store_new (const char *path);
const char      *ag_device_store_get_path (AgDeviceStore *self);

/* Every version of @account, newest first (GPtrArray of AgDeviceVersion; empty when none). */
void             ag_device_store_list_async (AgDeviceStore *self, const char *account, GCancellable *cancellable,
                                             GAsyncReadyCallback callback, gpointer user_data);
GPtrArray       *ag_device_store_list_finish (AgDeviceStore *self, GAsyncResult *result, GError **error);

/* Each finishes with ag_device_store_version_finish:
 *   current   the version @account is bound to (NULL without error when none);
 *   add       @profile stored as a new version labelled @label and bound;
 *   generate  a fresh random profile stored and bound (label "generated");
 *   ensure    the bound version, or when none a fresh one labelled "auto_generated" (*created says which);
 *   restore   binds @account to its version @id (G_IO_ERROR_NOT_FOUND when it has no such version). */
void             ag_device_store_current_async (AgDeviceStore *self, const char *account, GCancellable *cancellable,
                                                GAsyncReadyCallback callback, gpointer user_data);
void             ag_device_store_add_async (AgDeviceStore *self, const char *account, const AgDeviceProfile *profile,
                                            const char *label, GCancellable *cancellable,
                                            GAsyncReadyCallback callback, gpointer user_data);
void             ag_device_store_generate_async (AgDeviceStore *self, const char *account, GCancellable *cancellable,
                                                 GAsyncReadyCallback callback, gpointer user_data);
void             ag_device_store_ensure_async (AgDeviceStore *self, const char *account, GCancellable *cancellable,
                                               GAsyncReadyCallback callback, gpointer user_data);
void             ag_device_store_restore_async (AgDeviceStore *self, const char *account, gint64 id,
                                                GCancellable *cancellable, GAsyncReadyCallback callback,
                                                gpointer user_data);
/* @created (nullable): whether the operation stored a new version. */
AgDeviceVersion *ag_device_store_version_finish (AgDeviceStore *self, GAsyncResult *result, gboolean *created,
                                                 GError **error);

/* The baseline (NULL without error when none). With keep: @profile is kept first unless a baseline exists
 * already, and the finish says in *@created whether it was. */
void             ag_device_store_get_baseline_async (AgDeviceStore *self, GCancellable *cancellable,
                                                     GAsyncReadyCallback callback, gpointer user_data);
void             ag_device_store_keep_baseline_async (AgDeviceStore *self, const AgDeviceProfile *profile,
                                                      GCancellable *cancellable, GAsyncReadyCallback callback,
                                                      gpointer user_data);
AgDeviceProfile *ag_device_store_baseline_finish (AgDeviceStore *self, GAsyncResult *result, gboolean *created,
                                                  GError **error);

/* The account whose bound version is @profile, or NULL without error. */
void             ag_device_store_find_account_async (AgDeviceStore *self, const AgDeviceProfile *profile,
                                                     GCancellable *cancellable, GAsyncReadyCallback callback,
                                                     gpointer user_data);
char            *ag_device_store_find_account_finish (AgDeviceStore *self, GAsyncResult *result, GError **error);

G_END_DECLS
