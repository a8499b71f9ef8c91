/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-quota-poller.h — keeps every pool account's per-model quota current: calls fetchAvailableModels for each
 * account when it joins the pool (all of them at start), every "interval" seconds while the pool has accounts (no
 * timer at all when it has none), and on demand after a quota error. Accounts whose state is not VALID (signed
 * out, refused) are only polled on demand. Each reading goes to the account
 * (ag_account_set_model_quota) and out as signal "quota-sampled" (AgAccount *account, const char *model,
 * double fraction, gint64 reset_unix_ms, gint64 sampled_unix_ms), which the quota history records.
 * After the models, each poll reads the 5-hour and weekly windows (retrieveUserQuotaSummary) onto the account
 * (ag_account_set_quota_windows) and out as "windows-sampled" (AgAccount *, GPtrArray * of AgQuotaWindow,
 * gint64 sampled_unix_ms); a backend without them only logs at debug level.
 * Signal "polled" (AgAccount *account, GError *error or NULL): one poll of @account finished. */
#pragma once

#include <gio/gio.h>
#include "ag-account-pool.h"
#include "ag-cloudcode-client.h"
#include "ag-oauth-client.h"

G_BEGIN_DECLS

#define AG_QUOTA_POLLER_DEFAULT_INTERVAL 300

#define AG_TYPE_QUOTA_POLLER (ag_quota_poller_get_type ())
G_DECLARE_FINAL_TYPE (AgQuotaPoller, ag_quota_poller, AG, QUOTA_POLLER, GObject)

/* Nothing is polled until ag_quota_poller_start(). */
AgQuotaPoller *ag_quota_poller_new (AgAccountPool     *pool,
                                    AgCloudcodeClient *cloudcode,
                                    AgOAuthClient     *oauth);
/* Polls every account now, then every interval, and each account added to the pool later. */
void           ag_quota_poller_start (AgQuotaPoller *self);
/* Property "interval": seconds between polls of every account; 0 turns periodic polling off. */
void           ag_quota_poller_set_interval (AgQuotaPoller *self, guint seconds);
guint          ag_quota_poller_get_interval (AgQuotaPoller *self);
/* Polls @account now, unless a poll of it is already running. */
void           ag_quota_poller_poll_account (AgQuotaPoller *self, AgAccount *account);

/* Reads a fetchAvailableModels answer: calls @func for every model with a quotaInfo, with the remaining fraction
 * clamped to [0, 1] (a missing fraction with a resetTime means exhausted: 0) and the reset time in Unix ms (0 when
 * absent). Models whose quotaInfo has neither are skipped. Pure. */
typedef void (*AgQuotaFunc) (const char *model, double fraction, gint64 reset_unix_ms, gpointer user_data);
void           ag_quota_poller_parse_models (JsonNode *response, AgQuotaFunc func, gpointer user_data);

G_END_DECLS
