/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "ag-settings.h"

GSettings *
ag_settings_new (void)
{
  GSettingsSchemaSource *installed = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchemaSource) build_tree = NULL;
  g_autoptr(GSettingsSchema) schema = NULL;

  if (installed != NULL)
    schema = g_settings_schema_source_lookup (installed, AG_SCHEMA_ID, TRUE);
  if (schema == NULL && g_file_test (AG_BUILD_SCHEMA_DIR "/gschemas.compiled", G_FILE_TEST_EXISTS))
    {
      /* Running from the build tree: the schema compiled next to the binary. */
      build_tree = g_settings_schema_source_new_from_directory (AG_BUILD_SCHEMA_DIR, installed, FALSE, NULL);
      if (build_tree != NULL)
        schema = g_settings_schema_source_lookup (build_tree, AG_SCHEMA_ID, FALSE);
    }
  if (schema == NULL)
    {
      g_warning ("the settings schema %s is not installed; using built-in defaults", AG_SCHEMA_ID);
      return NULL;
    }
  return g_settings_new_full (schema, NULL, NULL);
}
