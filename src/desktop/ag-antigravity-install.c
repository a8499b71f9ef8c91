// SPDX-License-Identifier: GPL-3.0-or-later
#include "ag-antigravity-install.h"

#include <glib/gi18n.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#define IDE_PROGRAM "antigravity"
#define USER_DATA_OPTION "--user-data-dir"

struct _AgAntigravityInstall
{
  GObject     parent_instance;
  char       *folder;
  char       *storage_path;
  char       *state_path;
  GPtrArray  *closed_commands;  /* of GStrv: the command lines of the IDEs close() ended */
};

G_DEFINE_FINAL_TYPE (AgAntigravityInstall, ag_antigravity_install, G_TYPE_OBJECT)
G_DEFINE_QUARK (ag-antigravity-error-quark, ag_antigravity_error)

/* A process's command line as a GStrv, or NULL (gone, or not ours to read). */
static char **
read_command_line (const char *pid)
{
  g_autofree char *path = g_build_filename ("/proc", pid, "cmdline", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GStrvBuilder) builder = NULL;
  gsize length = 0;

  if (!g_file_get_contents (path, &contents, &length, NULL) || length == 0)
    return NULL;
  builder = g_strv_builder_new ();
  for (gsize i = 0; i < length; i += strlen (contents + i) + 1)
    g_strv_builder_add (builder, contents + i);
  return g_strv_builder_end (builder);
}

/* The value of --user-data-dir (either form) in @argv, or NULL. */
static const char *
user_data_dir_of (char **argv)
{
  for (guint i = 1; argv[i] != NULL; i++)
    {
      if (g_str_has_prefix (argv[i], USER_DATA_OPTION "="))
        return argv[i] + strlen (USER_DATA_OPTION "=");
      if (g_str_equal (argv[i], USER_DATA_OPTION) && argv[i + 1] != NULL)
        return argv[i + 1];
    }
  return NULL;
}

/* Whether @argv is an IDE's main process (its helpers carry --type=…). */
static gboolean
is_ide_main (char **argv)
{
  g_autofree char *program = g_path_get_basename (argv[0]);

  if (g_ascii_strcasecmp (program, IDE_PROGRAM) != 0)
    return FALSE;
  for (guint i = 1; argv[i] != NULL; i++)
    if (g_str_has_prefix (argv[i], "--type="))
      return FALSE;
  return TRUE;
}

typedef gboolean (*IdeVisitor) (GPid pid, char **argv, gpointer user_data);

static void
each_ide (IdeVisitor visit, gpointer user_data)
{
  g_autoptr(GDir) proc = g_dir_open ("/proc", 0, NULL);
  const char *name;

  if (proc == NULL)
    return;
  while ((name = g_dir_read_name (proc)) != NULL)
    {
      g_auto(GStrv) argv = NULL;
      guint64 pid;

      if (!g_ascii_string_to_unsigned (name, 10, 1, G_MAXINT, &pid, NULL) || (GPid) pid == getpid ())
        continue;
      argv = read_command_line (name);
      if (argv != NULL && argv[0] != NULL && is_ide_main (argv) && visit ((GPid) pid, argv, user_data))
        return;
    }
}

static gboolean
holds_global_storage (const char *folder)
{
  g_autofree char *storage = g_build_filename (folder, "User", "globalStorage", NULL);

  return g_file_test (storage, G_FILE_TEST_IS_DIR);
}

static gboolean
take_user_data_dir (GPid pid, char **argv, gpointer user_data)
{
  char **folder = user_data;
  const char *dir = user_data_dir_of (argv);

  if (dir == NULL)
    return FALSE;
  *folder = g_canonicalize_filename (dir, NULL);
  return TRUE;
}

char *
ag_antigravity_install_default_folder (void)
{
  const char *override = g_getenv ("AGCL_ANTIGRAVITY_CONFIG_DIR");
  const char *names[] = { "Antigravity IDE", "Antigravity" };
  char *running = NULL;

  if (override != NULL && override[0] != '\0')
    return g_canonicalize_filename (override, NULL);
  each_ide (take_user_data_dir, &running);
  if (running != NULL)
    return running;
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *folder = g_build_filename (g_get_user_config_dir (), names[i], NULL);

      if (holds_global_storage (folder))
        return g_steal_pointer (&folder);
    }
  return g_build_filename (g_get_user_config_dir (), "Antigravity", NULL);
}

AgAntigravityInstall *
ag_antigravity_install_new (const char *folder)
{
  AgAntigravityInstall *self = g_object_new (AG_TYPE_ANTIGRAVITY_INSTALL, NULL);

  self->folder = g_canonicalize_filename (folder, NULL);
  self->storage_path = g_build_filename (self->folder, "User", "globalStorage", "storage.json", NULL);
  self->state_path = g_build_filename (self->folder, "User", "globalStorage", "state.vscdb", NULL);
  return self;
}

