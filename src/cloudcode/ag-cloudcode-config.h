/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-cloudcode-config.h — every upstream address, client identity string and header in one place, with the
 * environment overrides that let the same binary run against the mock (Google changes these; keep them here). */
#pragma once

#include <libsoup/soup.h>
#include "ag-model-family.h"
#include "ag-upstream-proxy.h"

G_BEGIN_DECLS

#define AG_TYPE_CLOUDCODE_CONFIG (ag_cloudcode_config_get_type ())
G_DECLARE_FINAL_TYPE (AgCloudcodeConfig, ag_cloudcode_config, AG, CLOUDCODE_CONFIG, GObject)

/* The User-Agent family announced to Google (AGCL_USER_AGENT_FAMILY): "antigravity/<version> linux/<arch>" (the
 * default), or the Hub's "antigravity/hub/<version> darwin/arm64". */
typedef enum {
  AG_CLIENT_IDENTITY_ANTIGRAVITY,
  AG_CLIENT_IDENTITY_HUB,
} AgClientIdentity;

/* Cloud Code rejects newer models for clients below 2.9.0 (CLIProxyAPI, 2026-08); the newest floor seen. */
#define AG_ANTIGRAVITY_DEFAULT_VERSION "2.9.1"

/* Defaults, overridden by the environment (values are trimmed; empty values and empty list entries are ignored;
 * a trailing '/' on a URL is dropped):
 *   AGCL_CLOUDCODE_ENDPOINTS  comma-separated Cloud Code base URLs in fallback order, used for content AND setup
 *                             calls (default: content https://daily-cloudcode-pa.googleapis.com then
 *                             https://cloudcode-pa.googleapis.com; setup (loadCodeAssist/onboardUser) prod first)
 *   AGCL_OAUTH_AUTH_URL       OAuth consent page (default https://accounts.google.com/o/oauth2/v2/auth)
 *   AGCL_OAUTH_TOKEN_URL      OAuth token endpoint (default https://oauth2.googleapis.com/token)
 *   AGCL_USERINFO_URL         e-mail lookup (default https://www.googleapis.com/oauth2/v2/userinfo)
 *   AGCL_ANTIGRAVITY_VERSION  the client version in the User-Agent "antigravity/<version> linux/<arch>"
 *                             (the server enforces a minimum; default AG_ANTIGRAVITY_DEFAULT_VERSION, raised by
 *                             the version check; when set, used as it is)
 *   AGCL_USER_AGENT_FAMILY    antigravity (default) or hub: the User-Agent family (AgClientIdentity)
 *   AGCL_VERSION_MANIFEST_URL the update manifest the version check reads (default: Antigravity's), or "none"
 *   AGCL_OAUTH_CLIENT_ID, AGCL_OAUTH_CLIENT_SECRET  the installed-app OAuth client (default: Antigravity's)
 *   AGCL_CA_FILE              a PEM file of certificates trusted on Google's side besides the system store
 *                             (ag-tls-trust.h); every session configured below uses them
 * Read elsewhere in src/accounts/:
 *   AGCL_PROFILE              keyring profile that keeps sets of accounts apart (default "default")
 *   AGCL_ONBOARD_POLL_MS      delay between onboardUser polls during account setup (default 2000)
 *   AGCL_UPSTREAM_PROXY       auto, system, environment or none: see ag-upstream-proxy.h */
AgCloudcodeConfig *ag_cloudcode_config_new_from_env (void);
/* FALSE, with the reason, when the environment asks for something that cannot be had (AGCL_CA_FILE missing,
 * unreadable or without a certificate): callers stop there rather than reach Google with less than was asked. */
gboolean ag_cloudcode_config_check (AgCloudcodeConfig *self, GError **error);

/* Keeps ag-cl's HTTP client on HTTP/1.1 unless AGCL_UPSTREAM_HTTP2 is set: Google's own client speaks HTTP/1.1
 * (CLIProxyAPI), it is the protocol the tests exercise, and libsoup 3 with nghttp2 has had trouble with long
 * streams. libsoup 3.2 offers no API for it, only the SOUP_FORCE_HTTP1 variable, which it reads at each new
 * connection; so this sets it, and must run first in main(), before any thread exists. A browser that ag-cl starts
 * inherits it, which only keeps a WebKitGTK browser on HTTP/1.1. */
void ag_cloudcode_config_prepare_process (void);

