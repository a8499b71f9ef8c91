/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-mock-server.c — Google's side for tests: OAuth, userinfo and Cloud Code v1internal on one SoupServer. */
#include "ag-mock-server.h"
#include "ag-mock-account-state.h"
#include "ag-mock-generate.h"
#include "ag-mock-grounding.h"
#include "ag-mock-history.h"
#include "ag-mock-json.h"
#include "ag-mock-reply.h"

#include <string.h>

#define MAX_LOGGED_REQUESTS 1000
#define JSON_TYPE "application/json; charset=UTF-8"
#define ALNUM "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
#define OAUTH_SCOPES "https://www.googleapis.com/auth/cloud-platform https://www.googleapis.com/auth/userinfo.email " \
                     "https://www.googleapis.com/auth/userinfo.profile https://www.googleapis.com/auth/cclog " \
                     "https://www.googleapis.com/auth/experimentsandconfigs"
#define MISSING_CREDENTIALS_MESSAGE \
  "Request is missing required authentication credential. Expected OAuth 2 access token, login cookie or other " \
  "valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project."

typedef struct {
  guint     index;            /* 1-based, for defaults and ids */
  char     *refresh_token;
  char     *email;
  char     *name;
  char     *project;
  char     *access_token;     /* optional pre-issued token that never expires */
  gboolean  onboard;
  gboolean  revoked;
  gint64    expires_in;
  guint     onboard_calls;
  AgMockAccountState trouble;  /* banned, verification, Gemini CLI tier (ag-mock-account-state.h) */
} MockAccount;

typedef struct {
  JsonObject *match;          /* borrowed from MockScript.root; may be NULL */
  JsonObject *respond;
  gint64      remaining;      /* -1: unlimited */
} MockRule;

typedef struct {
  JsonNode  *root;
  GPtrArray *accounts;        /* MockAccount */
  JsonNode  *models;
  JsonNode  *deprecated_models;
  gint64     count_tokens;    /* -1: computed from the request size */
  GPtrArray *rules;           /* MockRule */
} MockScript;

typedef struct {
  char   *email;
  gint64  expires_at_us;      /* monotonic */
} MockToken;

typedef struct {
  char *email;
  char *code_challenge;
  char *redirect_uri;
} MockAuthCode;

struct _AgMockServer {
  GObject     parent_instance;
  SoupServer *server;
  guint       port;
  MockScript *script;
  GHashTable *access_tokens;  /* token → MockToken; kept across resets so a client's cached token stays valid */
  GHashTable *auth_codes;     /* code → MockAuthCode, single use */
  guint       token_serial;
  GQueue      log;            /* JsonNode, the newest MAX_LOGGED_REQUESTS */
  GHashTable *path_counts;    /* path → count of every request since the last reset */
  GQueue      active_replies;
  GHashTable *issued_signatures;  /* every thought signature handed out; Google's stay valid, so kept on reset */
};

G_DEFINE_FINAL_TYPE (AgMockServer, ag_mock_server, G_TYPE_OBJECT)

/* Script */

static void
mock_token_free (MockToken *token)
{
  g_free (token->email);
  g_free (token);
}

static void
mock_auth_code_free (MockAuthCode *grant)
{
  g_free (grant->email);
  g_free (grant->code_challenge);
  g_free (grant->redirect_uri);
  g_free (grant);
}

static void
mock_account_free (MockAccount *account)
{
  g_free (account->refresh_token);
  g_free (account->email);
  g_free (account->name);
  g_free (account->project);
  g_free (account->access_token);
  ag_mock_account_state_clear (&account->trouble);
  g_free (account);
}

static void
mock_script_free (MockScript *script)
{
  if (script == NULL)
    return;
  g_ptr_array_unref (script->accounts);
  g_ptr_array_unref (script->rules);
  g_clear_pointer (&script->models, json_node_unref);
  g_clear_pointer (&script->deprecated_models, json_node_unref);
  g_clear_pointer (&script->root, json_node_unref);
  g_free (script);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MockScript, mock_script_free)

static char *
random_alnum (guint length)
{
  char *out = g_malloc (length + 1);

  for (guint i = 0; i < length; i++)
    out[i] = ALNUM[g_random_int_range (0, sizeof ALNUM - 1)];
  out[length] = '\0';
  return out;
}

static char *
rfc3339_in_seconds (gint64 seconds)
{
  g_autoptr(GDateTime) when = g_date_time_new_from_unix_utc (g_get_real_time () / G_USEC_PER_SEC + seconds);

  return g_date_time_format (when, "%Y-%m-%dT%H:%M:%SZ");
}

/* The default fetchAvailableModels catalogue
 * (docs/upstream-cloudcode.md#fetchavailablemodels/docs/upstream-cloudcode.md#models), quota resetting in five hours.
 * */
static JsonNode *
default_models (void)
{
  g_autofree char *reset = rfc3339_in_seconds (5 * 3600);
  g_autofree char *json = g_strdup_printf (
    "{"
    "\"claude-opus-4-6-thinking\":{\"displayName\":\"Claude Opus 4.6 (Thinking)\",\"maxTokens\":200000,"
      "\"maxOutputTokens\":64000,\"supportsThinking\":true,\"thinkingBudget\":24576,\"supportsImages\":true,"
      "\"recommended\":true,\"quotaInfo\":{\"remainingFraction\":1,\"resetTime\":\"%s\"},"
      "\"apiProvider\":\"API_PROVIDER_ANTHROPIC_VERTEX\",\"modelProvider\":\"MODEL_PROVIDER_ANTHROPIC\","
      "\"supportedMimeTypes\":{\"image/png\":true,\"image/jpeg\":true}},"
    "\"claude-sonnet-4-6\":{\"displayName\":\"Claude Sonnet 4.6\",\"maxTokens\":200000,\"maxOutputTokens\":64000,"
      "\"supportsThinking\":true,\"thinkingBudget\":32000,\"supportsImages\":true,\"recommended\":true,"
      "\"quotaInfo\":{\"remainingFraction\":1,\"resetTime\":\"%s\"},"
      "\"apiProvider\":\"API_PROVIDER_ANTHROPIC_VERTEX\",\"modelProvider\":\"MODEL_PROVIDER_ANTHROPIC\","
      "\"supportedMimeTypes\":{\"image/png\":true,\"image/jpeg\":true}},"
    "\"gemini-3-flash\":{\"displayName\":\"Gemini 3 Flash\",\"maxTokens\":1048576,\"maxOutputTokens\":65536,"
      "\"supportsThinking\":true,\"thinkingBudget\":32768,\"supportsImages\":true,\"recommended\":true,"
      "\"quotaInfo\":{\"remainingFraction\":1,\"resetTime\":\"%s\"},"
      "\"apiProvider\":\"API_PROVIDER_GOOGLE_GEMINI\",\"modelProvider\":\"MODEL_PROVIDER_GOOGLE\","
      "\"supportedMimeTypes\":{\"image/png\":true,\"image/jpeg\":true,\"application/pdf\":true}},"
    "\"gemini-3.1-pro-high\":{\"displayName\":\"Gemini 3.1 Pro (High)\",\"maxTokens\":1048576,"
      "\"maxOutputTokens\":65535,\"supportsThinking\":true,\"thinkingBudget\":32768,\"supportsImages\":true,"
      "\"recommended\":true,\"quotaInfo\":{\"remainingFraction\":1,\"resetTime\":\"%s\"},"
      "\"apiProvider\":\"API_PROVIDER_GOOGLE_GEMINI\",\"modelProvider\":\"MODEL_PROVIDER_GOOGLE\","
      "\"supportedMimeTypes\":{\"image/png\":true,\"image/jpeg\":true,\"application/pdf\":true}}"
    "}", reset, reset, reset, reset);

  return json_from_string (json, NULL);
}

