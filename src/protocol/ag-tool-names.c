/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "ag-tool-names.h"

#include <string.h>

/* Gemini function names: [A-Za-z0-9_-], at most 64 characters, first one a letter or underscore
 * (docs/upstream-cloudcode.md#tool-names). */
#define MAX_NAME_LENGTH 64

struct _AgToolNames {
  gatomicrefcount ref_count;
  GHashTable     *to_upstream;  /* client name -> safe name (owned) */
  GHashTable     *to_client;    /* safe name -> client name (owned) */
};

AgToolNames *
ag_tool_names_new (void)
{
  AgToolNames *self = g_new0 (AgToolNames, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->to_upstream = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->to_client = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return self;
}

AgToolNames *
ag_tool_names_ref (AgToolNames *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
ag_tool_names_unref (AgToolNames *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;
  g_hash_table_unref (self->to_upstream);
  g_hash_table_unref (self->to_client);
  g_free (self);
}

static gboolean
is_safe_char (char c)
{
  return g_ascii_isalnum (c) || c == '_' || c == '-';
}

gboolean
ag_tool_names_is_valid (const char *name)
{
  gsize length;

  if (name == NULL || (!g_ascii_isalpha (name[0]) && name[0] != '_'))
    return FALSE;
  length = strlen (name);
  if (length > MAX_NAME_LENGTH)
    return FALSE;
  for (gsize i = 0; i < length; i++)
    if (!is_safe_char (name[i]))
      return FALSE;
  return TRUE;
}

/* Every byte outside the safe set becomes '_' (so a multi-byte character becomes several underscores, which
 * keeps distinct names distinct more often than collapsing them would). */
static GString *
sanitize (const char *client_name)
{
  GString *safe = g_string_sized_new (MAX_NAME_LENGTH);

  if (!g_ascii_isalpha (client_name[0]) && client_name[0] != '_')
    g_string_append_c (safe, '_');
  for (const char *p = client_name; *p != '\0' && safe->len < MAX_NAME_LENGTH; p++)
    g_string_append_c (safe, is_safe_char (*p) ? *p : '_');
  return safe;
}

/* Appends "_2", "_3", … (shortening the base to stay within the limit) until the name is free. */
static char *
make_unique (AgToolNames *self, GString *base)
{
  if (!g_hash_table_contains (self->to_client, base->str))
    return g_string_free (base, FALSE);

  for (guint n = 2;; n++)
    {
      g_autofree char *suffix = g_strdup_printf ("_%u", n);
      gsize keep = MIN (base->len, MAX_NAME_LENGTH - strlen (suffix));
      g_autofree char *candidate = g_strdup_printf ("%.*s%s", (int) keep, base->str, suffix);

      if (!g_hash_table_contains (self->to_client, candidate))
        {
          g_string_free (base, TRUE);
          return g_steal_pointer (&candidate);
        }
    }
}

const char *
ag_tool_names_to_upstream (AgToolNames *self, const char *client_name)
{
  const char *known;
  char *safe;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (client_name != NULL, NULL);

  known = g_hash_table_lookup (self->to_upstream, client_name);
  if (known != NULL)
    return known;

  safe = make_unique (self, sanitize (client_name));
  g_hash_table_insert (self->to_client, g_strdup (safe), g_strdup (client_name));
  g_hash_table_insert (self->to_upstream, g_strdup (client_name), safe);
  return safe;
}

const char *
ag_tool_names_to_client (AgToolNames *self, const char *upstream_name)
{
  const char *client_name;

  g_return_val_if_fail (self != NULL, upstream_name);

  if (upstream_name == NULL)
    return NULL;
  client_name = g_hash_table_lookup (self->to_client, upstream_name);
  return client_name != NULL ? client_name : upstream_name;
}
