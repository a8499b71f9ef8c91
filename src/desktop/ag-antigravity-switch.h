// SPDX-License-Identifier: GPL-3.0-or-later
/* ag-antigravity-switch.h — "Switch Antigravity to this account": finds the IDE's folder, refuses while the IDE
 * runs (or closes it and starts it again afterwards, when asked), keeps the machine's own profile as the baseline
 * before the first change, binds the account to a profile (a fresh one when it has none), gets a fresh access
 * token, and writes profile and sign-in through AgAntigravityWriter on a worker thread. Also puts the baseline back
 * (the sign-in stays) and reports what the IDE uses now. Used by `ag-cl ide`, the window and the tray. */
#pragma once

#include <gio/gio.h>
#include "ag-account.h"
#include "ag-antigravity-writer.h"
#include "ag-device-store.h"

G_BEGIN_DECLS

typedef enum {
  AG_ANTIGRAVITY_SWITCH_NONE = 0,
  AG_ANTIGRAVITY_SWITCH_CLOSE_IDE = 1 << 0,   /* close a running IDE first and start it again afterwards */
} AgAntigravitySwitchFlags;

/* What a switch will do (a preview) or did (its result). */
typedef struct {
  char                    *folder;
  char                    *storage_path;
  char                    *state_path;         /* nullable: the IDE has no state.vscdb yet */
  AgAntigravitySignInStore sign_in_store;
  gboolean                 running;            /* preview: the IDE runs now */
  AgDeviceProfile         *profile;            /* preview: NULL when a profile will be generated */
  gboolean                 profile_generated;  /* result: the account had none and got a fresh one */
  gboolean                 reopened;           /* result: the IDE was closed and started again */
  GPtrArray               *backups;            /* result: the copies made (paths) */
} AgAntigravityPlan;

void ag_antigravity_plan_free (AgAntigravityPlan *plan);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AgAntigravityPlan, ag_antigravity_plan_free)

/* What the IDE uses now. */
typedef struct {
  char            *folder;
  gboolean         running;
  AgAntigravitySignInStore sign_in_store;
  char            *signed_in;        /* the e-mail of the account it is signed in with, NULL: none of ours */
  AgDeviceProfile *profile;          /* nullable */
  char            *profile_owner;    /* the account bound to that profile, "baseline", or NULL */
} AgAntigravityStatus;

void ag_antigravity_status_free (AgAntigravityStatus *status);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AgAntigravityStatus, ag_antigravity_status_free)

#define AG_TYPE_ANTIGRAVITY_SWITCH (ag_antigravity_switch_get_type ())
G_DECLARE_FINAL_TYPE (AgAntigravitySwitch, ag_antigravity_switch, AG, ANTIGRAVITY_SWITCH, GObject)

AgAntigravitySwitch *ag_antigravity_switch_new (AgDeviceStore *devices, AgOAuthClient *oauth);
AgDeviceStore       *ag_antigravity_switch_get_devices (AgAntigravitySwitch *self);

/* What switching to @email (NULL: putting the baseline back) would change; writes nothing. */
void               ag_antigravity_switch_preview_async (AgAntigravitySwitch *self, const char *email,
                                                        GCancellable *cancellable, GAsyncReadyCallback callback,
                                                        gpointer user_data);
/* Signs the IDE in as @account with its profile. */
void               ag_antigravity_switch_account_async (AgAntigravitySwitch *self, AgAccount *account,
                                                        AgAntigravitySwitchFlags flags, GCancellable *cancellable,
                                                        GAsyncReadyCallback callback, gpointer user_data);
/* Writes the baseline profile back; the sign-in stays as it is. */
void               ag_antigravity_switch_reset_async (AgAntigravitySwitch *self, AgAntigravitySwitchFlags flags,
                                                      GCancellable *cancellable, GAsyncReadyCallback callback,
                                                      gpointer user_data);
/* Finishes any of the three. */
AgAntigravityPlan *ag_antigravity_switch_finish (AgAntigravitySwitch *self, GAsyncResult *result, GError **error);

/* Reads the profile the IDE uses now and binds @email to it (label "captured"); keeps the baseline first. Finish
 * with ag_device_store_version_finish-like semantics: the new version. */
void               ag_antigravity_switch_capture_async (AgAntigravitySwitch *self, const char *email,
                                                        GCancellable *cancellable, GAsyncReadyCallback callback,
                                                        gpointer user_data);
AgDeviceVersion   *ag_antigravity_switch_capture_finish (AgAntigravitySwitch *self, GAsyncResult *result,
                                                         GError **error);
/* Finishes whichever made a device version: a capture (@source the switch) or the device store's generate or
 * restore (@source the store). For callers that start either with one callback. */
AgDeviceVersion   *ag_antigravity_switch_version_finish (GObject *source, GAsyncResult *result, GError **error);

/* What the IDE uses now; @accounts (of AgAccount) are matched against its sign-in. */
void               ag_antigravity_switch_status_async (AgAntigravitySwitch *self, GPtrArray *accounts,
                                                       GCancellable *cancellable, GAsyncReadyCallback callback,
                                                       gpointer user_data);
AgAntigravityStatus *ag_antigravity_switch_status_finish (AgAntigravitySwitch *self, GAsyncResult *result,
                                                          GError **error);

G_END_DECLS
