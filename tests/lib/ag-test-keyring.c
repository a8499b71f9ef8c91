// SPDX-License-Identifier: GPL-3.0-or-later
#include "ag-test-keyring.h"
#include <unistd.h>

char *
ag_test_profile_new (const char *test)
{
  return g_strdup_printf ("%s-%d-%u", test, (int) getpid (), g_random_int ());
}

void
ag_test_google_clients_new (AgCloudcodeClient **cloudcode, AgOAuthClient **oauth)
{
  g_autoptr(AgCloudcodeConfig) config = ag_cloudcode_config_new_from_env ();

  *cloudcode = ag_cloudcode_client_new (config);
  *oauth = ag_oauth_client_new (config, ag_cloudcode_client_get_session (*cloudcode));
}

void
ag_test_count (guint *counter)
{
  (*counter)++;
}
