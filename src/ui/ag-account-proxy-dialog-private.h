/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-account-proxy-dialog-private.h — for tests: the dialog's entry and the error it shows ("" when none). */
#pragma once

#include "ag-account-proxy-dialog.h"

G_BEGIN_DECLS

GtkEditable *ag_account_proxy_dialog_get_entry (AgAccountProxyDialog *self);
const char  *ag_account_proxy_dialog_get_error (AgAccountProxyDialog *self);

G_END_DECLS
