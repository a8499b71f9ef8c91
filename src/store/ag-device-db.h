// SPDX-License-Identifier: GPL-3.0-or-later
/* ag-device-db.h — the device-profile database (<data dir>/devices.db): every version of every account's device
 * profile, which version each account is bound to, and the machine's own profile (the baseline, kept once).
 * Plain functions on one connection, no threads: AgDeviceStore calls them from worker threads, one connection per
 * operation. Failures are G_IO_ERROR with a message fit for the user.
 *
 * A sibling of history.db rather than a migration in it: its rows are few, precious and never trimmed, and the
 * history's schema moves with the request log. */
#pragma once

#include <gio/gio.h>
#include "ag-device-profile.h"

G_BEGIN_DECLS

#define AG_DEVICE_DB_SCHEMA_VERSION 1

/* One stored version of an account's profile. */
typedef struct {
  gint64           id;          /* the version's number, unique in the database */
  char            *account;     /* e-mail */
  gint64           created_ms;
  char            *label;       /* "generated", "captured", "auto_generated", … */
  AgDeviceProfile *profile;
  gboolean         current;     /* the version the account is bound to */
} AgDeviceVersion;

void             ag_device_version_free (AgDeviceVersion *version);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AgDeviceVersion, ag_device_version_free)

typedef struct _AgDeviceDb AgDeviceDb;

/* Opens @path (creating it and its folder), migrating its schema; fails on a newer schema or a non-database. */
AgDeviceDb      *ag_device_db_open (const char *path, GError **error);
void             ag_device_db_close (AgDeviceDb *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AgDeviceDb, ag_device_db_close)

/* BEGIN IMMEDIATE / COMMIT / ROLLBACK (a failed rollback is ignored). */
gboolean         ag_device_db_begin (AgDeviceDb *self, GError **error);
gboolean         ag_device_db_commit (AgDeviceDb *self, GError **error);
void             ag_device_db_rollback (AgDeviceDb *self);

/* Stores @profile as a new version of @account, created at @now_ms, and binds the account to it. */
AgDeviceVersion *ag_device_db_add_version (AgDeviceDb *self, const char *account, const AgDeviceProfile *profile,
                                           const char *label, gint64 now_ms, GError **error);
/* Binds @account to its existing version @id; G_IO_ERROR_NOT_FOUND when @account has no such version. */
AgDeviceVersion *ag_device_db_bind (AgDeviceDb *self, const char *account, gint64 id, GError **error);
/* Every version of @account, newest first; empty when it has none. */
GPtrArray       *ag_device_db_list_versions (AgDeviceDb *self, const char *account, GError **error);
/* The version @account is bound to; NULL without error when it has none. */
AgDeviceVersion *ag_device_db_get_current (AgDeviceDb *self, const char *account, GError **error);
/* The account bound to @profile (the newest binding when several), or NULL without error. */
char            *ag_device_db_find_account (AgDeviceDb *self, const AgDeviceProfile *profile, GError **error);

/* The baseline, or NULL without error when none was kept. */
AgDeviceProfile *ag_device_db_get_baseline (AgDeviceDb *self, gint64 *created_ms, GError **error);
/* Keeps @profile as the baseline unless one is kept already; *@kept says whether this call stored it. */
gboolean         ag_device_db_keep_baseline (AgDeviceDb *self, const AgDeviceProfile *profile, gint64 now_ms,
                                             gboolean *kept, GError **error);

G_END_DECLS
