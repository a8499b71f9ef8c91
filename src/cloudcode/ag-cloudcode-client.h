/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-cloudcode-client.h — HTTP client for Cloud Code v1internal methods: builds the envelope and headers (via
 * AgCloudcodeConfig), walks the endpoint fallback list on 404/408/5xx and connection failures, and hands back
 * either a streaming body or a classified Google error. One SoupSession with enough connections per host for
 * parallel streams. */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include "ag-cloudcode-config.h"
#include "ag-google-error.h"

G_BEGIN_DECLS

#define AG_UPSTREAM_ERROR (ag_upstream_error_quark ())
typedef enum {
  AG_UPSTREAM_ERROR_HTTP,        /* upstream answered an error status: see the AgGoogleError */
  AG_UPSTREAM_ERROR_NETWORK,     /* no endpoint could be reached */
  AG_UPSTREAM_ERROR_BAD_RESPONSE,/* 2xx with a body that is not what the method returns */
} AgUpstreamError;
GQuark ag_upstream_error_quark (void);

#define AG_TYPE_CLOUDCODE_CLIENT (ag_cloudcode_client_get_type ())
G_DECLARE_FINAL_TYPE (AgCloudcodeClient, ag_cloudcode_client, AG, CLOUDCODE_CLIENT, GObject)

AgCloudcodeClient *ag_cloudcode_client_new (AgCloudcodeConfig *config);
/* The client whose session goes through @proxy_uri (an account's own proxy; NULL or empty: @self): one per
 * distinct URI, kept by @self for its lifetime (transfer none). */
AgCloudcodeClient *ag_cloudcode_client_for_proxy (AgCloudcodeClient *self, const char *proxy_uri);
AgCloudcodeConfig *ag_cloudcode_client_get_config (AgCloudcodeClient *self);
SoupSession       *ag_cloudcode_client_get_session (AgCloudcodeClient *self);

/* The generate envelope {"project","model","userAgent":"antigravity","requestType":"agent",
 * "requestId":"agent-<uuid>","request":…}; takes a reference on @request. */
JsonNode *ag_cloudcode_build_envelope (const char *project, const char *model, JsonNode *request);
/* The same with another requestType ("web_search" for a grounding call); NULL means "agent". */
JsonNode *ag_cloudcode_build_typed_envelope (const char *project, const char *model, const char *request_type,
                                             JsonNode *request);

/* The Gemini CLI pool's envelope: only {"project","model","request"} (opencode-antigravity-auth
 * (src/plugin/request.ts)). */
JsonNode *ag_cloudcode_build_gemini_cli_envelope (const char *project, const char *model, JsonNode *request);

/* A unary JSON call (loadCodeAssist, onboardUser, fetchAvailableModels, countTokens) over @endpoints (NULL =
 * the content endpoints). On an error status the GError is AG_UPSTREAM_ERROR_HTTP and *google_error (when not
 * NULL) receives the parsed body. */
void      ag_cloudcode_client_call_async (AgCloudcodeClient  *self,
                                          const char * const *endpoints,
                                          const char         *method,
                                          const char         *access_token,
                                          JsonNode           *body,
                                          GCancellable       *cancellable,
                                          GAsyncReadyCallback callback,
                                          gpointer            user_data);
JsonNode *ag_cloudcode_client_call_finish (AgCloudcodeClient *self, GAsyncResult *result,
                                           AgGoogleError **google_error, GError **error);

/* Opens streamGenerateContent?alt=sse over the content endpoints. On success returns the open body stream (the
 * caller reads it and closes it; cancelling @cancellable aborts the upstream request); _finish_full also gives
 * the answering endpoint in *endpoint_out. An error status is read (at most 1 MiB) into *google_error. */
void          ag_cloudcode_client_open_stream_async (AgCloudcodeClient  *self,
                                                     const char         *access_token,
                                                     JsonNode           *envelope,
                                                     AgModelFamily       family,
                                                     gboolean            thinking,
                                                     GCancellable       *cancellable,
                                                     GAsyncReadyCallback callback,
                                                     gpointer            user_data);
GInputStream *ag_cloudcode_client_open_stream_finish (AgCloudcodeClient *self, GAsyncResult *result,
                                                      AgGoogleError **google_error, GError **error);
/* The same over the Gemini CLI quota pool (its endpoints and headers, see AgCloudcodeConfig); @envelope from
 * ag_cloudcode_build_gemini_cli_envelope. Finish with ag_cloudcode_client_open_stream_finish(_full). */
void          ag_cloudcode_client_open_gemini_cli_stream_async (AgCloudcodeClient  *self,
                                                                const char         *access_token,
                                                                JsonNode           *envelope,
                                                                GCancellable       *cancellable,
                                                                GAsyncReadyCallback callback,
                                                                gpointer            user_data);
GInputStream *ag_cloudcode_client_open_stream_finish_full (AgCloudcodeClient *self, GAsyncResult *result,
                                                           char **endpoint_out, AgGoogleError **google_error,
                                                           GError **error);

G_END_DECLS