static const char *
string_or_default (JsonObject *object, const char *name, const char *fallback)
{
  return ag_mock_json_string (object, name) ?: fallback;
}

static MockAccount *
parse_account (JsonObject *object, guint index)
{
  MockAccount *account = g_new0 (MockAccount, 1);
  g_autofree char *rt = g_strdup_printf ("rt-%u", index);
  g_autofree char *email = g_strdup_printf ("user%u@example.com", index);
  g_autofree char *project = g_strdup_printf ("proj-%u", index);
  g_autofree char *name = g_strdup_printf ("Mock User %u", index);

  account->index = index;
  account->refresh_token = g_strdup (string_or_default (object, "refresh_token", rt));
  account->email = g_strdup (string_or_default (object, "email", email));
  account->name = g_strdup (string_or_default (object, "name", name));
  account->project = g_strdup (string_or_default (object, "project", project));
  account->access_token = g_strdup (ag_mock_json_string (object, "access_token"));
  account->onboard = ag_mock_json_bool (object, "onboard", FALSE);
  account->revoked = ag_mock_json_bool (object, "revoked", FALSE);
  account->expires_in = ag_mock_json_int (object, "expires_in", 3600);
  account->trouble.credits = -1;
  if (object != NULL)
    ag_mock_account_state_read (&account->trouble, object);
  return account;
}

static gboolean
validate_respond (JsonObject *respond, GError **error)
{
  const char *preset = ag_mock_json_string (respond, "error_preset");

  if (json_object_has_member (respond, "error_preset"))
    {
      g_autoptr(JsonNode) body = NULL;
      guint status = 0;

      if (preset == NULL)
        return g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "error_preset must be a string"),
               FALSE;
      body = ag_mock_error_preset (preset, respond, "model", &status, error);
      if (body == NULL)
        return FALSE;
    }
  if (json_object_has_member (respond, "error") && ag_mock_json_object (respond, "error") == NULL)
    return g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "\"error\" must be an object"),
           FALSE;
  if (json_object_has_member (respond, "chunks") && ag_mock_json_array (respond, "chunks") == NULL)
    return g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "\"chunks\" must be an array"),
           FALSE;
  if (json_object_has_member (respond, "raw") && ag_mock_json_string (respond, "raw") == NULL)
    return g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "\"raw\" must be a string"),
           FALSE;
  return TRUE;
}

static MockScript *
parse_script (JsonNode *node, GError **error)
{
  g_autoptr(MockScript) script = g_new0 (MockScript, 1);
  JsonObject *root = NULL;
  JsonArray *accounts = NULL;
  JsonArray *rules = NULL;

  script->root = node != NULL ? json_node_copy (node) : json_from_string ("{}", NULL);
  script->accounts = g_ptr_array_new_with_free_func ((GDestroyNotify) mock_account_free);
  script->rules = g_ptr_array_new_with_free_func (g_free);
  if (!JSON_NODE_HOLDS_OBJECT (script->root))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "the script must be a JSON object");
      return NULL;
    }
  root = json_node_get_object (script->root);

  accounts = ag_mock_json_array (root, "accounts");
  if (accounts == NULL)
    g_ptr_array_add (script->accounts, parse_account (NULL, 1));
  for (guint i = 0; accounts != NULL && i < json_array_get_length (accounts); i++)
    {
      JsonNode *element = json_array_get_element (accounts, i);

      if (!JSON_NODE_HOLDS_OBJECT (element))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "accounts[%u] must be an object", i);
          return NULL;
        }
      g_ptr_array_add (script->accounts, parse_account (json_node_get_object (element), i + 1));
    }

  if (ag_mock_json_object (root, "models") != NULL)
    script->models = json_node_copy (json_object_get_member (root, "models"));
  else
    script->models = default_models ();
  if (ag_mock_json_object (root, "deprecated_model_ids") != NULL)
    script->deprecated_models = json_node_copy (json_object_get_member (root, "deprecated_model_ids"));
  else
    script->deprecated_models = json_from_string ("{\"gemini-3-pro-high\":{\"newModelId\":\"gemini-3.1-pro-high\"}}",
                                                  NULL);
  script->count_tokens = ag_mock_json_int (root, "count_tokens", -1);

  rules = ag_mock_json_array (root, "generate");
  for (guint i = 0; rules != NULL && i < json_array_get_length (rules); i++)
    {
      JsonNode *element = json_array_get_element (rules, i);
      JsonObject *rule_object = JSON_NODE_HOLDS_OBJECT (element) ? json_node_get_object (element) : NULL;
      JsonObject *respond = ag_mock_json_object (rule_object, "respond");
      g_autoptr(GError) local_error = NULL;
      MockRule *rule = NULL;

      if (respond == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "generate[%u] needs a \"respond\" object", i);
          return NULL;
        }
      if (!validate_respond (respond, &local_error))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "generate[%u]: %s", i, local_error->message);
          return NULL;
        }
      rule = g_new0 (MockRule, 1);
      rule->match = ag_mock_json_object (rule_object, "match");
      rule->respond = respond;
      rule->remaining = ag_mock_json_int (rule_object, "times", -1);
      g_ptr_array_add (script->rules, rule);
    }
  return g_steal_pointer (&script);
}

static MockAccount *
find_account (AgMockServer *self, const char *field, const char *value)
{
  for (guint i = 0; value != NULL && i < self->script->accounts->len; i++)
    {
      MockAccount *account = self->script->accounts->pdata[i];
      const char *candidate = g_str_equal (field, "email") ? account->email
                              : g_str_equal (field, "refresh_token") ? account->refresh_token
                              : account->access_token;
      if (g_strcmp0 (candidate, value) == 0)
        return account;
    }
  return NULL;
}

/* Request log */

/* Whose request this is, for the log: the account of its bearer token, or of the refresh token in a /token form.
 * Tests use it to see which account's calls came by which way (with "remote", the peer address). */
static const char *
requester_email (AgMockServer *self, SoupServerMessage *msg, GBytes *body)
{
  const char *header = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                     "Authorization");
  MockToken *token = NULL;
  MockAccount *account = NULL;

  if (header != NULL && g_ascii_strncasecmp (header, "Bearer ", 7) == 0)
    {
      if ((token = g_hash_table_lookup (self->access_tokens, header + 7)) != NULL)
        return token->email;
      account = find_account (self, "access_token", header + 7);
    }
  else if (body != NULL && g_bytes_get_size (body) > 0)
    {
      g_autofree char *text = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
      g_autoptr(GHashTable) form = soup_form_decode (text);

      account = find_account (self, "refresh_token", g_hash_table_lookup (form, "refresh_token"));
    }
  return account != NULL ? account->email : NULL;
}

