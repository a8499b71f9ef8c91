/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-account-trouble.h — what the lease says about accounts Google refuses (banned, needing verification, signed
 * out, refused) and about the Gemini CLI pool closed to an account's tier: the sentence for a client when no
 * account is left because of them, and the appeal page of a ban. Pure: no I/O. */
#pragma once

#include <gio/gio.h>
#include "ag-account.h"

G_BEGIN_DECLS

/* Where a banned account may appeal when Google's answer names no page: Google's "restore a disabled account". */
#define AG_BAN_APPEAL_URL "https://support.google.com/accounts/answer/40695"

/* Whether @account is kept out of every choice by a lasting state (anything but VALID) or by the user. */
gboolean ag_account_trouble_is_unusable (AgAccount *account);
/* The answer for a client when none of @accounts (a GListModel of AgAccount) can serve: one clause per account
 * that a lasting state keeps out (its state, and the page to fix it), then where to act. NULL when at least one
 * account is usable or there are none. */
char    *ag_account_trouble_describe_pool (GListModel *accounts);
/* Whether the Gemini CLI pool could still serve one usable account of @accounts. */
gboolean ag_account_trouble_gemini_cli_open (GListModel *accounts);

G_END_DECLS
