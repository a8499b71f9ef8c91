/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The ~/.claude/settings.json writer on real files in a temporary directory. */
#include <glib/gstdio.h>
#include "ag-test.h"
#include "ag-claude-settings.h"

#define URL "http://127.0.0.1:8045"

typedef struct {
  char *dir;
  char *path;
} Fixture;

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  f->dir = ag_test_make_tmp_dir ("claude-settings-XXXXXX");
  f->path = g_build_filename (f->dir, ".claude", "settings.json", NULL);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  ag_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->path);
}

static void
test_missing_file_created (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  char unset[] = "unset";
  char *backup = unset;   /* must be set to NULL */
  g_autofree char *contents = NULL;
  GStatBuf st;

  g_assert_true (ag_claude_settings_apply (f->path, URL, NULL, &backup, &error));
  g_assert_no_error (error);
  g_assert_null (backup);
  contents = ag_test_read_file (f->path);
  g_assert_cmpstr (contents, ==,
                   "{\n"
                   "  \"env\": {\n"
                   "    \"ANTHROPIC_BASE_URL\": \"http://127.0.0.1:8045\",\n"
                   "    \"ANTHROPIC_AUTH_TOKEN\": \"ag-cl\"\n"
                   "  }\n"
                   "}\n");
  g_assert_cmpint (g_stat (f->path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
}

static void
test_existing_keys_kept_and_backup (Fixture *f, gconstpointer data)
{
  const char *original =
    "{\"model\":\"opus\",\"permissions\":{\"allow\":[\"Bash(ls:*)\",\"Read\"],\"deny\":[]},"
    "\"env\":{\"DISABLE_TELEMETRY\":\"1\",\"ANTHROPIC_BASE_URL\":\"http://old\"},\"hooks\":{},"
    "\"cleanupPeriodDays\":30,\"ratio\":0.5,\"includeCoAuthoredBy\":false,\"statusLine\":null}";
  g_autoptr(GError) error = NULL;
  g_autofree char *backup = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *backup_contents = NULL;
  g_autofree char *expected_prefix = NULL;

  ag_test_write_file (f->path, original);
  g_assert_true (ag_claude_settings_apply (f->path, URL, "local-secret", &backup, &error));
  g_assert_no_error (error);

  contents = ag_test_read_file (f->path);
  g_assert_cmpstr (contents, ==,
                   "{\n"
                   "  \"model\": \"opus\",\n"
                   "  \"permissions\": {\n"
                   "    \"allow\": [\n"
                   "      \"Bash(ls:*)\",\n"
                   "      \"Read\"\n"
                   "    ],\n"
                   "    \"deny\": []\n"
                   "  },\n"
                   "  \"env\": {\n"
                   "    \"DISABLE_TELEMETRY\": \"1\",\n"
                   "    \"ANTHROPIC_BASE_URL\": \"http://127.0.0.1:8045\",\n"
                   "    \"ANTHROPIC_AUTH_TOKEN\": \"local-secret\"\n"
                   "  },\n"
                   "  \"hooks\": {},\n"
                   "  \"cleanupPeriodDays\": 30,\n"
                   "  \"ratio\": 0.5,\n"
                   "  \"includeCoAuthoredBy\": false,\n"
                   "  \"statusLine\": null\n"
                   "}\n");

  g_assert_nonnull (backup);
  expected_prefix = g_strconcat (f->path, ".bak-", NULL);
  g_assert_true (g_str_has_prefix (backup, expected_prefix));
  g_assert_cmpuint (strlen (backup), ==, strlen (expected_prefix) + strlen ("YYYYMMDD-HHMMSS"));
  backup_contents = ag_test_read_file (backup);
  g_assert_cmpstr (backup_contents, ==, original);
}

static void
test_second_backup_same_second (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;

  ag_test_write_file (f->path, "{}");
  g_assert_true (ag_claude_settings_apply (f->path, URL, NULL, &first, &error));
  g_assert_no_error (error);
  g_assert_true (ag_claude_settings_apply (f->path, URL, NULL, &second, &error));
  g_assert_no_error (error);
  g_assert_nonnull (first);
  g_assert_nonnull (second);
  g_assert_cmpstr (first, !=, second);
  g_assert_true (g_file_test (first, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (second, G_FILE_TEST_EXISTS));
}

static void
test_api_key_variable_kept (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;

  /* A file that already uses ANTHROPIC_API_KEY gets the local key there, not in a second variable. */
  ag_test_write_file (f->path, "{\"env\":{\"ANTHROPIC_API_KEY\":\"sk-ant-real\"}}");
  g_assert_true (ag_claude_settings_apply (f->path, URL, "local-secret", NULL, &error));
  g_assert_no_error (error);
  contents = ag_test_read_file (f->path);
  g_assert_cmpstr (contents, ==,
                   "{\n"
                   "  \"env\": {\n"
                   "    \"ANTHROPIC_API_KEY\": \"local-secret\",\n"
                   "    \"ANTHROPIC_BASE_URL\": \"http://127.0.0.1:8045\"\n"
                   "  }\n"
                   "}\n");
}

static void
assert_refused_untouched (Fixture *f, const char *original, const char *expected_message)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *backup = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *preview = NULL;
  g_autoptr(GString) message = g_string_new (expected_message);
  g_autofree char *claude_dir = g_path_get_dirname (f->path);
  g_autoptr(GDir) dir = NULL;

  ag_test_write_file (f->path, original);
  g_assert_false (ag_claude_settings_apply (f->path, URL, "key", &backup, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_string_replace (message, "PATH", f->path, 1);
  g_assert_cmpstr (error->message, ==, message->str);
  g_assert_null (backup);
  contents = ag_test_read_file (f->path);
  g_assert_cmpstr (contents, ==, original);

  g_clear_error (&error);
  preview = ag_claude_settings_preview (f->path, URL, NULL, &error);
  g_assert_null (preview);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);

  /* No backup either: the directory holds only the original. */
  dir = g_dir_open (claude_dir, 0, NULL);
  g_assert_cmpstr (g_dir_read_name (dir), ==, "settings.json");
  g_assert_null (g_dir_read_name (dir));
}

static void
test_invalid_json_refused (Fixture *f, gconstpointer data)
{
  assert_refused_untouched (f, "{\n  \"model\": \"opus\",,\n}",
                            "PATH:2:18: Parse error: unexpected character `,', expected string constant "
                            "(the file is not valid JSON and was left unchanged)");
}

static void
test_non_object_refused (Fixture *f, gconstpointer data)
{
  assert_refused_untouched (f, "[1, 2]", "PATH does not contain a JSON object and was left unchanged");
}

static void
test_env_not_object_refused (Fixture *f, gconstpointer data)
{
  assert_refused_untouched (f, "{\"env\": \"x\"}", "In PATH, “env” is not a JSON object; the file was left unchanged");
}

static void
test_preview (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *created = NULL;
  g_autofree char *changes = NULL;
  g_autofree char *unchanged = NULL;
  g_autofree char *expected = NULL;

  created = ag_claude_settings_preview (f->path, URL, NULL, &error);
  g_assert_no_error (error);
  expected = g_strdup_printf ("%s will be created:\n"
                              "env.ANTHROPIC_BASE_URL: (not set) → http://127.0.0.1:8045\n"
                              "env.ANTHROPIC_AUTH_TOKEN: (not set) → ag-cl\n", f->path);
  g_assert_cmpstr (created, ==, expected);

  /* Secrets, old and new, are masked; an unchanged base URL is not listed. */
  ag_test_write_file (f->path,
                      "{\"env\":{\"ANTHROPIC_BASE_URL\":\"" URL "\",\"ANTHROPIC_AUTH_TOKEN\":\"sk-ant-old\"}}");
  changes = ag_claude_settings_preview (f->path, URL, "local-secret", &error);
  g_assert_no_error (error);
  g_clear_pointer (&expected, g_free);
  expected = g_strdup_printf ("Changes to %s:\nenv.ANTHROPIC_AUTH_TOKEN: •••••••• → ••••••••\n", f->path);
  g_assert_cmpstr (changes, ==, expected);
  g_assert_null (strstr (changes, "secret"));

  g_assert_true (ag_claude_settings_apply (f->path, URL, "local-secret", NULL, &error));
  g_assert_no_error (error);
  unchanged = ag_claude_settings_preview (f->path, URL, "local-secret", &error);
  g_assert_no_error (error);
  g_clear_pointer (&expected, g_free);
  expected = g_strdup_printf ("%s already points Claude Code at this proxy; nothing changes.\n", f->path);
  g_assert_cmpstr (unchanged, ==, expected);
}

static void
test_export_lines (void)
{
  g_autofree char *plain = ag_claude_settings_export_lines (URL, NULL);
  g_autofree char *keyed = ag_claude_settings_export_lines (URL, "it's");

  g_assert_cmpstr (plain, ==,
                   "export ANTHROPIC_BASE_URL='http://127.0.0.1:8045'\n"
                   "export ANTHROPIC_AUTH_TOKEN='ag-cl'\n");
  g_assert_cmpstr (keyed, ==,
                   "export ANTHROPIC_BASE_URL='http://127.0.0.1:8045'\n"
                   "export ANTHROPIC_AUTH_TOKEN='it'\\''s'\n");
}

static void
test_apply_async (Fixture *f, gconstpointer data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  char unset[] = "unset";
  char *backup = unset;   /* must be set to NULL */
  g_autofree char *contents = NULL;
  GAsyncResult *slot = NULL;

  ag_claude_settings_apply_async (f->path, URL, NULL, NULL, ag_test_store_result, &slot);
  result = ag_test_await (&slot);
  g_assert_true (ag_claude_settings_apply_finish (result, &backup, &error));
  g_assert_no_error (error);
  g_assert_null (backup);
  contents = ag_test_read_file (f->path);
  g_assert_nonnull (strstr (contents, "\"ANTHROPIC_BASE_URL\": \"http://127.0.0.1:8045\""));
}

static gboolean
give_key (Fixture *f, const char *url, const char *key)
{
  g_autoptr(GError) error = NULL;
  gboolean updated = -1;

  g_assert_true (ag_claude_settings_give_key (f->path, url, key, &updated, &error));
  g_assert_no_error (error);
  return updated;
}

static guint
count_backups (Fixture *f)
{
  g_autofree char *claude_dir = g_path_get_dirname (f->path);
  g_autoptr(GDir) dir = g_dir_open (claude_dir, 0, NULL);
  const char *name;
  guint n = 0;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    n += g_str_has_prefix (name, "settings.json.bak-");
  return n;
}

/* A new key (or require-api-key switched on) reaches a Claude Code already pointed at this ag-cl, and only that
 * one: the placeholder is replaced (with a backup), a second time changes nothing, a file pointing elsewhere is
 * left byte for byte, and a missing file is not created. */
static void
test_give_key (Fixture *f, gconstpointer data)
{
  const char *elsewhere = "{\"env\":{\"ANTHROPIC_BASE_URL\":\"https://api.example\",\"ANTHROPIC_AUTH_TOKEN\":\"x\"}}";
  g_autofree char *contents = NULL;
  g_autofree char *unchanged = NULL;

  g_assert_false (give_key (f, URL, "agcl-key-one"));
  g_assert_false (g_file_test (f->path, G_FILE_TEST_EXISTS));

  ag_test_write_file (f->path, "{\"model\":\"opus\",\"env\":{\"ANTHROPIC_BASE_URL\":\"" URL "\","
                     "\"ANTHROPIC_AUTH_TOKEN\":\"ag-cl\"}}");
  g_assert_true (give_key (f, URL, "agcl-key-one"));
  contents = ag_test_read_file (f->path);
  g_assert_nonnull (strstr (contents, "\"ANTHROPIC_AUTH_TOKEN\": \"agcl-key-one\""));
  g_assert_nonnull (strstr (contents, "\"model\": \"opus\""));
  g_assert_cmpuint (count_backups (f), ==, 1);
  g_assert_false (give_key (f, URL, "agcl-key-one"));
  g_assert_cmpuint (count_backups (f), ==, 1);
  /* No key to give: the one there stays. */
  g_assert_false (give_key (f, URL, NULL));

  ag_test_write_file (f->path, elsewhere);
  g_assert_false (give_key (f, URL, "agcl-key-two"));
  unchanged = ag_test_read_file (f->path);
  g_assert_cmpstr (unchanged, ==, elsewhere);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) g_test_add (name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/claude-settings/missing-file-created", test_missing_file_created);
  ADD ("/claude-settings/existing-keys-kept-and-backup", test_existing_keys_kept_and_backup);
  ADD ("/claude-settings/second-backup-same-second", test_second_backup_same_second);
  ADD ("/claude-settings/api-key-variable-kept", test_api_key_variable_kept);
  ADD ("/claude-settings/invalid-json-refused", test_invalid_json_refused);
  ADD ("/claude-settings/non-object-refused", test_non_object_refused);
  ADD ("/claude-settings/env-not-object-refused", test_env_not_object_refused);
  ADD ("/claude-settings/preview", test_preview);
  ADD ("/claude-settings/apply-async", test_apply_async);
  ADD ("/claude-settings/give-key", test_give_key);
#undef ADD
  g_test_add_func ("/claude-settings/export-lines", test_export_lines);
  return g_test_run ();
}
