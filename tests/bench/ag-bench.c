/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-bench — prints ag-cl's performance figures against the targets (not a test: it never fails on a miss).
 *
 *   ag-bench translate [CHUNKS]  in-process: SSE parse + JSON parse + state machine + SSE serialisation per chunk
 *   ag-bench session [TURNS]     in-process replay of one long session (thinking, text, tool calls)
 *   ag-bench proxy [REQUESTS]    the real ag-cl ($AG_CL) against the in-process mock on loopback: launch to
 *                                listening, idle RSS, added time to first byte (direct vs through ag-cl), RSS under
 *                                64 concurrent streams, and idle RSS after one TLS handshake (certificate from
 *                                $AGCL_BENCH_TLS_CERT/_KEY). Needs a keyring session (build-aux/with-keyring.sh).
 */
#include "ag-test-harness.h"
#include "ag-message-collector.h"
#include "ag-sse-writer.h"
#include "ag-sse-parser.h"
#include "ag-stream-translator.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ── in-process translation ────────────────────────────────────────────────────────────────────────────────── */

typedef struct {
  AgStreamTranslator *translator;
  gsize               out_bytes;
  guint               chunks;
} Pipeline;

static void
emit (const char *event_name, JsonNode *data, gpointer user_data)
{
  Pipeline *pipeline = user_data;
  g_autoptr(GBytes) bytes = ag_sse_format_event (event_name, data);

  pipeline->out_bytes += g_bytes_get_size (bytes);
}

/* What ag-proxy-call does per upstream event. */
static void
push (const char *event, const char *data, gsize data_len, gpointer user_data)
{
  Pipeline *pipeline = user_data;
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();

  if (!json_parser_load_from_data (parser, data, (gssize) data_len, NULL))
    g_error ("bad chunk");
  ag_stream_translator_push (pipeline->translator, json_node_get_object (json_parser_get_root (parser)), NULL);
  pipeline->chunks++;
}

