/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-request-guard.c — who may use the proxy; see the header. */
#include "ag-request-guard-private.h"
#include "ag-peer-user.h"

#include <string.h>
#include <unistd.h>

/* What a refusal quotes of a header the client chose: short and printable. */
#define QUOTED_HEADER_MAX 120

struct _AgRequestGuard {
  GObject   parent_instance;
  char     *api_key;              /* NULL: none set */
  gboolean  require_api_key;
  char    **allowed_hosts;        /* lowercase patterns */
  char    **allowed_origins;      /* lowercase patterns, without a trailing "/" */
  GInetAddress *listen_address;   /* nullable */
};

G_DEFINE_FINAL_TYPE (AgRequestGuard, ag_request_guard, G_TYPE_OBJECT)

enum { PROP_0, PROP_REQUIRE_API_KEY, N_PROPS };
static GParamSpec *properties[N_PROPS];

static void
ag_request_guard_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  AgRequestGuard *self = AG_REQUEST_GUARD (object);

  switch (prop_id)
    {
    case PROP_REQUIRE_API_KEY:
      g_value_set_boolean (value, self->require_api_key);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wipe_key (AgRequestGuard *self)
{
  if (self->api_key != NULL)
    memset (self->api_key, 0, strlen (self->api_key));
  g_clear_pointer (&self->api_key, g_free);
}

static void
ag_request_guard_finalize (GObject *object)
{
  AgRequestGuard *self = AG_REQUEST_GUARD (object);

  wipe_key (self);
  g_strfreev (self->allowed_hosts);
  g_strfreev (self->allowed_origins);
  g_clear_object (&self->listen_address);
  G_OBJECT_CLASS (ag_request_guard_parent_class)->finalize (object);
}

static void
ag_request_guard_class_init (AgRequestGuardClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ag_request_guard_finalize;
  G_OBJECT_CLASS (klass)->get_property = ag_request_guard_get_property;

  /* The service follows it: a key must exist while it is on. */
  properties[PROP_REQUIRE_API_KEY] =
    g_param_spec_boolean ("require-api-key", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (G_OBJECT_CLASS (klass), N_PROPS, properties);
}

static void
ag_request_guard_init (AgRequestGuard *self)
{
  self->allowed_hosts = g_new0 (char *, 1);
  self->allowed_origins = g_new0 (char *, 1);
}

AgRequestGuard *
ag_request_guard_new (void)
{
  return g_object_new (AG_TYPE_REQUEST_GUARD, NULL);
}

void
ag_guard_verdict_clear (AgGuardVerdict *verdict)
{
  g_clear_pointer (&verdict->message, g_free);
  g_clear_pointer (&verdict->detail, g_free);
  verdict->decision = AG_GUARD_ALLOW;
  verdict->status = 0;
  verdict->error_type = NULL;
}

void
ag_request_guard_set_api_key (AgRequestGuard *self, const char *key)
{
  wipe_key (self);
  if (key != NULL && key[0] != '\0')
    self->api_key = g_strdup (key);
}

gboolean
ag_request_guard_has_api_key (AgRequestGuard *self)
{
  return self->api_key != NULL;
}

void
ag_request_guard_set_require_api_key (AgRequestGuard *self, gboolean required)
{
  if (self->require_api_key == required)
    return;
  self->require_api_key = required;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REQUIRE_API_KEY]);
}

gboolean
ag_request_guard_get_require_api_key (AgRequestGuard *self)
{
  return self->require_api_key;
}

/* Lowercase, blank entries dropped, each without the trailing character @strip (NUL: none). */
static char **
normalized_list (const char * const *entries, char strip)
{
  GPtrArray *list = g_ptr_array_new ();

  for (gsize i = 0; entries != NULL && entries[i] != NULL; i++)
    {
      g_autofree char *copy = g_strdup (entries[i]);
      char *entry = g_ascii_strdown (g_strstrip (copy), -1);
      gsize length = strlen (entry);

      if (strip != '\0' && length > 0 && entry[length - 1] == strip)
        entry[--length] = '\0';
      if (length > 0)
        g_ptr_array_add (list, entry);
      else
        g_free (entry);
    }
  g_ptr_array_add (list, NULL);
  return (char **) g_ptr_array_free (list, FALSE);
}

void
ag_request_guard_set_allowed_hosts (AgRequestGuard *self, const char * const *hosts)
{
  g_strfreev (self->allowed_hosts);
  self->allowed_hosts = normalized_list (hosts, '.');
}

