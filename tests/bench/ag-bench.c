/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-bench — prints ag-cl's performance figures against the targets (not a test: it never fails on a miss).
 *
 *   ag-bench translate [CHUNKS]  in-process: SSE parse + JSON parse + state machine + SSE serialisation per chunk
 *   ag-bench session [TURNS]     in-process replay of one long session (thinking, text, tool calls)
 *   ag-bench proxy [REQUESTS]    the real ag-cl ($AG_CL) against the in-process mock on loopback: launch to
 *                                listening, idle RSS, added time to first byte (direct vs through ag-cl), RSS under
 *                                64 concurrent streams, and idle RSS after one TLS handshake (certificate from
 *                                $AGCL_BENCH_TLS_CERT/_KEY). Needs a keyring session (build-aux/with-keyring.sh).
 *   ag-bench compare [REQUESTS]  side by side against one in-process mock in one run: the mock asked directly, ag-cl
 *                                and the Node peer antigravity-claude-proxy ($AGCL_BENCH_PEER: its entry script, a
 *                                copy whose Google URLs read $AGCL_BENCH_UPSTREAM, made by build-aux/bench.sh; run
 *                                with `node`). Added time to first body byte (median, p99 over REQUESTS sequential
 *                                streams), requests/s with 16 closed-loop clients, first to last body byte of a
 *                                six-chunk answer, translated chunks/s, and the ratios against the targets;
 *                                then the same ag-cl through /v1/chat/completions and /v1/responses against
 *                                /v1/messages (added TTFB and c=16 requests/s within 10 %).
 *                                With $AGCL_BENCH_PERF_DATA set, `perf record -g` samples ag-cl in its c=16 windows
 *                                ($AGCL_BENCH_PERF_CALL_GRAPH: perf's --call-graph mode, default fp).
 */
#include "ag-test-harness.h"
#include "ag-stream-decoder.h"
#include "ag-stream-translator.h"

#include <arpa/inet.h>
#include <errno.h>
#include <glib/gstdio.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* ── in-process translation ────────────────────────────────────────────────────────────────────────────────── */

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

/* Runs @sse through what the call does per upstream read — the stream decoder (SSE, one JSON parse per event)
 * into the Anthropic back translator writing SSE frames — in 16 KiB reads; returns CPU seconds. */
static double
run_pipeline (const GString *sse, guint *chunks, gsize *out_bytes)
{
  g_autoptr(AgToolNames) names = ag_tool_names_new ();
  AgStreamOptions options = { "claude-opus-4-6", AG_MODEL_FAMILY_CLAUDE, names };
  g_autoptr(AgStreamDecoder) decoder = NULL;
  AgBackTranslator *back;
  double start = cpu_seconds ();

  decoder = ag_stream_decoder_new (ag_anthropic_back_translator_new (&options, TRUE));
  back = ag_stream_decoder_get_back_translator (decoder);
  *out_bytes = 0;
  for (gsize offset = 0; offset < sse->len; offset += 16384)
    {
      g_autoptr(GBytes) output = NULL;

      if (ag_stream_decoder_feed (decoder, sse->str + offset, MIN (16384, sse->len - offset)) !=
          AG_STREAM_STATE_READING)
        g_error ("the benchmark stream failed to decode");
      output = ag_back_translator_take_output (back);
      *out_bytes += output != NULL ? g_bytes_get_size (output) : 0;
    }
  if (ag_stream_decoder_finish (decoder, FALSE) != AG_STREAM_STATE_COMPLETE)
    g_error ("the benchmark stream did not complete");
  {
    g_autoptr(GBytes) output = ag_back_translator_take_output (back);

    *out_bytes += output != NULL ? g_bytes_get_size (output) : 0;
  }
  *chunks = (guint) ag_stream_decoder_get_n_events (decoder);
  return cpu_seconds () - start;
}

/* Returns translated chunks per CPU second. */
static double
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
           "(target >= 250 000)\n", chunks, sse->len, out_bytes, seconds, seconds * 1e6 / chunks, chunks / seconds);
  return chunks / seconds;
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
/* The same question through the OpenAI surfaces. */
#define CHAT_REQUEST                                                                                         \
  "{\"model\":\"claude-sonnet-4-6\",\"max_tokens\":100,\"stream\":true,\"stream_options\":{\"include_usage\":" \
  "true},\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"
#define RESPONSES_REQUEST                                                                                    \
  "{\"model\":\"claude-sonnet-4-6\",\"max_output_tokens\":100,\"stream\":true,\"store\":false,\"input\":\"hi\"}"
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

/* ── side by side: the mock asked directly, ag-cl, and the Node peer ──────────────────────────────────────────── */

/* Every answer in `compare` is this six-chunk one (the mock's default has a varying number of pieces). */
#define COMPARE_CHUNK(text, tail)                                                                            \
  "{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"" text "\"}]}" tail "}],"        \
  "\"modelVersion\":\"claude-sonnet-4-6\",\"responseId\":\"msg_vrtx_01BenchCompare\"}"
#define COMPARE_LAST_CHUNK                                                                                   \
  "{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"ends here.\"}]},"                \
  "\"finishReason\":\"STOP\"}],\"usageMetadata\":{\"promptTokenCount\":12,\"candidatesTokenCount\":9,"       \
  "\"totalTokenCount\":21},\"modelVersion\":\"claude-sonnet-4-6\",\"responseId\":\"msg_vrtx_01BenchCompare\"}"
#define COMPARE_SCRIPT                                                                                       \
  "{\"accounts\":[{\"refresh_token\":\"rt-1\",\"access_token\":\"" BENCH_ACCESS_TOKEN "\"}],"                \
  "\"generate\":[{\"respond\":{\"chunks\":[" COMPARE_CHUNK ("This ", "") "," COMPARE_CHUNK ("short ", "") ","  \
  COMPARE_CHUNK ("answer ", "") "," COMPARE_CHUNK ("comes ", "") "," COMPARE_CHUNK ("in six pieces and ", "")  \
  "," COMPARE_LAST_CHUNK "]}}]}"
#define PEER_NAME        "antigravity-claude-proxy"
#define SEQ_WARMUP       200   /* per target, before the recorded sequential requests (Node's JIT warms up) */
#define CLIENTS          16
#define ROUNDS           4     /* c=16 windows per target, interleaved with the other targets' */
#define WINDOW_S         1.0
#define WINDOW_WARMUP_S  0.3

/* CPU seconds that were not ours during a measured phase: interrupts (most of the loopback TCP work of the three
 * processes is softirq), time stolen by the hypervisor, and every other process on the machine. */
typedef struct {
  double irq, steal, others;
} MachineCpu;