static double
cpu_seconds (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void
append_chunk (GString *sse, const char *parts_json, const char *finish)
{
  g_string_append_printf (sse, "data: {\"response\":{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[%s]}%s}],"
                          "\"usageMetadata\":{\"promptTokenCount\":1200,\"candidatesTokenCount\":40,"
                          "\"totalTokenCount\":1240},\"modelVersion\":\"claude-opus-4-6-thinking\","
                          "\"responseId\":\"msg_vrtx_01BenchResponse\"},\"traceId\":\"3f2a9c\"}\r\n\r\n",
                          parts_json, finish);
}

/* Runs @sse through the pipeline in 16 KiB reads (the proxy's read size); returns CPU seconds. */
static double
run_pipeline (const GString *sse, guint *chunks, gsize *out_bytes)
{
  g_autoptr(AgToolNames) names = ag_tool_names_new ();
  g_autoptr(AgSignatureCache) signatures = ag_signature_cache_new ();
  AgStreamOptions options = { "claude-opus-4-6", AG_MODEL_FAMILY_CLAUDE, names, signatures };
  Pipeline pipeline = { 0 };
  g_autoptr(AgSseParser) parser = NULL;
  double start = cpu_seconds ();

  pipeline.translator = ag_stream_translator_new (&options, emit, &pipeline);
  parser = ag_sse_parser_new (push, &pipeline);
  for (gsize offset = 0; offset < sse->len; offset += 16384)
    ag_sse_parser_feed (parser, sse->str + offset, MIN (16384, sse->len - offset), NULL);
  ag_sse_parser_finish (parser);
  ag_stream_translator_finish (pipeline.translator);
  ag_stream_translator_free (pipeline.translator);
  *chunks = pipeline.chunks;
  *out_bytes = pipeline.out_bytes;
  return cpu_seconds () - start;
}

static void
bench_translate (guint n_chunks)
{
  g_autoptr(GString) sse = g_string_new (NULL);
  guint chunks = 0;
  gsize out_bytes = 0;
  double seconds;

  for (guint i = 0; i + 1 < n_chunks; i++)
    append_chunk (sse, "{\"text\":\"a typical streamed piece of an answer, \"}", "");
  append_chunk (sse, "{\"text\":\"done.\"}", ",\"finishReason\":\"STOP\"");
  run_pipeline (sse, &chunks, &out_bytes);  /* warm caches and the type system */
  seconds = run_pipeline (sse, &chunks, &out_bytes);
  g_print ("translate: %u text chunks (%zu bytes in, %zu out) in %.3f s CPU: %.2f us per chunk, %.0f chunks/s "
           "(target >= 50 000)\n", chunks, sse->len, out_bytes, seconds, seconds * 1e6 / chunks, chunks / seconds);
}

/* One long agentic session, as Cloud Code streams it for Claude: per turn a thought in pieces with its signature,
 * text in pieces, and a tool call. */
static void
bench_session (guint turns)
{
  g_autoptr(GString) sse = g_string_new (NULL);
  guint chunks = 0;
  gsize out_bytes = 0;
  double seconds;

  for (guint turn = 0; turn < turns; turn++)
    {
      for (int i = 0; i < 8; i++)
        append_chunk (sse, "{\"text\":\"Considering the file layout and which function to change next; \","
                           "\"thought\":true}", "");
      append_chunk (sse, "{\"text\":\"\",\"thought\":true,\"thoughtSignature\":\"EqQBCkgIBhABGAIiQLc7benchSignature"
                         "0123456789abcdefABCDEF0123456789abcdefABCDEF0123456789abcdef==\"}", "");
      for (int i = 0; i < 6; i++)
        append_chunk (sse, "{\"text\":\"I will now edit the parser so that it handles the new case. \"}", "");
      append_chunk (sse, "{\"functionCall\":{\"name\":\"Edit\",\"id\":\"toolu_vrtx_01Bench\",\"args\":{\"file_path\":"
                         "\"/src/ag-sse-parser.c\",\"old_string\":\"a\",\"new_string\":\"b\"}}}", "");
    }
  append_chunk (sse, "{\"text\":\"All done.\"}", ",\"finishReason\":\"STOP\"");
  run_pipeline (sse, &chunks, &out_bytes);
  seconds = run_pipeline (sse, &chunks, &out_bytes);
  g_print ("session: %u turns, %u chunks (thinking, text, tool calls; %zu bytes in, %zu out) in %.3f s CPU: "
           "%.2f us per chunk, %.0f chunks/s\n", turns, chunks, sse->len, out_bytes, seconds,
           seconds * 1e6 / chunks, chunks / seconds);
}

/* ── the real proxy ────────────────────────────────────────────────────────────────────────────────────────── */

#define BENCH_ACCESS_TOKEN "ya29.bench-never-expires"
#define PROXY_REQUEST                                                                                        \
  "{\"model\":\"claude-sonnet-4-6\",\"max_tokens\":100,\"stream\":true,\"messages\":[{\"role\":\"user\"," \
  "\"content\":\"hi\"}]}"
#define DIRECT_REQUEST                                                                                       \
  "{\"project\":\"proj-1\",\"model\":\"claude-sonnet-4-6\",\"request\":{\"contents\":[{\"role\":\"user\","   \
  "\"parts\":[{\"text\":\"hi\"}]}]}}"

static guint64
rss_kb (GSubprocess *process)
{
  g_autofree char *path = g_strdup_printf ("/proc/%s/status", g_subprocess_get_identifier (process));
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents (path, &status, NULL, NULL) || (line = strstr (status, "VmRSS:")) == NULL)
    return 0;
  return g_ascii_strtoull (line + strlen ("VmRSS:"), NULL, 10);
}

typedef struct {
  gboolean      done;
  gint64        sent_at;
  gint64        first_byte_at;
  GInputStream *stream;
  char          buffer[1];
} Ttfb;

static void
first_byte_read (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Ttfb *t = user_data;

  g_input_stream_read_finish (G_INPUT_STREAM (source), result, NULL);
  t->first_byte_at = g_get_monotonic_time ();
  t->done = TRUE;
}

static void
headers_received (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Ttfb *t = user_data;
  g_autoptr(GError) error = NULL;

  t->stream = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  if (t->stream == NULL)
    g_error ("request failed: %s", error->message);
  g_input_stream_read_async (t->stream, t->buffer, 1, G_PRIORITY_DEFAULT, NULL, first_byte_read, t);
}

