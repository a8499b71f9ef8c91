/* ag-cloudcode-config.h — every upstream address, client identity string and header in one place, with the
 * environment overrides that let the same binary run against the mock (Google changes these; keep them here). */
#pragma once

#include <libsoup/soup.h>
#include "ag-model-family.h"

G_BEGIN_DECLS

#define AG_TYPE_CLOUDCODE_CONFIG (ag_cloudcode_config_get_type ())
G_DECLARE_FINAL_TYPE (AgCloudcodeConfig, ag_cloudcode_config, AG, CLOUDCODE_CONFIG, GObject)

/* Defaults, overridden by the environment:
 *   AGCL_CLOUDCODE_ENDPOINTS  comma-separated base URLs in fallback order (default: daily, then prod)
 *   AGCL_OAUTH_AUTH_URL, AGCL_OAUTH_TOKEN_URL, AGCL_USERINFO_URL
 *   AGCL_ANTIGRAVITY_VERSION  the client version in the User-Agent (the server enforces a minimum)
 *   AGCL_OAUTH_CLIENT_ID, AGCL_OAUTH_CLIENT_SECRET */
AgCloudcodeConfig *ag_cloudcode_config_new_from_env (void);

/* Base URLs for content requests (streamGenerateContent, countTokens, fetchAvailableModels), in order. */
const char * const *ag_cloudcode_config_get_endpoints (AgCloudcodeConfig *self);
/* Base URLs for loadCodeAssist/onboardUser: prod first (the references agree). */
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

G_END_DECLS
