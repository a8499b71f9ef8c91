/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-proxy-unary.h — the routes answered by one unary Cloud Code call (count_tokens, the model list), and the
 * account/token handling they share: pick an account, get a fresh token, renew it once on a 401, skip accounts
 * whose sign-in was revoked. */
#pragma once

#include <libsoup/soup.h>
#include "ag-call-context.h"
#include "ag-account-lease.h"
#include "ag-client-request.h"
#include "ag-surface.h"

G_BEGIN_DECLS

/* Builds the body of the call for the chosen account (e.g. to add its project). */
typedef JsonNode *(*AgUnaryBodyFunc) (AgAccount *account, gpointer user_data);

void      ag_proxy_unary_call_async (AgCallContext      *context,
                                     const char         *method,
                                     AgUnaryBodyFunc     body_func,
                                     gpointer            body_data,
                                     GDestroyNotify      body_data_free,
                                     GCancellable       *cancellable,
                                     GAsyncReadyCallback callback,
                                     gpointer            user_data);
/* On failure *failure_out (valid while @result lives; its message is @error's) says how to answer the client. */
JsonNode *ag_proxy_unary_call_finish (GAsyncResult *result, const AgLeaseAnswer **failure_out, GError **error);

/* POST /v1/messages/count_tokens (answers {"input_tokens":N}) or Gemini's :countTokens ({"totalTokens":N}) of
 * @surface: @msg is paused; the count is upstream countTokens'. */
void ag_proxy_unary_count_tokens (AgCallContext *context, SoupServerMessage *msg, const AgSurface *surface,
                                  const AgClientRequest *request);
/* Which client's model list GET /v1/models (or Gemini's GET /v1beta/models) answers with. */
typedef enum {
  AG_MODEL_LIST_ANTHROPIC,
  AG_MODEL_LIST_OPENAI,
  AG_MODEL_LIST_GEMINI,
} AgModelListShape;

/* GET /v1/models: @msg is paused; answers from the catalogue, fetched when older than the cache time. */
void ag_proxy_unary_list_models (AgCallContext *context, SoupServerMessage *msg, AgModelListShape shape);

/* Fetches the model catalogue with the first usable account (also done lazily by GET /v1/models). */
void     ag_proxy_unary_refresh_catalogue_async (AgCallContext *context, GCancellable *cancellable,
                                                 GAsyncReadyCallback callback, gpointer user_data);
gboolean ag_proxy_unary_refresh_catalogue_finish (GAsyncResult *result, GError **error);

G_END_DECLS
