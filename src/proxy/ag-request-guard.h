/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-request-guard.h — who may use the proxy, decided from the request line and headers alone, before a byte of
 * the body is read: only the user's own agents. A web page is refused by its Origin (browsers send one on every
 * cross-site request, the agents and SDKs never do) and by its Content-Type (a "simple" cross-site POST cannot be
 * application/json); a DNS-rebinding page by its Host; another user of the machine by the owner of the connection
 * (ag-peer-user.h); a client on another machine by the local API key. Also the CORS answers for the origins the
 * user allowed. One owner for all of it: the server asks, and answers what it is told. See docs/platform.md
 * "Who may use the proxy". */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

#define AG_TYPE_REQUEST_GUARD (ag_request_guard_get_type ())
G_DECLARE_FINAL_TYPE (AgRequestGuard, ag_request_guard, AG, REQUEST_GUARD, GObject)

typedef enum {
  AG_GUARD_ALLOW,
  AG_GUARD_PREFLIGHT,              /* a CORS preflight from an allowed origin: answer 204 with the CORS headers */
  AG_GUARD_REFUSE_HOST,            /* 403: a Host that is not this machine's (DNS rebinding) */
  AG_GUARD_REFUSE_ORIGIN,          /* 403: a browser page from an origin the user did not allow */
  AG_GUARD_REFUSE_API_KEY,         /* 401: the local API key is needed and was not sent */
  AG_GUARD_REFUSE_OTHER_USER,      /* 403: a loopback connection of another local user, without the key */
  AG_GUARD_REFUSE_CONTENT_TYPE,    /* 415: a body that is not application/json */
} AgGuardDecision;

typedef struct {
  AgGuardDecision decision;
  guint           status;          /* the HTTP status of a refusal; 0 otherwise */
  const char     *error_type;      /* the Anthropic error category of a refusal ("permission_error", …) */
  char           *message;         /* for the client */
  char           *detail;          /* for the request log and the proxy's log: "Origin https://evil.example";
                                    * never a body or a key */
} AgGuardVerdict;

void ag_guard_verdict_clear (AgGuardVerdict *verdict);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (AgGuardVerdict, ag_guard_verdict_clear)

AgRequestGuard *ag_request_guard_new (void);

/* The local API key in force (NULL or "": none). A client that sends it is served from anywhere, by any user. */
void     ag_request_guard_set_api_key (AgRequestGuard *self, const char *key);
gboolean ag_request_guard_has_api_key (AgRequestGuard *self);
/* Whether loopback clients of this user need the key too (shared machines). Clients on other machines always do.
 * Property "require-api-key" (read-only, notifies). */
void     ag_request_guard_set_require_api_key (AgRequestGuard *self, gboolean required);
gboolean ag_request_guard_get_require_api_key (AgRequestGuard *self);
/* Host names (beyond the loopback ones and the listen address) the user serves under; "*.example" patterns. */
void     ag_request_guard_set_allowed_hosts (AgRequestGuard *self, const char * const *hosts);
/* Origins ("https://app.example", "http://localhost:*") whose pages may use the proxy; none by default. */
void     ag_request_guard_set_allowed_origins (AgRequestGuard *self, const char * const *origins);
/* The address the server listens on: a Host naming it is this machine. */
void     ag_request_guard_set_listen_address (AgRequestGuard *self, const char *address);

/* Decides for @msg (its headers are all there, its body not yet read). TRUE for ALLOW and PREFLIGHT. */
gboolean ag_request_guard_check (AgRequestGuard    *self,
                                 SoupServerMessage *msg,
                                 const char        *path,
                                 GHashTable        *query,
                                 AgGuardVerdict    *verdict);

/* Adds the CORS headers to @msg's response when its Origin is allowed (never otherwise); for a preflight also the
 * methods, headers and lifetime the browser asked about. */
void     ag_request_guard_add_cors_headers (AgRequestGuard *self, SoupServerMessage *msg, gboolean preflight);

/* Whether @path and @method are the health checks anyone may ask without a key. */
gboolean ag_request_guard_is_open_route (const char *method, const char *path);

G_END_DECLS
