/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-upstream-proxy.h — which HTTP proxy, if any, carries ag-cl's requests to Google.
 *
 * AGCL_UPSTREAM_PROXY picks the source:
 *   system       GIO's default resolver: the desktop's proxy settings (GNOME, KDE, PAC, WPAD, via glib-networking)
 *   environment  https_proxy, http_proxy, all_proxy and no_proxy (or their upper-case forms), as curl reads them
 *   none         always direct
 *   auto         (default) system in a desktop session (XDG_CURRENT_DESKTOP set), environment otherwise: the
 *                convention of command-line tools on a server, without loading libproxy (and libstdc++) there. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum {
  AG_UPSTREAM_PROXY_SYSTEM,
  AG_UPSTREAM_PROXY_ENVIRONMENT,
  AG_UPSTREAM_PROXY_NONE,
} AgUpstreamProxy;

/* The mode @envp asks for (AGCL_UPSTREAM_PROXY, "auto" resolved). An unknown value is an error; @mode then holds
 * what "auto" gives. */
gboolean ag_upstream_proxy_from_environ (const char * const *envp, AgUpstreamProxy *mode, GError **error);

/* A resolver for the proxy variables in @envp, or NULL when they name no proxy (or no_proxy is "*"): connect
 * directly. Loopback addresses are never proxied. A variable that is not a proxy URI is an error. */
GProxyResolver *ag_upstream_proxy_resolver_from_environ (const char * const *envp, GError **error);

/* One account's own proxy (docs/upstream-cloudcode.md#egress): @uri must be http://, https://, socks5:// or
 * socks5h:// with a host, optionally user:password@ (percent-encoded) and a port. The error never repeats the URI
 * (it may hold a password). */
gboolean ag_upstream_proxy_uri_check (const char *uri, GError **error);
/* @uri as GIO's proxy resolvers must give it: socks5h:// becomes socks5://, whose GIO client already leaves name
 * resolution to the proxy; anything else unchanged. */
char    *ag_upstream_proxy_uri_for_gio (const char *uri);
/* @uri as GIO's proxy resolvers must give it for https:// targets: an http:// proxy with credentials becomes one
 * that GIO itself tunnels through, with Proxy-Authorization from the start (why:
 * docs/upstream-cloudcode.md#http-proxies-with-credentials); anything else as ag_upstream_proxy_uri_for_gio. */
char    *ag_upstream_proxy_uri_for_https (const char *uri);
/* @uri without its user information, for logs and the window: "socks5://proxy.example:1080". */
char    *ag_upstream_proxy_uri_display (const char *uri);

/* The mode's name as AGCL_UPSTREAM_PROXY spells it. */
const char *ag_upstream_proxy_to_string (AgUpstreamProxy mode);

/* Makes the client (a GObject, new reference) like @direct whose calls go through @proxy_uri. */
typedef gpointer (*AgUpstreamProxyClientNew) (gpointer direct, const char *proxy_uri);
/* The client for one account's own proxy: @direct when @proxy_uri is NULL or empty, else the one @cache holds for
 * that URI, made by @client_new on first use (@cache, proxy URI → client, is created then too). One session per
 * distinct proxy keeps each account's connections warm. Transfer none: the cache's owner keeps it. */
gpointer    ag_upstream_proxy_client_for (GHashTable             **cache,
                                          gpointer                 direct,
                                          const char              *proxy_uri,
                                          AgUpstreamProxyClientNew client_new);

G_END_DECLS
