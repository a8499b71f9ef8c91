/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Fuzzes Google error bodies, Go durations and RFC 3339 timestamps: the first two bytes choose the HTTP status,
 * the rest is the body; the whole input, as text, is also read as a duration and as a timestamp. A body that
 * parses to a JSON object must give the same error from the parsed object (as the stream decoder builds it). */
#include "fuzz-common.h"
#include "ag-anthropic-error.h"
#include "ag-google-error.h"

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  fuzz_make_glib_strict ();
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr(AgGoogleError) error = NULL;
  g_autofree char *message = NULL;
  g_autofree char *text = g_strndup ((const char *) data, size);
  const char *error_type = NULL;
  guint http_status;
  guint answer;
  gint64 ms = -1;

  http_status = size >= 2 ? (guint) ((data[0] << 8 | data[1]) % 600) : 0;
  error = size >= 2 ? ag_google_error_parse (http_status, (const char *) data + 2, size - 2)
                    : ag_google_error_parse (http_status, "", 0);
  g_assert_nonnull (error);
  g_assert_nonnull (error->message);
  g_assert_true (error->retry_delay_ms >= -1);
  answer = ag_anthropic_error_from_google (error, &error_type, &message);
  g_assert_true (answer >= 400 && answer <= 599);
  g_assert_nonnull (error_type);
  g_assert_nonnull (message);

  if (size > 2)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      JsonNode *root;

      if (json_parser_load_from_data (parser, (const char *) data + 2, (gssize) (size - 2), NULL) &&
          (root = json_parser_get_root (parser)) != NULL && JSON_NODE_HOLDS_OBJECT (root))
        {
          g_autoptr(AgGoogleError) built = ag_google_error_from_object (http_status, json_node_get_object (root));

          g_assert_cmpuint (built->http_status, ==, error->http_status);
          g_assert_cmpint (built->kind, ==, error->kind);
          g_assert_cmpstr (built->status, ==, error->status);
          g_assert_cmpstr (built->message, ==, error->message);
          g_assert_cmpstr (built->reason, ==, error->reason);
          g_assert_cmpstr (built->model, ==, error->model);
          g_assert_cmpint (built->retry_delay_ms, ==, error->retry_delay_ms);
          g_assert_cmpint (built->reset_time_ms, ==, error->reset_time_ms);
          g_assert_cmpstr (built->validation_url, ==, error->validation_url);
        }
    }

  if (ag_parse_go_duration (text, &ms))
    g_assert_true (ms >= 0);
  ag_parse_rfc3339 (text, &ms);
  return 0;
}