static JsonNode *
parse_json_or_null (GBytes *body)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  gsize len = 0;
  const char *data = g_bytes_get_data (body, &len);

  if (len == 0 || !json_parser_load_from_data (parser, data, (gssize) len, NULL))
    return NULL;
  return json_node_ref (json_parser_get_root (parser));
}

static void
record_request (AgMockServer *self, SoupServerMessage *msg, const char *path, GBytes *body, JsonNode *body_json)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  GUri *uri = soup_server_message_get_uri (msg);
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  g_autoptr(GHashTable) joined = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GList) names = NULL;
  SoupMessageHeadersIter iter;
  const char *name, *value;
  guint count = GPOINTER_TO_UINT (g_hash_table_lookup (self->path_counts, path));

  g_hash_table_replace (self->path_counts, g_strdup (path), GUINT_TO_POINTER (count + 1));

  soup_message_headers_iter_init (&iter, headers);
  while (soup_message_headers_iter_next (&iter, &name, &value))
    {
      char *lower = g_ascii_strdown (name, -1);
      const char *previous = g_hash_table_lookup (joined, lower);
      g_hash_table_replace (joined, lower, previous ? g_strconcat (previous, ", ", value, NULL) : g_strdup (value));
    }
  names = g_list_sort (g_hash_table_get_keys (joined), (GCompareFunc) g_strcmp0);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "method");
  json_builder_add_string_value (b, soup_server_message_get_method (msg));
  json_builder_set_member_name (b, "path");
  json_builder_add_string_value (b, path);
  json_builder_set_member_name (b, "query");
  if (g_uri_get_query (uri) != NULL)
    json_builder_add_string_value (b, g_uri_get_query (uri));
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "headers");
  json_builder_begin_object (b);
  for (GList *l = names; l != NULL; l = l->next)
    {
      json_builder_set_member_name (b, l->data);
      json_builder_add_string_value (b, g_hash_table_lookup (joined, l->data));
    }
  json_builder_end_object (b);
  json_builder_set_member_name (b, "remote");
  json_builder_add_string_value (b, soup_server_message_get_remote_host (msg));
  json_builder_set_member_name (b, "account");
  if (requester_email (self, msg, body) != NULL)
    json_builder_add_string_value (b, requester_email (self, msg, body));
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "body");
  if (body_json != NULL)
    json_builder_add_value (b, json_node_copy (body_json));
  else
    {
      gsize len = 0;
      const char *data = g_bytes_get_data (body, &len);
      g_autofree char *text = g_utf8_make_valid (data != NULL ? data : "", (gssize) len);
      json_builder_add_string_value (b, text);
    }
  json_builder_end_object (b);

  g_queue_push_tail (&self->log, json_builder_get_root (b));
  while (self->log.length > MAX_LOGGED_REQUESTS)
    json_node_unref (g_queue_pop_head (&self->log));
}

/* Replies */

static AgMockReply *
json_reply (guint status, JsonNode *body)
{
  AgMockReply *reply = ag_mock_reply_new (status, JSON_TYPE);

  ag_mock_reply_append_json (reply, body);
  json_node_unref (body);
  return reply;
}

static AgMockReply *
json_reply_printf (guint status, const char *format, ...) G_GNUC_PRINTF (2, 3);

static AgMockReply *
json_reply_printf (guint status, const char *format, ...)
{
  AgMockReply *reply = ag_mock_reply_new (status, JSON_TYPE);
  g_autofree char *text = NULL;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  ag_mock_reply_append (reply, text, -1);
  return reply;
}

/* 400 INVALID_ARGUMENT with a BadRequest field violation, the way Google rejects a malformed request. */
static AgMockReply *
invalid_argument (const char *message, const char *field, const char *description)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "error");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "code");
  json_builder_add_int_value (b, 400);
  json_builder_set_member_name (b, "message");
  json_builder_add_string_value (b, message);
  json_builder_set_member_name (b, "status");
  json_builder_add_string_value (b, "INVALID_ARGUMENT");
  json_builder_set_member_name (b, "details");
  json_builder_begin_array (b);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "@type");
  json_builder_add_string_value (b, "type.googleapis.com/google.rpc.BadRequest");
  json_builder_set_member_name (b, "fieldViolations");
  json_builder_begin_array (b);
  json_builder_begin_object (b);
  if (field != NULL)
    {
      json_builder_set_member_name (b, "field");
      json_builder_add_string_value (b, field);
    }
  json_builder_set_member_name (b, "description");
  json_builder_add_string_value (b, description);
  json_builder_end_object (b);
  json_builder_end_array (b);
  json_builder_end_object (b);
  json_builder_end_array (b);
  json_builder_end_object (b);
  json_builder_end_object (b);
  return json_reply (400, json_builder_get_root (b));
}

static AgMockReply *
oauth_error (const char *error, const char *description)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "error");
  json_builder_add_string_value (b, error);
  json_builder_set_member_name (b, "error_description");
  json_builder_add_string_value (b, description);
  json_builder_end_object (b);
  return json_reply (g_str_equal (error, "invalid_client") ? 401 : 400, json_builder_get_root (b));
}

static AgMockReply *
unauthenticated (const char *message)
{
  AgMockReply *reply = json_reply (401, ag_mock_error_body (401, message));

  ag_mock_reply_add_header (reply, "WWW-Authenticate", "Bearer realm=\"https://accounts.google.com/\"");
  return reply;
}

/* OAuth */

static AgMockReply *
issue_tokens (AgMockServer *self, MockAccount *account, gboolean with_refresh_token)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *tail = random_alnum (32);
  char *token = g_strdup_printf ("ya29.mock-%u-%s", ++self->token_serial, tail);
  MockToken *record = g_new0 (MockToken, 1);

  record->email = g_strdup (account->email);
  record->expires_at_us = g_get_monotonic_time () + account->expires_in * G_USEC_PER_SEC;
  g_hash_table_replace (self->access_tokens, token, record);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "access_token");
  json_builder_add_string_value (b, token);
  json_builder_set_member_name (b, "expires_in");
  json_builder_add_int_value (b, account->expires_in);
  if (with_refresh_token)
    {
      json_builder_set_member_name (b, "refresh_token");
      json_builder_add_string_value (b, account->refresh_token);
    }
  json_builder_set_member_name (b, "scope");
  json_builder_add_string_value (b, OAUTH_SCOPES);
  json_builder_set_member_name (b, "token_type");
  json_builder_add_string_value (b, "Bearer");
  json_builder_end_object (b);
  return json_reply (200, json_builder_get_root (b));
}

static char *
pkce_challenge (const char *verifier)
{
  guint8 digest[32];
  gsize digest_len = sizeof digest;
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  char *encoded = NULL;

  g_checksum_update (checksum, (const guchar *) verifier, -1);
  g_checksum_get_digest (checksum, digest, &digest_len);
  encoded = g_base64_encode (digest, digest_len);
  g_strdelimit (encoded, "+", '-');
  g_strdelimit (encoded, "/", '_');
  g_strdelimit (encoded, "=", '\0');
  return encoded;
}

