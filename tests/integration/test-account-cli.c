/* SPDX-License-Identifier: GPL-3.0-or-later */
/* "ag-cl account …" end to end: the real binary (env AG_CL) against the in-process mock and the test keyring. */
#include "ag-test.h"

static const char *script =
  "{\"accounts\":["
  "{\"refresh_token\":\"rt-1\",\"email\":\"user1@example.com\",\"project\":\"proj-1\"},"
  "{\"refresh_token\":\"rt-2\",\"email\":\"user2@example.com\",\"project\":\"proj-2\"},"
  "{\"refresh_token\":\"rt-3\",\"email\":\"user3@example.com\",\"project\":\"proj-3\",\"revoked\":true}]}";

typedef struct {
  AgMockServer *mock;
  char        **env;
  GString      *all_output;   /* everything the binary printed, to check no token leaked */
} Cli;

static void
cli_init (Cli *cli)
{
  g_autofree char *profile = g_strdup_printf ("test-account-cli-%d-%u", (int) getpid (), g_random_int ());

  cli->mock = ag_test_mock_start (script);
  cli->env = ag_mock_server_environ (cli->mock, g_get_environ ());
  cli->env = g_environ_setenv (cli->env, "AGCL_PROFILE", profile, TRUE);
  cli->all_output = g_string_new (NULL);
}

static void
cli_clear (Cli *cli)
{
  g_clear_object (&cli->mock);
  g_strfreev (cli->env);
  g_string_free (cli->all_output, TRUE);
}

/* Runs `ag-cl account ARGS…`, iterating the main context meanwhile so the in-process mock answers. */
static int
run (Cli *cli, const char * const *args, const char *stdin_text, char **out, char **err)
{
  const char *binary = g_getenv ("AG_CL");
  g_autoptr (GSubprocessLauncher) launcher = NULL;
  g_autoptr (GSubprocess) process = NULL;
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  GAsyncResult *slot = NULL;
  g_autoptr (GAsyncResult) result = NULL;

  g_assert_nonnull (binary);
  g_ptr_array_add (argv, (char *) binary);
  g_ptr_array_add (argv, "account");
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                        | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_set_environ (launcher, cli->env);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (process, stdin_text != NULL ? stdin_text : "", NULL, ag_test_store_result, &slot);
  result = ag_test_await (&slot);
  g_subprocess_communicate_utf8_finish (process, result, out, err, &error);
  g_assert_no_error (error);
  g_string_append_printf (cli->all_output, "%s%s", *out, *err);
  g_assert_true (g_subprocess_get_if_exited (process));
  return g_subprocess_get_exit_status (process);
}

static void
assert_no_token_in_output (Cli *cli)
{
  const char *tokens[] = { "rt-1", "rt-2", "rt-3" };

  for (guint i = 0; i < G_N_ELEMENTS (tokens); i++)
    g_assert_null (strstr (cli->all_output->str, tokens[i]));
}

static void
test_add_list_remove (void)
{
  Cli cli = { 0 };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  cli_init (&cli);

  g_assert_cmpint (run (&cli, (const char *[]) { "add", "--refresh-token", "rt-1", NULL }, NULL, &out, &err), ==, 0);
  g_assert_cmpstr (out, ==, "Added user1@example.com (project proj-1, tier free-tier).\n");
  g_assert_cmpstr (err, ==, "");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run (&cli, (const char *[]) { "add", "--refresh-token", "-", NULL }, "rt-2\n", &out, &err), ==, 0);
  g_assert_cmpstr (out, ==, "Added user2@example.com (project proj-2, tier free-tier).\n");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run (&cli, (const char *[]) { "list", NULL }, NULL, &out, &err), ==, 0);
  g_assert_cmpstr (out, ==,
                   "user1@example.com\tproj-1\tfree-tier\tenabled\n"
                   "user2@example.com\tproj-2\tfree-tier\tenabled\n");
  g_assert_cmpstr (err, ==, "");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run (&cli, (const char *[]) { "remove", "user1@example.com", NULL }, NULL, &out, &err), ==, 0);
  g_assert_cmpstr (out, ==, "Removed user1@example.com.\n");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run (&cli, (const char *[]) { "list", NULL }, NULL, &out, &err), ==, 0);
  g_assert_cmpstr (out, ==, "user2@example.com\tproj-2\tfree-tier\tenabled\n");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run (&cli, (const char *[]) { "remove", "user1@example.com", NULL }, NULL, &out, &err), ==, 1);
  g_assert_cmpstr (out, ==, "");
  g_assert_true (g_str_has_prefix (err, "ag-cl: no account user1@example.com is stored"));
  g_assert_cmpuint (strlen (err) - 1, ==, (gsize) (strchr (err, '\n') - err));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run (&cli, (const char *[]) { "remove", "user2@example.com", NULL }, NULL, &out, &err), ==, 0);
  assert_no_token_in_output (&cli);
  cli_clear (&cli);
}

static void
test_revoked_token (void)
{
  Cli cli = { 0 };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *list_out = NULL;
  g_autofree char *list_err = NULL;

  cli_init (&cli);
  g_assert_cmpint (run (&cli, (const char *[]) { "add", "--refresh-token=rt-3", NULL }, NULL, &out, &err), ==, 1);
  g_assert_cmpstr (out, ==, "");
  g_assert_cmpstr (err, ==, "ag-cl: the refresh token was rejected by Google (invalid_grant); sign in again\n");

  g_assert_cmpint (run (&cli, (const char *[]) { "list", NULL }, NULL, &list_out, &list_err), ==, 0);
  g_assert_cmpstr (list_out, ==, "");
  assert_no_token_in_output (&cli);
  cli_clear (&cli);
}

static void
test_usage_errors (void)
{
  Cli cli = { 0 };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *empty_out = NULL;
  g_autofree char *empty_err = NULL;

  cli_init (&cli);
  g_assert_cmpint (run (&cli, (const char *[]) { "add", NULL }, NULL, &out, &err), ==, 1);
  g_assert_cmpstr (err, ==, "ag-cl: account add needs --refresh-token TOKEN\n");
  g_assert_cmpint (run (&cli, (const char *[]) { "add", "--refresh-token", "-", NULL }, "  \n", &empty_out,
                        &empty_err), ==, 1);
  g_assert_cmpstr (empty_err, ==, "ag-cl: the refresh token is empty\n");
  g_assert_cmpuint (ag_mock_server_count_requests (cli.mock, "/token"), ==, 0);
  cli_clear (&cli);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/account-cli/add-list-remove", test_add_list_remove);
  g_test_add_func ("/account-cli/revoked-token", test_revoked_token);
  g_test_add_func ("/account-cli/usage-errors", test_usage_errors);

  return g_test_run ();
}
