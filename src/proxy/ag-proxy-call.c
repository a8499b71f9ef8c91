/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-proxy-call.c — the call's steps (translate, lease an account, open the upstream stream, act on how it ended)
 * and its outcome (one log line, one request-log row). The client's side is in ag-proxy-call-client.c. */
#include "ag-proxy-call-private.h"

#include <string.h>
#include "ag-ai-credits.h"
#include "ag-cloudcode-client.h"
#include "ag-flash-tiers.h"

G_DEFINE_FINAL_TYPE (AgProxyCall, ag_proxy_call, G_TYPE_OBJECT)

static void
ag_proxy_call_finalize (GObject *object)
{
  AgProxyCall *self = AG_PROXY_CALL (object);

  ag_proxy_call_unwatch_client (self);
  g_clear_pointer (&self->reader, ag_upstream_reader_free);
  g_clear_pointer (&self->decoder, ag_stream_decoder_free);
  if (self->flight != 0 && self->context != NULL && self->context->history != NULL)
    ag_requests_in_flight_end (ag_history_store_get_in_flight (self->context->history), self->flight);
  g_clear_pointer (&self->context, ag_call_context_unref);
  g_clear_object (&self->msg);
  g_clear_object (&self->cancellable);
  g_free (self->client_model);
  ag_resolved_model_clear (&self->model);
  g_clear_pointer (&self->translated, ag_translated_request_free);
  g_clear_pointer (&self->body, json_object_unref);
  g_free (self->repairs);
  g_free (self->session_id);
  g_clear_object (&self->lease);
  g_clear_pointer (&self->record, ag_request_record_free);
  G_OBJECT_CLASS (ag_proxy_call_parent_class)->finalize (object);
}

static void
ag_proxy_call_class_init (AgProxyCallClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ag_proxy_call_finalize;
}

static void
ag_proxy_call_init (AgProxyCall *self)
{
  self->cancellable = g_cancellable_new ();
  self->record = ag_request_record_new ();
  self->started_at = g_get_monotonic_time ();
  self->started_at_wall_ms = g_get_real_time () / 1000;
}

/* ── ending ────────────────────────────────────────────────────────────────────────────────────────────────── */

/* Hands the finished request to the history store (queued: never blocks or fails the request). */
static void
record_request (AgProxyCall *self, guint status, gint64 input, gint64 output, gint64 cached)
{
  AgHistoryStore *store = self->context->history;
  AgRequestRecord *record = self->record;
  AgAccount *account = self->lease != NULL ? ag_account_lease_get_account (self->lease) : NULL;
  gint64 now = g_get_monotonic_time ();

  if (store == NULL)
    return;
  ag_requests_in_flight_end (ag_history_store_get_in_flight (store), self->flight);
  self->flight = 0;
  record->time_ms = self->started_at_wall_ms;
  record->client = g_strdup (soup_message_headers_get_one (soup_server_message_get_request_headers (self->msg),
                                                           "User-Agent"));
  record->session_id = g_strdup (self->session_id);
  record->model = g_strdup (self->client_model);
  record->upstream_model = self->lease != NULL ? g_strdup (ag_account_lease_get_model (self->lease)) : NULL;
  record->account = account != NULL ? g_strdup (ag_account_get_email (account)) : NULL;
  record->outcome = ag_request_outcome_for_status (status);
  record->status = status;
  record->ttfb_ms = self->first_byte_at != 0 ? (self->first_byte_at - self->started_at) / 1000
                                             : (status == 200 ? (now - self->started_at) / 1000 : -1);
  record->total_ms = (now - self->started_at) / 1000;
  record->input_tokens = input;
  record->output_tokens = output;
  record->cache_read_tokens = cached;
  record->repairs = g_strdup (self->repairs);
  record->credits = self->lease != NULL && ag_account_lease_get_credits (self->lease);
  ag_history_store_add_request (store, g_steal_pointer (&self->record));
}