/* Base URLs for content requests (streamGenerateContent, countTokens, fetchAvailableModels), in order. */
const char * const *ag_cloudcode_config_get_endpoints (AgCloudcodeConfig *self);
/* Base URLs for loadCodeAssist/onboardUser: prod first (docs/upstream-cloudcode.md#host-order). */
const char * const *ag_cloudcode_config_get_setup_endpoints (AgCloudcodeConfig *self);
const char *ag_cloudcode_config_get_auth_url (AgCloudcodeConfig *self);
const char *ag_cloudcode_config_get_token_url (AgCloudcodeConfig *self);
const char *ag_cloudcode_config_get_userinfo_url (AgCloudcodeConfig *self);
const char *ag_cloudcode_config_get_client_id (AgCloudcodeConfig *self);
const char *ag_cloudcode_config_get_client_secret (AgCloudcodeConfig *self);
const char *ag_cloudcode_config_get_user_agent (AgCloudcodeConfig *self);
/* The OAuth scopes, space-separated. */
const char *ag_cloudcode_config_get_scopes (AgCloudcodeConfig *self);

/* "<base>/v1internal:<method>" plus "?<query>" when @query is not NULL. */
char *ag_cloudcode_config_build_url (AgCloudcodeConfig *self, const char *base, const char *method, const char *query);
/* Sets the headers of an upstream request: User-Agent, Authorization, Content-Type, Accept (event-stream when
 * @streaming), and anthropic-beta interleaved thinking for Claude models with thinking. */
void  ag_cloudcode_config_apply_headers (AgCloudcodeConfig *self,
                                         SoupMessage       *message,
                                         const char        *access_token,
                                         gboolean           streaming,
                                         AgModelFamily      family,
                                         gboolean           thinking);
/* Sets the headers of a unary JSON call (loadCodeAssist, onboardUser, fetchAvailableModels, countTokens):
 * User-Agent, Authorization, Content-Type and Accept application/json. */
void  ag_cloudcode_config_apply_unary_headers (AgCloudcodeConfig *self,
                                               SoupMessage       *message,
                                               const char        *access_token);

/* The Gemini CLI quota pool (docs/upstream-cloudcode.md#gemini-cli-pool, opencode-antigravity-auth): the same account
 * and token, spoken to as the Gemini
 * CLI does. Endpoints: prod only (the sandbox hosts serve only Antigravity quota), or the AGCL_CLOUDCODE_ENDPOINTS
 * list when set. Headers: the Gemini CLI's User-Agent, X-Goog-Api-Client and Client-Metadata (key=value text). */
const char * const *ag_cloudcode_config_get_gemini_cli_endpoints (AgCloudcodeConfig *self);
void  ag_cloudcode_config_apply_gemini_cli_headers (AgCloudcodeConfig *self,
                                                    SoupMessage       *message,
                                                    const char        *access_token);
/* The Gemini CLI pool's id for an Antigravity Gemini model (tier suffix dropped, "-preview" for Gemini 3:
 * gemini-3-flash → gemini-3-flash-preview, gemini-3.1-pro-high → gemini-3.1-pro-preview), or NULL when that pool
 * has no such model (Claude, images, agent variants). */
char *ag_cloudcode_gemini_cli_model (const char *model);

/* The client version announced to Google, and whether the user pinned it (AGCL_ANTIGRAVITY_VERSION). Setting it
 * rebuilds the User-Agent. */
void        ag_cloudcode_config_set_client_version (AgCloudcodeConfig *self, const char *version);
const char *ag_cloudcode_config_get_client_version (AgCloudcodeConfig *self);
gboolean    ag_cloudcode_config_get_client_version_pinned (AgCloudcodeConfig *self);
/* NULL when the version check is off. */
const char *ag_cloudcode_config_get_version_manifest_url (AgCloudcodeConfig *self);

/* Points @session at the upstream proxy AGCL_UPSTREAM_PROXY chose and gives it AGCL_CA_FILE's trust. Every session
 * that talks to Google needs it. */
void  ag_cloudcode_config_configure_session (AgCloudcodeConfig *self, SoupSession *session);
AgUpstreamProxy ag_cloudcode_config_get_upstream_proxy (AgCloudcodeConfig *self);
/* Points @session at one account's own proxy @proxy_uri (ag_upstream_proxy_uri_check), for every host, loopback
 * included, with the same trust; NULL is the same as ag_cloudcode_config_configure_session. */
void  ag_cloudcode_config_configure_session_for_proxy (AgCloudcodeConfig *self, SoupSession *session,
                                                       const char *proxy_uri);

G_END_DECLS