/* Microseconds from sending @json to @url until the first body byte, then the rest is read and dropped. */
static gint64
time_to_first_byte (SoupSession *session, const char *url, const char *json, const char *bearer)
{
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
  g_autoptr(GBytes) body = g_bytes_new_static (json, strlen (json));
  Ttfb t = { 0 };

  soup_message_set_request_body_from_bytes (msg, "application/json", body);
  soup_message_add_flags (msg, SOUP_MESSAGE_IDEMPOTENT);
  if (bearer != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", bearer);
  t.sent_at = g_get_monotonic_time ();
  soup_session_send_async (session, msg, G_PRIORITY_DEFAULT, NULL, headers_received, &t);
  ag_test_wait_for (&t.done, 30000);
  {
    g_autoptr(GOutputStream) sink = g_memory_output_stream_new_resizable ();

    g_output_stream_splice (sink, t.stream, G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE, NULL, NULL);
  }
  g_object_unref (t.stream);
  return t.first_byte_at - t.sent_at;
}

static int
compare_gint64 (gconstpointer a, gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

static void
percentiles (GArray *samples, double *median_ms, double *p99_ms)
{
  g_array_sort (samples, compare_gint64);
  *median_ms = g_array_index (samples, gint64, samples->len / 2) / 1000.0;
  *p99_ms = g_array_index (samples, gint64, MIN (samples->len - 1, samples->len * 99 / 100)) / 1000.0;
}

/* Spawn to the "listening" line, best of five launches (a cold first start loads the libraries from disk). */
static void
measure_launch (AgTestHarness *harness)
{
  gint64 best = G_MAXINT64;

  for (int i = 0; i < 5; i++)
    {
      g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                           G_SUBPROCESS_FLAGS_STDERR_SILENCE);
      g_autoptr(GSubprocess) process = NULL;
      g_autoptr(GDataInputStream) out = NULL;
      g_autofree char *line = NULL;
      gint64 started;

      g_subprocess_launcher_set_environ (launcher, harness->env);
      started = g_get_monotonic_time ();
      process = g_subprocess_launcher_spawn (launcher, NULL, g_getenv ("AG_CL"), "--headless", "--port", "0", NULL);
      g_assert_nonnull (process);
      out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
      line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, NULL);
      g_assert_true (line != NULL && g_str_has_prefix (line, "ag-cl: listening on"));
      best = MIN (best, g_get_monotonic_time () - started);
      g_subprocess_send_signal (process, SIGTERM);
      g_subprocess_wait (process, NULL, NULL);
    }
  g_print ("launch to listening: %.1f ms (best of 5; target <= 150 ms)\n", best / 1000.0);
}

typedef struct {
  guint pending;
} Concurrent;

static void
concurrent_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Concurrent *c = user_data;
  /* Read to the end and released: only the count matters here. */
  G_GNUC_UNUSED g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, NULL);

  c->pending--;
}

static void
bench_proxy (guint requests)
{
  AgTestHarness *harness = ag_test_harness_new ("{\"accounts\":[{\"refresh_token\":\"rt-1\",\"access_token\":\""
                                                BENCH_ACCESS_TOKEN "\"}]}");
  g_autoptr(SoupSession) session = soup_session_new_with_options ("max-conns", 64, "max-conns-per-host", 64, NULL);
  g_autofree char *base = ag_mock_server_get_base_url (harness->mock);
  g_autofree char *direct_url = g_strdup_printf ("%s/v1internal:streamGenerateContent?alt=sse", base);
  g_autofree char *proxy_url = NULL;
  g_autoptr(GArray) direct = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) through = g_array_new (FALSE, FALSE, sizeof (gint64));
  double direct_median, direct_p99, through_median, through_p99;
  Concurrent concurrent = { 0 };
  guint64 peak_rss = 0;

  measure_launch (harness);
  ag_test_harness_add_account (harness, "rt-1");
  ag_test_harness_start_proxy (harness);
  proxy_url = g_strdup_printf ("http://127.0.0.1:%u/v1/messages", harness->port);
  ag_test_sleep (1000);
  g_print ("headless RSS idle: %.1f MB (target <= 12 MB)\n", rss_kb (harness->proxy) / 1024.0);

  /* Same load both ways, interleaved so drift in the machine's load hits both alike; the first of each warms up. */
  for (guint i = 0; i <= requests; i++)
    {
      gint64 d = time_to_first_byte (session, direct_url, DIRECT_REQUEST, "Bearer " BENCH_ACCESS_TOKEN);
      gint64 p = time_to_first_byte (session, proxy_url, PROXY_REQUEST, NULL);

      if (i == 0)
        continue;
      g_array_append_val (direct, d);
      g_array_append_val (through, p);
    }
  percentiles (direct, &direct_median, &direct_p99);
  percentiles (through, &through_median, &through_p99);
  g_print ("time to first byte over %u requests: direct %.3f ms median, %.3f ms p99; through ag-cl %.3f ms median, "
           "%.3f ms p99; added %.3f ms median (target <= 0.5 ms), %.3f ms p99\n", requests, direct_median, direct_p99,
           through_median, through_p99, through_median - direct_median, through_p99 - direct_p99);

  /* 64 streams at once, slow enough upstream (20 pieces, 50 ms apart) that all are in flight when RSS is read. */
  ag_mock_server_set_script_json (harness->mock, "{\"accounts\":[{\"refresh_token\":\"rt-1\",\"access_token\":\""
                                  BENCH_ACCESS_TOKEN "\"}],\"generate\":[{\"respond\":{\"text\":\"A longer answer that "
                                  "arrives in many small pieces so that every stream stays open for a while.\","
                                  "\"split_bytes\":60,\"chunk_delay_ms\":50}}]}", NULL);
  for (guint i = 0; i < 64; i++)
    {
      g_autoptr(SoupMessage) msg = soup_message_new ("POST", proxy_url);
      g_autoptr(GBytes) body = g_bytes_new_static (PROXY_REQUEST, strlen (PROXY_REQUEST));

      soup_message_set_request_body_from_bytes (msg, "application/json", body);
      soup_message_add_flags (msg, SOUP_MESSAGE_IDEMPOTENT);
      concurrent.pending++;
      soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, concurrent_done, &concurrent);
    }
  while (concurrent.pending > 0)
    {
      ag_test_sleep (50);
      peak_rss = MAX (peak_rss, rss_kb (harness->proxy));
    }
  g_print ("headless RSS under 64 concurrent streams: %.1f MB peak\n", peak_rss / 1024.0);

  ag_test_harness_free (harness);
}