/* The client has its answer (or is gone). */
void
ag_proxy_call_complete (AgProxyCall *self, guint status)
{
  gint64 input = 0, output = 0, cached = 0;
  g_autofree char *attempts = NULL;
  AgAccount *account = self->lease != NULL ? ag_account_lease_get_account (self->lease) : NULL;
  const char *pool_model = self->lease != NULL ? ag_account_lease_get_model (self->lease) : NULL;

  if (self->completed)
    return;
  self->completed = TRUE;
  ag_proxy_call_unwatch_client (self);
  /* Ends a wait of the lease or a request to Google, if one is running. */
  g_cancellable_cancel (self->cancellable);
  g_clear_pointer (&self->reader, ag_upstream_reader_free);
  if (ag_proxy_call_get_back_translator (self) != NULL)
    ag_back_translator_get_usage (ag_proxy_call_get_back_translator (self), &input, &output, &cached);
  attempts = ag_request_record_describe_attempts (self->record);
  g_message ("POST %s %s → %s via %s: %u in %" G_GINT64_FORMAT " ms, %" G_GINT64_FORMAT " in (%"
             G_GINT64_FORMAT " cached), %" G_GINT64_FORMAT " out%s%s%s",
             self->surface->path, self->client_model, pool_model != NULL ? pool_model : "-",
             account != NULL ? ag_account_get_email (account) : "-", status,
             (g_get_monotonic_time () - self->started_at) / 1000, input, cached, output, attempts,
             self->repairs != NULL ? "; repaired: " : "", self->repairs != NULL ? self->repairs : "");
  record_request (self, status, input, output, cached);
  g_object_unref (self);
}

/* ── translating ───────────────────────────────────────────────────────────────────────────────────────────── */

static AgTranslatedRequest *
translate (AgProxyCall *self, const AgClientRequest *request, gboolean drop_signatures, GError **error)
{
  AgTranslateOptions options = { 0 };
  AgTranslatedRequest *translated;

  options.upstream_model = self->model.upstream_model;
  options.family = self->model.family;
  options.supports_thinking = self->model.supports_thinking;
  options.max_output_cap = self->model.max_output_tokens;
  options.session_id = self->session_id;
  options.thinking_keys = self->context->thinking_keys;
  options.thinking_budget = self->thinking_budget;
  options.drop_signatures = drop_signatures;
  translated = self->surface->translate (request, &options, error);
  if (translated != NULL && translated->repairs != NULL)
    {
      g_autofree char *before = g_steal_pointer (&self->repairs);

      self->repairs = before != NULL ? g_strconcat (before, " ", translated->repairs, NULL)
                                     : g_strdup (translated->repairs);
    }
  return translated;
}

static void drop_upstream_answer (AgProxyCall *self);

/* Google refused the history and the lease granted its one retry: the same request again without what upstream may
 * have refused. FALSE (the client answered) when the body no longer translates. */
static gboolean
repair_if_asked (AgProxyCall *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AgClientRequest) request = NULL;
  AgTranslatedRequest *translated = NULL;

  if (!ag_account_lease_get_history_retry (self->lease) || self->history_retranslated)
    return TRUE;
  self->history_retranslated = TRUE;
  request = self->surface->read_request (self->body, soup_server_message_get_request_headers (self->msg),
                                         g_uri_get_path (soup_server_message_get_uri (self->msg)), &error);
  if (request != NULL)
    translated = translate (self, request, TRUE, &error);
  if (translated == NULL)
    {
      ag_proxy_call_reply_error (self, 400, "invalid_request_error", error->message);
      return FALSE;
    }
  g_message ("upstream refused the history of %s; sending it once more without signatures",
             self->session_id != NULL ? self->session_id : "a request");
  ag_translated_request_free (self->translated);
  self->translated = translated;
  drop_upstream_answer (self);
  return TRUE;
}

/* ── the upstream answer ───────────────────────────────────────────────────────────────────────────────────── */

static void acquire (AgProxyCall *self);

/* The decoder exists before upstream answers so that keepalives can flow while upstream is slow to send even its
 * headers. */
static void
create_decoder (AgProxyCall *self)
{
  AgStreamOptions options = { 0 };

  options.client_model = self->client_model;
  options.family = self->model.family;
  options.tool_names = self->translated->tool_names;
  options.usage_scale = ag_call_context_usage_scale (self->context, self->model.context_tokens);
  options.include_usage = self->translated->include_usage;
  options.web_search_max_uses = self->translated->web_search_max_uses;
  options.freeform_tools = (const char *const *) self->translated->freeform_tools;
  options.compact_at = self->model.context_tokens * AG_COMPACT_AT_PERCENT / 100;
  self->decoder = ag_stream_decoder_new (self->surface->new_back_translator (&options,
                                                                             ag_proxy_call_is_streaming (self)));
}

/* Forgets an upstream answer the client has seen nothing of, so the request can be tried again from scratch. */
static void
drop_upstream_answer (AgProxyCall *self)
{
  g_clear_pointer (&self->reader, ag_upstream_reader_free);
  g_clear_pointer (&self->decoder, ag_stream_decoder_free);
  create_decoder (self);
}

