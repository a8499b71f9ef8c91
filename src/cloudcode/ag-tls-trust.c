// SPDX-License-Identifier: GPL-3.0-or-later
#include "ag-tls-trust.h"

struct _AgTlsTrust
{
  GTlsDatabase parent_instance;

  GTlsDatabase *system;  /* the TLS backend's default; NULL when it has none */
  GTlsDatabase *file;    /* AGCL_CA_FILE's anchors */
};

G_DEFINE_FINAL_TYPE (AgTlsTrust, ag_tls_trust, G_TYPE_TLS_DATABASE)

static void
ag_tls_trust_dispose (GObject *object)
{
  AgTlsTrust *self = AG_TLS_TRUST (object);

  g_clear_object (&self->system);
  g_clear_object (&self->file);
  G_OBJECT_CLASS (ag_tls_trust_parent_class)->dispose (object);
}

/* The system store's verdict unless it does not know the issuer: then the file's, which knows its own anchors.
 * Runs in the handshake's thread; both databases are thread-safe. */
static GTlsCertificateFlags
verify_chain (GTlsDatabase *database, GTlsCertificate *chain, const char *purpose, GSocketConnectable *identity,
              GTlsInteraction *interaction, GTlsDatabaseVerifyFlags flags, GCancellable *cancellable,
              GError **error)
{
  AgTlsTrust *self = AG_TLS_TRUST (database);
  GTlsCertificateFlags verdict;

  if (self->system != NULL)
    {
      g_autoptr(GError) system_error = NULL;

      verdict = g_tls_database_verify_chain (self->system, chain, purpose, identity, interaction, flags, cancellable,
                                             &system_error);
      if (system_error != NULL && g_error_matches (system_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_propagate_error (error, g_steal_pointer (&system_error));
          return verdict;
        }
      if (system_error == NULL && (verdict & G_TLS_CERTIFICATE_UNKNOWN_CA) == 0)
        return verdict;
    }
  return g_tls_database_verify_chain (self->file, chain, purpose, identity, interaction, flags, cancellable, error);
}

static GTlsCertificate *
lookup_certificate_issuer (GTlsDatabase *database, GTlsCertificate *certificate, GTlsInteraction *interaction,
                           GTlsDatabaseLookupFlags flags, GCancellable *cancellable, GError **error)
{
  AgTlsTrust *self = AG_TLS_TRUST (database);
  GTlsCertificate *issuer = NULL;

  if (self->system != NULL)
    issuer = g_tls_database_lookup_certificate_issuer (self->system, certificate, interaction, flags, cancellable,
                                                       NULL);
  if (issuer != NULL)
    return issuer;
  return g_tls_database_lookup_certificate_issuer (self->file, certificate, interaction, flags, cancellable, error);
}

static void
ag_tls_trust_class_init (AgTlsTrustClass *klass)
{
  GTlsDatabaseClass *database_class = G_TLS_DATABASE_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = ag_tls_trust_dispose;
  database_class->verify_chain = verify_chain;
  database_class->lookup_certificate_issuer = lookup_certificate_issuer;
}

static void
ag_tls_trust_init (AgTlsTrust *self)
{
}

GTlsDatabase *
ag_tls_trust_new (const char *ca_file, GError **error)
{
  g_autoptr(AgTlsTrust) self = NULL;
  g_autoptr(GError) local_error = NULL;
  GList *certificates;

  g_return_val_if_fail (ca_file != NULL, NULL);

  /* Read it ourselves first: the backend accepts an empty file, and its messages do not say which variable. */
  certificates = g_tls_certificate_list_new_from_file (ca_file, &local_error);
  if (certificates == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "AGCL_CA_FILE “%s”: %s", ca_file,
                   local_error != NULL ? local_error->message : "no PEM certificate in it");
      return NULL;
    }
  g_list_free_full (certificates, g_object_unref);
  self = g_object_new (AG_TYPE_TLS_TRUST, NULL);
  self->file = g_tls_file_database_new (ca_file, &local_error);
  if (self->file == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "AGCL_CA_FILE “%s”: %s", ca_file,
                   local_error->message);
      return NULL;
    }
  self->system = g_tls_backend_get_default_database (g_tls_backend_get_default ());
  return G_TLS_DATABASE (g_steal_pointer (&self));
}