static AgMockReply *
exchange_code (AgMockServer *self, GHashTable *form)
{
  const char *code = g_hash_table_lookup (form, "code");
  const char *verifier = g_hash_table_lookup (form, "code_verifier");
  g_autofree char *stolen_code = NULL;
  MockAuthCode *grant = NULL;
  MockAccount *account = NULL;
  g_autofree char *expected = NULL;
  AgMockReply *reply = NULL;

  /* Codes are single use: taken out of the table whatever the outcome. */
  if (code == NULL || !g_hash_table_steal_extended (self->auth_codes, code, (gpointer *) &stolen_code,
                                                    (gpointer *) &grant))
    return oauth_error ("invalid_grant", "Malformed auth code.");

  if (g_strcmp0 (g_hash_table_lookup (form, "redirect_uri"), grant->redirect_uri) != 0)
    reply = oauth_error ("redirect_uri_mismatch", "Bad Request");
  else if (grant->code_challenge != NULL && verifier == NULL)
    reply = oauth_error ("invalid_grant", "Missing code verifier.");
  else if (grant->code_challenge != NULL &&
           !g_str_equal (grant->code_challenge, (expected = pkce_challenge (verifier))))
    reply = oauth_error ("invalid_grant", "Invalid code verifier.");
  else if ((account = find_account (self, "email", grant->email)) == NULL || account->revoked)
    reply = oauth_error ("invalid_grant", "Bad Request");
  else
    reply = issue_tokens (self, account, TRUE);

  mock_auth_code_free (grant);
  return reply;
}

static AgMockReply *
handle_token (AgMockServer *self, SoupServerMessage *msg, GBytes *body)
{
  gsize len = 0;
  const char *data = g_bytes_get_data (body, &len);
  g_autofree char *text = g_strndup (data != NULL ? data : "", len);
  g_autoptr(GHashTable) form = soup_form_decode (text);
  const char *grant_type = g_hash_table_lookup (form, "grant_type");

  if (g_strcmp0 (soup_server_message_get_method (msg), "POST") != 0)
    return oauth_error ("invalid_request", "Only POST is supported.");
  if (g_hash_table_lookup (form, "client_id") == NULL)
    return oauth_error ("invalid_request", "Could not determine client ID from request.");

  if (g_strcmp0 (grant_type, "refresh_token") == 0)
    {
      MockAccount *account = find_account (self, "refresh_token", g_hash_table_lookup (form, "refresh_token"));

      if (account == NULL)
        return oauth_error ("invalid_grant", "Bad Request");
      if (account->revoked)
        return oauth_error ("invalid_grant", "Token has been expired or revoked.");
      return issue_tokens (self, account, FALSE);
    }
  if (g_strcmp0 (grant_type, "authorization_code") == 0)
    return exchange_code (self, form);

  return oauth_error ("unsupported_grant_type", grant_type != NULL ? "Invalid grant_type." : "Missing grant_type.");
}

/* The consent page: the user "approves" at once and the browser is sent back to the redirect URI. */
static AgMockReply *
handle_auth (AgMockServer *self, SoupServerMessage *msg, GHashTable *query)
{
  const char *redirect_uri = query ? g_hash_table_lookup (query, "redirect_uri") : NULL;
  const char *client_id = query ? g_hash_table_lookup (query, "client_id") : NULL;
  const char *state = query ? g_hash_table_lookup (query, "state") : NULL;
  const char *challenge = query ? g_hash_table_lookup (query, "code_challenge") : NULL;
  const char *method = query ? g_hash_table_lookup (query, "code_challenge_method") : NULL;
  const char *login_hint = query ? g_hash_table_lookup (query, "login_hint") : NULL;
  MockAccount *account = find_account (self, "email", login_hint);
  MockAuthCode *grant = NULL;
  g_autofree char *tail = random_alnum (40);
  g_autofree char *code = g_strconcat ("4/0Amock", tail, NULL);
  g_autofree char *escaped_code = g_uri_escape_string (code, NULL, FALSE);
  g_autofree char *escaped_scope = g_uri_escape_string (OAUTH_SCOPES, NULL, FALSE);
  g_autofree char *escaped_state = state ? g_uri_escape_string (state, NULL, FALSE) : NULL;
  g_autofree char *location = NULL;
  AgMockReply *reply = NULL;

  if (redirect_uri == NULL || client_id == NULL)
    {
      reply = ag_mock_reply_new (400, "text/html; charset=utf-8");
      ag_mock_reply_append (reply, "<html><body>Error 400: invalid_request</body></html>", -1);
      return reply;
    }
  if (challenge != NULL && g_strcmp0 (method, "S256") != 0)
    {
      g_autofree char *target = g_strdup_printf ("%s%cerror=invalid_request", redirect_uri,
                                                 strchr (redirect_uri, '?') ? '&' : '?');
      soup_server_message_set_redirect (msg, 302, target);
      return NULL;
    }
  if (account == NULL && self->script->accounts->len > 0)
    account = self->script->accounts->pdata[0];
  if (account == NULL)
    {
      g_autofree char *target = g_strdup_printf ("%s%cerror=access_denied", redirect_uri,
                                                 strchr (redirect_uri, '?') ? '&' : '?');
      soup_server_message_set_redirect (msg, 302, target);
      return NULL;
    }

  grant = g_new0 (MockAuthCode, 1);
  grant->email = g_strdup (account->email);
  grant->code_challenge = g_strdup (challenge);
  grant->redirect_uri = g_strdup (redirect_uri);
  g_hash_table_replace (self->auth_codes, g_strdup (code), grant);

  location = g_strdup_printf ("%s%ccode=%s%s%s&scope=%s", redirect_uri, strchr (redirect_uri, '?') ? '&' : '?',
                              escaped_code, state ? "&state=" : "", state ? escaped_state : "", escaped_scope);
  soup_server_message_set_redirect (msg, 302, location);
  return NULL;
}

/* The account behind the request's bearer token, or NULL with the 401 to send in @out_reply. */
static MockAccount *
authorize (AgMockServer *self, SoupServerMessage *msg, AgMockReply **out_reply)
{
  const char *header = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                     "Authorization");
  const char *token = NULL;
  MockToken *record = NULL;
  MockAccount *account = NULL;

  if (header == NULL || g_ascii_strncasecmp (header, "Bearer ", 7) != 0)
    {
      *out_reply = unauthenticated (MISSING_CREDENTIALS_MESSAGE);
      return NULL;
    }
  token = header + 7;
  record = g_hash_table_lookup (self->access_tokens, token);
  if (record != NULL && g_get_monotonic_time () < record->expires_at_us)
    account = find_account (self, "email", record->email);
  else if (record == NULL)
    account = find_account (self, "access_token", token);
  if (account == NULL)
    *out_reply = unauthenticated (NULL);
  return account;
}

static AgMockReply *
handle_userinfo (AgMockServer *self, SoupServerMessage *msg)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  AgMockReply *reply = NULL;
  MockAccount *account = authorize (self, msg, &reply);
  g_autofree char *id = NULL;
  g_autofree char *picture = NULL;

  if (account == NULL)
    return reply;
  id = g_strdup_printf ("1000000000000000%05u", account->index);
  picture = g_strdup_printf ("https://lh3.googleusercontent.com/a/mock-user-%u=s96-c", account->index);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_string_value (b, id);
  json_builder_set_member_name (b, "email");
  json_builder_add_string_value (b, account->email);
  json_builder_set_member_name (b, "verified_email");
  json_builder_add_boolean_value (b, TRUE);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, account->name);
  json_builder_set_member_name (b, "picture");
  json_builder_add_string_value (b, picture);
  json_builder_end_object (b);
  return json_reply (200, json_builder_get_root (b));
}

