/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-account-setup.h — turns a refresh token into a usable stored account: token exchange, e-mail from userinfo,
 * Cloud Code project from loadCodeAssist (onboardUser, polled until done, when the account has none yet). */
#pragma once

#include "ag-account.h"
#include "ag-cloudcode-client.h"
#include "ag-oauth-client.h"

G_BEGIN_DECLS

void       ag_account_setup_async (AgOAuthClient      *oauth,
                                   AgCloudcodeClient  *cloudcode,
                                   const char         *refresh_token,
                                   GCancellable       *cancellable,
                                   GAsyncReadyCallback callback,
                                   gpointer            user_data);
/* The new account with its access token seeded (not yet saved). */
AgAccount *ag_account_setup_finish (GAsyncResult *result, GError **error);

/* Reads the project id from a loadCodeAssist response: "cloudaicompanionProject" as a string or {"id":…}. */
char      *ag_account_setup_project_from_load (JsonObject *load_response);
/* The tier to onboard with: the allowedTiers entry marked isDefault, else "free-tier". */
char      *ag_account_setup_onboard_tier (JsonObject *load_response);
/* The account's tier: paidTier.id, else currentTier.id, else NULL (then the onboarding tier is used). */
char      *ag_account_setup_tier_from_load (JsonObject *load_response);

/* The body of a loadCodeAssist call ({"metadata":{ideType, platform, pluginType}}), also sent by the quota poll to
 * read the AI credits. */
JsonNode  *ag_account_setup_load_code_assist_body (void);

G_END_DECLS
