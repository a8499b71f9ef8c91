/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Codex and Gemini CLI settings writers: the edits themselves as tables (what a file becomes and the change
 * lines a preview shows), then real files in a temporary directory (backups, privacy, refusing a broken file). */
#include <glib/gstdio.h>
#include "ag-test.h"
#include "ag-codex-settings.h"
#include "ag-gemini-settings.h"

#define URL "http://127.0.0.1:8045"
#define KEY "agcl-0123456789abcdef"

typedef struct {
  const char *name;
  const char *before;
  const char *api_key;
  const char *after;
  const char *changes;
} EditCase;

#define TABLE_NO_KEY "[model_providers.agcl]\nname = \"ag-cl\"\nbase_url = \"" URL "/v1\"\nwire_api = \"responses\"\n"

static const EditCase codex_cases[] = {
  { "empty", "", NULL,
    "model_provider = \"agcl\"\nmodel = \"claude-sonnet-4-6\"\n\n" TABLE_NO_KEY,
    "model_provider: (not set) → agcl\nmodel: (not set) → claude-sonnet-4-6\n"
    "[model_providers.agcl] name: (not set) → ag-cl\n[model_providers.agcl] base_url: (not set) → " URL "/v1\n"
    "[model_providers.agcl] wire_api: (not set) → responses\n" },
  /* Comments, other tables and other keys stay where they are; top-level keys go before the first table. */
  { "kept", "# mine\nmodel = \"gpt-5.5\" # fast\napproval_policy = \"never\"\n\n[profiles.x]\nmodel = \"o3\"\n", NULL,
    "# mine\nmodel = \"claude-sonnet-4-6\"\napproval_policy = \"never\"\nmodel_provider = \"agcl\"\n\n[profiles.x]\n"
    "model = \"o3\"\n\n" TABLE_NO_KEY,
    "model_provider: (not set) → agcl\nmodel: gpt-5.5 → claude-sonnet-4-6\n"
    "[model_providers.agcl] name: (not set) → ag-cl\n[model_providers.agcl] base_url: (not set) → " URL "/v1\n"
    "[model_providers.agcl] wire_api: (not set) → responses\n" },
  /* An existing provider table is edited in place: its env_key goes (the key rides in the table), its other keys
   * stay, the key is masked in the preview. */
  { "key", "model_provider = \"agcl\"\nmodel = \"claude-sonnet-4-6\"\n[model_providers.agcl]\nname = \"ag-cl\"\n"
    "base_url = \"" URL "/v1\"\nenv_key = \"AGCL_API_KEY\"\nwire_api = \"responses\"\nstream_max_retries = 0\n", KEY,
    "model_provider = \"agcl\"\nmodel = \"claude-sonnet-4-6\"\n[model_providers.agcl]\nname = \"ag-cl\"\n"
    "base_url = \"" URL "/v1\"\nwire_api = \"responses\"\nstream_max_retries = 0\n"
    "experimental_bearer_token = \"" KEY "\"\n",
    "[model_providers.agcl] env_key: AGCL_API_KEY → (not set)\n"
    "[model_providers.agcl] experimental_bearer_token: (not set) → ••••••••\n" },
  /* A key that was removed from ag-cl leaves the file too. */
  { "key-removed", "model_provider = \"agcl\"\nmodel = \"claude-sonnet-4-6\"\n\n" TABLE_NO_KEY
    "experimental_bearer_token = \"old\"\n", NULL,
    "model_provider = \"agcl\"\nmodel = \"claude-sonnet-4-6\"\n\n" TABLE_NO_KEY,
    "[model_providers.agcl] experimental_bearer_token: •••••••• → (not set)\n" },
  { "unchanged", "model_provider = \"agcl\"\nmodel = \"claude-sonnet-4-6\"\n\n" TABLE_NO_KEY, NULL,
    "model_provider = \"agcl\"\nmodel = \"claude-sonnet-4-6\"\n\n" TABLE_NO_KEY, "" },
};

/* The edit @update makes of @c's text, and the change lines it reports. */
static void
check_edit (const EditCase *c, char *(*update) (const char *text, const AgAgentTarget *target, GString *changes))
{
  AgAgentTarget target = { URL, c->api_key, NULL };
  g_autoptr(GString) changes = g_string_new (NULL);
  g_autofree char *after = update (c->before, &target, changes);

  g_assert_cmpstr (after, ==, c->after);
  g_assert_cmpstr (changes->str, ==, c->changes);
}

static void
test_codex_edit (gconstpointer data)
{
  check_edit (data, ag_codex_settings_update);
}