/* Cloud Code setup: loadCodeAssist, onboardUser, fetchAvailableModels, countTokens */

static gboolean
is_onboarded (MockAccount *account)
{
  return !account->onboard || account->onboard_calls >= 2;
}

static AgMockReply *
load_code_assist (MockAccount *account)
{
#define FREE_TIER(extra) \
    "{\"id\":\"free-tier\",\"name\":\"Gemini Code Assist for individuals\"," \
    "\"description\":\"Gemini Code Assist for individuals, with Antigravity agent access.\"," \
    "\"userDefinedCloudaicompanionProject\":false" extra "}"
  const char *current = FREE_TIER ("");
  const char *allowed_free = FREE_TIER (",\"isDefault\":true");
#undef FREE_TIER
  g_autofree char *project = g_strdup_printf (",\"cloudaicompanionProject\":\"%s\"", account->project);
  g_autofree char *paid = ag_mock_account_state_paid_tier (&account->trouble);
  gboolean onboarded = is_onboarded (account);

  /* A new user has neither a current tier nor a project until onboardUser finishes. */
  return json_reply_printf (200, "{%s%s%s%s\"allowedTiers\":[%s,{\"id\":\"standard-tier\",\"name\":\"Gemini Code Assist\","
                            "\"description\":\"Unlimited coding assistant with the most powerful Gemini models\","
                            "\"userDefinedCloudaicompanionProject\":true}]%s}",
                            onboarded ? "\"currentTier\":" : "", onboarded ? current : "",
                            onboarded ? "," : "", paid, allowed_free, onboarded ? project : "");
}

static AgMockReply *
onboard_user (MockAccount *account, JsonObject *body)
{
  if (ag_mock_json_string (body, "tierId") == NULL && ag_mock_json_string (body, "tier_id") == NULL)
    return invalid_argument ("Request contains an invalid argument.", "tier_id", "Required field is missing.");

  /* A long-running operation: pending on the first call, done from the second on. */
  account->onboard_calls++;
  if (account->onboard_calls < 2)
    return json_reply_printf (200, "{\"name\":\"operations/onboard-%s\",\"done\":false}", account->project);
  return json_reply_printf (200, "{\"name\":\"operations/onboard-%s\",\"done\":true,\"response\":{"
                            "\"@type\":\"type.googleapis.com/google.internal.cloud.code.v1internal.OnboardUserResponse\","
                            "\"cloudaicompanionProject\":{\"id\":\"%s\",\"name\":\"%s\",\"projectNumber\":\"%u\"}}}",
                            account->project, account->project, account->project, 225970721 + account->index);
}

static AgMockReply *
fetch_available_models (AgMockServer *self)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "models");
  json_builder_add_value (b, json_node_copy (self->script->models));
  json_builder_set_member_name (b, "deprecatedModelIds");
  json_builder_add_value (b, json_node_copy (self->script->deprecated_models));
  json_builder_set_member_name (b, "webSearchModelIds");
  json_builder_add_value (b, ag_mock_grounding_model_ids (json_node_get_object (self->script->root)));
  json_builder_end_object (b);
  return json_reply (200, json_builder_get_root (b));
}

static AgMockReply *
count_tokens (AgMockServer *self, gsize body_len)
{
  gint64 total = self->script->count_tokens >= 0 ? self->script->count_tokens : (gint64) (body_len + 3) / 4;

  return json_reply_printf (200, "{\"totalTokens\":%" G_GINT64_FORMAT "}", total);
}

/* Generation */

static gboolean
is_generate_method (const char *method)
{
  return g_str_equal (method, "streamGenerateContent") || g_str_equal (method, "generateContent");
}

/* docs/upstream-cloudcode.md#envelope: the envelope must carry project, model and request.contents; countTokens takes
 * only {"request":…}. */
static AgMockReply *
validate_envelope (const char *method, JsonObject *body)
{
  if (g_str_equal (method, "countTokens"))
    {
      g_autoptr(GList) names = json_object_get_members (body);

      for (GList *l = names; l != NULL; l = l->next)
        if (!g_str_equal (l->data, "request"))
          {
            g_autofree char *message = g_strdup_printf ("Invalid JSON payload received. Unknown name \"%s\": "
                                                        "Cannot find field.", (const char *) l->data);
            return invalid_argument (message, NULL, message);
          }
      if (ag_mock_json_object (body, "request") == NULL)
        return invalid_argument ("Request contains an invalid argument.", "request", "Required field is missing.");
      return NULL;
    }
  if (!is_generate_method (method))
    return NULL;

  if (ag_mock_json_string (body, "project") == NULL || *ag_mock_json_string (body, "project") == '\0')
    return invalid_argument ("Request contains an invalid argument.", "project", "Required field is missing.");
  if (ag_mock_json_string (body, "model") == NULL || *ag_mock_json_string (body, "model") == '\0')
    return invalid_argument ("Request contains an invalid argument.", "model", "Required field is missing.");
  if (ag_mock_json_array (ag_mock_json_object (body, "request"), "contents") == NULL ||
      json_array_get_length (ag_mock_json_array (ag_mock_json_object (body, "request"), "contents")) == 0)
    return invalid_argument ("* GenerateContentRequest.contents: contents is not specified\n", "request.contents",
                             "contents is not specified");
  return NULL;
}

static JsonArray *
last_content_parts (JsonObject *envelope)
{
  JsonArray *contents = ag_mock_json_array (ag_mock_json_object (envelope, "request"), "contents");
  guint n = contents != NULL ? json_array_get_length (contents) : 0;
  JsonNode *last = n > 0 ? json_array_get_element (contents, n - 1) : NULL;

  return last != NULL && JSON_NODE_HOLDS_OBJECT (last) ? ag_mock_json_array (json_node_get_object (last), "parts")
                                                       : NULL;
}

static gboolean
rule_matches (JsonObject *match, const char *method, JsonObject *envelope, MockAccount *account)
{
  const char *wanted_method = ag_mock_json_string (match, "method");
  const char *model = ag_mock_json_string (match, "model");
  const char *text = ag_mock_json_string (match, "text_contains");
  const char *email = ag_mock_json_string (match, "account");
  const char *answer_text = ag_mock_json_string (match, "function_response_contains");
  gboolean answer_found = FALSE;
  JsonArray *parts = last_content_parts (envelope);
  gboolean text_found = FALSE;
  gboolean has_function_response = FALSE;

  if (wanted_method != NULL ? !g_str_equal (wanted_method, method) : !is_generate_method (method))
    return FALSE;
  if (model != NULL && g_strcmp0 (model, ag_mock_json_string (envelope, "model")) != 0)
    return FALSE;
  if (email != NULL && g_strcmp0 (email, account->email) != 0)
    return FALSE;

  for (guint i = 0; parts != NULL && i < json_array_get_length (parts); i++)
    {
      JsonNode *node = json_array_get_element (parts, i);
      JsonObject *part = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      const char *part_text = ag_mock_json_string (part, "text");

      if (text != NULL && part_text != NULL && strstr (part_text, text) != NULL)
        text_found = TRUE;
      if (ag_mock_json_object (part, "functionResponse") != NULL)
        {
          g_autofree char *answer = json_to_string (json_object_get_member (part, "functionResponse"), FALSE);

          has_function_response = TRUE;
          /* Compared with the JSON text, so a span holding quotes or newlines is given escaped. */
          if (answer_text != NULL && strstr (answer, answer_text) != NULL)
            answer_found = TRUE;
        }
    }
  if (answer_text != NULL && !answer_found)
    return FALSE;
  if (text != NULL && !text_found)
    return FALSE;
  if (match != NULL && json_object_has_member (match, "has_function_response") &&
      ag_mock_json_bool (match, "has_function_response", FALSE) != has_function_response)
    return FALSE;
  return TRUE;
}

