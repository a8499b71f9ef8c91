/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "ag-request-record.h"
#include "ag-json.h"

#include <gio/gio.h>

static const char * const outcome_names[] = {
  [AG_REQUEST_OUTCOME_OK] = "ok",
  [AG_REQUEST_OUTCOME_CLIENT_ERROR] = "client_error",
  [AG_REQUEST_OUTCOME_UPSTREAM_ERROR] = "upstream_error",
  [AG_REQUEST_OUTCOME_CANCELLED] = "cancelled",
  [AG_REQUEST_OUTCOME_INTERCEPTED] = "intercepted",
  [AG_REQUEST_OUTCOME_REFUSED] = "refused",
  [AG_REQUEST_OUTCOME_IN_FLIGHT] = "in_flight",
};

const char *
ag_request_outcome_to_string (AgRequestOutcome outcome)
{
  g_return_val_if_fail ((guint) outcome < G_N_ELEMENTS (outcome_names), "upstream_error");
  return outcome_names[outcome];
}

gboolean
ag_request_outcome_from_string (const char *text, AgRequestOutcome *outcome)
{
  for (guint i = 0; i < G_N_ELEMENTS (outcome_names); i++)
    if (g_strcmp0 (text, outcome_names[i]) == 0)
      {
        *outcome = (AgRequestOutcome) i;
        return TRUE;
      }
  return FALSE;
}

static void
attempt_free (AgRequestAttempt *attempt)
{
  g_free (attempt->account);
  g_free (attempt->reason);
  g_free (attempt);
}

AgRequestRecord *
ag_request_record_new (void)
{
  AgRequestRecord *self = g_new0 (AgRequestRecord, 1);

  self->time_ms = g_get_real_time () / 1000;
  self->ttfb_ms = -1;
  self->attempts = g_ptr_array_new_with_free_func ((GDestroyNotify) attempt_free);
  return self;
}

void
ag_request_record_free (AgRequestRecord *self)
{
  if (self == NULL)
    return;
  g_free (self->client);
  g_free (self->session_id);
  g_free (self->model);
  g_free (self->upstream_model);
  g_free (self->account);
  g_free (self->detail);
  g_free (self->repairs);
  g_ptr_array_unref (self->attempts);
  g_free (self);
}

void
ag_request_record_add_attempt (AgRequestRecord *self, const char *account, const char *reason, guint status,
                               gint64 wait_ms)
{
  AgRequestAttempt *attempt = g_new0 (AgRequestAttempt, 1);

  attempt->account = g_strdup (account);
  attempt->reason = g_strdup (reason);
  attempt->status = status;
  attempt->wait_ms = wait_ms;
  g_ptr_array_add (self->attempts, attempt);
}

static void
add_nullable_string (JsonBuilder *builder, const char *name, const char *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static void
build_attempts (JsonBuilder *builder, const AgRequestRecord *self)
{
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->attempts->len; i++)
    {
      AgRequestAttempt *attempt = g_ptr_array_index (self->attempts, i);

      json_builder_begin_object (builder);
      add_nullable_string (builder, "account", attempt->account);
      add_nullable_string (builder, "reason", attempt->reason);
      json_builder_set_member_name (builder, "status");
      json_builder_add_int_value (builder, attempt->status);
      json_builder_set_member_name (builder, "wait_ms");
      json_builder_add_int_value (builder, attempt->wait_ms);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

char *
ag_request_record_attempts_to_json (const AgRequestRecord *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  build_attempts (builder, self);
  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

static gint64
member_int (JsonObject *object, const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) ? json_node_get_int (node) : 0;
}

gboolean
ag_request_record_set_attempts_from_json (AgRequestRecord *self, const char *json, GError **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GPtrArray) attempts = g_ptr_array_new_with_free_func ((GDestroyNotify) attempt_free);
  JsonArray *array;

  if (!json_parser_load_from_data (parser, json, -1, error))
    return FALSE;
  if (json_parser_get_root (parser) == NULL || !JSON_NODE_HOLDS_ARRAY (json_parser_get_root (parser)))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "the attempts are not a JSON array");
      return FALSE;
    }
  array = json_node_get_array (json_parser_get_root (parser));
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      JsonObject *object;
      AgRequestAttempt *attempt;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "attempt %u is not a JSON object", i);
          return FALSE;
        }
      object = json_node_get_object (element);
      attempt = g_new0 (AgRequestAttempt, 1);
      attempt->account = g_strdup (ag_json_string (object, "account"));
      attempt->reason = g_strdup (ag_json_string (object, "reason"));
      attempt->status = (guint) CLAMP (member_int (object, "status"), 0, G_MAXUINT);
      attempt->wait_ms = member_int (object, "wait_ms");
      g_ptr_array_add (attempts, attempt);
    }
  g_ptr_array_unref (self->attempts);
  self->attempts = g_steal_pointer (&attempts);
  return TRUE;
}