AgAntigravityInstall *
ag_antigravity_install_find (GError **error)
{
  g_autofree char *folder = ag_antigravity_install_default_folder ();
  g_autoptr(AgAntigravityInstall) self = ag_antigravity_install_new (folder);

  if (!g_file_test (self->storage_path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, AG_ANTIGRAVITY_ERROR, AG_ANTIGRAVITY_ERROR_NOT_INSTALLED,
                   _("no Antigravity IDE found: %s does not exist (set AGCL_ANTIGRAVITY_CONFIG_DIR to the IDE's "
                     "user-data folder)"), self->storage_path);
      return NULL;
    }
  return g_steal_pointer (&self);
}

const char *
ag_antigravity_install_get_folder (AgAntigravityInstall *self)
{
  return self->folder;
}

const char *
ag_antigravity_install_get_storage_path (AgAntigravityInstall *self)
{
  return self->storage_path;
}

const char *
ag_antigravity_install_get_state_path (AgAntigravityInstall *self)
{
  return self->state_path;
}

typedef struct {
  AgAntigravityInstall *install;
  GArray               *pids;
  GPtrArray            *commands;  /* nullable: collect the command lines too */
} RunningSearch;

/* An IDE started without --user-data-dir may be using any folder: count it, so nothing is written under it. */
static gboolean
collect_running (GPid pid, char **argv, gpointer user_data)
{
  RunningSearch *search = user_data;
  const char *dir = user_data_dir_of (argv);
  g_autofree char *canonical = dir != NULL ? g_canonicalize_filename (dir, NULL) : NULL;

  if (canonical == NULL || g_str_equal (canonical, search->install->folder))
    {
      g_array_append_val (search->pids, pid);
      if (search->commands != NULL)
        g_ptr_array_add (search->commands, g_strdupv (argv));
    }
  return FALSE;
}

GArray *
ag_antigravity_install_list_running (AgAntigravityInstall *self)
{
  RunningSearch search = { self, g_array_new (FALSE, FALSE, sizeof (GPid)), NULL };

  g_return_val_if_fail (AG_IS_ANTIGRAVITY_INSTALL (self), NULL);
  each_ide (collect_running, &search);
  return search.pids;
}

static gboolean
process_alive (GPid pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/cmdline", (int) pid);
  g_autofree char *contents = NULL;
  gsize length = 0;

  /* A zombie keeps its /proc entry but has an empty command line. */
  return g_file_get_contents (path, &contents, &length, NULL) && length > 0;
}

gboolean
ag_antigravity_install_close (AgAntigravityInstall *self, guint timeout_ms, GError **error)
{
  g_autoptr(GPtrArray) commands = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  g_autoptr(GArray) pids = g_array_new (FALSE, FALSE, sizeof (GPid));
  RunningSearch search = { self, pids, commands };
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  g_return_val_if_fail (AG_IS_ANTIGRAVITY_INSTALL (self), FALSE);
  each_ide (collect_running, &search);
  for (guint i = 0; i < pids->len; i++)
    kill (g_array_index (pids, GPid, i), SIGTERM);
  for (guint i = 0; i < pids->len; i++)
    {
      while (process_alive (g_array_index (pids, GPid, i)) && g_get_monotonic_time () < deadline)
        g_usleep (50 * 1000);
      if (process_alive (g_array_index (pids, GPid, i)))
        {
          g_set_error (error, AG_ANTIGRAVITY_ERROR, AG_ANTIGRAVITY_ERROR_RUNNING,
                       _("the Antigravity IDE (process %d) did not quit; close it and try again"),
                       (int) g_array_index (pids, GPid, i));
          return FALSE;
        }
    }
  g_ptr_array_extend_and_steal (self->closed_commands, g_steal_pointer (&commands));
  return TRUE;
}

gboolean
ag_antigravity_install_reopen (AgAntigravityInstall *self, GError **error)
{
  g_return_val_if_fail (AG_IS_ANTIGRAVITY_INSTALL (self), FALSE);

  while (self->closed_commands->len > 0)
    {
      g_auto(GStrv) argv = g_ptr_array_steal_index (self->closed_commands, 0);

      if (!g_spawn_async (NULL, argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL |
                          G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, NULL, error))
        return FALSE;
    }
  return TRUE;
}

static void
ag_antigravity_install_finalize (GObject *object)
{
  AgAntigravityInstall *self = AG_ANTIGRAVITY_INSTALL (object);

  g_free (self->folder);
  g_free (self->storage_path);
  g_free (self->state_path);
  g_ptr_array_unref (self->closed_commands);
  G_OBJECT_CLASS (ag_antigravity_install_parent_class)->finalize (object);
}

static void
ag_antigravity_install_class_init (AgAntigravityInstallClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ag_antigravity_install_finalize;
}

static void
ag_antigravity_install_init (AgAntigravityInstall *self)
{
  self->closed_commands = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
}