static void
upstream_ended (AgProxyCall *self)
{
  AgStreamState state = ag_stream_decoder_get_state (self->decoder);
  g_autoptr(AgGoogleError) error = NULL;

  switch (state)
    {
    case AG_STREAM_STATE_COMPLETE:
      ag_proxy_call_reply_complete (self);
      return;
    case AG_STREAM_STATE_EMPTY:
      ag_account_lease_empty_answer (self->lease);
      drop_upstream_answer (self);
      acquire (self);
      return;
    case AG_STREAM_STATE_FAILED_BEFORE_CONTENT:
      /* The client has seen nothing: the error may be an account's limit, so the lease treats it like an HTTP
       * failure of the request. */
      error = ag_stream_decoder_steal_error (self->decoder);
      drop_upstream_answer (self);
      if (!ag_account_lease_failed (self->lease, g_steal_pointer (&error)))
        ag_proxy_call_reply_lease_answer (self);
      else if (repair_if_asked (self))
        acquire (self);
      return;
    case AG_STREAM_STATE_FAILED_AFTER_CONTENT:
      ag_proxy_call_write_output (self);
      error = ag_stream_decoder_steal_error (self->decoder);
      ag_proxy_call_reply_google_error (self, error);
      return;
    case AG_STREAM_STATE_OVERSIZED_EVENT:
      ag_proxy_call_write_output (self);
      ag_proxy_call_reply_error (self, 502, "api_error", ag_stream_decoder_get_message (self->decoder));
      return;
    case AG_STREAM_STATE_NOTHING_RECEIVED:
    case AG_STREAM_STATE_TRUNCATED:
    case AG_STREAM_STATE_READ_FAILED:
    case AG_STREAM_STATE_MALFORMED_ANSWER:
    case AG_STREAM_STATE_READING:
    default:
      ag_proxy_call_write_output (self);
      ag_proxy_call_reply_error (self, 502, "api_error", ag_stream_decoder_get_message (self->decoder));
      return;
    }
}

static void
on_upstream (AgUpstreamProgress progress, gpointer user_data)
{
  AgProxyCall *self = user_data;
  G_GNUC_UNUSED g_autoptr(AgProxyCall) keep = g_object_ref (self);  /* alive until this returns */

  if (self->completed)
    return;
  if (progress == AG_UPSTREAM_MORE)
    {
      ag_proxy_call_write_output (self);
      return;
    }
  if (progress == AG_UPSTREAM_SILENT)
    {
      guint timeout_ms = self->context->stream_idle_timeout_ms;
      g_autofree char *message = g_strdup_printf ("Cloud Code sent nothing for %g s; the answer was abandoned",
                                                  timeout_ms / 1000.0);

      g_message ("upstream silent for %u ms; ending the call", timeout_ms);
      ag_proxy_call_reply_error (self, 504, "api_error", message);
      return;
    }
  upstream_ended (self);
}

/* ── asking upstream ───────────────────────────────────────────────────────────────────────────────────────── */

static void
stream_opened (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(AgProxyCall) self = user_data;
  g_autoptr(AgGoogleError) google_error = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GInputStream) stream = NULL;

  stream = ag_cloudcode_client_open_stream_finish (AG_CLOUDCODE_CLIENT (source), result, &google_error, &error);
  if (self->completed)
    return;
  if (stream == NULL && google_error == NULL)
    {
      if (ag_account_lease_unreachable (self->lease, error))
        acquire (self);
      else
        ag_proxy_call_reply_lease_answer (self);
      return;
    }
  if (stream == NULL)
    {
      if (!ag_account_lease_failed (self->lease, g_steal_pointer (&google_error)))
        ag_proxy_call_reply_lease_answer (self);
      else if (repair_if_asked (self))
        acquire (self);
      return;
    }
  ag_account_lease_succeeded (self->lease);
  self->reader = ag_upstream_reader_new (stream, self->decoder, ag_account_lease_may_retry_empty (self->lease),
                                         self->context->stream_idle_timeout_ms, self->cancellable, on_upstream,
                                         self);
}

