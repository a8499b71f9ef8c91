/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Fuzzes the OAuth loopback redirect's query parsing ("code=…&state=…", or "error=…"): any bytes give either a
 * redirect with a code or an error, or a BAD_REDIRECT error; never both, never neither. Also the PKCE challenge of
 * the input as a verifier: always 43 base64url characters. */
#include "fuzz-common.h"
#include "ag-oauth-login.h"

#include <string.h>

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  fuzz_make_glib_strict ();
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autofree char *query = g_strndup ((const char *) data, size);
  g_autoptr(GError) error = NULL;
  g_autoptr(AgOAuthRedirect) redirect = ag_oauth_login_parse_redirect (query, &error);
  g_autofree char *challenge = ag_oauth_login_pkce_challenge (query);

  if (redirect != NULL)
    {
      g_assert_no_error (error);
      g_assert_true (redirect->code != NULL || redirect->error != NULL);
    }
  else
    g_assert_error (error, AG_OAUTH_LOGIN_ERROR, AG_OAUTH_LOGIN_ERROR_BAD_REDIRECT);
  g_assert_cmpuint (strlen (challenge), ==, 43);
  g_assert_true (strspn (challenge, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") == 43);
  return 0;
}