static JsonObject *
take_matching_rule (AgMockServer *self, const char *method, JsonObject *envelope, MockAccount *account)
{
  for (guint i = 0; i < self->script->rules->len; i++)
    {
      MockRule *rule = self->script->rules->pdata[i];

      if (rule->remaining == 0 || !rule_matches (rule->match, method, envelope, account))
        continue;
      if (rule->remaining > 0)
        rule->remaining--;
      return rule->respond;
    }
  return NULL;
}

static JsonNode *
wrap_response (JsonNode *chunk, const char *trace_id)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "response");
  json_builder_add_value (b, json_node_copy (chunk));
  json_builder_set_member_name (b, "traceId");
  json_builder_add_string_value (b, trace_id);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static AgMockReply *
generate (AgMockServer *self, const char *method, gboolean sse, JsonObject *respond, JsonObject *envelope,
          gsize body_len)
{
  gboolean streaming = g_str_equal (method, "streamGenerateContent");
  JsonArray *scripted_chunks = ag_mock_json_array (respond, "chunks");
  g_autoptr(GPtrArray) chunks = NULL;
  g_autofree char *trace_id = ag_mock_trace_id ();
  AgMockReply *reply = NULL;

  if (scripted_chunks != NULL)
    {
      chunks = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
      for (guint i = 0; i < json_array_get_length (scripted_chunks); i++)
        g_ptr_array_add (chunks, json_node_copy (json_array_get_element (scripted_chunks, i)));
    }
  else
    {
      chunks = ag_mock_generate_chunks (respond, envelope, body_len, streaming);
      if (ag_mock_grounding_requested (envelope))
        ag_mock_grounding_attach (chunks, respond, envelope);
    }
  ag_mock_history_remember (self->issued_signatures, ag_mock_json_string (envelope, "model"), chunks);

  if (!streaming)
    {
      g_autoptr(JsonNode) merged = ag_mock_merge_chunks (chunks);
      reply = json_reply (200, wrap_response (merged, trace_id));
    }
  else if (sse)
    {
      reply = ag_mock_reply_new (200, "text/event-stream");
      for (guint i = 0; i < chunks->len; i++)
        {
          g_autoptr(JsonNode) wrapped = wrap_response (chunks->pdata[i], trace_id);
          g_autofree char *json = json_to_string (wrapped, FALSE);
          g_autofree char *event = g_strdup_printf ("data: %s\n\n", json);
          ag_mock_reply_append (reply, event, -1);
        }
    }
  else
    {
      /* Without alt=sse Google streams one JSON array of the same responses. */
      reply = ag_mock_reply_new (200, JSON_TYPE);
      for (guint i = 0; i < chunks->len; i++)
        {
          g_autoptr(JsonNode) wrapped = wrap_response (chunks->pdata[i], trace_id);
          g_autofree char *json = json_to_string (wrapped, FALSE);
          g_autofree char *piece = g_strdup_printf ("%s%s%s", i == 0 ? "[" : ",\r\n", json,
                                                    i + 1 == chunks->len ? "]" : "");
          ag_mock_reply_append (reply, piece, -1);
        }
      if (chunks->len == 0)
        ag_mock_reply_append (reply, "[]", -1);
    }
  ag_mock_reply_set_streamed (reply, streaming);
  ag_mock_reply_add_header (reply, "x-cloudaicompanion-trace-id", trace_id);
  return reply;
}

/* The scripted answer that replaces the method's normal one, or NULL when @respond only adds faults. */
static AgMockReply *
scripted_reply (AgMockServer *self, const char *method, gboolean sse, JsonObject *respond, JsonObject *envelope,
                gsize body_len)
{
  const char *preset = ag_mock_json_string (respond, "error_preset");
  JsonObject *error = ag_mock_json_object (respond, "error");
  gint64 status = ag_mock_json_int (respond, "status", -1);
  AgMockReply *reply = NULL;

  if (preset != NULL)
    {
      guint preset_status = 500;
      JsonNode *body = ag_mock_error_preset (preset, respond, ag_mock_json_string (envelope, "model"),
                                             &preset_status, NULL);
      return json_reply (status >= 0 ? (guint) status : preset_status, body);
    }
  if (error != NULL)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "error");
      json_builder_add_value (b, json_node_copy (json_object_get_member (respond, "error")));
      json_builder_end_object (b);
      return json_reply (status >= 0 ? (guint) status : (guint) ag_mock_json_int (error, "code", 500),
                         json_builder_get_root (b));
    }
  if (ag_mock_json_string (respond, "raw") != NULL)
    {
      const char *type = ag_mock_json_string (respond, "content_type");
      gboolean event_stream = g_str_equal (method, "streamGenerateContent") && sse;

      reply = ag_mock_reply_new (status >= 0 ? (guint) status : 200,
                                 type ?: (event_stream ? "text/event-stream" : JSON_TYPE));
      ag_mock_reply_append (reply, ag_mock_json_string (respond, "raw"), -1);
      ag_mock_reply_set_streamed (reply, event_stream);
      return reply;
    }
  if (json_object_has_member (respond, "body"))
    return json_reply (status >= 0 ? (guint) status : 200, json_node_copy (json_object_get_member (respond, "body")));
  if (status >= 0 && status != 200)
    return json_reply ((guint) status, ag_mock_error_body ((guint) status, NULL));
  if (is_generate_method (method))
    return generate (self, method, sse, respond, envelope, body_len);
  return NULL;
}

/* What Google refuses in the history itself, before any script applies (see ag-mock-history.h). */
static AgMockReply *
refuse_history (AgMockServer *self, JsonObject *envelope, gsize body_len)
{
  JsonObject *models = JSON_NODE_HOLDS_OBJECT (self->script->models) ? json_node_get_object (self->script->models)
                                                                       : NULL;
  JsonObject *model = ag_mock_json_object (models, ag_mock_json_string (envelope, "model"));
  guint status = 400;
  JsonNode *refusal = ag_mock_history_check (envelope, self->issued_signatures,
                                             ag_mock_json_int (model, "maxTokens", 0), body_len, &status);

  return refusal != NULL ? json_reply (status, refusal) : NULL;
}