static void
add_int (JsonBuilder *builder, const char *name, gint64 value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_int_value (builder, value);
}

JsonNode *
ag_request_record_to_json (const AgRequestRecord *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_utc (self->time_ms / 1000);
  g_autofree char *seconds = time != NULL ? g_date_time_format (time, "%Y-%m-%dT%H:%M:%S") : NULL;
  g_autofree char *time_text = g_strdup_printf ("%s.%03dZ", seconds != NULL ? seconds : "1970-01-01T00:00:00",
                                                (int) (self->time_ms % 1000));
  json_builder_begin_object (builder);
  add_int (builder, "id", self->id);
  json_builder_set_member_name (builder, "time");
  json_builder_add_string_value (builder, time_text);
  add_int (builder, "time_ms", self->time_ms);
  add_nullable_string (builder, "client", self->client);
  add_nullable_string (builder, "session_id", self->session_id);
  add_nullable_string (builder, "model", self->model);
  add_nullable_string (builder, "upstream_model", self->upstream_model);
  add_nullable_string (builder, "account", self->account);
  json_builder_set_member_name (builder, "attempts");
  build_attempts (builder, self);
  json_builder_set_member_name (builder, "outcome");
  json_builder_add_string_value (builder, ag_request_outcome_to_string (self->outcome));
  add_int (builder, "status", self->status);
  json_builder_set_member_name (builder, "ttfb_ms");
  if (self->ttfb_ms >= 0)
    json_builder_add_int_value (builder, self->ttfb_ms);
  else
    json_builder_add_null_value (builder);
  add_int (builder, "total_ms", self->total_ms);
  add_int (builder, "input_tokens", self->input_tokens);
  add_int (builder, "output_tokens", self->output_tokens);
  add_int (builder, "cache_read_tokens", self->cache_read_tokens);
  add_nullable_string (builder, "detail", self->detail);
  add_nullable_string (builder, "repairs", self->repairs);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

AgRequestOutcome
ag_request_outcome_for_status (guint status)
{
  if (status == 200)
    return AG_REQUEST_OUTCOME_OK;
  if (status == 499)
    return AG_REQUEST_OUTCOME_CANCELLED;
  if (status == 400 || status == 404 || status == 405 || status == 413)
    return AG_REQUEST_OUTCOME_CLIENT_ERROR;
  return AG_REQUEST_OUTCOME_UPSTREAM_ERROR;
}

char *
ag_request_record_describe_attempts (const AgRequestRecord *self)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < self->attempts->len; i++)
    {
      AgRequestAttempt *attempt = g_ptr_array_index (self->attempts, i);

      g_string_append (text, i == 0 ? "; retried: " : ", ");
      if (attempt->account != NULL)
        g_string_append_printf (text, "%s ", attempt->account);
      g_string_append (text, attempt->reason);
      if (attempt->status != 0)
        g_string_append_printf (text, " %u", attempt->status);
      if (attempt->wait_ms > 0)
        g_string_append_printf (text, " then %" G_GINT64_FORMAT " ms", attempt->wait_ms);
    }
  return g_string_free (text, FALSE);
}