/* CHAT and RESPONSES are the same ag-cl process through its OpenAI surfaces. */
enum { DIRECT, AGCL, PEER, CHAT, RESPONSES, N_TARGETS };

typedef struct {
  const char  *name;
  guint        port;
  char        *request;          /* the whole HTTP/1.1 request */
  gsize        request_len;
  const char  *end_marker;       /* among the last bytes of a complete answer */
  int          pid;              /* 0: the mock in this process */
  char        *missing;          /* why the target was not measured, or NULL */
  GArray      *ttfb;             /* ns, sequential requests */
  GArray      *span;             /* ns, first to last body byte */
  guint        seq_errors;
  gsize        answer_bytes;
  guint64      completed;        /* at c=16, inside the measured windows */
  double       seconds;
  guint        errors;
  double       cpu_target;       /* s, during the windows: the proxy process (nothing for direct) */
  double       cpu_mock;         /* s, the mock's thread */
  double       cpu_client;       /* s, the load generator's thread */
  MachineCpu   machine;          /* s, every core, whoever ran */
  guint64      rss_kb;           /* at the end of the last window */
} Target;

typedef struct {
  Target      targets[N_TARGETS];
  guint       requests;
  clockid_t   mock_clock;        /* CPU clock of the main thread, where the in-process mock runs */
  const char *perf_data;         /* AGCL_BENCH_PERF_DATA: perf record ag-cl during its c=16 windows */
  char       *perf_note;
  double      seq_seconds, seq_ours;
  MachineCpu  seq_machine;
  GHashTable *others_by_name;    /* command name → CPU s in the measured phases */
  gboolean    done;
} Compare;

static gint64
now_ns (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * G_GINT64_CONSTANT (1000000000) + ts.tv_nsec;
}

