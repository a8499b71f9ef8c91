/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "ag-account-trouble.h"

gboolean
ag_account_trouble_is_unusable (AgAccount *account)
{
  return !ag_account_get_enabled (account) || ag_account_get_state (account) != AG_ACCOUNT_STATE_VALID;
}

/* Client answers are in English, like every other answer ag-cl gives a client (the client shows them verbatim
 * inside its own, English, interface). */
static void
describe_account (GString *out, AgAccount *account)
{
  const char *email = ag_account_get_email (account);
  const char *url = ag_account_get_validation_url (account);

  if (!ag_account_get_enabled (account))
    {
      g_string_append_printf (out, "%s is turned off in ag-cl", email);
      return;
    }
  switch (ag_account_get_state (account))
    {
    case AG_ACCOUNT_STATE_BANNED:
      g_string_append_printf (out, "%s is banned by Google for a Terms of Service violation (appeal: %s)", email,
                              url != NULL ? url : AG_BAN_APPEAL_URL);
      break;
    case AG_ACCOUNT_STATE_VALIDATION_REQUIRED:
      g_string_append_printf (out, "%s needs verification%s%s%s", email, url != NULL ? " (verify at " : "",
                              url != NULL ? url : "", url != NULL ? ", then “Check again” in ag-cl)" : "");
      break;
    case AG_ACCOUNT_STATE_SIGNED_OUT:
      g_string_append_printf (out, "%s must sign in again", email);
      break;
    case AG_ACCOUNT_STATE_DISABLED:
      g_string_append_printf (out, "%s was refused by Google (%s)", email,
                              ag_account_get_invalid_reason (account) != NULL
                                ? ag_account_get_invalid_reason (account) : "permission denied");
      break;
    case AG_ACCOUNT_STATE_VALID:
    default:
      g_string_append_printf (out, "%s is usable", email);
      break;
    }
}

char *
ag_account_trouble_describe_pool (GListModel *accounts)
{
  guint n = g_list_model_get_n_items (accounts);
  g_autoptr(GString) out = NULL;

  if (n == 0)
    return NULL;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(AgAccount) account = g_list_model_get_item (accounts, i);

      if (!ag_account_trouble_is_unusable (account))
        return NULL;
    }
  out = g_string_new ("No Google account in ag-cl can serve requests: ");
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(AgAccount) account = g_list_model_get_item (accounts, i);

      if (i > 0)
        g_string_append (out, "; ");
      describe_account (out, account);
    }
  g_string_append (out, ". Fix them in the ag-cl window, or see “ag-cl account list”.");
  return g_string_free (g_steal_pointer (&out), FALSE);
}

gboolean
ag_account_trouble_gemini_cli_open (GListModel *accounts)
{
  for (guint i = 0; i < g_list_model_get_n_items (accounts); i++)
    {
      g_autoptr(AgAccount) account = g_list_model_get_item (accounts, i);

      if (!ag_account_trouble_is_unusable (account) && !ag_account_get_gemini_cli_closed (account))
        return TRUE;
    }
  return FALSE;
}
