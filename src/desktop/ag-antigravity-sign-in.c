// SPDX-License-Identifier: GPL-3.0-or-later
#include "ag-antigravity-sign-in.h"

#include <json-glib/json-glib.h>
#include <libsecret/secret.h>
#include <string.h>
#include "ag-antigravity-install.h"
#include "ag-protobuf.h"

#define SENTINEL_KEY "oauthTokenInfoSentinelKey"
/* Field numbers: Topic{1 entry}, Entry{1 key, 2 row}, Row{1 value}, OAuthTokenInfo{1 access, 2 type, 3 refresh,
 * 4 expiry: Timestamp{1 seconds}} — the same records ag-antigravity-import.c reads. */
enum { TOPIC_ENTRY = 1, ENTRY_KEY = 1, ENTRY_ROW = 2, ROW_VALUE = 1, INFO_ACCESS = 1, INFO_TYPE = 2, INFO_REFRESH = 3,
       INFO_EXPIRY = 4, TIMESTAMP_SECONDS = 1 };

/* What secret-tool and Go's keyring library write: attributes only, matched without the schema name, so an item
 * the IDE itself stored is found and replaced too. */
static const SecretSchema keyring_schema = {
  "org.freedesktop.Secret.Generic", SECRET_SCHEMA_DONT_MATCH_NAME,
  {
    { "service", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "username", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  }
};

AgAntigravitySignIn *
ag_antigravity_sign_in_new (const char *access_token, const char *refresh_token, gint64 expiry_unix_s)
{
  AgAntigravitySignIn *sign_in = g_new0 (AgAntigravitySignIn, 1);

  sign_in->access_token = g_strdup (access_token);
  sign_in->refresh_token = g_strdup (refresh_token);
  sign_in->expiry_unix_s = expiry_unix_s;
  return sign_in;
}

void
ag_antigravity_sign_in_free (AgAntigravitySignIn *sign_in)
{
  if (sign_in == NULL)
    return;
  g_free (sign_in->access_token);
  g_free (sign_in->refresh_token);
  g_free (sign_in);
}

char *
ag_antigravity_sign_in_to_keyring_json (const AgAntigravitySignIn *sign_in)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GDateTime) expiry = g_date_time_new_from_unix_utc (sign_in->expiry_unix_s);
  g_autofree char *expiry_text = g_date_time_format_iso8601 (expiry);
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "token");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "access_token");
  json_builder_add_string_value (builder, sign_in->access_token != NULL ? sign_in->access_token : "");
  json_builder_set_member_name (builder, "token_type");
  json_builder_add_string_value (builder, "Bearer");
  json_builder_set_member_name (builder, "refresh_token");
  json_builder_add_string_value (builder, sign_in->refresh_token);
  json_builder_set_member_name (builder, "expiry");
  json_builder_add_string_value (builder, expiry_text);
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "auth_method");
  json_builder_add_string_value (builder, "consumer");
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

typedef struct {
  GByteArray *out;
} TopicCopy;

static gboolean
copy_other_fields (const guint8 *data, gsize len, gpointer user_data)
{
  TopicCopy *copy = user_data;
  g_autofree char *key = NULL;
  const guint8 *cursor = data;
  guint64 tag = 0;

  /* A whole field: tag, then (for an entry) length and body. Only the sentinel entry is dropped. */
  for (guint shift = 0; cursor < data + len; shift += 7)
    {
      tag |= (guint64) (*cursor & 0x7f) << shift;
      if ((*cursor++ & 0x80) == 0)
        break;
    }
  if (tag == ((TOPIC_ENTRY << 3) | 2))
    {
      const guint8 *body = cursor;
      guint64 body_len = 0;

      for (guint shift = 0; body < data + len; shift += 7)
        {
          body_len |= (guint64) (*body & 0x7f) << shift;
          if ((*body++ & 0x80) == 0)
            break;
        }
      key = ag_protobuf_string_field (body, (gsize) body_len, ENTRY_KEY);
    }
  if (g_strcmp0 (key, SENTINEL_KEY) != 0)
    g_byte_array_append (copy->out, data, (guint) len);
  return FALSE;
}

static GByteArray *
oauth_info (const AgAntigravitySignIn *sign_in)
{
  GByteArray *info = g_byte_array_new ();
  g_autoptr(GByteArray) expiry = g_byte_array_new ();

  ag_protobuf_put_string (info, INFO_ACCESS, sign_in->access_token != NULL ? sign_in->access_token : "");
  ag_protobuf_put_string (info, INFO_TYPE, "Bearer");
  ag_protobuf_put_string (info, INFO_REFRESH, sign_in->refresh_token);
  ag_protobuf_put_varint_field (expiry, TIMESTAMP_SECONDS, (guint64) MAX (sign_in->expiry_unix_s, 0));
  ag_protobuf_put_bytes (info, INFO_EXPIRY, expiry->data, expiry->len);
  return info;
}

