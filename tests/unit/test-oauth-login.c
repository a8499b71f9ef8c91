/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The pure parts of the click-through sign-in: the PKCE S256 challenge (RFC 7636 Appendix B) and the redirect
 * query parser. */
#include "ag-oauth-login.h"

static void
test_pkce_rfc7636_vector (void)
{
  g_autofree char *challenge = ag_oauth_login_pkce_challenge ("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");

  g_assert_cmpstr (challenge, ==, "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
}

static void
test_parse_code_and_state (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AgOAuthRedirect) redirect =
    ag_oauth_login_parse_redirect ("state=s%2F1&code=4%2F0Abc+d&scope=a%20b", &error);

  g_assert_no_error (error);
  g_assert_cmpstr (redirect->code, ==, "4/0Abc d");
  g_assert_cmpstr (redirect->state, ==, "s/1");
  g_assert_null (redirect->error);
}

static void
test_parse_error (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AgOAuthRedirect) redirect = ag_oauth_login_parse_redirect ("error=access_denied&state=xyz", &error);

  g_assert_no_error (error);
  g_assert_null (redirect->code);
  g_assert_cmpstr (redirect->error, ==, "access_denied");
  g_assert_cmpstr (redirect->state, ==, "xyz");
}

static void
test_parse_rejects (void)
{
  const char *bad[] = { "", "state=abc", "code=&state=abc", "code=%zz&state=1", "error=", NULL };

  for (guint i = 0; bad[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(AgOAuthRedirect) redirect = ag_oauth_login_parse_redirect (bad[i], &error);

      g_assert_null (redirect);
      g_assert_error (error, AG_OAUTH_LOGIN_ERROR, AG_OAUTH_LOGIN_ERROR_BAD_REDIRECT);
    }
  {
    g_autoptr(GError) error = NULL;

    g_assert_null (ag_oauth_login_parse_redirect (NULL, &error));
    g_assert_error (error, AG_OAUTH_LOGIN_ERROR, AG_OAUTH_LOGIN_ERROR_BAD_REDIRECT);
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/oauth-login/pkce/rfc7636-appendix-b", test_pkce_rfc7636_vector);
  g_test_add_func ("/oauth-login/parse/code-and-state", test_parse_code_and_state);
  g_test_add_func ("/oauth-login/parse/error", test_parse_error);
  g_test_add_func ("/oauth-login/parse/rejects", test_parse_rejects);
  return g_test_run ();
}
