// SPDX-License-Identifier: GPL-3.0-or-later
/* ag-device-profile.h — a device profile: the four telemetry ids the Antigravity IDE reports for this machine
 * (storage.json's telemetry.machineId, .macMachineId, .devDeviceId, .sqmId). Each account may be bound to one so
 * accounts don't all share one machine identity. Not secrets, but never logged next to an account's tokens.
 * Pure: no I/O besides the system's random source. */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef struct {
  char *machine_id;      /* generated: "auth0|user_" + 32 lowercase alphanumerics */
  char *mac_machine_id;  /* generated: a UUID (v4 form) */
  char *dev_device_id;   /* generated: a UUID v4; also storage.serviceMachineId */
  char *sqm_id;          /* generated: "{UPPERCASE-UUID}" */
} AgDeviceProfile;

#define AG_TYPE_DEVICE_PROFILE (ag_device_profile_get_type ())
GType            ag_device_profile_get_type (void);

/* NULL when any id is NULL or empty (a profile is all four or nothing). */
AgDeviceProfile *ag_device_profile_new (const char *machine_id, const char *mac_machine_id,
                                        const char *dev_device_id, const char *sqm_id);
/* Four fresh ids from the kernel's CSPRNG (getrandom). */
AgDeviceProfile *ag_device_profile_generate (void);
AgDeviceProfile *ag_device_profile_copy (const AgDeviceProfile *profile);
void             ag_device_profile_free (AgDeviceProfile *profile);
gboolean         ag_device_profile_equal (const AgDeviceProfile *a, const AgDeviceProfile *b);

/* The four ids as "name value" lines, in storage.json's names, for previews and `ag-cl device show`. */
char            *ag_device_profile_describe (const AgDeviceProfile *profile, const char *indent);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AgDeviceProfile, ag_device_profile_free)

G_END_DECLS
