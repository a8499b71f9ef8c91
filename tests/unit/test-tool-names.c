/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "ag-tool-names.h"

#include <string.h>

static void
test_valid_names_unchanged (void)
{
  g_autoptr(AgToolNames) names = ag_tool_names_new ();
  const char *valid[] = { "Bash", "mcp__server__tool", "mcp__github__create_pull_request", "Task-Create", "_x" };

  for (gsize i = 0; i < G_N_ELEMENTS (valid); i++)
    {
      g_assert_true (ag_tool_names_is_valid (valid[i]));
      g_assert_cmpstr (ag_tool_names_to_upstream (names, valid[i]), ==, valid[i]);
      g_assert_cmpstr (ag_tool_names_to_client (names, valid[i]), ==, valid[i]);
    }
}

static void
test_sanitized (void)
{
  g_autoptr(AgToolNames) names = ag_tool_names_new ();

  g_assert_cmpstr (ag_tool_names_to_upstream (names, "mcp.server/tool name"), ==, "mcp_server_tool_name");
  g_assert_cmpstr (ag_tool_names_to_upstream (names, "3d-render"), ==, "_3d-render");
  g_assert_cmpstr (ag_tool_names_to_upstream (names, "café"), ==, "caf__");
  g_assert_cmpstr (ag_tool_names_to_upstream (names, ""), ==, "_");
  g_assert_false (ag_tool_names_is_valid ("mcp.server"));
  g_assert_false (ag_tool_names_is_valid ("3d"));
  g_assert_false (ag_tool_names_is_valid (""));

  g_assert_cmpstr (ag_tool_names_to_client (names, "mcp_server_tool_name"), ==, "mcp.server/tool name");
  g_assert_cmpstr (ag_tool_names_to_client (names, "_3d-render"), ==, "3d-render");
  g_assert_cmpstr (ag_tool_names_to_client (names, "caf__"), ==, "café");
  g_assert_cmpstr (ag_tool_names_to_client (names, "never_seen"), ==, "never_seen");
}

static void
test_length_limit (void)
{
  g_autoptr(AgToolNames) names = ag_tool_names_new ();
  g_autofree char *long_name = g_strnfill (100, 'a');
  g_autofree char *long_other = g_strconcat (long_name, "b", NULL);
  const char *first = ag_tool_names_to_upstream (names, long_name);
  const char *second = ag_tool_names_to_upstream (names, long_other);

  g_assert_cmpuint (strlen (first), ==, 64);
  g_assert_true (ag_tool_names_is_valid (first));
  g_assert_false (ag_tool_names_is_valid (long_name));
  /* Both cut to the same 64 characters: the second is made unique within the limit. */
  g_assert_cmpuint (strlen (second), ==, 64);
  g_assert_true (g_str_has_suffix (second, "_2"));
  g_assert_cmpstr (first, !=, second);
  g_assert_cmpstr (ag_tool_names_to_client (names, first), ==, long_name);
  g_assert_cmpstr (ag_tool_names_to_client (names, second), ==, long_other);
}

static void
test_collisions (void)
{
  g_autoptr(AgToolNames) names = ag_tool_names_new ();

  g_assert_cmpstr (ag_tool_names_to_upstream (names, "a.b"), ==, "a_b");
  g_assert_cmpstr (ag_tool_names_to_upstream (names, "a/b"), ==, "a_b_2");
  g_assert_cmpstr (ag_tool_names_to_upstream (names, "a b"), ==, "a_b_3");
  g_assert_cmpstr (ag_tool_names_to_upstream (names, "a_b"), ==, "a_b_4");
  /* Idempotent: the same client name keeps its name. */
  g_assert_cmpstr (ag_tool_names_to_upstream (names, "a/b"), ==, "a_b_2");
  g_assert_cmpstr (ag_tool_names_to_client (names, "a_b"), ==, "a.b");
  g_assert_cmpstr (ag_tool_names_to_client (names, "a_b_2"), ==, "a/b");
  g_assert_cmpstr (ag_tool_names_to_client (names, "a_b_3"), ==, "a b");
  g_assert_cmpstr (ag_tool_names_to_client (names, "a_b_4"), ==, "a_b");
}

static void
test_refcount (void)
{
  AgToolNames *names = ag_tool_names_new ();
  AgToolNames *other = ag_tool_names_ref (names);

  ag_tool_names_to_upstream (names, "x.y");
  ag_tool_names_unref (names);
  g_assert_cmpstr (ag_tool_names_to_client (other, "x_y"), ==, "x.y");
  ag_tool_names_unref (other);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/tool-names/valid-unchanged", test_valid_names_unchanged);
  g_test_add_func ("/tool-names/sanitized", test_sanitized);
  g_test_add_func ("/tool-names/length-limit", test_length_limit);
  g_test_add_func ("/tool-names/collisions", test_collisions);
  g_test_add_func ("/tool-names/refcount", test_refcount);
  return g_test_run ();
}
