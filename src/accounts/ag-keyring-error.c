/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "ag-keyring-error.h"

#include <gio/gio.h>
#include <glib/gi18n.h>
#include <libsecret/secret.h>

GError *
ag_keyring_error (GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return error;
  if (g_error_matches (error, SECRET_ERROR, SECRET_ERROR_IS_LOCKED))
    {
      g_free (error->message);
      error->message = g_strdup ("the keyring is locked and could not be unlocked");
      return error;
    }
  g_prefix_error (&error, _("cannot reach the keyring: "));
  return error;
}
