// SPDX-License-Identifier: GPL-3.0-or-later
/* AGCL_CA_FILE's trust: the file's certificates besides the system store's, and a clear error for a file that
 * cannot serve. Certificates are made for the test (AgTestTls); the system store is the machine's. */
#include "ag-test.h"
#include "ag-tls-trust.h"

#include <string.h>

static GTlsCertificateFlags
verify (GTlsDatabase *database, GTlsCertificate *certificate, const char *host)
{
  g_autoptr(GSocketConnectable) identity = host != NULL ? g_network_address_new (host, 443) : NULL;
  g_autoptr(GError) error = NULL;
  GTlsCertificateFlags flags;

  flags = g_tls_database_verify_chain (database, certificate, G_TLS_DATABASE_PURPOSE_AUTHENTICATE_SERVER, identity,
                                       NULL, G_TLS_DATABASE_VERIFY_NONE, NULL, &error);
  g_assert_no_error (error);
  return flags;
}

/* A certificate the system store trusts: the first anchor of Debian's bundle. */
static GTlsCertificate *
system_anchor (void)
{
  g_autoptr(GError) error = NULL;
  GList *anchors = g_tls_certificate_list_new_from_file ("/etc/ssl/certs/ca-certificates.crt", &error);
  GTlsCertificate *first;

  g_assert_no_error (error);
  g_assert_nonnull (anchors);
  first = g_object_ref (anchors->data);
  g_list_free_full (anchors, g_object_unref);
  return first;
}

static void
test_extends_the_system_store (void)
{
  g_autoptr(AgTestTls) tls = ag_test_tls_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GTlsDatabase) trust = ag_tls_trust_new (tls->ca_file, &error);
  g_autoptr(GTlsDatabase) system = g_tls_backend_get_default_database (g_tls_backend_get_default ());
  g_autoptr(GTlsDatabase) file_only = g_tls_file_database_new (tls->ca_file, NULL);
  g_autoptr(GTlsCertificate) anchor = system_anchor ();

  g_assert_no_error (error);
  /* The test CA's server: unknown to the system, trusted through the file, for its own names only. */
  g_assert_cmpuint (verify (system, tls->server, "127.0.0.1") & G_TLS_CERTIFICATE_UNKNOWN_CA, !=, 0);
  g_assert_cmpuint (verify (trust, tls->server, "127.0.0.1"), ==, 0);
  g_assert_cmpuint (verify (trust, tls->server, "localhost"), ==, 0);
  g_assert_cmpuint (verify (trust, tls->server, "cloudcode-pa.googleapis.com") & G_TLS_CERTIFICATE_BAD_IDENTITY, !=, 0);
  /* The system's anchors stay trusted, which GTlsFileDatabase alone would have dropped. */
  g_assert_cmpuint (verify (system, anchor, NULL) & G_TLS_CERTIFICATE_UNKNOWN_CA, ==, 0);
  g_assert_cmpuint (verify (file_only, anchor, NULL) & G_TLS_CERTIFICATE_UNKNOWN_CA, !=, 0);
  g_assert_cmpuint (verify (trust, anchor, NULL) & G_TLS_CERTIFICATE_UNKNOWN_CA, ==, 0);
}

/* A file that cannot serve is an error that names the variable and the file, never the system store alone. */
static void
test_unusable_file (void)
{
  g_autofree char *dir = g_dir_make_tmp ("ag-cl-tls-XXXXXX", NULL);
  g_autofree char *missing = g_build_filename (dir, "missing.pem", NULL);
  g_autofree char *empty = g_build_filename (dir, "empty.pem", NULL);
  g_autofree char *junk = g_build_filename (dir, "junk.pem", NULL);
  const char *files[] = { missing, empty, junk };

  g_assert_true (g_file_set_contents (empty, "", 0, NULL));
  g_assert_true (g_file_set_contents (junk, "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n", -1,
                                      NULL));
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GTlsDatabase) trust = ag_tls_trust_new (files[i], &error);

      g_test_message ("%s", error != NULL ? error->message : "(no error)");
      g_assert_null (trust);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
      g_assert_true (g_str_has_prefix (error->message, "AGCL_CA_FILE"));
      g_assert_nonnull (strstr (error->message, files[i]));
    }
  ag_test_remove_tree (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/tls-trust/extends-the-system-store", test_extends_the_system_store);
  g_test_add_func ("/tls-trust/unusable-file", test_unusable_file);
  return g_test_run ();
}
