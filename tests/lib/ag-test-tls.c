// SPDX-License-Identifier: GPL-3.0-or-later
#include "ag-test-tls.h"
#include "ag-test-fixtures.h"

/* The CA may sign; the server's certificate may not, and names both ways a test reaches the mock. */
static const char openssl_config[] =
  "[req]\n"
  "distinguished_name = dn\n"
  "prompt = no\n"
  "[dn]\n"
  "CN = ag-cl test\n"
  "[ca]\n"
  "basicConstraints = critical, CA:TRUE\n"
  "keyUsage = critical, keyCertSign, cRLSign\n"
  "subjectKeyIdentifier = hash\n"
  "[server]\n"
  "basicConstraints = critical, CA:FALSE\n"
  "keyUsage = critical, digitalSignature\n"
  "extendedKeyUsage = serverAuth\n"
  "subjectAltName = DNS:localhost, IP:127.0.0.1\n"
  "authorityKeyIdentifier = keyid\n";

static void
openssl (const char *dir, const char * const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;
  const char * const common[] = { "openssl", "req", "-config", "openssl.cnf", "-x509", "-newkey", "ec", "-pkeyopt",
                                  "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2" };

  for (guint i = 0; i < G_N_ELEMENTS (common); i++)
    g_ptr_array_add (argv, (gpointer) common[i]);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  g_assert_true (g_spawn_sync (dir, (char **) argv->pdata, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                               NULL, NULL, NULL, &err, &status, &error));
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("openssl failed: %s", err);
}

AgTestTls *
ag_test_tls_new (void)
{
  AgTestTls *self = g_new0 (AgTestTls, 1);
  const char * const ca[] = { "-subj", "/CN=ag-cl test CA", "-extensions", "ca", "-keyout", "ca.key", "-out", "ca.pem",
                              NULL };
  const char * const server[] = { "-subj", "/CN=localhost", "-extensions", "server", "-CA", "ca.pem",
                                  "-CAkey", "ca.key", "-keyout", "server.key", "-out", "server.pem", NULL };
  g_autofree char *config = NULL;
  g_autofree char *server_pem = NULL;
  g_autofree char *server_key = NULL;
  g_autoptr(GError) error = NULL;

  self->dir = g_dir_make_tmp ("ag-cl-tls-XXXXXX", &error);
  g_assert_no_error (error);
  config = g_build_filename (self->dir, "openssl.cnf", NULL);
  g_assert_true (g_file_set_contents (config, openssl_config, -1, &error));
  openssl (self->dir, ca);
  openssl (self->dir, server);
  self->ca_file = g_build_filename (self->dir, "ca.pem", NULL);
  server_pem = g_build_filename (self->dir, "server.pem", NULL);
  server_key = g_build_filename (self->dir, "server.key", NULL);
  self->server = g_tls_certificate_new_from_files (server_pem, server_key, &error);
  g_assert_no_error (error);
  return self;
}

void
ag_test_tls_free (AgTestTls *self)
{
  if (self == NULL)
    return;
  ag_test_remove_tree (self->dir);
  g_free (self->dir);
  g_free (self->ca_file);
  g_clear_object (&self->server);
  g_free (self);
}
