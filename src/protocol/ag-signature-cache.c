/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "ag-signature-cache.h"

#include <string.h>

#define DEFAULT_TTL (2 * G_TIME_SPAN_HOUR)
/* Expired entries are swept every this many insertions so a long session cannot grow the tables forever. */
#define SWEEP_INTERVAL 256

typedef struct {
  char          *signature;
  AgModelFamily  family;
  gint64         expires_at;  /* monotonic µs */
} Entry;

struct _AgSignatureCache {
  GObject     parent_instance;
  GTimeSpan   ttl;
  GHashTable *tools;      /* tool_use id -> Entry (signature) */
  GHashTable *thinking;   /* signature -> Entry (family) */
  guint       puts_since_sweep;
};

G_DEFINE_FINAL_TYPE (AgSignatureCache, ag_signature_cache, G_TYPE_OBJECT)

static void
entry_free (gpointer data)
{
  Entry *entry = data;

  g_free (entry->signature);
  g_free (entry);
}

static gboolean
entry_expired (gpointer key, gpointer value, gpointer now)
{
  return ((Entry *) value)->expires_at <= *(gint64 *) now;
}

static void
sweep_if_due (AgSignatureCache *self)
{
  gint64 now;

  if (++self->puts_since_sweep < SWEEP_INTERVAL)
    return;
  self->puts_since_sweep = 0;
  now = g_get_monotonic_time ();
  g_hash_table_foreach_remove (self->tools, entry_expired, &now);
  g_hash_table_foreach_remove (self->thinking, entry_expired, &now);
}

/* Returns the live entry for @key, dropping it when it has expired. */
static Entry *
live_entry (GHashTable *table, const char *key)
{
  Entry *entry;

  if (key == NULL)
    return NULL;
  entry = g_hash_table_lookup (table, key);
  if (entry == NULL)
    return NULL;
  if (entry->expires_at <= g_get_monotonic_time ())
    {
      g_hash_table_remove (table, key);
      return NULL;
    }
  return entry;
}

static void
ag_signature_cache_finalize (GObject *object)
{
  AgSignatureCache *self = AG_SIGNATURE_CACHE (object);

  g_hash_table_unref (self->tools);
  g_hash_table_unref (self->thinking);
  G_OBJECT_CLASS (ag_signature_cache_parent_class)->finalize (object);
}

static void
ag_signature_cache_class_init (AgSignatureCacheClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ag_signature_cache_finalize;
}

static void
ag_signature_cache_init (AgSignatureCache *self)
{
  self->ttl = DEFAULT_TTL;
  self->tools = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, entry_free);
  self->thinking = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, entry_free);
}

AgSignatureCache *
ag_signature_cache_new (void)
{
  return g_object_new (AG_TYPE_SIGNATURE_CACHE, NULL);
}

void
ag_signature_cache_set_ttl (AgSignatureCache *self, GTimeSpan ttl)
{
  g_return_if_fail (AG_IS_SIGNATURE_CACHE (self));
  g_return_if_fail (ttl > 0);

  self->ttl = ttl;
}

void
ag_signature_cache_put_tool (AgSignatureCache *self, const char *tool_use_id, const char *signature)
{
  Entry *entry;

  g_return_if_fail (AG_IS_SIGNATURE_CACHE (self));
  if (tool_use_id == NULL || signature == NULL || strlen (signature) < AG_SIGNATURE_MIN_LENGTH)
    return;

  entry = g_new0 (Entry, 1);
  entry->signature = g_strdup (signature);
  entry->expires_at = g_get_monotonic_time () + self->ttl;
  g_hash_table_replace (self->tools, g_strdup (tool_use_id), entry);
  sweep_if_due (self);
}

const char *
ag_signature_cache_lookup_tool (AgSignatureCache *self, const char *tool_use_id)
{
  Entry *entry;

  g_return_val_if_fail (AG_IS_SIGNATURE_CACHE (self), NULL);

  entry = live_entry (self->tools, tool_use_id);
  return entry != NULL ? entry->signature : NULL;
}

void
ag_signature_cache_put_thinking (AgSignatureCache *self, const char *signature, AgModelFamily family)
{
  Entry *entry;

  g_return_if_fail (AG_IS_SIGNATURE_CACHE (self));
  if (signature == NULL || strlen (signature) < AG_SIGNATURE_MIN_LENGTH)
    return;

  entry = g_new0 (Entry, 1);
  entry->family = family;
  entry->expires_at = g_get_monotonic_time () + self->ttl;
  g_hash_table_replace (self->thinking, g_strdup (signature), entry);
  sweep_if_due (self);
}

gboolean
ag_signature_cache_lookup_thinking (AgSignatureCache *self, const char *signature, AgModelFamily *family)
{
  Entry *entry;

  g_return_val_if_fail (AG_IS_SIGNATURE_CACHE (self), FALSE);

  entry = live_entry (self->thinking, signature);
  if (entry == NULL)
    return FALSE;
  if (family != NULL)
    *family = entry->family;
  return TRUE;
}

guint
ag_signature_cache_size (AgSignatureCache *self)
{
  g_return_val_if_fail (AG_IS_SIGNATURE_CACHE (self), 0);

  return g_hash_table_size (self->tools) + g_hash_table_size (self->thinking);
}