/* The loopback mock speaks plain HTTP; Google speaks TLS. The first HTTPS connection loads the TLS stack and the
 * system's CA store (parsed by p11-kit/GnuTLS and kept by glib-networking for the life of the process), so this is
 * what a real idle proxy holds. Upstream here is a local TLS server with a self-signed certificate: the handshake
 * fails verification, which loads exactly what a successful one would. */
static void
bench_tls_idle (void)
{
  const char *cert_file = g_getenv ("AGCL_BENCH_TLS_CERT");
  const char *key_file = g_getenv ("AGCL_BENCH_TLS_KEY");
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autoptr(SoupServer) server = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *tls_url = NULL;
  g_autofree char *token_url = NULL;
  AgTestHarness *harness;
  GSList *uris;

  if (cert_file == NULL || key_file == NULL)
    {
      g_print ("headless RSS idle after a TLS handshake: not measured (no certificate; build-aux/bench.sh makes "
               "one)\n");
      return;
    }
  certificate = g_tls_certificate_new_from_files (cert_file, key_file, &error);
  g_assert_no_error (error);
  server = soup_server_new ("tls-certificate", certificate, NULL);
  g_assert_true (soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_HTTPS | SOUP_SERVER_LISTEN_IPV4_ONLY,
                                           &error));
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  tls_url = g_strdup_printf ("https://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  token_url = g_strconcat (tls_url, "/token", NULL);

  harness = ag_test_harness_new ("{\"accounts\":[{\"refresh_token\":\"rt-1\"}]}");
  ag_test_harness_add_account (harness, "rt-1");
  ag_test_harness_setenv (harness, "AGCL_CLOUDCODE_ENDPOINTS", tls_url);
  ag_test_harness_setenv (harness, "AGCL_OAUTH_TOKEN_URL", token_url);
  ag_test_harness_start_proxy (harness);
  /* The quota poller connects at start; then the proxy goes quiet and trims its heap. */
  for (guint i = 0; i < 100 && strstr (harness->proxy_log->str, "TLS") == NULL; i++)
    ag_test_sleep (50);
  ag_test_sleep (2500);
  g_print ("headless RSS idle after a TLS handshake (TLS stack and system CA store loaded%s): %.1f MB\n",
           strstr (harness->proxy_log->str, "TLS") != NULL ? "" : "; NO TLS ERROR SEEN", rss_kb (harness->proxy) / 1024.0);
  ag_test_harness_free (harness);
}

int
main (int argc, char **argv)
{
  const char *mode = argc > 1 ? argv[1] : "all";
  guint count = argc > 2 ? (guint) g_ascii_strtoull (argv[2], NULL, 10) : 0;

  g_set_prgname ("ag-bench");

  if (g_str_equal (mode, "translate") || g_str_equal (mode, "all"))
    bench_translate (count > 0 ? count : 200000);
  if (g_str_equal (mode, "session") || g_str_equal (mode, "all"))
    bench_session (count > 0 ? count : 400);
  if (g_str_equal (mode, "proxy") || g_str_equal (mode, "all"))
    {
      if (g_getenv ("AG_CL") == NULL)
        g_error ("set AG_CL to the ag-cl binary");
      bench_proxy (count > 0 ? count : 500);
      bench_tls_idle ();
    }
  return 0;
}