void
ag_request_guard_set_allowed_origins (AgRequestGuard *self, const char * const *origins)
{
  g_strfreev (self->allowed_origins);
  self->allowed_origins = normalized_list (origins, '/');
}

void
ag_request_guard_set_listen_address (AgRequestGuard *self, const char *address)
{
  g_clear_object (&self->listen_address);
  if (address != NULL)
    self->listen_address = g_inet_address_new_from_string (address);
}

gboolean
ag_request_guard_is_open_route (const char *method, const char *path)
{
  if (g_strcmp0 (method, SOUP_METHOD_GET) != 0 && g_strcmp0 (method, SOUP_METHOD_HEAD) != 0)
    return FALSE;
  return g_str_equal (path, "/") || g_str_equal (path, "/healthz");
}

static gboolean
matches_any (char * const *patterns, const char *value)
{
  g_autofree char *lower = g_ascii_strdown (value, -1);

  for (gsize i = 0; patterns[i] != NULL; i++)
    if (g_pattern_match_simple (patterns[i], lower))
      return TRUE;
  return FALSE;
}

/* A header value as a refusal may quote it: printable ASCII, at most QUOTED_HEADER_MAX characters. */
static char *
quoted (const char *value)
{
  GString *text = g_string_new (NULL);

  for (const char *c = value; *c != '\0' && text->len < QUOTED_HEADER_MAX; c++)
    g_string_append_c (text, g_ascii_isprint (*c) ? *c : '?');
  if (strlen (value) > QUOTED_HEADER_MAX)
    g_string_append (text, "…");
  return g_string_free (text, FALSE);
}

/* The name of a Host header without its port, lowercase, without a trailing dot; IPv6 without its brackets. */
static char *
host_name (const char *host)
{
  const char *end;
  char *name;
  gsize length;

  if (host[0] == '[')
    {
      end = strchr (host, ']');
      return end != NULL ? g_ascii_strdown (host + 1, end - host - 1) : g_ascii_strdown (host, -1);
    }
  end = strchr (host, ':');
  /* Two colons and no brackets is no valid Host; kept whole, it matches nothing allowed. */
  if (end != NULL && strchr (end + 1, ':') != NULL)
    end = NULL;
  name = g_ascii_strdown (host, end != NULL ? end - host : -1);
  length = strlen (name);
  if (length > 0 && name[length - 1] == '.')
    name[length - 1] = '\0';
  return name;
}

static gboolean
is_wildcard (GInetAddress *address)
{
  return address != NULL && g_inet_address_get_is_any (address);
}

/* This machine by a name no one else controls: the loopback names and addresses, the address ag-cl listens on
 * (any address literal when it listens on all of them: a literal cannot be rebound), or a name the user allowed. */
static gboolean
host_is_served (AgRequestGuard *self, const char *host)
{
  g_autofree char *name = host_name (host);
  g_autoptr(GInetAddress) literal = g_inet_address_new_from_string (name);

  if (g_str_equal (name, "localhost") || g_str_has_suffix (name, ".localhost"))
    return TRUE;
  if (literal != NULL && (g_inet_address_get_is_loopback (literal) || is_wildcard (self->listen_address) ||
                          (self->listen_address != NULL && g_inet_address_equal (literal, self->listen_address))))
    return TRUE;
  return matches_any (self->allowed_hosts, name);
}

static gboolean
origin_is_allowed (AgRequestGuard *self, const char *origin)
{
  return matches_any (self->allowed_origins, origin);
}

/* Compares in time that depends only on the lengths, so a client cannot find the key byte by byte. */
static gboolean
key_matches (const char *given, const char *expected)
{
  gsize given_length = strlen (given);
  gsize expected_length = strlen (expected);
  guchar difference = given_length != expected_length;

  for (gsize i = 0; i < expected_length; i++)
    difference |= (guchar) expected[i] ^ (guchar) (i < given_length ? given[i] : 0);
  return difference == 0;
}

/* Wherever a client puts it: Claude Code and the Anthropic SDKs send x-api-key (ANTHROPIC_API_KEY) or a Bearer
 * token (ANTHROPIC_AUTH_TOKEN), the OpenAI SDKs and Codex a Bearer token, Gemini clients x-goog-api-key or ?key=. */