static void
acquired (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(AgProxyCall) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = ag_account_lease_acquire_finish (self->lease, result, &error);
  AgCloudcodeClient *cloudcode;
  const char *project;
  const char *model;
  g_autoptr(JsonNode) envelope = NULL;

  if (self->completed)
    return;
  if (token == NULL)
    {
      ag_proxy_call_reply_lease_answer (self);
      return;
    }
  project = ag_account_get_project_id (ag_account_lease_get_account (self->lease));
  /* Through the account's own proxy when it has one. */
  cloudcode = ag_cloudcode_client_for_proxy (self->context->cloudcode,
                                             ag_account_get_proxy (ag_account_lease_get_account (self->lease)));
  model = ag_account_lease_get_model (self->lease);
  if (ag_account_lease_get_gemini_cli (self->lease))
    {
      envelope = ag_cloudcode_build_gemini_cli_envelope (project, model, self->translated->request);
      ag_cloudcode_client_open_gemini_cli_stream_async (cloudcode, token, envelope, self->cancellable,
                                                        stream_opened, g_object_ref (self));
      return;
    }
  envelope = ag_cloudcode_build_typed_envelope (project, model, self->translated->request_type,
                                               self->translated->request);
  if (ag_account_lease_get_credits (self->lease))
    ag_ai_credits_enable (envelope);
  ag_cloudcode_client_open_stream_async (cloudcode, token, envelope, self->model.family, self->translated->thinking,
                                         self->cancellable, stream_opened, g_object_ref (self));
}

static void
acquire (AgProxyCall *self)
{
  if (self->completed)
    return;
  ag_account_lease_acquire_async (self->lease, self->cancellable, acquired, g_object_ref (self));
}

static void
on_lease_attempt (AgAccountLease *lease, const char *account, const char *reason, guint status, gint64 wait_ms,
                  gpointer user_data)
{
  AgProxyCall *self = user_data;

  ag_request_record_add_attempt (self->record, account, reason, status, wait_ms);
}

/* A Flash request with an effort goes to that effort's Flash model (when the accounts list it) with its budget. */
static void
choose_flash_tier (AgProxyCall *self, const AgClientRequest *request)
{
  const AgFlashTier *tier = ag_flash_tier_for (self->model.upstream_model, request->body);
  g_auto(AgResolvedModel) tiered = { 0 };

  if (tier == NULL)
    return;
  self->thinking_budget = tier->budget;
  if (!g_str_equal (tier->model, self->model.upstream_model) &&
      ag_model_catalogue_resolve (self->context->catalogue, tier->model, &tiered, NULL) &&
      g_str_equal (tiered.upstream_model, tier->model))
    {
      ag_resolved_model_clear (&self->model);
      self->model = tiered;
      memset (&tiered, 0, sizeof tiered);
    }
}

/* ── start ─────────────────────────────────────────────────────────────────────────────────────────────────── */

void
ag_proxy_call_start (AgCallContext *context, const AgSurface *surface, SoupServerMessage *msg,
                     const AgClientRequest *request, const char *route_model)
{
  AgProxyCall *self = g_object_new (AG_TYPE_PROXY_CALL, NULL);
  g_autoptr(GError) error = NULL;
  AgLeaseOptions lease = { .purpose = AG_LEASE_GENERATE };

  self->context = ag_call_context_ref (context);
  self->surface = surface;
  self->msg = g_object_ref (msg);
  ag_proxy_call_follow_client (self);
  self->client_model = g_strdup (request->model);
  self->session_id = g_strdup (request->session_id);
  self->body = json_object_ref (request->body);
  /* Nothing but a comparison unless the request monitor is open. */
  if (context->history != NULL)
    self->flight = ag_requests_in_flight_start (ag_history_store_get_in_flight (context->history),
                                                self->started_at_wall_ms,
                                                soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                                              "User-Agent"),
                                                request->model);
  /* A web search goes to a model Google grounds with, whatever model the client named. */
  if (request->web_search_max_uses > 0)
    route_model = ag_model_catalogue_web_search_model (context->catalogue,
                                                       route_model != NULL ? route_model : request->model);
  if (!ag_model_catalogue_resolve (context->catalogue, route_model != NULL ? route_model : request->model,
                                   &self->model, &error))
    {
      ag_proxy_call_reply_error (self, 404, "not_found_error", error->message);
      return;
    }

  choose_flash_tier (self, request);
  self->translated = translate (self, request, FALSE, &error);
  if (self->translated == NULL)
    {
      ag_proxy_call_reply_error (self, 400, "invalid_request_error", error->message);
      return;
    }

  lease.model = self->model.upstream_model;
  lease.family = self->model.family;
  lease.session_id = self->session_id;
  self->lease = ag_account_lease_new (context->pool, context->oauth, ag_cloudcode_client_get_config (context->cloudcode),
                                      &lease);
  g_signal_connect (self->lease, "attempt", G_CALLBACK (on_lease_attempt), self);

  create_decoder (self);
  ag_proxy_call_watch_client (self);
  acquire (self);
}
