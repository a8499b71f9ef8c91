// SPDX-License-Identifier: GPL-3.0-or-later
/* ag-tls-trust.h — the certificates ag-cl trusts on Google's side: the system store plus the PEM file AGCL_CA_FILE
 * names (a corporate TLS-intercepting proxy's CA, or the tests' own). GTlsFileDatabase alone would replace the
 * system anchors; this database extends them: a chain either one accepts is accepted. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define AG_TYPE_TLS_TRUST (ag_tls_trust_get_type ())
G_DECLARE_FINAL_TYPE (AgTlsTrust, ag_tls_trust, AG, TLS_TRUST, GTlsDatabase)

/* The system store and the certificates of @ca_file. A file that cannot be read, or holds no PEM certificate, is
 * an error naming the file (never a silent fallback to the system store alone). */
GTlsDatabase *ag_tls_trust_new (const char *ca_file, GError **error);

G_END_DECLS