static gboolean
key_was_sent (AgRequestGuard *self, SoupMessageHeaders *headers, GHashTable *query)
{
  const char *api_key = soup_message_headers_get_one (headers, "x-api-key");
  const char *goog_key = soup_message_headers_get_one (headers, "x-goog-api-key");
  const char *authorization = soup_message_headers_get_one (headers, "Authorization");
  const char *query_key = query != NULL ? g_hash_table_lookup (query, "key") : NULL;
  gboolean sent = FALSE;

  if (self->api_key == NULL)
    return FALSE;
  if (api_key != NULL)
    sent |= key_matches (api_key, self->api_key);
  if (goog_key != NULL)
    sent |= key_matches (goog_key, self->api_key);
  if (query_key != NULL)
    sent |= key_matches (query_key, self->api_key);
  if (authorization != NULL && g_ascii_strncasecmp (authorization, "Bearer ", 7) == 0)
    sent |= key_matches (authorization + 7, self->api_key);
  return sent;
}

static gboolean
has_body (SoupMessageHeaders *headers)
{
  return soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CHUNKED ||
         soup_message_headers_get_content_length (headers) > 0;
}

static gboolean
refuse (AgGuardVerdict *verdict, AgGuardDecision decision, guint status, const char *error_type, char *message,
        char *detail)
{
  verdict->decision = decision;
  verdict->status = status;
  verdict->error_type = error_type;
  verdict->message = message;
  verdict->detail = detail;
  return FALSE;
}

/* Loopback clients of this user need no key unless the user asked for one; anyone else does. */
static gboolean
check_client (AgRequestGuard *self, const AgGuardRequest *request, AgGuardVerdict *verdict)
{
  guint32 uid = 0;

  if (ag_request_guard_is_open_route (request->method, request->path) ||
      key_was_sent (self, request->headers, request->query))
    return TRUE;
  if (self->require_api_key || !request->peer_loopback)
    return refuse (verdict, AG_GUARD_REFUSE_API_KEY, 401, "authentication_error",
                   g_strdup ("Invalid or missing API key"),
                   g_strdup (!self->require_api_key ? "no valid API key (a client on another machine)"
                             : self->api_key != NULL ? "no valid API key (required from every client)"
                                                     : "require-api-key is on and no local API key is set"));
  switch (request->peer_user (request->peer_user_data, &uid))
    {
    case AG_PEER_SAME_USER:
      return TRUE;
    case AG_PEER_OTHER_USER:
      return refuse (verdict, AG_GUARD_REFUSE_OTHER_USER, 403, "permission_error",
                     g_strdup_printf ("this ag-cl serves only the user who runs it, and this connection comes from "
                                      "another user of the machine (uid %u); send ag-cl's local API key to use it",
                                      uid),
                     g_strdup_printf ("another local user (uid %u)", uid));
    case AG_PEER_USER_UNKNOWN:
    default:
      return refuse (verdict, AG_GUARD_REFUSE_OTHER_USER, 403, "permission_error",
                     g_strdup ("ag-cl could not tell which user of this machine opened this connection; send "
                               "its local API key to use it"),
                     g_strdup ("a local user ag-cl could not identify"));
    }
}

gboolean
ag_request_guard_decide (AgRequestGuard *self, const AgGuardRequest *request, AgGuardVerdict *verdict)
{
  SoupMessageHeaders *headers = request->headers;
  const char *host = soup_message_headers_get_one (headers, "Host");
  const char *origin = soup_message_headers_get_one (headers, "Origin");

  memset (verdict, 0, sizeof *verdict);
  /* First the Host: a rebound page is refused whatever else it sends. */
  if (host != NULL && !host_is_served (self, host))
    {
      g_autofree char *shown = quoted (host);

      return refuse (verdict, AG_GUARD_REFUSE_HOST, 403, "permission_error",
                     g_strdup_printf ("ag-cl does not serve the host “%s”: only this machine's loopback names and "
                                      "addresses are served, so that no web page can reach ag-cl through DNS "
                                      "rebinding; add the name to allowed-hosts (AGCL_ALLOWED_HOSTS) to serve it",
                                      shown),
                     g_strdup_printf ("Host %s", shown));
    }
  if (origin != NULL && !origin_is_allowed (self, origin))
    {
      g_autofree char *shown = quoted (origin);

      return refuse (verdict, AG_GUARD_REFUSE_ORIGIN, 403, "permission_error",
                     g_strdup_printf ("ag-cl does not serve web pages (Origin %s): a page could spend your "
                                      "accounts' quota; add the origin to allowed-origins (AGCL_ALLOWED_ORIGINS) "
                                      "to allow it", shown),
                     g_strdup_printf ("Origin %s", shown));
    }
  /* A preflight never carries credentials; the request that follows it will. */
  if (origin != NULL && g_strcmp0 (request->method, SOUP_METHOD_OPTIONS) == 0)
    {
      verdict->decision = AG_GUARD_PREFLIGHT;
      return TRUE;
    }
  if (!check_client (self, request, verdict))
    return FALSE;
  if (has_body (headers))
    {
      const char *type = soup_message_headers_get_content_type (headers, NULL);

      if (type == NULL || g_ascii_strcasecmp (type, "application/json") != 0)
        {
          g_autofree char *shown = quoted (type != NULL ? type : "none");

          return refuse (verdict, AG_GUARD_REFUSE_CONTENT_TYPE, 415, "invalid_request_error",
                         g_strdup_printf ("the request body must be JSON sent with Content-Type: application/json "
                                          "(this one was sent as %s)", shown),
                         g_strdup_printf ("Content-Type %s", shown));
        }
    }
  verdict->decision = AG_GUARD_ALLOW;
  return TRUE;
}

