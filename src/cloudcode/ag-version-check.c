/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-version-check.c — the current Antigravity version from its update manifest; see the header. */
#include "ag-version-check.h"

#include <string.h>

#define CHECK_INTERVAL_S (6 * 3600)
#define MANIFEST_LIMIT   (64 * 1024)
#define TIMEOUT_S        15
#define RECHECK_MIN_US   (60 * G_USEC_PER_SEC)

struct _AgVersionCheck
{
  GObject            parent_instance;
  AgCloudcodeConfig *config;
  SoupSession       *session;
  GCancellable      *cancellable;
  guint              timer_id;
  gint64             last_check_us;   /* monotonic */
};

G_DEFINE_FINAL_TYPE (AgVersionCheck, ag_version_check, G_TYPE_OBJECT)

static void
ag_version_check_dispose (GObject *object)
{
  AgVersionCheck *self = AG_VERSION_CHECK (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->timer_id, g_source_remove);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->session);
  g_clear_object (&self->config);
  G_OBJECT_CLASS (ag_version_check_parent_class)->dispose (object);
}

static void
ag_version_check_class_init (AgVersionCheckClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = ag_version_check_dispose;
}

static void
ag_version_check_init (AgVersionCheck *self)
{
  self->cancellable = g_cancellable_new ();
}

AgVersionCheck *
ag_version_check_new (AgCloudcodeConfig *config)
{
  AgVersionCheck *self;

  g_return_val_if_fail (AG_IS_CLOUDCODE_CONFIG (config), NULL);

  self = g_object_new (AG_TYPE_VERSION_CHECK, NULL);
  self->config = g_object_ref (config);
  /* Its own session: a time limit that Cloud Code's streams must not have. */
  self->session = soup_session_new_with_options ("timeout", TIMEOUT_S, NULL);
  ag_cloudcode_config_configure_session (config, self->session);
  return self;
}

static gboolean
is_version (const char *text)
{
  gboolean digit_seen = FALSE;

  for (const char *p = text; *p != '\0'; p++)
    {
      if (g_ascii_isdigit (*p))
        digit_seen = TRUE;
      else if (*p != '.' || !digit_seen || p[1] == '\0' || p[1] == '.')
        return FALSE;
    }
  return digit_seen;
}

char *
ag_version_check_parse_manifest (const char *text, gsize length)
{
  g_autofree char *copy = g_strndup (text, length);
  g_auto(GStrv) lines = g_strsplit (copy, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      /* Top-level key only: "files:" entries are indented. */
      if (g_str_has_prefix (lines[i], "version:"))
        {
          char *value = g_strstrip (lines[i] + strlen ("version:"));
          gsize len = strlen (value);

          if (len >= 2 && (value[0] == '\'' || value[0] == '"') && value[len - 1] == value[0])
            {
              value[len - 1] = '\0';
              value++;
            }
          return is_version (value) ? g_strdup (value) : NULL;
        }
    }
  return NULL;
}

/* The number at *@text and the position after it and its dot; anything else up to the next dot is skipped. */
static guint64
next_part (const char **text)
{
  char *end = NULL;
  guint64 value = g_ascii_strtoull (*text, &end, 10);

  while (*end != '\0' && *end != '.')
    end++;
  *text = *end == '.' ? end + 1 : end;
  return value;
}

int
ag_version_compare (const char *a, const char *b)
{
  while (*a != '\0' || *b != '\0')
    {
      guint64 x = next_part (&a);
      guint64 y = next_part (&b);

      if (x != y)
        return x < y ? -1 : 1;
    }
  return 0;
}

static void
manifest_read (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(AgVersionCheck) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  const char *current = ag_cloudcode_config_get_client_version (self->config);
  g_autofree char *version = NULL;
  gsize length = 0;
  const char *data;

  if (body == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_message ("cannot check the current Antigravity version: %s; announcing %s", error->message, current);
      return;
    }
  data = g_bytes_get_data (body, &length);
  if (soup_message_get_status (msg) != SOUP_STATUS_OK || length > MANIFEST_LIMIT ||
      (version = ag_version_check_parse_manifest (data != NULL ? data : "", length)) == NULL)
    {
      g_message ("cannot check the current Antigravity version: the update manifest answered %u without a version; "
                 "announcing %s", soup_message_get_status (msg), current);
      return;
    }
  if (ag_version_compare (version, current) <= 0)
    return;
  ag_cloudcode_config_set_client_version (self->config, version);
  g_message ("announcing Antigravity %s to Google (the current release)", version);
}

static gboolean
check_now (gpointer user_data)
{
  AgVersionCheck *self = user_data;
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", ag_cloudcode_config_get_version_manifest_url (self->config));

  if (msg == NULL)
    {
      g_message ("cannot check the current Antigravity version: AGCL_VERSION_MANIFEST_URL is not a URL");
      return G_SOURCE_REMOVE;
    }
  self->last_check_us = g_get_monotonic_time ();
  /* electron-builder's updater asks like this; the manifest is small and public. */
  soup_message_headers_replace (soup_message_get_request_headers (msg), "User-Agent", "electron-builder");
  soup_session_send_and_read_async (self->session, msg, G_PRIORITY_LOW, self->cancellable, manifest_read,
                                    g_object_ref (self));
  return G_SOURCE_CONTINUE;
}

void
ag_version_check_start (AgVersionCheck *self)
{
  g_return_if_fail (AG_IS_VERSION_CHECK (self));

  if (self->timer_id != 0 || ag_cloudcode_config_get_client_version_pinned (self->config) ||
      ag_cloudcode_config_get_version_manifest_url (self->config) == NULL)
    return;
  if (check_now (self) == G_SOURCE_REMOVE)
    return;
  self->timer_id = g_timeout_add_seconds (CHECK_INTERVAL_S, check_now, self);
}

void
ag_version_check_recheck (AgVersionCheck *self)
{
  g_return_if_fail (AG_IS_VERSION_CHECK (self));

  if (self->timer_id == 0 || g_get_monotonic_time () - self->last_check_us < RECHECK_MIN_US)
    return;
  check_now (self);
}