char *
ag_antigravity_sign_in_merge_unified (const char *topic_base64, const AgAntigravitySignIn *sign_in, GError **error)
{
  g_autoptr(GByteArray) topic = g_byte_array_new ();
  g_autoptr(GByteArray) info = oauth_info (sign_in);
  g_autofree char *info_base64 = g_base64_encode (info->data, info->len);
  g_autoptr(GByteArray) row = g_byte_array_new ();
  g_autoptr(GByteArray) entry = g_byte_array_new ();

  if (topic_base64 != NULL && topic_base64[0] != '\0')
    {
      gsize len = 0;
      g_autofree guchar *old = g_base64_decode (topic_base64, &len);
      TopicCopy copy = { topic };

      if (!ag_protobuf_each_field (old, len, 0, copy_other_fields, &copy))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "the Antigravity IDE's sign-in record in state.vscdb cannot be read");
          return NULL;
        }
    }
  ag_protobuf_put_string (row, ROW_VALUE, info_base64);
  ag_protobuf_put_string (entry, ENTRY_KEY, SENTINEL_KEY);
  ag_protobuf_put_bytes (entry, ENTRY_ROW, row->data, row->len);
  ag_protobuf_put_bytes (topic, TOPIC_ENTRY, entry->data, entry->len);
  return g_base64_encode (topic->data, topic->len);
}

/* Every item that already answers to the attributes gets the new value, whoever wrote it (secret-tool adds
 * xdg:schema, Go's keyring library does not): the IDE reads whichever the Secret Service lists first. Only when
 * there is none is a new item created. */
static gboolean
store_value (const char *value, GCancellable *cancellable, GError **error)
{
  g_autoptr(SecretService) service = secret_service_get_sync (SECRET_SERVICE_NONE, cancellable, error);
  g_autoptr(GHashTable) attributes = NULL;
  g_autoptr(SecretValue) secret = NULL;
  GList *items;
  gboolean ok = TRUE;

  if (service == NULL)
    return FALSE;
  attributes = secret_attributes_build (&keyring_schema, "service", "gemini", "username", "antigravity", NULL);
  items = secret_service_search_sync (service, &keyring_schema, attributes, SECRET_SEARCH_ALL | SECRET_SEARCH_UNLOCK,
                                      cancellable, error);
  if (items == NULL && error != NULL && *error != NULL)
    return FALSE;
  secret = secret_value_new (value, -1, "text/plain");
  for (GList *l = items; l != NULL && ok; l = l->next)
    ok = secret_item_set_secret_sync (l->data, secret, cancellable, error);
  g_list_free_full (items, g_object_unref);
  if (items == NULL)
    ok = secret_password_store_sync (&keyring_schema, SECRET_COLLECTION_DEFAULT, "gemini", value, cancellable, error,
                                     "service", "gemini", "username", "antigravity", NULL);
  return ok;
}

gboolean
ag_antigravity_sign_in_store_keyring (const AgAntigravitySignIn *sign_in, GCancellable *cancellable,
                                      GError **error)
{
  g_autofree char *value = ag_antigravity_sign_in_to_keyring_json (sign_in);
  g_autoptr(GError) local_error = NULL;
  gboolean stored = store_value (value, cancellable, &local_error);

  memset (value, 0, strlen (value));
  if (!stored)
    g_set_error (error, AG_ANTIGRAVITY_ERROR, AG_ANTIGRAVITY_ERROR_KEYRING,
                 "the keyring refused Antigravity's sign-in: %s",
                 local_error != NULL ? local_error->message : "unknown error");
  return stored;
}

char *
ag_antigravity_sign_in_lookup_keyring (GCancellable *cancellable, GError **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  char *value = secret_password_lookup_sync (&keyring_schema, cancellable, &local_error, "service", "gemini",
                                             "username", "antigravity", NULL);
  JsonNode *root;
  JsonNode *token;
  const char *refresh;
  gboolean parsed;

  if (local_error != NULL)
    {
      g_set_error (error, AG_ANTIGRAVITY_ERROR, AG_ANTIGRAVITY_ERROR_KEYRING,
                   "cannot read Antigravity's sign-in from the keyring: %s", local_error->message);
      return NULL;
    }
  if (value == NULL)
    return NULL;
  parsed = json_parser_load_from_data (parser, value, -1, NULL);
  secret_password_free (value);
  root = parsed ? json_parser_get_root (parser) : NULL;
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root) ||
      (token = json_object_get_member (json_node_get_object (root), "token")) == NULL ||
      !JSON_NODE_HOLDS_OBJECT (token) ||
      (refresh = json_object_get_string_member_with_default (json_node_get_object (token), "refresh_token",
                                                             NULL)) == NULL)
    return NULL;
  return g_strdup (refresh);
}