/* The owner of a connection is looked up once and kept on its socket: a keep-alive connection asks once. */
#define PEER_UID_KEY "ag-peer-uid"

static AgPeerUser
message_peer_user (gpointer data, guint32 *uid)
{
  SoupServerMessage *msg = data;
  GSocket *socket = soup_server_message_get_socket (msg);
  gpointer cached = socket != NULL ? g_object_get_data (G_OBJECT (socket), PEER_UID_KEY) : NULL;
  g_autoptr(GError) error = NULL;

  if (cached == NULL)
    {
      guint32 found;

      if (!ag_peer_user_lookup (soup_server_message_get_remote_address (msg),
                                soup_server_message_get_local_address (msg), &found, &error))
        {
          g_warning ("cannot tell which user opened a loopback connection: %s", error->message);
          return AG_PEER_USER_UNKNOWN;
        }
      cached = GUINT_TO_POINTER (found + 1);
      if (socket != NULL)
        g_object_set_data (G_OBJECT (socket), PEER_UID_KEY, cached);
    }
  *uid = GPOINTER_TO_UINT (cached) - 1;
  return *uid == (guint32) getuid () ? AG_PEER_SAME_USER : AG_PEER_OTHER_USER;
}

gboolean
ag_request_guard_check (AgRequestGuard *self, SoupServerMessage *msg, const char *path, GHashTable *query,
                        AgGuardVerdict *verdict)
{
  const AgGuardRequest request = {
    .method = soup_server_message_get_method (msg),
    .path = path,
    .headers = soup_server_message_get_request_headers (msg),
    .query = query,
    .peer_loopback = ag_peer_user_is_loopback (soup_server_message_get_remote_address (msg)),
    .peer_user = message_peer_user,
    .peer_user_data = msg,
  };

  return ag_request_guard_decide (self, &request, verdict);
}

void
ag_request_guard_add_cors_headers (AgRequestGuard *self, SoupServerMessage *msg, gboolean preflight)
{
  SoupMessageHeaders *request = soup_server_message_get_request_headers (msg);
  SoupMessageHeaders *response = soup_server_message_get_response_headers (msg);
  const char *origin = soup_message_headers_get_one (request, "Origin");
  const char *asked_headers = soup_message_headers_get_one (request, "Access-Control-Request-Headers");

  if (origin == NULL || !origin_is_allowed (self, origin))
    return;
  soup_message_headers_replace (response, "Access-Control-Allow-Origin", origin);
  soup_message_headers_append (response, "Vary", "Origin");
  soup_message_headers_replace (response, "Access-Control-Expose-Headers",
                                "retry-after, x-should-retry, request-id, x-warmup-intercepted");
  if (!preflight)
    return;
  soup_message_headers_replace (response, "Access-Control-Allow-Methods", "GET, POST, OPTIONS");
  soup_message_headers_replace (response, "Access-Control-Allow-Headers",
                                asked_headers != NULL ? asked_headers
                                                      : "content-type, authorization, x-api-key, x-goog-api-key, "
                                                        "anthropic-version, anthropic-beta");
  soup_message_headers_replace (response, "Access-Control-Max-Age", "600");
  /* Chrome's Private Network Access: a public page reaching loopback asks first. */
  if (g_strcmp0 (soup_message_headers_get_one (request, "Access-Control-Request-Private-Network"), "true") == 0)
    soup_message_headers_replace (response, "Access-Control-Allow-Private-Network", "true");
}