static const EditCase env_cases[] = {
  { "empty", "", NULL,
    "GOOGLE_GEMINI_BASE_URL=" URL "\nGEMINI_API_KEY=ag-cl\nGEMINI_API_KEY_AUTH_MECHANISM=bearer\n",
    ".env GOOGLE_GEMINI_BASE_URL: (not set) → " URL "\n.env GEMINI_API_KEY: (not set) → ag-cl\n"
    ".env GEMINI_API_KEY_AUTH_MECHANISM: (not set) → bearer\n" },
  { "kept", "# keys\nexport GEMINI_API_KEY=\"real-google-key\"\nOTHER=1\n", KEY,
    "# keys\nGEMINI_API_KEY=" KEY "\nOTHER=1\nGOOGLE_GEMINI_BASE_URL=" URL "\nGEMINI_API_KEY_AUTH_MECHANISM=bearer\n",
    ".env GOOGLE_GEMINI_BASE_URL: (not set) → " URL "\n.env GEMINI_API_KEY: •••••••• → ••••••••\n"
    ".env GEMINI_API_KEY_AUTH_MECHANISM: (not set) → bearer\n" },
};

static void
test_env_edit (gconstpointer data)
{
  check_edit (data, ag_gemini_settings_update_env);
}

/* Writes @contents to @path as a user's own file (0644), to see that ag-cl makes it private. */
static void
write_file (const char *path, const char *contents)
{
  ag_test_write_file (path, contents);
  g_assert_cmpint (g_chmod (path, 0644), ==, 0);
}

static guint
file_mode (const char *path)
{
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  return st.st_mode & 0777;
}

/* Codex on disk: the preview names the file, apply backs the old one up and makes the new one private. */
static void
test_codex_files (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = ag_test_make_tmp_dir ("agent-settings-XXXXXX");
  g_autofree char *path = g_build_filename (dir, ".codex", "config.toml", NULL);
  g_autofree char *preview = NULL, *written = NULL, *backed_up = NULL, *backup = NULL;
  AgAgentTarget target = { URL, KEY, "gemini-3-flash" };

  write_file (path, "model = \"gpt-5.5\"\n");
  preview = ag_codex_settings_preview (path, &target, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (preview, "Changes to "));
  g_assert_nonnull (strstr (preview, "model: gpt-5.5 → gemini-3-flash\n"));
  g_assert_null (strstr (preview, KEY));
  g_assert_true (ag_codex_settings_apply (path, &target, &backup, &error));
  g_assert_no_error (error);
  g_assert_nonnull (backup);
  backed_up = ag_test_read_file (backup);
  g_assert_cmpstr (backed_up, ==, "model = \"gpt-5.5\"\n");
  written = ag_test_read_file (path);
  g_assert_nonnull (strstr (written, "experimental_bearer_token = \"" KEY "\"\n"));
  g_assert_cmpuint (file_mode (path), ==, 0600);
  g_clear_pointer (&preview, g_free);
  preview = ag_codex_settings_preview (path, &target, &error);
  g_assert_nonnull (strstr (preview, "already points Codex at this proxy"));
  ag_test_remove_tree (dir);
}

/* Gemini CLI on disk: both files, each backed up; a settings.json that is not a JSON object is left alone. */
static void
test_gemini_files (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = ag_test_make_tmp_dir ("agent-settings-XXXXXX");
  g_autofree char *gemini = g_build_filename (dir, ".gemini", NULL);
  g_autofree char *settings = g_build_filename (gemini, "settings.json", NULL);
  g_autofree char *env = g_build_filename (gemini, ".env", NULL);
  g_autoptr(GPtrArray) backups = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *written = NULL, *env_written = NULL;
  g_autoptr(JsonNode) parsed = NULL;
  AgAgentTarget target = { URL, KEY, NULL };

  write_file (settings, "{\"ui\": {\"theme\": \"Dracula\"}, \"security\": {\"auth\": {\"selectedType\": \"oauth-personal\"}}}");
  write_file (env, "OTHER=1\n");
  g_assert_true (ag_gemini_settings_apply (gemini, &target, backups, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (backups->len, ==, 2);
  written = ag_test_read_file (settings);
  parsed = ag_test_parse_json_text (written);
  ag_test_assert_json_text (parsed, "{\"ui\":{\"theme\":\"Dracula\"},\"security\":{\"auth\":{\"selectedType\":"
                                    "\"gemini-api-key\"}},\"model\":{\"name\":\"gemini-3-flash\"}}");
  env_written = ag_test_read_file (env);
  g_assert_cmpstr (env_written, ==, "OTHER=1\nGOOGLE_GEMINI_BASE_URL=" URL "\nGEMINI_API_KEY=" KEY
                                    "\nGEMINI_API_KEY_AUTH_MECHANISM=bearer\n");
  g_assert_cmpuint (file_mode (env), ==, 0600);

  write_file (settings, "[1, 2]");
  g_assert_false (ag_gemini_settings_apply (gemini, &target, backups, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_assert_cmpuint (backups->len, ==, 2);
  g_clear_pointer (&written, g_free);
  written = ag_test_read_file (settings);
  g_assert_cmpstr (written, ==, "[1, 2]");
  ag_test_remove_tree (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  AG_TEST_ADD_CASES ("/agent-settings/codex-", codex_cases, test_codex_edit);
  AG_TEST_ADD_CASES ("/agent-settings/gemini-env-", env_cases, test_env_edit);
  g_test_add_func ("/agent-settings/codex-files", test_codex_files);
  g_test_add_func ("/agent-settings/gemini-files", test_gemini_files);
  return g_test_run ();
}
