// SPDX-License-Identifier: GPL-3.0-or-later
#include "ag-device-profile.h"

#include <errno.h>
#include <string.h>
#include <sys/random.h>

G_DEFINE_BOXED_TYPE (AgDeviceProfile, ag_device_profile, ag_device_profile_copy, ag_device_profile_free)

static gboolean
non_empty (const char *text)
{
  return text != NULL && text[0] != '\0';
}

AgDeviceProfile *
ag_device_profile_new (const char *machine_id, const char *mac_machine_id, const char *dev_device_id,
                       const char *sqm_id)
{
  AgDeviceProfile *profile;

  if (!non_empty (machine_id) || !non_empty (mac_machine_id) || !non_empty (dev_device_id) || !non_empty (sqm_id))
    return NULL;
  profile = g_new0 (AgDeviceProfile, 1);
  profile->machine_id = g_strdup (machine_id);
  profile->mac_machine_id = g_strdup (mac_machine_id);
  profile->dev_device_id = g_strdup (dev_device_id);
  profile->sqm_id = g_strdup (sqm_id);
  return profile;
}

/* GLib's g_random_* is a Mersenne Twister seeded from the clock: predictable, so not used for identities. */
static void
random_bytes (guint8 *buffer, gsize length)
{
  gsize filled = 0;

  while (filled < length)
    {
      ssize_t got = getrandom (buffer + filled, length - filled, 0);

      if (got < 0 && errno == EINTR)
        continue;
      if (got < 0)
        g_error ("the system's random source failed: %s", g_strerror (errno));
      filled += (gsize) got;
    }
}

/* A version-4 UUID in lowercase: 122 random bits, version nibble 4, variant bits 10. */
static char *
random_uuid (void)
{
  guint8 bytes[16];

  random_bytes (bytes, sizeof bytes);
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  return g_strdup_printf ("%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
                          bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                          bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]);
}

static char *
random_machine_id (void)
{
  static const char alphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
  GString *id = g_string_new ("auth0|user_");
  guint8 pool[64];
  gsize used = sizeof pool;

  while (id->len < strlen ("auth0|user_") + 32)
    {
      /* One read for many characters: a syscall per byte made generation ten times slower. */
      if (used == sizeof pool)
        {
          random_bytes (pool, sizeof pool);
          used = 0;
        }
      /* Rejection sampling: 252 = 7 × 36, so every character is equally likely. */
      if (pool[used] < 252)
        g_string_append_c (id, alphabet[pool[used] % 36]);
      used++;
    }
  return g_string_free (id, FALSE);
}

AgDeviceProfile *
ag_device_profile_generate (void)
{
  AgDeviceProfile *profile = g_new0 (AgDeviceProfile, 1);
  g_autofree char *sqm_uuid = random_uuid ();
  g_autofree char *sqm_upper = g_ascii_strup (sqm_uuid, -1);

  profile->machine_id = random_machine_id ();
  profile->mac_machine_id = random_uuid ();
  profile->dev_device_id = random_uuid ();
  profile->sqm_id = g_strdup_printf ("{%s}", sqm_upper);
  return profile;
}

AgDeviceProfile *
ag_device_profile_copy (const AgDeviceProfile *profile)
{
  if (profile == NULL)
    return NULL;
  return ag_device_profile_new (profile->machine_id, profile->mac_machine_id, profile->dev_device_id,
                                profile->sqm_id);
}

void
ag_device_profile_free (AgDeviceProfile *profile)
{
  if (profile == NULL)
    return;
  g_free (profile->machine_id);
  g_free (profile->mac_machine_id);
  g_free (profile->dev_device_id);
  g_free (profile->sqm_id);
  g_free (profile);
}

gboolean
ag_device_profile_equal (const AgDeviceProfile *a, const AgDeviceProfile *b)
{
  if (a == NULL || b == NULL)
    return a == b;
  return g_str_equal (a->machine_id, b->machine_id) && g_str_equal (a->mac_machine_id, b->mac_machine_id) &&
         g_str_equal (a->dev_device_id, b->dev_device_id) && g_str_equal (a->sqm_id, b->sqm_id);
}

char *
ag_device_profile_describe (const AgDeviceProfile *profile, const char *indent)
{
  g_return_val_if_fail (profile != NULL, NULL);

  if (indent == NULL)
    indent = "";
  return g_strdup_printf ("%smachineId     %s\n%smacMachineId  %s\n%sdevDeviceId   %s\n%ssqmId         %s\n",
                          indent, profile->machine_id, indent, profile->mac_machine_id, indent,
                          profile->dev_device_id, indent, profile->sqm_id);
}