/* What Google holds against the account itself (a ban, a verification, the Gemini CLI tier), before any script. */
static AgMockReply *
refuse_for_account (AgMockServer *self, SoupServerMessage *msg, const char *method, JsonObject *envelope,
                    MockAccount *account)
{
  guint status = 0;
  JsonNode *refusal = ag_mock_account_state_refusal (&account->trouble, method,
                                                     soup_server_message_get_request_headers (msg), account->email,
                                                     envelope, &status);

  return refusal != NULL ? json_reply (status, refusal) : NULL;
}

/* What finishing Google's verification page does: the account is served again. */
static AgMockReply *
verify_account (AgMockServer *self, GHashTable *query, GBytes *body)
{
  g_autoptr(JsonNode) json = parse_json_or_null (body);
  const char *email = query != NULL ? g_hash_table_lookup (query, "account") : NULL;
  MockAccount *account;
  AgMockReply *reply;

  if (email == NULL && json != NULL && JSON_NODE_HOLDS_OBJECT (json))
    email = ag_mock_json_string (json_node_get_object (json), "account");
  account = email != NULL ? find_account (self, "email", email) : NULL;
  if (account == NULL)
    return json_reply (404, ag_mock_error_body (404, "No such account."));
  account->trouble.needs_verification = FALSE;
  reply = ag_mock_reply_new (200, "text/html; charset=utf-8");
  ag_mock_reply_append (reply, "<html><body>Your account is verified. You can close this page.</body></html>", -1);
  return reply;
}

static AgMockReply *
handle_v1internal (AgMockServer *self, SoupServerMessage *msg, const char *method, GHashTable *query,
                   GBytes *body, JsonNode *body_json)
{
  AgMockReply *reply = NULL;
  MockAccount *account = authorize (self, msg, &reply);
  JsonObject *envelope = NULL;
  JsonObject *respond = NULL;
  JsonNode *refusal;
  gboolean sse = query != NULL && g_strcmp0 (g_hash_table_lookup (query, "alt"), "sse") == 0;
  gsize body_len = g_bytes_get_size (body);

  if (account == NULL)
    return reply;
  if (g_strcmp0 (soup_server_message_get_method (msg), "POST") != 0)
    return json_reply (404, ag_mock_error_body (404, NULL));
  if (body_json == NULL || !JSON_NODE_HOLDS_OBJECT (body_json))
    return invalid_argument ("Invalid JSON payload received. Expected an object.", NULL,
                             "Invalid JSON payload received. Expected an object.");
  envelope = json_node_get_object (body_json);
  if ((reply = validate_envelope (method, envelope)) != NULL)
    return reply;
  if ((reply = refuse_for_account (self, msg, method, envelope, account)) != NULL)
    return reply;
  if (is_generate_method (method) && (reply = refuse_history (self, envelope, body_len)) != NULL)
    return reply;
  if (is_generate_method (method) && (refusal = ag_mock_grounding_refusal (envelope)) != NULL)
    return json_reply (400, refusal);

  respond = take_matching_rule (self, method, envelope, account);
  if (respond != NULL)
    reply = scripted_reply (self, method, sse, respond, envelope, body_len);

  if (reply == NULL)
    {
      if (is_generate_method (method))
        reply = generate (self, method, sse, respond, envelope, body_len);
      else if (g_str_equal (method, "loadCodeAssist"))
        reply = load_code_assist (account);
      else if (g_str_equal (method, "onboardUser"))
        reply = onboard_user (account, envelope);
      else if (g_str_equal (method, "fetchAvailableModels"))
        reply = fetch_available_models (self);
      else if (g_str_equal (method, "countTokens"))
        reply = count_tokens (self, body_len);
      else if (g_str_equal (method, "retrieveUserQuotaSummary"))
        reply = json_reply (200, ag_mock_account_state_quota_summary (&account->trouble));
      else
        reply = json_reply (404, ag_mock_error_body (404, "Method not found."));
    }
  if (respond != NULL)
    ag_mock_reply_apply_script (reply, respond);
  return reply;
}

/* The Antigravity update manifest (electron-builder YAML) that the version check reads; the script's
 * "manifest_version" sets the version, "manifest_status" the status. */
static AgMockReply *
handle_manifest (AgMockServer *self)
{
  JsonObject *root = json_node_get_object (self->script->root);
  const char *version = json_object_has_member (root, "manifest_version")
                        ? json_object_get_string_member (root, "manifest_version") : "2.14.3";
  guint status = (guint) ag_mock_json_int (root, "manifest_status", 200);
  AgMockReply *reply = ag_mock_reply_new (status, "text/yaml");
  g_autofree char *yaml = g_strdup_printf ("version: %s\nfiles:\n  - url: Antigravity-%s-arm64-mac.zip\n"
                                           "    sha512: bW9jaw==\n    size: 1\npath: Antigravity-%s-arm64-mac.zip\n"
                                           "sha512: bW9jaw==\nreleaseDate: '2026-11-20T10:00:00.000Z'\n",
                                           version, version, version);

  ag_mock_reply_append (reply, status == 200 ? yaml : "<html>unavailable</html>", -1);
  return reply;
}

/* Control endpoints */

static AgMockReply *
handle_control (AgMockServer *self, const char *path, GHashTable *query, GBytes *body)
{
  if (g_str_equal (path, "/_mock/verify"))
    return verify_account (self, query, body);
  if (g_str_equal (path, "/_mock/requests"))
    return json_reply (200, ag_mock_server_get_requests (self));
  if (g_str_equal (path, "/_mock/reset"))
    {
      ag_mock_server_reset (self);
      return json_reply_printf (200, "{\"ok\":true}");
    }
  if (g_str_equal (path, "/_mock/script"))
    {
      gsize len = 0;
      const char *data = g_bytes_get_data (body, &len);
      g_autofree char *text = g_strndup (data != NULL ? data : "", len);
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonBuilder) b = NULL;

      if (ag_mock_server_set_script_json (self, text, &error))
        return json_reply_printf (200, "{\"ok\":true}");
      b = json_builder_new ();
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "error");
      json_builder_add_string_value (b, error->message);
      json_builder_end_object (b);
      return json_reply (400, json_builder_get_root (b));
    }
  return json_reply (404, ag_mock_error_body (404, NULL));
}

static void
handle_request (SoupServer        *server,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query,
                gpointer           user_data)
{
  AgMockServer *self = user_data;
  g_autoptr(GBytes) body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  g_autoptr(JsonNode) body_json = parse_json_or_null (body);
  const char *v1internal = strstr (path, "/v1internal:");
  AgMockReply *reply = NULL;

  if (g_str_has_prefix (path, "/_mock/"))
    reply = handle_control (self, path, query, body);
  else
    {
      record_request (self, msg, path, body, body_json);
      if (v1internal != NULL)
        reply = handle_v1internal (self, msg, v1internal + strlen ("/v1internal:"), query, body, body_json);
      else if (g_str_has_suffix (path, "/token"))
        reply = handle_token (self, msg, body);
      else if (g_str_has_suffix (path, "/auth"))
        reply = handle_auth (self, msg, query);
      else if (g_str_has_suffix (path, "/userinfo"))
        reply = handle_userinfo (self, msg);
      else if (g_str_has_suffix (path, "/manifest/latest-arm64-mac.yml"))
        reply = handle_manifest (self);
      else
        reply = json_reply (404, ag_mock_error_body (404, NULL));
    }
  if (reply != NULL)
    {
      ag_mock_reply_add_header (reply, "Server", "ESF");
      ag_mock_reply_send (reply, msg, &self->active_replies);
    }
}

