// SPDX-License-Identifier: GPL-3.0-or-later
/* ag-account-private.h — the account's fields, shared by its three files: ag-account.c (identity, the state Google
 * gives it, settings kept in the keyring), ag-account-token.c (access tokens, one refresh for all callers) and
 * ag-account-quota.c (what it has left: per-model quota, 5-hour and weekly windows, AI credits, its proxy's rest). */
#pragma once

#include "ag-account.h"

G_BEGIN_DECLS

struct _AgAccount
{
  GObject parent_instance;

  char    *email;
  char    *project_id;
  char    *tier;
  char    *proxy;            /* the account's own upstream proxy URI (may hold a password), or NULL */
  gint64   proxy_rest_until; /* ms on the pool's clock: its proxy did not answer, so it waits until then */
  gboolean enabled;
  AgAccountState state;
  char    *invalid_reason;
  char    *validation_url;
  gboolean gemini_cli_closed;
  gint64   ai_credits;         /* -1: unknown */
  gint64   ai_credits_minimum;

  char    *refresh_token;
  char    *access_token;
  gint64   access_expires_at_unix_s;

  /* Callers waiting for the refresh in flight (NULL when none is running). The refresh itself takes no
   * caller's cancellable, so one caller giving up does not fail the others. */
  GPtrArray *waiters;

  GHashTable *quota;   /* model id → ModelQuota, from the quota poller */
  GPtrArray  *windows; /* AgQuotaWindow, from the quota poller */
};

G_END_DECLS