static double
clock_seconds (clockid_t clock)
{
  struct timespec ts;

  clock_gettime (clock, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* utime + stime of a child process, from /proc (10 ms ticks: fine over seconds). */
static double
process_cpu_seconds (int pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", pid);
  g_autofree char *stat = NULL;
  g_auto(GStrv) fields = NULL;
  const char *after_name;

  if (pid <= 0 || !g_file_get_contents (path, &stat, NULL, NULL) || (after_name = strrchr (stat, ')')) == NULL)
    return 0;
  /* After "pid (comm) ": state is field 3, utime 14, stime 15. */
  fields = g_strsplit (after_name + 2, " ", 14);
  if (g_strv_length (fields) < 14)
    return 0;
  return (g_ascii_strtod (fields[11], NULL) + g_ascii_strtod (fields[12], NULL)) / sysconf (_SC_CLK_TCK);
}

/* CPU seconds of everything taking part: the client thread, the mock's thread and both proxies. */
static double
our_cpu_seconds (Compare *cmp)
{
  return clock_seconds (CLOCK_THREAD_CPUTIME_ID) + clock_seconds (cmp->mock_clock) +
         process_cpu_seconds (cmp->targets[AGCL].pid) + process_cpu_seconds (cmp->targets[PEER].pid);
}

/* A snapshot of the machine's CPU time: /proc/stat's interrupt and steal time, and every process but ours. The total
 * includes reaped children's time (a child's time moves to its parent's cutime when it is reaped), so that
 * short-lived compilers and tests count; the processes' own time is kept to name the busiest. */
typedef struct {
  double      irq, steal;
  double      others;            /* every other process, with its reaped children */
  GHashTable *processes;         /* pid → OtherProcess */
} MachineSample;

typedef struct {
  char   name[32];
  double seconds;                /* its own */
} OtherProcess;

static void
machine_sample_free (MachineSample *sample)
{
  g_hash_table_unref (sample->processes);
  g_free (sample);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MachineSample, machine_sample_free)

static MachineSample *
machine_sample (Compare *cmp)
{
  MachineSample *sample = g_new0 (MachineSample, 1);
  g_autoptr(GDir) proc = g_dir_open ("/proc", 0, NULL);
  g_autofree char *stat = NULL;
  double tick = sysconf (_SC_CLK_TCK);
  guint64 v[8] = { 0 };
  const char *entry;

  sample->processes = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  /* cpu: user nice system idle iowait irq softirq steal */
  if (g_file_get_contents ("/proc/stat", &stat, NULL, NULL) &&
      sscanf (stat, "cpu %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT
              " %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT,
              &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7]) == 8)
    {
      sample->irq = (v[5] + v[6]) / tick;
      sample->steal = v[7] / tick;
    }
  while (proc != NULL && (entry = g_dir_read_name (proc)) != NULL)
    {
      int pid = atoi (entry);
      g_autofree char *path = NULL;
      g_autofree char *text = NULL;
      g_auto(GStrv) fields = NULL;
      const char *open, *close_paren;
      OtherProcess *other;

      if (pid <= 0 || pid == getpid () || pid == cmp->targets[AGCL].pid || pid == cmp->targets[PEER].pid)
        continue;
      path = g_strdup_printf ("/proc/%d/stat", pid);
      if (!g_file_get_contents (path, &text, NULL, NULL) || (open = strchr (text, '(')) == NULL ||
          (close_paren = strrchr (text, ')')) == NULL)
        continue;
      /* After "pid (comm) ": utime, stime, cutime, cstime are fields 14 to 17. */
      fields = g_strsplit (close_paren + 2, " ", 16);
      if (g_strv_length (fields) < 15)
        continue;
      other = g_new0 (OtherProcess, 1);
      g_strlcpy (other->name, open + 1, MIN (sizeof other->name, (gsize) (close_paren - open)));
      other->seconds = (g_ascii_strtod (fields[11], NULL) + g_ascii_strtod (fields[12], NULL)) / tick;
      sample->others += other->seconds + (g_ascii_strtod (fields[13], NULL) + g_ascii_strtod (fields[14], NULL)) / tick;
      g_hash_table_insert (sample->processes, GINT_TO_POINTER (pid), other);
    }
  return sample;
}

/* Adds to @sum what the machine spent outside our processes since @since. */
static void
machine_add_since (Compare *cmp, MachineCpu *sum, const MachineSample *since)
{
  g_autoptr(MachineSample) now = machine_sample (cmp);
  GHashTableIter iter;
  gpointer pid;
  OtherProcess *other;

  sum->irq += now->irq - since->irq;
  sum->steal += now->steal - since->steal;
  sum->others += MAX (0, now->others - since->others);
  g_hash_table_iter_init (&iter, now->processes);
  while (g_hash_table_iter_next (&iter, &pid, (gpointer *) &other))
    {
      OtherProcess *before = g_hash_table_lookup (since->processes, pid);
      double used = other->seconds - (before != NULL ? before->seconds : 0);
      double *by_name;

      if (used <= 0)
        continue;
      if ((by_name = g_hash_table_lookup (cmp->others_by_name, other->name)) == NULL)
        g_hash_table_insert (cmp->others_by_name, g_strdup (other->name), (by_name = g_new0 (double, 1)));
      *by_name += used;
    }
}

/* Not exited (GSubprocess reaps its children on GLib's worker thread, so a dead one soon disappears). */
static gboolean
process_alive (int pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", pid);
  g_autofree char *stat = NULL;
  const char *after_name;

  return g_file_get_contents (path, &stat, NULL, NULL) && (after_name = strrchr (stat, ')')) != NULL &&
         after_name[1] == ' ' && after_name[2] != 'Z';
}

static guint64
pid_rss_kb (int pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/status", pid);
  g_autofree char *status = NULL;
  const char *line;

  if (pid <= 0 || !g_file_get_contents (path, &status, NULL, NULL) || (line = strstr (status, "VmRSS:")) == NULL)
    return 0;
  return g_ascii_strtoull (line + strlen ("VmRSS:"), NULL, 10);
}

/* A raw HTTP/1.1 keep-alive client: no library between the socket and the clock, and a parser that only frames
 * the response (status, chunked or sized body) and keeps the body's last bytes to check the answer ended well. */

typedef enum {
  READ_HEAD,
  READ_SIZE,
  READ_DATA,
  READ_DATA_END,
  READ_TRAILER,
  READ_LENGTH,
  READ_TO_EOF,
  READ_DONE,
} ReadState;

typedef enum { FEED_MORE, FEED_DONE, FEED_BAD } FeedResult;

typedef struct {
  int       fd;
  ReadState state;
  char      head[8192];
  gsize     head_len;
  guint     status;
  gboolean  close_after;
  gboolean  in_extension;
  guint64   remaining;
  gsize     line_len;
  gsize     body_bytes;
  char      tail[256];
  gsize     tail_len;
  gint64    sent_at, first_at, last_at;
} Conn;

static void
conn_close (Conn *c)
{
  if (c->fd >= 0)
    close (c->fd);
  c->fd = -1;
}

static int
connect_loopback (guint port)
{
  struct sockaddr_in address = { .sin_family = AF_INET, .sin_port = htons (port) };
  int fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  struct timeval timeout = { .tv_sec = 10 };
  int one = 1;

  address.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  if (fd < 0)
    return -1;
  /* Requests are one small write each: no Nagle delay on them. */
  setsockopt (fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  /* A target that hangs fails its request instead of stopping the run. */
  setsockopt (fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  if (connect (fd, (struct sockaddr *) &address, sizeof address) != 0)
    {
      close (fd);
      return -1;
    }
  return fd;
}

/* Sends @t's request on @c (connecting first if needed); the clock starts here. */
static gboolean
conn_send (Conn *c, const Target *t)
{
  gsize sent = 0;

  if (c->fd < 0 && (c->fd = connect_loopback (t->port)) < 0)
    return FALSE;
  c->state = READ_HEAD;
  c->head_len = c->body_bytes = c->tail_len = 0;
  c->status = 0;
  c->close_after = FALSE;
  c->first_at = c->last_at = 0;
  c->sent_at = now_ns ();
  while (sent < t->request_len)
    {
      ssize_t n = send (c->fd, t->request + sent, t->request_len - sent, MSG_NOSIGNAL);

      if (n <= 0)
        return FALSE;
      sent += (gsize) n;
    }
  return TRUE;
}

static void
body_data (Conn *c, const char *data, gsize len, gint64 now)
{
  if (len == 0)
    return;
  if (c->first_at == 0)
    c->first_at = now;
  c->last_at = now;
  c->body_bytes += len;
  if (len >= sizeof c->tail)
    {
      memcpy (c->tail, data + len - sizeof c->tail, sizeof c->tail);
      c->tail_len = sizeof c->tail;
      return;
    }
  if (c->tail_len + len > sizeof c->tail)
    {
      gsize drop = c->tail_len + len - sizeof c->tail;

      memmove (c->tail, c->tail + drop, c->tail_len - drop);
      c->tail_len -= drop;
    }
  memcpy (c->tail + c->tail_len, data, len);
  c->tail_len += len;
}

static FeedResult
parse_head (Conn *c)
{
  const char *line = strstr (c->head, "\r\n");
  gboolean chunked = FALSE;
  gint64 length = -1;

  if (!g_str_has_prefix (c->head, "HTTP/1.") || strlen (c->head) < 12)
    return FEED_BAD;
  c->status = (guint) g_ascii_strtoull (c->head + 9, NULL, 10);
  c->close_after = c->head[7] == '0';
  for (; line != NULL && line[2] != '\r'; line = strstr (line + 2, "\r\n"))
    {
      const char *name = line + 2;
      const char *end = strstr (name, "\r\n");
      g_autofree char *value = NULL;

      if (end == NULL)
        break;
      if (strchr (name, ':') == NULL || strchr (name, ':') > end)
        continue;
      value = g_ascii_strdown (strchr (name, ':') + 1, end - strchr (name, ':') - 1);
      if (g_ascii_strncasecmp (name, "transfer-encoding:", 18) == 0 && strstr (value, "chunked") != NULL)
        chunked = TRUE;
      else if (g_ascii_strncasecmp (name, "content-length:", 15) == 0)
        length = (gint64) g_ascii_strtoull (value, NULL, 10);
      else if (g_ascii_strncasecmp (name, "connection:", 11) == 0 && strstr (value, "close") != NULL)
        c->close_after = TRUE;
    }
  c->remaining = 0;
  c->in_extension = FALSE;
  if (chunked)
    c->state = READ_SIZE;
  else if (length >= 0)
    {
      c->remaining = (guint64) length;
      c->state = length > 0 ? READ_LENGTH : READ_DONE;
    }
  else
    {
      c->close_after = TRUE;
      c->state = READ_TO_EOF;
    }
  return c->state == READ_DONE ? FEED_DONE : FEED_MORE;
}

/* Frames what arrived at @now; FEED_DONE once the whole response is in. */
static FeedResult
conn_feed (Conn *c, const char *data, gsize len, gint64 now)
{
  gsize i = 0;

  while (i < len)
    switch (c->state)
      {
      case READ_HEAD:
        {
          gsize take = MIN (len - i, sizeof c->head - 1 - c->head_len);
          gsize before = c->head_len;
          char *end;

          if (take == 0)
            return FEED_BAD;
          memcpy (c->head + c->head_len, data + i, take);
          c->head_len += take;
          c->head[c->head_len] = '\0';
          if ((end = strstr (c->head, "\r\n\r\n")) == NULL)
            {
              i += take;
              break;
            }
          i += (gsize) (end + 4 - c->head) - before;
          end[2] = '\0';
          if (parse_head (c) != FEED_MORE)
            return c->state == READ_DONE ? FEED_DONE : FEED_BAD;
        }
        break;
      case READ_SIZE:
        {
          char ch = data[i++];

          if (ch == '\n')
            {
              c->in_extension = FALSE;
              c->line_len = 0;
              c->state = c->remaining > 0 ? READ_DATA : READ_TRAILER;
            }
          else if (ch == ';')
            c->in_extension = TRUE;
          else if (!c->in_extension && g_ascii_isxdigit (ch))
            c->remaining = c->remaining * 16 + (guint64) g_ascii_xdigit_value (ch);
        }
        break;
      case READ_DATA:
      case READ_LENGTH:
        {
          gsize take = (gsize) MIN ((guint64) (len - i), c->remaining);

          body_data (c, data + i, take, now);
          i += take;
          c->remaining -= take;
          if (c->remaining == 0)
            {
              if (c->state == READ_LENGTH)
                {
                  c->state = READ_DONE;
                  return FEED_DONE;
                }
              c->state = READ_DATA_END;
            }
        }
        break;
      case READ_DATA_END:
        if (data[i++] == '\n')
          c->state = READ_SIZE;
        break;
      case READ_TRAILER:
        {
          char ch = data[i++];

          if (ch == '\n' && c->line_len == 0)
            {
              c->state = READ_DONE;
              return FEED_DONE;
            }
          c->line_len = ch == '\n' ? 0 : c->line_len + (ch != '\r');
        }
        break;
      case READ_TO_EOF:
        body_data (c, data + i, len - i, now);
        i = len;
        break;
      case READ_DONE:
        return FEED_DONE;
      }
  return FEED_MORE;
}

/* End of stream on @c: complete only for a body that runs to the close. */
static FeedResult
conn_eof (Conn *c)
{
  if (c->state != READ_TO_EOF)
    return FEED_BAD;
  c->state = READ_DONE;
  return FEED_DONE;
}

static gboolean
answer_ok (const Conn *c, const Target *t)
{
  return c->status == 200 && c->first_at != 0 &&
         g_strstr_len (c->tail, (gssize) c->tail_len, t->end_marker) != NULL;
}

/* One request on @c, read to the end with blocking reads. A keep-alive connection the server closed meanwhile is
 * opened again once. */
static gboolean
exchange (Conn *c, const Target *t, char *buffer, gsize size)
{
  for (int attempt = 0; attempt < 2; attempt++)
    {
      FeedResult result = FEED_MORE;

      if (!conn_send (c, t))
        {
          conn_close (c);
          continue;
        }
      while (result == FEED_MORE)
        {
          ssize_t n = recv (c->fd, buffer, size, 0);
          gint64 now = now_ns ();

          if (n > 0)
            result = conn_feed (c, buffer, (gsize) n, now);
          else if (n == 0 && c->state == READ_TO_EOF)
            result = conn_eof (c);
          else if (n < 0 && errno == EINTR)
            continue;
          else
            break;
        }
      if (result == FEED_DONE)
        {
          if (c->close_after)
            conn_close (c);
          return answer_ok (c, t);
        }
      conn_close (c);
      /* Only a connection that answered nothing at all is worth a second try. */
      if (c->head_len > 0)
        return FALSE;
    }
  return FALSE;
}

static void
record_sequential (Target *t, Conn *c, char *buffer, gsize size, gboolean keep)
{
  gint64 ttfb, span;

  if (t->missing != NULL)
    return;
  if (!exchange (c, t, buffer, size))
    {
      t->seq_errors++;
      return;
    }
  if (!keep)
    return;
  ttfb = c->first_at - c->sent_at;
  span = c->last_at - c->first_at;
  g_array_append_val (t->ttfb, ttfb);
  g_array_append_val (t->span, span);
  t->answer_bytes = c->body_bytes;
}

/* Starts the next request of a closed-loop client; FALSE when the target cannot be reached. */
static gboolean
client_start (Conn *c, const Target *t, int epoll_fd)
{
  gboolean fresh = c->fd < 0;
  struct epoll_event event = { .events = EPOLLIN, .data.ptr = c };

  if (!conn_send (c, t))
    {
      conn_close (c);
      return FALSE;
    }
  if (fresh)
    epoll_ctl (epoll_fd, EPOLL_CTL_ADD, c->fd, &event);
  return TRUE;
}

static GPid
perf_start (Compare *cmp, int pid)
{
  g_autofree char *pid_text = g_strdup_printf ("%d", pid);
  /* -g follows frame pointers, which the distribution's libraries lack: AGCL_BENCH_PERF_CALL_GRAPH=dwarf gives
   * whole call chains (and much bigger data). */
  const char *call_graph = g_getenv ("AGCL_BENCH_PERF_CALL_GRAPH") ?: "fp";
  const char *argv[] = { "perf", "record", "-q", "-e", "cpu-clock", "-F", "1000", "--call-graph", call_graph, "-p",
                         pid_text, "-o", cmp->perf_data, NULL };
  g_autoptr(GError) error = NULL;
  GPid perf = 0;

  if (!g_spawn_async (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD |
                      G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, &perf, &error))
    {
      cmp->perf_note = g_strdup_printf ("perf record not run: %s", error->message);
      return 0;
    }
  g_usleep (300000);  /* perf attaches before the window starts */
  return perf;
}

static void
perf_stop (Compare *cmp, GPid perf)
{
  int status = 0;

  if (perf == 0)
    return;
  kill (perf, SIGINT);
  waitpid (perf, &status, 0);
  g_spawn_close_pid (perf);
  cmp->perf_note = g_strdup_printf ("perf record of ag-cl (pid %d) over its c=%d windows: %s", cmp->targets[AGCL].pid,
                                    CLIENTS, cmp->perf_data);
}

/* CLIENTS connections, each sending its next request as soon as the previous answer has ended (closed loop):
 * WINDOW_WARMUP_S unmeasured, then WINDOW_S counted; the answers in flight at the end are read out, not cut. */
static void
closed_loop_window (Compare *cmp, Target *t)
{
  Conn conns[CLIENTS];
  struct epoll_event events[CLIENTS];
  static char buffer[65536];
  int epoll_fd = epoll_create1 (EPOLL_CLOEXEC);
  gint64 start = now_ns ();
  gint64 from = start + (gint64) (WINDOW_WARMUP_S * 1e9);
  gint64 until = from + (gint64) (WINDOW_S * 1e9);
  gint64 drain_until = until + 2 * G_GINT64_CONSTANT (1000000000);
  gboolean measuring = FALSE, closed = FALSE;
  double cpu_target = 0, cpu_mock = 0, cpu_client = 0;
  g_autoptr(MachineSample) machine = NULL;
  guint busy = 0, failures = 0;
  gint64 now;

  for (guint i = 0; i < CLIENTS; i++)
    {
      conns[i] = (Conn) { .fd = -1 };
      busy += client_start (&conns[i], t, epoll_fd);
    }
  t->errors += CLIENTS - busy;
  while ((now = now_ns ()) < drain_until && busy > 0 && failures < 1000)
    {
      int n;

      if (!measuring && now >= from)
        {
          measuring = TRUE;
          cpu_target = process_cpu_seconds (t->pid);
          cpu_mock = clock_seconds (cmp->mock_clock);
          cpu_client = clock_seconds (CLOCK_THREAD_CPUTIME_ID);
          machine = machine_sample (cmp);
        }
      if (measuring && !closed && now >= until)
        {
          t->seconds += (now - from) / 1e9;
          t->cpu_target += process_cpu_seconds (t->pid) - cpu_target;
          t->cpu_mock += clock_seconds (cmp->mock_clock) - cpu_mock;
          t->cpu_client += clock_seconds (CLOCK_THREAD_CPUTIME_ID) - cpu_client;
          machine_add_since (cmp, &t->machine, machine);
          t->rss_kb = pid_rss_kb (t->pid);
          closed = TRUE;  /* only draining from here */
        }
      n = epoll_wait (epoll_fd, events, G_N_ELEMENTS (events), 50);
      now = now_ns ();
      for (int e = 0; e < n; e++)
        {
          Conn *c = events[e].data.ptr;
          FeedResult result = FEED_MORE;

          while (result == FEED_MORE)
            {
              ssize_t r = recv (c->fd, buffer, sizeof buffer, MSG_DONTWAIT);

              if (r > 0)
                result = conn_feed (c, buffer, (gsize) r, now);
              else if (r < 0 && (errno == EAGAIN || errno == EINTR))
                break;
              else
                result = r == 0 ? conn_eof (c) : FEED_BAD;
            }
          if (result == FEED_MORE)
            continue;
          busy--;
          if (result == FEED_DONE && answer_ok (c, t))
            t->completed += measuring && now < until;
          else
            {
              t->errors += measuring && now < until;
              failures++;
            }
          if (result != FEED_DONE || c->close_after)
            {
              epoll_ctl (epoll_fd, EPOLL_CTL_DEL, c->fd, NULL);
              conn_close (c);
            }
          if (now >= until)
            continue;
          if (client_start (c, t, epoll_fd))
            busy++;
          else
            {
              t->errors += measuring;
              failures++;
            }
        }
    }
  for (guint i = 0; i < CLIENTS; i++)
    conn_close (&conns[i]);
  close (epoll_fd);
}

static gboolean
compare_finished (gpointer user_data)
{
  ((Compare *) user_data)->done = TRUE;
  return G_SOURCE_REMOVE;
}

/* The client side of `compare`, off the main thread: the in-process mock must keep answering there. */
static gpointer
compare_client (gpointer user_data)
{
  Compare *cmp = user_data;
  static char buffer[65536];
  Conn conns[N_TARGETS];
  GPid perf = 0;
  gint64 start = now_ns ();
  double ours = 0;
  g_autoptr(MachineSample) machine = NULL;
  g_autoptr(GRand) shuffle = NULL;

  for (guint i = 0; i < N_TARGETS; i++)
    conns[i] = (Conn) { .fd = -1 };

  /* The peer loads its account (token refresh) on its first request: wait until one has gone through. */
  if (cmp->targets[PEER].missing == NULL)
    {
      gboolean ready = FALSE;

      for (guint i = 0; i < 300 && !ready && process_alive (cmp->targets[PEER].pid); i++)
        if (!(ready = exchange (&conns[PEER], &cmp->targets[PEER], buffer, sizeof buffer)))
          g_usleep (100000);
      if (!ready)
        cmp->targets[PEER].missing = g_strdup_printf ("%s %s before it answered a streamed request (its output is above)",
                                                      PEER_NAME, process_alive (cmp->targets[PEER].pid)
                                                      ? "did not answer in 30 s" : "exited");
    }

  /* Sequential: one request at a time, the targets in turn so that drift in the machine's load hits all alike, in a
   * new order each turn (shuffled, fixed seed): whoever comes right after Node's peer shares the machine with its
   * work after answering (garbage collection, logging), which in a fixed cyclic order always fell on the chat
   * surface (its added TTFB x1.34 of /v1/messages with the peer in the run, x1.05 without). */
  shuffle = g_rand_new_with_seed (20261203);
  for (guint i = 0; i < SEQ_WARMUP + cmp->requests; i++)
    {
      if (i == SEQ_WARMUP)
        {
          start = now_ns ();
          ours = our_cpu_seconds (cmp);
          machine = machine_sample (cmp);
        }
      guint order[N_TARGETS];

      for (guint k = 0; k < N_TARGETS; k++)
        order[k] = k;
      for (guint k = N_TARGETS - 1; k > 0; k--)
        {
          guint j = (guint) g_rand_int_range (shuffle, 0, (gint32) k + 1), swap = order[k];

          order[k] = order[j];
          order[j] = swap;
        }
      for (guint k = 0; k < N_TARGETS; k++)
        record_sequential (&cmp->targets[order[k]], &conns[order[k]], buffer, sizeof buffer, i >= SEQ_WARMUP);
    }
  cmp->seq_seconds = (now_ns () - start) / 1e9;
  cmp->seq_ours = our_cpu_seconds (cmp) - ours;
  if (machine != NULL)
    machine_add_since (cmp, &cmp->seq_machine, machine);
  for (guint t = 0; t < N_TARGETS; t++)
    conn_close (&conns[t]);

  /* c=16: each target alone on the machine in its window, the windows interleaved. */
  if (cmp->perf_data != NULL)
    perf = perf_start (cmp, cmp->targets[AGCL].pid);
  for (guint round = 0; round < ROUNDS; round++)
    for (guint t = 0; t < N_TARGETS; t++)
      if (cmp->targets[t].missing == NULL)
        closed_loop_window (cmp, &cmp->targets[t]);
  perf_stop (cmp, perf);

  g_idle_add (compare_finished, cmp);
  return NULL;
}

static char *
http_request (const char *path, guint port, const char *extra_headers, const char *body)
{
  return g_strdup_printf ("POST %s HTTP/1.1\r\nHost: 127.0.0.1:%u\r\nContent-Type: application/json\r\n"
                          "Accept: text/event-stream\r\n%sContent-Length: %zu\r\n\r\n%s", path, port, extra_headers,
                          strlen (body), body);
}

static guint
free_port (void)
{
  struct sockaddr_in address = { .sin_family = AF_INET };
  socklen_t len = sizeof address;
  int fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  guint port = 0;

  address.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  if (fd >= 0 && bind (fd, (struct sockaddr *) &address, sizeof address) == 0 &&
      getsockname (fd, (struct sockaddr *) &address, &len) == 0)
    port = ntohs (address.sin_port);
  if (fd >= 0)
    close (fd);
  return port;
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

/* Starts the peer (a copy of antigravity-claude-proxy whose Google URLs read AGCL_BENCH_UPSTREAM, made by
 * build-aux/bench.sh) with a private HOME holding one OAuth account the mock knows; NULL and @why when it can't. */
static GSubprocess *
start_peer (AgTestHarness *harness, const char *home, guint port, char **why)
{
  const char *entry = g_getenv ("AGCL_BENCH_PEER");
  g_autofree char *node = g_find_program_in_path (g_getenv ("AGCL_BENCH_NODE") ?: "node");
  g_autofree char *config_dir = g_build_filename (home, ".config", "antigravity-proxy", NULL);
  g_autofree char *accounts = g_build_filename (config_dir, "accounts.json", NULL);
  g_autofree char *log_path = g_build_filename (home, "peer.log", NULL);
  g_autofree char *base = ag_mock_server_get_base_url (harness->mock);
  g_autofree char *port_text = g_strdup_printf ("%u", port);
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;
  GSubprocess *process;

  if (entry == NULL)
    {
      *why = g_strdup (g_getenv ("AGCL_BENCH_PEER_MISSING") ?: "AGCL_BENCH_PEER is not set (build-aux/bench.sh "
                       "compare installs and patches the peer)");
      return NULL;
    }
  if (node == NULL)
    {
      *why = g_strdup ("node is not installed");
      return NULL;
    }
  /* The account as the peer's own `accounts add` stores it; the project is known, as ag-cl's is. */
  if (g_mkdir_with_parents (config_dir, 0700) != 0 ||
      !g_file_set_contents (accounts, "{\"accounts\":[{\"email\":\"user1@example.com\",\"source\":\"oauth\","
                            "\"enabled\":true,\"refreshToken\":\"rt-1\",\"projectId\":\"proj-1\"}],\"settings\":{},"
                            "\"activeIndex\":0}", -1, &error))
    {
      *why = g_strdup_printf ("cannot write its accounts file: %s", error != NULL ? error->message : config_dir);
      return NULL;
    }
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDERR_MERGE);
  g_subprocess_launcher_set_cwd (launcher, home);
  g_subprocess_launcher_setenv (launcher, "HOME", home, TRUE);
  g_subprocess_launcher_setenv (launcher, "PORT", port_text, TRUE);
  g_subprocess_launcher_setenv (launcher, "AGCL_BENCH_UPSTREAM", base, TRUE);
  g_subprocess_launcher_set_stdout_file_path (launcher, log_path);
  process = g_subprocess_launcher_spawn (launcher, &error, node, entry, NULL);
  if (process == NULL)
    *why = g_strdup_printf ("cannot start %s %s: %s", node, entry, error->message);
  return process;
}

static double
percentile_ms (GArray *samples, guint percent)
{
  if (samples->len == 0)
    return 0;
  g_array_sort (samples, compare_gint64);
  return g_array_index (samples, gint64, MIN (samples->len - 1, samples->len * percent / 100)) / 1e6;
}

static int
compare_by_cpu (gconstpointer a, gconstpointer b, gpointer user_data)
{
  double x = *(double *) g_hash_table_lookup (user_data, a), y = *(double *) g_hash_table_lookup (user_data, b);

  return x > y ? -1 : x < y;
}

/* A table cell, kept in @pool until the table is printed. */
static const char *cell (GPtrArray *pool, const char *format, ...) G_GNUC_PRINTF (2, 3);

static const char *
cell (GPtrArray *pool, const char *format, ...)
{
  va_list args;
  char *text;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  g_ptr_array_add (pool, text);
  return text;
}

static void
table_row (const char *figure, const char *direct, const char *agcl, const char *peer, const char *ratio,
           const char *target, const char *met)
{
  g_print ("%-38s %9s %9s %9s  %-19s %-13s %s\n", figure, direct, agcl, peer, ratio, target, met);
}

static const char *
met_text (gboolean known, gboolean met)
{
  return !known ? "n/a" : met ? "yes" : "NO";
}

static void
print_compare (Compare *cmp, double translate_rate)
{
  g_autoptr(GPtrArray) pool = g_ptr_array_new_with_free_func (g_free);
  Target *targets = cmp->targets;
  gboolean peer = targets[PEER].missing == NULL && targets[PEER].ttfb->len > 0;
  gboolean peer_rps = peer && targets[PEER].completed > 0;
  double ttfb[N_TARGETS], p99[N_TARGETS], span[N_TARGETS], rps[N_TARGETS];
  double added[N_TARGETS], added99[N_TARGETS];
  double ttfb_ratio, rps_peer_ratio, rps_direct_ratio, others = 0;

  for (guint t = 0; t < N_TARGETS; t++)
    {
      ttfb[t] = percentile_ms (targets[t].ttfb, 50);
      p99[t] = percentile_ms (targets[t].ttfb, 99);
      span[t] = percentile_ms (targets[t].span, 50);
      rps[t] = targets[t].seconds > 0 ? targets[t].completed / targets[t].seconds : 0;
      added[t] = ttfb[t] - ttfb[DIRECT];
      added99[t] = p99[t] - p99[DIRECT];
    }
  ttfb_ratio = added[AGCL] > 0 ? added[PEER] / added[AGCL] : G_MAXDOUBLE;
  rps_peer_ratio = rps[PEER] > 0 ? rps[AGCL] / rps[PEER] : 0;
  rps_direct_ratio = rps[DIRECT] > 0 ? rps[AGCL] / rps[DIRECT] : 0;

  g_print ("\ncompare: the mock asked directly, ag-cl, and %s against the same mock in one run; %u sequential "
           "streamed requests per target (after %u warm-up), then %d closed-loop clients, %d x %.1f s per target\n",
           g_getenv ("AGCL_BENCH_PEER_LABEL") ?: PEER_NAME, cmp->requests, SEQ_WARMUP, CLIENTS, ROUNDS, WINDOW_S);
  table_row ("figure", "direct", "ag-cl", "peer", "ratio", "target", "met?");
  table_row ("time to first body byte, median (ms)", cell (pool, "%.3f", ttfb[DIRECT]), cell (pool, "%.3f", ttfb[AGCL]),
             peer ? cell (pool, "%.3f", ttfb[PEER]) : "n/a", "", "", "");
  table_row ("added TTFB, median (ms)", "-", cell (pool, "%.3f", added[AGCL]),
             peer ? cell (pool, "%.3f", added[PEER]) : "n/a",
             peer ? cell (pool, "peer/ag-cl %.1f", ttfb_ratio) : "n/a", ">= 10", met_text (peer, ttfb_ratio >= 10));
  table_row ("added TTFB, p99 (ms)", "-", cell (pool, "%.3f", added99[AGCL]),
             peer ? cell (pool, "%.3f", added99[PEER]) : "n/a",
             peer && added99[AGCL] > 0 ? cell (pool, "peer/ag-cl %.1f", added99[PEER] / added99[AGCL]) : "", "", "");
  table_row ("requests/s, 16 concurrent streams", cell (pool, "%.0f", rps[DIRECT]), cell (pool, "%.0f", rps[AGCL]),
             peer_rps ? cell (pool, "%.0f", rps[PEER]) : "n/a",
             peer_rps ? cell (pool, "ag-cl/peer %.2f", rps_peer_ratio) : "n/a", ">= 4",
             met_text (peer_rps, rps_peer_ratio >= 4));
  table_row ("", "", "", "", cell (pool, "ag-cl/direct %.2f", rps_direct_ratio), ">= 0.70",
             met_text (rps[DIRECT] > 0, rps_direct_ratio >= 0.70));
  table_row ("last byte after first, 6 chunks (ms)", cell (pool, "%.3f", span[DIRECT]), cell (pool, "%.3f", span[AGCL]),
             peer ? cell (pool, "%.3f", span[PEER]) : "n/a", "", "ag-cl <= 0.1", met_text (TRUE, span[AGCL] <= 0.1));
  table_row ("translated chunks/s, one core", "-", cell (pool, "%.0f", translate_rate), "-", "", ">= 250000",
             met_text (TRUE, translate_rate >= 250000));

  /* The OpenAI surfaces against /v1/messages on the same ag-cl: within 10 % is the target. */
  g_print ("\nsurfaces of the same ag-cl, the same question (added TTFB median, requests/s at c=%d)\n", CLIENTS);
  table_row ("surface", "added TTFB", "p99", "requests/s", "vs messages", "target", "met?");
  for (guint t = AGCL; t < N_TARGETS; t++)
    {
      static const char *const labels[N_TARGETS] = { NULL, "/v1/messages", NULL, "/v1/chat/completions",
                                                     "/v1/responses" };
      double ttfb_over = added[AGCL] > 0 ? added[t] / added[AGCL] : 0;
      double rps_share = rps[AGCL] > 0 ? rps[t] / rps[AGCL] : 0;

      if (t == PEER)
        continue;
      table_row (labels[t], cell (pool, "%.3f ms", added[t]), cell (pool, "%.3f ms", added99[t]),
                 cell (pool, "%.0f", rps[t]),
                 t == AGCL ? "" : cell (pool, "TTFB x%.2f, rps x%.2f", ttfb_over, rps_share),
                 t == AGCL ? "" : "<= 1.10, >= 0.90",
                 t == AGCL ? "" : met_text (targets[t].completed > 0, ttfb_over <= 1.10 && rps_share >= 0.90));
    }

  /* Three processes share the cores at c=16: the split shows whose CPU time bounds the rate. The machine's other
   * load is shown so that a disturbed run can be told from a slow one. */
  g_print ("\nCPU time per answer at c=%d (us), and cores busy (%d cores): these processes, softirq, other processes, "
           "stolen\n", CLIENTS, g_get_num_processors ());
  for (guint t = 0; t < N_TARGETS; t++)
    {
      Target *x = &targets[t];
      double total = x->cpu_target + x->cpu_mock + x->cpu_client;

      if (x->missing != NULL || x->completed == 0)
        continue;
      others = MAX (others, x->machine.others / x->seconds);
      g_print ("  %-6s  proxy %5.0f  mock %4.0f  client %4.0f  = %5.0f;  cores %.2f  %.2f  %.2f  %.2f", x->name,
               x->cpu_target * 1e6 / x->completed, x->cpu_mock * 1e6 / x->completed,
               x->cpu_client * 1e6 / x->completed, total * 1e6 / x->completed, total / x->seconds,
               x->machine.irq / x->seconds, x->machine.others / x->seconds, x->machine.steal / x->seconds);
      if (x->pid > 0)
        g_print (";  proxy RSS %.1f MB", x->rss_kb / 1024.0);
      g_print ("\n");
    }
  others = MAX (others, cmp->seq_machine.others / cmp->seq_seconds);
  g_print ("  sequential phase                               cores %.2f  %.2f  %.2f  %.2f\n",
           cmp->seq_ours / cmp->seq_seconds, cmp->seq_machine.irq / cmp->seq_seconds,
           cmp->seq_machine.others / cmp->seq_seconds, cmp->seq_machine.steal / cmp->seq_seconds);
  if (others > 0.1)
    {
      g_autoptr(GList) names = g_hash_table_get_keys (cmp->others_by_name);
      guint shown = 0;

      names = g_list_sort_with_data (names, compare_by_cpu, cmp->others_by_name);
      g_print ("NOTE: other processes kept up to %.2f cores busy in a measured phase, so these figures are disturbed; "
               "the busiest:", others);
      for (GList *l = names; l != NULL && shown < 4; l = l->next, shown++)
        g_print ("%s %s %.2f s", shown > 0 ? "," : "", (char *) l->data,
                 *(double *) g_hash_table_lookup (cmp->others_by_name, l->data));
      g_print (" (CPU time over the measured phases)\n");
    }
  g_print ("answer body bytes: direct %zu, ag-cl %zu, peer %zu; failed requests (direct/ag-cl/peer): sequential "
           "%u/%u/%u, c=%d %u/%u/%u\n", targets[DIRECT].answer_bytes, targets[AGCL].answer_bytes,
           targets[PEER].answer_bytes, targets[DIRECT].seq_errors, targets[AGCL].seq_errors, targets[PEER].seq_errors,
           CLIENTS, targets[DIRECT].errors, targets[AGCL].errors, targets[PEER].errors);
  g_print ("OpenAI surfaces: answer body bytes chat %zu, responses %zu; failed requests sequential %u/%u, c=%d "
           "%u/%u\n", targets[CHAT].answer_bytes, targets[RESPONSES].answer_bytes, targets[CHAT].seq_errors,
           targets[RESPONSES].seq_errors, CLIENTS, targets[CHAT].errors, targets[RESPONSES].errors);
  if (targets[PEER].missing != NULL)
    g_print ("peer column missing: %s\n", targets[PEER].missing);
  if (cmp->perf_note != NULL)
    g_print ("%s\n", cmp->perf_note);
}

/* @translate_rate: chunks/s from `translate` earlier in this run, or 0 to measure it here. */
static void
bench_compare (guint requests, double translate_rate)
{
  AgTestHarness *harness = ag_test_harness_new (COMPARE_SCRIPT);
  g_autofree char *peer_home = g_dir_make_tmp ("ag-bench-peer-XXXXXX", NULL);
  g_autoptr(GSubprocess) peer = NULL;
  g_autoptr(GThread) client = NULL;
  Compare cmp = { .requests = requests, .perf_data = g_getenv ("AGCL_BENCH_PERF_DATA"),
                  .others_by_name = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free) };
  const char *names[N_TARGETS] = { "direct", "ag-cl", "peer", "chat", "resp" };
  const char *markers[N_TARGETS] = { "\"finishReason\"", "message_stop", "message_stop", "[DONE]", "\"total_tokens\"" };

  if (translate_rate <= 0)
    translate_rate = bench_translate (200000);
  if (pthread_getcpuclockid (pthread_self (), &cmp.mock_clock) != 0)
    cmp.mock_clock = CLOCK_THREAD_CPUTIME_ID;
  for (guint t = 0; t < N_TARGETS; t++)
    {
      cmp.targets[t].name = names[t];
      cmp.targets[t].end_marker = markers[t];
      cmp.targets[t].ttfb = g_array_new (FALSE, FALSE, sizeof (gint64));
      cmp.targets[t].span = g_array_new (FALSE, FALSE, sizeof (gint64));
    }

  cmp.targets[DIRECT].port = ag_mock_server_get_port (harness->mock);
  cmp.targets[DIRECT].request = http_request ("/v1internal:streamGenerateContent?alt=sse", cmp.targets[DIRECT].port,
                                              "Authorization: Bearer " BENCH_ACCESS_TOKEN "\r\n", DIRECT_REQUEST);

  ag_test_harness_add_account (harness, "rt-1");
  ag_test_harness_start_proxy (harness);
  cmp.targets[AGCL].port = harness->port;
  cmp.targets[AGCL].pid = atoi (g_subprocess_get_identifier (harness->proxy));
  cmp.targets[AGCL].request = http_request ("/v1/messages", harness->port, "anthropic-version: 2023-06-01\r\n",
                                            PROXY_REQUEST);

  cmp.targets[CHAT].port = harness->port;
  cmp.targets[CHAT].pid = cmp.targets[AGCL].pid;
  cmp.targets[CHAT].request = http_request ("/v1/chat/completions", harness->port, "", CHAT_REQUEST);
  cmp.targets[RESPONSES].port = harness->port;
  cmp.targets[RESPONSES].pid = cmp.targets[AGCL].pid;
  cmp.targets[RESPONSES].request = http_request ("/v1/responses", harness->port, "", RESPONSES_REQUEST);

  cmp.targets[PEER].port = free_port ();
  cmp.targets[PEER].request = http_request ("/v1/messages", cmp.targets[PEER].port, "anthropic-version: 2023-06-01\r\n",
                                            PROXY_REQUEST);
  peer = start_peer (harness, peer_home, cmp.targets[PEER].port, &cmp.targets[PEER].missing);
  if (peer != NULL)
    cmp.targets[PEER].pid = atoi (g_subprocess_get_identifier (peer));

  for (guint t = 0; t < N_TARGETS; t++)
    cmp.targets[t].request_len = strlen (cmp.targets[t].request);
  client = g_thread_new ("ag-bench-client", compare_client, &cmp);
  ag_test_wait_for (&cmp.done, 600000);
  g_thread_join (g_steal_pointer (&client));

  if (peer != NULL && cmp.targets[PEER].missing != NULL)
    {
      g_autofree char *log_path = g_build_filename (peer_home, "peer.log", NULL);
      g_autofree char *log = NULL;

      if (g_file_get_contents (log_path, &log, NULL, NULL))
        g_print ("the peer's output (end):\n%s\n", log + (strlen (log) > 2000 ? strlen (log) - 2000 : 0));
    }
  print_compare (&cmp, translate_rate);

  if (peer != NULL)
    {
      g_subprocess_send_signal (peer, SIGTERM);
      g_subprocess_wait (peer, NULL, NULL);
    }
  remove_tree (peer_home);
  for (guint t = 0; t < N_TARGETS; t++)
    {
      g_free (cmp.targets[t].request);
      g_free (cmp.targets[t].missing);
      g_array_unref (cmp.targets[t].ttfb);
      g_array_unref (cmp.targets[t].span);
    }
  g_free (cmp.perf_note);
  g_hash_table_unref (cmp.others_by_name);
  ag_test_harness_free (harness);
}

int
main (int argc, char **argv)
{
  const char *mode = argc > 1 ? argv[1] : "all";
  guint count = argc > 2 ? (guint) g_ascii_strtoull (argv[2], NULL, 10) : 0;
  double translate_rate = 0;

  g_set_prgname ("ag-bench");
  if (!g_strv_contains ((const char * const[]) { "translate", "session", "proxy", "compare", "all", NULL }, mode))
    {
      g_printerr ("usage: ag-bench [translate|session|proxy|compare|all] [COUNT]\n");
      return 2;
    }

  if (g_str_equal (mode, "translate") || g_str_equal (mode, "all"))
    translate_rate = bench_translate (count > 0 ? count : 200000);
  if (g_str_equal (mode, "session") || g_str_equal (mode, "all"))
    bench_session (count > 0 ? count : 400);
  if ((g_str_equal (mode, "proxy") || g_str_equal (mode, "compare") || g_str_equal (mode, "all")) &&
      g_getenv ("AG_CL") == NULL)
    g_error ("set AG_CL to the ag-cl binary");
  if (g_str_equal (mode, "proxy") || g_str_equal (mode, "all"))
    {
      bench_proxy (count > 0 ? count : 500);
      bench_tls_idle ();
    }
  if (g_str_equal (mode, "compare") || g_str_equal (mode, "all"))
    bench_compare (count > 0 ? count : 1000, translate_rate);
  return 0;
}
