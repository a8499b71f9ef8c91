/* SPDX-License-Identifier: GPL-3.0-or-later */
/* "ag-cl account …" end to end: the real binary (env AG_CL) against the in-process mock and the test keyring. Each
 * scenario is a list of commands with the exit status and output each must give. */
#include "ag-test.h"

static const char *script =
  "{\"accounts\":["
  "{\"refresh_token\":\"rt-1\",\"email\":\"user1@example.com\",\"project\":\"proj-1\"},"
  "{\"refresh_token\":\"rt-2\",\"email\":\"user2@example.com\",\"project\":\"proj-2\"},"
  "{\"refresh_token\":\"rt-3\",\"email\":\"user3@example.com\",\"project\":\"proj-3\",\"revoked\":true}]}";

/* One `ag-cl account ARGS…`. */
typedef struct {
  const char *args[4];
  const char *stdin_text;
  int         status;
  const char *out;          /* the whole standard output; NULL: not checked */
  const char *err;          /* the whole error output; NULL: not checked */
  const char *err_line;     /* the error output is one line that starts with this; NULL: not checked */
} Command;

typedef struct {
  const Command *commands;
  gsize          n_commands;
  gboolean       no_token_calls;   /* nothing was asked of Google's token endpoint */
} Scenario;

#define SCENARIO(commands, no_token_calls) { commands, G_N_ELEMENTS (commands), no_token_calls }

static const Command add_list_remove[] = {
  { { "add", "--refresh-token", "rt-1" }, NULL, 0, "Added user1@example.com (project proj-1, tier free-tier).\n", "" },
  { { "add", "--refresh-token", "-" }, "rt-2\n", 0, "Added user2@example.com (project proj-2, tier free-tier).\n" },
  { { "list" }, NULL, 0, "user1@example.com\tproj-1\tfree-tier\tenabled\n"
                         "user2@example.com\tproj-2\tfree-tier\tenabled\n", "" },
  { { "remove", "user1@example.com" }, NULL, 0, "Removed user1@example.com.\n" },
  { { "list" }, NULL, 0, "user2@example.com\tproj-2\tfree-tier\tenabled\n" },
  { { "remove", "user1@example.com" }, NULL, 1, "", NULL, "ag-cl: no account user1@example.com is stored" },
  { { "remove", "user2@example.com" }, NULL, 0 },
};

static const Command revoked_token[] = {
  { { "add", "--refresh-token=rt-3" }, NULL, 1, "",
    "ag-cl: the refresh token was rejected by Google (invalid_grant); sign in again\n" },
  { { "list" }, NULL, 0, "" },
};

static const Command usage_errors[] = {
  { { "add" }, NULL, 1, NULL, "ag-cl: account add needs --refresh-token TOKEN\n" },
  { { "add", "--refresh-token", "-" }, "  \n", 1, NULL, "ag-cl: the refresh token is empty\n" },
};

static const Scenario scenarios[] = {
  SCENARIO (add_list_remove, FALSE),
  SCENARIO (revoked_token, FALSE),
  SCENARIO (usage_errors, TRUE),
};

static void
test_scenario (gconstpointer data)
{
  const Scenario *scenario = data;
  AgTestHarness *harness = ag_test_harness_new (script);
  g_autoptr(GString) all_output = g_string_new (NULL);   /* everything the binary printed */
  const char *tokens[] = { "rt-1", "rt-2", "rt-3" };

  for (gsize i = 0; i < scenario->n_commands; i++)
    {
      const Command *command = &scenario->commands[i];
      const char *args[G_N_ELEMENTS (command->args) + 2] = { "account" };
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;

      for (guint j = 0; j < G_N_ELEMENTS (command->args) && command->args[j] != NULL; j++)
        args[j + 1] = command->args[j];
      g_assert_cmpint (ag_test_harness_run_cli (harness, args, command->stdin_text, &out, &err), ==, command->status);
      g_string_append_printf (all_output, "%s%s", out, err);
      if (command->out != NULL)
        g_assert_cmpstr (out, ==, command->out);
      if (command->err != NULL)
        g_assert_cmpstr (err, ==, command->err);
      if (command->err_line != NULL)
        {
          g_assert_true (g_str_has_prefix (err, command->err_line));
          g_assert_cmpuint (strlen (err) - 1, ==, (gsize) (strchr (err, '\n') - err));
        }
    }
  for (guint i = 0; i < G_N_ELEMENTS (tokens); i++)
    g_assert_null (strstr (all_output->str, tokens[i]));
  if (scenario->no_token_calls)
    g_assert_cmpuint (ag_mock_server_count_requests (harness->mock, "/token"), ==, 0);
  ag_test_harness_free (harness);
}

/* A mistyped subcommand is an error with a hint (it used to start the desktop app); every subcommand has --help. */
static void
test_command_line (void)
{
  AgTestHarness *harness = ag_test_harness_new (NULL);
  const struct {
    const char *args[4];
    int         status;
    const char *out;     /* in stdout, or NULL */
    const char *err;     /* in stderr, or NULL */
  } cases[] = {
    { { "acount", "list", NULL }, 2, NULL, "ag-cl: unknown command “acount”; see “ag-cl --help”" },
    { { "--version", NULL }, 0, "ag-cl ", NULL },
    { { "account", "--help", NULL }, 0, "ag-cl account", NULL },
    { { "api-key", "--help", NULL }, 0, "ag-cl api-key show", NULL },
    { { "log", "--help", NULL }, 0, "--since", NULL },
    { { "autostart", "--help", NULL }, 0, "ag-cl autostart on", NULL },
    { { "autostart", "sometimes", NULL }, 2, NULL, "unknown autostart command" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;
      int status = ag_test_harness_run_cli (harness, cases[i].args, NULL, &out, &err);

      if (status != cases[i].status || (cases[i].out != NULL && strstr (out, cases[i].out) == NULL) ||
          (cases[i].err != NULL && strstr (err, cases[i].err) == NULL))
        g_error ("ag-cl %s %s: exit %d, stdout %s, stderr %s", cases[i].args[0],
                 cases[i].args[1] != NULL ? cases[i].args[1] : "", status, out, err);
    }
  ag_test_harness_free (harness);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_data_func ("/account-cli/add-list-remove", &scenarios[0], test_scenario);
  g_test_add_data_func ("/account-cli/revoked-token", &scenarios[1], test_scenario);
  g_test_add_data_func ("/account-cli/usage-errors", &scenarios[2], test_scenario);
  g_test_add_func ("/account-cli/command-line", test_command_line);

  return g_test_run ();
}