/* GObject */

static void
ag_mock_server_dispose (GObject *object)
{
  AgMockServer *self = AG_MOCK_SERVER (object);

  if (self->server != NULL)
    soup_server_disconnect (self->server);
  ag_mock_reply_cancel_all (&self->active_replies);
  g_clear_object (&self->server);
  G_OBJECT_CLASS (ag_mock_server_parent_class)->dispose (object);
}

static void
ag_mock_server_finalize (GObject *object)
{
  AgMockServer *self = AG_MOCK_SERVER (object);

  g_clear_pointer (&self->script, mock_script_free);
  g_clear_pointer (&self->access_tokens, g_hash_table_unref);
  g_clear_pointer (&self->auth_codes, g_hash_table_unref);
  g_clear_pointer (&self->path_counts, g_hash_table_unref);
  g_clear_pointer (&self->issued_signatures, g_hash_table_unref);
  g_queue_clear_full (&self->log, (GDestroyNotify) json_node_unref);
  G_OBJECT_CLASS (ag_mock_server_parent_class)->finalize (object);
}

static void
ag_mock_server_class_init (AgMockServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ag_mock_server_dispose;
  object_class->finalize = ag_mock_server_finalize;
}

static void
ag_mock_server_init (AgMockServer *self)
{
  self->server = soup_server_new ("server-header", "ESF", NULL);
  soup_server_add_handler (self->server, NULL, handle_request, self, NULL);
  self->script = parse_script (NULL, NULL);
  self->access_tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) mock_token_free);
  self->auth_codes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) mock_auth_code_free);
  self->path_counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->issued_signatures = ag_mock_history_issued_new ();
  g_queue_init (&self->log);
  g_queue_init (&self->active_replies);
}

/* Public API */

AgMockServer *
ag_mock_server_new (void)
{
  return g_object_new (AG_TYPE_MOCK_SERVER, NULL);
}

gboolean
ag_mock_server_listen (AgMockServer *self, guint port, GError **error)
{
  GSList *uris = NULL;

  g_return_val_if_fail (AG_IS_MOCK_SERVER (self), FALSE);

  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, (guint16) port);
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, error);

  if (socket == NULL)
    return FALSE;
  /* Room for ag-cl's bursts of new connections (64 streams at once in the load test): with GLib's default backlog
   * of 10 the kernel reset some of them while the test's main loop was busy. */
  g_socket_set_listen_backlog (socket, 512);
  if (!g_socket_bind (socket, address, TRUE, error) || !g_socket_listen (socket, error) ||
      !soup_server_listen_socket (self->server, socket,
                                  soup_server_get_tls_certificate (self->server) != NULL ? SOUP_SERVER_LISTEN_HTTPS : 0,
                                  error))
    return FALSE;
  uris = soup_server_get_uris (self->server);
  if (uris != NULL)
    self->port = (guint) g_uri_get_port (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return TRUE;
}

guint
ag_mock_server_get_port (AgMockServer *self)
{
  g_return_val_if_fail (AG_IS_MOCK_SERVER (self), 0);
  return self->port;
}

char *
ag_mock_server_get_base_url (AgMockServer *self)
{
  g_return_val_if_fail (AG_IS_MOCK_SERVER (self), NULL);
  return g_strdup_printf ("%s://127.0.0.1:%u", soup_server_is_https (self->server) ? "https" : "http", self->port);
}

void
ag_mock_server_set_tls_certificate (AgMockServer *self, GTlsCertificate *certificate)
{
  g_return_if_fail (AG_IS_MOCK_SERVER (self));
  g_return_if_fail (self->port == 0);

  soup_server_set_tls_certificate (self->server, certificate);
}

char **
ag_mock_server_environ (AgMockServer *self, char **envp)
{
  g_autofree char *base = ag_mock_server_get_base_url (self);
  g_autofree char *token_url = g_strconcat (base, "/token", NULL);
  g_autofree char *auth_url = g_strconcat (base, "/auth", NULL);
  g_autofree char *userinfo_url = g_strconcat (base, "/userinfo", NULL);
  g_autofree char *manifest_url = g_strconcat (base, "/manifest/latest-arm64-mac.yml", NULL);

  envp = g_environ_setenv (envp, "AGCL_CLOUDCODE_ENDPOINTS", base, TRUE);
  envp = g_environ_setenv (envp, "AGCL_OAUTH_TOKEN_URL", token_url, TRUE);
  envp = g_environ_setenv (envp, "AGCL_OAUTH_AUTH_URL", auth_url, TRUE);
  envp = g_environ_setenv (envp, "AGCL_USERINFO_URL", userinfo_url, TRUE);
  envp = g_environ_setenv (envp, "AGCL_VERSION_MANIFEST_URL", manifest_url, TRUE);
  return envp;
}

gboolean
ag_mock_server_set_script (AgMockServer *self, JsonNode *script, GError **error)
{
  MockScript *parsed = NULL;

  g_return_val_if_fail (AG_IS_MOCK_SERVER (self), FALSE);

  parsed = parse_script (script, error);
  if (parsed == NULL)
    return FALSE;
  mock_script_free (self->script);
  self->script = parsed;
  return TRUE;
}

gboolean
ag_mock_server_set_script_json (AgMockServer *self, const char *script_json, GError **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();

  g_return_val_if_fail (AG_IS_MOCK_SERVER (self), FALSE);

  if (!json_parser_load_from_data (parser, script_json, -1, error))
    return FALSE;
  return ag_mock_server_set_script (self, json_parser_get_root (parser), error);
}

void
ag_mock_server_reset (AgMockServer *self)
{
  g_return_if_fail (AG_IS_MOCK_SERVER (self));

  mock_script_free (self->script);
  self->script = parse_script (NULL, NULL);
  g_queue_clear_full (&self->log, (GDestroyNotify) json_node_unref);
  g_hash_table_remove_all (self->path_counts);
  g_hash_table_remove_all (self->auth_codes);
}

JsonNode *
ag_mock_server_get_requests (AgMockServer *self)
{
  JsonArray *array = NULL;
  JsonNode *node = NULL;

  g_return_val_if_fail (AG_IS_MOCK_SERVER (self), NULL);

  array = json_array_sized_new (self->log.length);
  for (GList *l = self->log.head; l != NULL; l = l->next)
    json_array_add_element (array, json_node_copy (l->data));
  node = json_node_new (JSON_NODE_ARRAY);
  json_node_take_array (node, array);
  return node;
}

guint
ag_mock_server_count_requests (AgMockServer *self, const char *method_suffix)
{
  GHashTableIter iter;
  gpointer path, count;
  guint total = 0;

  g_return_val_if_fail (AG_IS_MOCK_SERVER (self), 0);

  g_hash_table_iter_init (&iter, self->path_counts);
  while (g_hash_table_iter_next (&iter, &path, &count))
    if (g_str_has_suffix (path, method_suffix))
      total += GPOINTER_TO_UINT (count);
  return total;
}
