// SPDX-License-Identifier: GPL-3.0-or-later
/* ag-test-tls.h — a certificate authority made for one test, and a server certificate it signed for 127.0.0.1 and
 * localhost: what the mock serves TLS with, and what ag-cl is told to trust (AGCL_CA_FILE). Made with the openssl
 * command (from ca-certificates' dependencies), valid two days, removed with the helper. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct {
  char            *dir;
  char            *ca_file;      /* the CA's certificate, PEM */
  GTlsCertificate *server;       /* the server's certificate with its private key */
} AgTestTls;

AgTestTls *ag_test_tls_new (void);
void       ag_test_tls_free (AgTestTls *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AgTestTls, ag_test_tls_free)

G_END_DECLS
