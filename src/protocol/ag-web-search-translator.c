/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "ag-web-search-translator.h"
#include "ag-stream-translator-private.h"
#include "ag-upstream-chunk.h"
#include "ag-event-writer.h"
#include "ag-google-error.h"
#include "ag-json.h"
#include "ag-protocol-error.h"

#include <string.h>

typedef struct {
  AgBackTranslator parent;     /* first: the back-translator interface */
  gboolean         stream;
  char            *client_model;
  double           usage_scale;
  gint64           max_uses;

  GString    *text;            /* the answer's text parts, in order (thoughts left out) */
  JsonArray  *queries;         /* the latest webSearchQueries, groundingChunks, groundingSupports seen */
  JsonArray  *sources;
  JsonArray  *supports;
  const char *stop_reason;     /* NULL until a finishReason arrives */
  gboolean    done;
} AgWebSearchTranslator;

static const AgBackTranslatorClass web_search_translator_class;

AgBackTranslator *
ag_web_search_translator_new (const AgStreamOptions *options, gboolean stream)
{
  AgWebSearchTranslator *self = g_new0 (AgWebSearchTranslator, 1);

  ag_back_translator_init (&self->parent, &web_search_translator_class);
  self->stream = stream;
  self->client_model = g_strdup (options->client_model != NULL ? options->client_model : "");
  self->usage_scale = options->usage_scale;
  self->max_uses = options->web_search_max_uses > 0 ? options->web_search_max_uses : 1;
  self->text = g_string_new (NULL);
  return &self->parent;
}

static void
replace_array (JsonArray **slot, JsonObject *object, const char *name)
{
  JsonArray *array = ag_json_array (object, name);

  if (array == NULL)
    return;
  g_clear_pointer (slot, json_array_unref);
  *slot = json_array_ref (array);
}

static void
read_candidate (AgWebSearchTranslator *self, JsonObject *candidate, GError **error)
{
  JsonArray *parts = ag_json_array (ag_json_object (candidate, "content"), "parts");
  JsonObject *grounding = ag_json_object (candidate, "groundingMetadata");
  const char *finish_reason = ag_json_string (candidate, "finishReason");

  for (guint i = 0; parts != NULL && i < json_array_get_length (parts); i++)
    {
      JsonObject *part = ag_json_array_object (parts, i);
      const char *text = ag_json_string (part, "text");

      if (text == NULL || ag_json_bool (part, "thought", FALSE))
        continue;
      if (self->text->len == 0 && ag_google_text_is_outdated_client_notice (text))
        {
          g_set_error_literal (error, AG_PROTOCOL_ERROR, AG_PROTOCOL_ERROR_CLIENT_OUTDATED, text);
          return;
        }
      g_string_append (self->text, text);
    }
  if (grounding != NULL)
    {
      replace_array (&self->queries, grounding, "webSearchQueries");
      replace_array (&self->sources, grounding, "groundingChunks");
      replace_array (&self->supports, grounding, "groundingSupports");
    }
  if (finish_reason != NULL)
    self->stop_reason = ag_anthropic_stop_reason_for_finish (finish_reason);
}

static gboolean
back_push (AgBackTranslator *back, JsonObject *chunk, GError **error)
{
  AgWebSearchTranslator *self = (AgWebSearchTranslator *) back;
  JsonObject *response = ag_upstream_chunk_response (chunk, error);
  JsonArray *candidates;

  if (response == NULL)
    return FALSE;
  if (self->done)
    return TRUE;
  ag_back_translator_note_response (&self->parent, response);
  if ((candidates = ag_json_array (response, "candidates")) != NULL && json_array_get_length (candidates) > 0)
    {
      GError *local_error = NULL;

      read_candidate (self, ag_json_array_object (candidates, 0), &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, local_error);
          return FALSE;
        }
    }
  return TRUE;
}

/* ── the answer's blocks ──────────────────────────────────────────────────────────────────────────────────── */

static const char *
source_url (JsonArray *sources, gint64 index)
{
  if (sources == NULL || index < 0 || index >= json_array_get_length (sources))
    return NULL;
  return ag_json_string (ag_json_object (ag_json_array_object (sources, (guint) index), "web"), "uri");
}

static const char *
source_title (JsonArray *sources, gint64 index)
{
  const char *title = ag_json_string (ag_json_object (ag_json_array_object (sources, (guint) index), "web"), "title");

  return title != NULL && *title != '\0' ? title : source_url (sources, index);
}

/* Where support @support's segment lies in the text, in bytes: Google's offsets when they cut the text at
 * character boundaries (and match the segment's own text when it has one), else the segment's text found from
 * @from on. FALSE when it cannot be placed. */
static gboolean
place_segment (AgWebSearchTranslator *self, JsonObject *support, gsize from, gsize *start, gsize *end)
{
  JsonObject *segment = ag_json_object (support, "segment");
  const char *text = ag_json_string (segment, "text");
  gint64 s = ag_json_int (segment, "startIndex", 0);
  gint64 e = ag_json_int (segment, "endIndex", -1);
  const char *found;

  if (segment == NULL)
    return FALSE;
  if (s >= 0 && e > s && (gsize) e <= self->text->len &&
      g_utf8_validate (self->text->str + s, e - s, NULL) &&
      (text == NULL || (strlen (text) == (gsize) (e - s) && memcmp (text, self->text->str + s, e - s) == 0)))
    {
      *start = (gsize) s;
      *end = (gsize) e;
      return TRUE;
    }
  if (text == NULL || *text == '\0' || from > self->text->len || (found = strstr (self->text->str + from, text)) == NULL)
    return FALSE;
  *start = found - self->text->str;
  *end = *start + strlen (text);
  return TRUE;
}

static JsonObject *
text_block (const char *text, gsize length)
{
  JsonObject *block = json_object_new ();
  g_autofree char *copy = g_strndup (text, length);

  json_object_set_string_member (block, "type", "text");
  json_object_set_string_member (block, "text", copy);
  return block;
}

static JsonArray *
citations_for (AgWebSearchTranslator *self, JsonObject *support, gsize start, gsize end)
{
  JsonArray *indices = ag_json_array (support, "groundingChunkIndices");
  JsonArray *citations = json_array_new ();
  g_autofree char *cited = g_strndup (self->text->str + start, end - start);

  for (guint i = 0; indices != NULL && i < json_array_get_length (indices); i++)
    {
      gint64 index = json_array_get_int_element (indices, i);
      const char *url = source_url (self->sources, index);
      JsonObject *citation;
      g_autofree char *where = NULL;
      g_autofree char *encrypted = NULL;

      if (url == NULL || *url == '\0')
        continue;
      where = g_strdup_printf ("%" G_GINT64_FORMAT ":%" G_GSIZE_FORMAT "-%" G_GSIZE_FORMAT, index, start, end);
      encrypted = g_base64_encode ((const guchar *) where, strlen (where));
      citation = json_object_new ();
      json_object_set_string_member (citation, "type", "web_search_result_location");
      json_object_set_string_member (citation, "url", url);
      json_object_set_string_member (citation, "title", source_title (self->sources, index));
      json_object_set_string_member (citation, "encrypted_index", encrypted);
      json_object_set_string_member (citation, "cited_text", cited);
      json_array_add_object_element (citations, citation);
    }
  return citations;
}

/* The text as blocks: uncited stretches plain, each supported segment with its citations. */
static void
add_text_blocks (AgWebSearchTranslator *self, JsonArray *blocks)
{
  gsize pos = 0;

  for (guint i = 0; self->supports != NULL && i < json_array_get_length (self->supports); i++)
    {
      JsonObject *support = ag_json_array_object (self->supports, i);
      g_autoptr(JsonArray) citations = NULL;
      gsize start, end;
      JsonObject *block;

      if (support == NULL || !place_segment (self, support, pos, &start, &end) || start < pos || end <= start)
        continue;
      citations = citations_for (self, support, start, end);
      if (json_array_get_length (citations) == 0)
        continue;
      if (start > pos)
        json_array_add_object_element (blocks, text_block (self->text->str + pos, start - pos));
      block = text_block (self->text->str + start, end - start);
      json_object_set_array_member (block, "citations", g_steal_pointer (&citations));
      json_array_add_object_element (blocks, block);
      pos = end;
    }
  if (pos < self->text->len)
    json_array_add_object_element (blocks, text_block (self->text->str + pos, self->text->len - pos));
}

/* What the model read from source @index: its cited segments, joined (Anthropic's encrypted_content is opaque to
 * clients; Claude Code shows it as the page's snippet when it reads like text), or its title. */
static char *
source_snippet (AgWebSearchTranslator *self, gint64 index)
{
  GString *snippet = g_string_new (NULL);

  for (guint i = 0; self->supports != NULL && i < json_array_get_length (self->supports); i++)
    {
      JsonObject *support = ag_json_array_object (self->supports, i);
      JsonArray *indices = ag_json_array (support, "groundingChunkIndices");
      gsize start, end;

      for (guint j = 0; indices != NULL && j < json_array_get_length (indices); j++)
        if (json_array_get_int_element (indices, j) == index && place_segment (self, support, 0, &start, &end))
          {
            if (snippet->len > 0)
              g_string_append (snippet, " … ");
            g_string_append_len (snippet, self->text->str + start, end - start);
            break;
          }
    }
  if (snippet->len == 0)
    g_string_append (snippet, source_title (self->sources, index));
  return g_string_free (snippet, FALSE);
}

static JsonArray *
search_results (AgWebSearchTranslator *self)
{
  JsonArray *results = json_array_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; self->sources != NULL && i < json_array_get_length (self->sources); i++)
    {
      const char *url = source_url (self->sources, i);
      JsonObject *result;
      g_autofree char *snippet = NULL;

      if (url == NULL || *url == '\0' || !g_hash_table_add (seen, (gpointer) url))
        continue;
      snippet = source_snippet (self, i);
      result = json_object_new ();
      json_object_set_string_member (result, "type", "web_search_result");
      json_object_set_string_member (result, "url", url);
      json_object_set_string_member (result, "title", source_title (self->sources, i));
      json_object_set_string_member (result, "encrypted_content", snippet);
      json_object_set_null_member (result, "page_age");
      json_array_add_object_element (results, result);
    }
  return results;
}

/* Searches Google ran, as Anthropic counts them: one per query, within max_uses; a grounded answer that names no
 * query still searched once. */
static gint64
search_count (AgWebSearchTranslator *self)
{
  gint64 queries = self->queries != NULL ? json_array_get_length (self->queries) : 0;

  if (queries == 0 && (self->sources == NULL || json_array_get_length (self->sources) == 0))
    return 0;
  return MIN (MAX (queries, 1), self->max_uses);
}

static JsonArray *
answer_blocks (AgWebSearchTranslator *self)
{
  JsonArray *blocks = json_array_new ();

  if (search_count (self) > 0)
    {
      char id[9 + AG_ANTHROPIC_ID_RANDOM_CHARS + 1];
      JsonObject *use = json_object_new ();
      JsonObject *input = json_object_new ();
      JsonObject *result = json_object_new ();
      const char *query = self->queries != NULL && json_array_get_length (self->queries) > 0
                          ? json_array_get_string_element (self->queries, 0) : NULL;

      ag_anthropic_random_id (id, "srvtoolu_");
      if (query != NULL)
        json_object_set_string_member (input, "query", query);
      json_object_set_string_member (use, "type", "server_tool_use");
      json_object_set_string_member (use, "id", id);
      json_object_set_string_member (use, "name", "web_search");
      json_object_set_object_member (use, "input", input);
      json_array_add_object_element (blocks, use);
      json_object_set_string_member (result, "type", "web_search_tool_result");
      json_object_set_string_member (result, "tool_use_id", id);
      json_object_set_array_member (result, "content", search_results (self));
      json_array_add_object_element (blocks, result);
    }
  add_text_blocks (self, blocks);
  return blocks;
}

/* ── writing ──────────────────────────────────────────────────────────────────────────────────────────────── */

static JsonNode *
usage_node (AgWebSearchTranslator *self, gint64 output, gint64 searches)
{
  JsonObject *usage = json_object_new ();
  JsonObject *server = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_object_set_int_member (usage, "input_tokens",
                              ag_usage_scaled (ag_upstream_usage_input (&self->parent.usage), self->usage_scale));
  json_object_set_int_member (usage, "output_tokens", output);
  json_object_set_int_member (usage, "cache_read_input_tokens",
                              ag_usage_scaled (self->parent.usage.cached, self->usage_scale));
  json_object_set_int_member (usage, "cache_creation_input_tokens", 0);
  json_object_set_int_member (server, "web_search_requests", searches);
  json_object_set_object_member (usage, "server_tool_use", server);
  json_node_take_object (node, usage);
  return node;
}

static void
write_delta (AgEventWriter *writer, gint64 index, const char *type, const char *key, JsonNode *value,
             const char *text)
{
  ag_event_writer_begin (writer, "content_block_delta");
  ag_event_writer_int (writer, "index", index);
  ag_event_writer_open (writer, "delta");
  ag_event_writer_string (writer, "type", type);
  if (value != NULL)
    ag_event_writer_node (writer, key, value);
  else
    ag_event_writer_string (writer, key, text);
  ag_event_writer_close (writer);
  ag_event_writer_end (writer);
}

/* One block as Anthropic streams it: a server_tool_use's input and a text's citations and text as deltas,
 * anything else whole in content_block_start. */
static void
write_block (AgEventWriter *writer, gint64 index, JsonObject *block)
{
  const char *type = ag_json_string (block, "type");
  JsonArray *citations = ag_json_array (block, "citations");
  g_autoptr(JsonObject) start = json_object_new ();
  g_autoptr(JsonNode) start_node = json_node_new (JSON_NODE_OBJECT);
  g_autofree char *input = NULL;

  if (g_str_equal (type, "server_tool_use"))
    {
      json_object_set_string_member (start, "type", type);
      json_object_set_string_member (start, "id", ag_json_string (block, "id"));
      json_object_set_string_member (start, "name", ag_json_string (block, "name"));
      json_object_set_object_member (start, "input", json_object_new ());
      input = json_to_string (json_object_get_member (block, "input"), FALSE);
    }
  else if (g_str_equal (type, "text"))
    {
      json_object_set_string_member (start, "type", type);
      json_object_set_string_member (start, "text", "");
      if (citations != NULL)
        json_object_set_array_member (start, "citations", json_array_new ());
    }
  else
    {
      g_clear_pointer (&start, json_object_unref);
      start = json_object_ref (block);
    }
  json_node_set_object (start_node, start);
  ag_event_writer_begin (writer, "content_block_start");
  ag_event_writer_int (writer, "index", index);
  ag_event_writer_node (writer, "content_block", start_node);
  ag_event_writer_end (writer);
  if (input != NULL)
    write_delta (writer, index, "input_json_delta", "partial_json", NULL, input);
  for (guint i = 0; citations != NULL && i < json_array_get_length (citations); i++)
    write_delta (writer, index, "citations_delta", "citation", json_array_get_element (citations, i), NULL);
  if (g_str_equal (type, "text"))
    write_delta (writer, index, "text_delta", "text", NULL, ag_json_string (block, "text"));
  ag_event_writer_begin (writer, "content_block_stop");
  ag_event_writer_int (writer, "index", index);
  ag_event_writer_end (writer);
}

static void
write_stream (AgWebSearchTranslator *self, JsonArray *blocks, const char *message_id, gint64 searches)
{
  g_autoptr(JsonNode) start_usage = usage_node (self, 0, 0);
  g_autoptr(JsonNode) end_usage = usage_node (self, ag_upstream_usage_output (&self->parent.usage), searches);
  AgEventWriter writer;

  ag_event_writer_init_sse (&writer, self->parent.output);
  ag_event_writer_begin (&writer, "message_start");
  ag_event_writer_open (&writer, "message");
  ag_event_writer_string (&writer, "id", message_id);
  ag_event_writer_string (&writer, "type", "message");
  ag_event_writer_string (&writer, "role", "assistant");
  ag_event_writer_string (&writer, "model", self->client_model);
  ag_event_writer_empty_array (&writer, "content");
  ag_event_writer_null (&writer, "stop_reason");
  ag_event_writer_null (&writer, "stop_sequence");
  ag_event_writer_node (&writer, "usage", start_usage);
  ag_event_writer_close (&writer);
  ag_event_writer_end (&writer);
  for (guint i = 0; i < json_array_get_length (blocks); i++)
    write_block (&writer, i, json_array_get_object_element (blocks, i));
  ag_event_writer_begin (&writer, "message_delta");
  ag_event_writer_open (&writer, "delta");
  ag_event_writer_string (&writer, "stop_reason", self->stop_reason != NULL ? self->stop_reason : "end_turn");
  ag_event_writer_null (&writer, "stop_sequence");
  ag_event_writer_close (&writer);
  ag_event_writer_node (&writer, "usage", end_usage);
  ag_event_writer_end (&writer);
  ag_event_writer_begin (&writer, "message_stop");
  ag_event_writer_end (&writer);
}

static void
write_message (AgWebSearchTranslator *self, JsonArray *blocks, const char *message_id, gint64 searches)
{
  g_autoptr(JsonObject) message = json_object_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autofree char *json = NULL;

  json_object_set_string_member (message, "id", message_id);
  json_object_set_string_member (message, "type", "message");
  json_object_set_string_member (message, "role", "assistant");
  json_object_set_string_member (message, "model", self->client_model);
  json_object_set_array_member (message, "content", json_array_ref (blocks));
  json_object_set_string_member (message, "stop_reason", self->stop_reason != NULL ? self->stop_reason : "end_turn");
  json_object_set_null_member (message, "stop_sequence");
  json_object_set_member (message, "usage",
                          usage_node (self, ag_upstream_usage_output (&self->parent.usage), searches));
  json_node_set_object (node, message);
  json = json_to_string (node, FALSE);
  g_string_append (self->parent.output, json);
}

static gboolean
back_finish (AgBackTranslator *back, GError **error)
{
  AgWebSearchTranslator *self = (AgWebSearchTranslator *) back;
  g_autoptr(JsonArray) blocks = NULL;
  char message_id[4 + AG_ANTHROPIC_ID_RANDOM_CHARS + 1];

  if (self->done)
    return TRUE;
  self->done = TRUE;
  blocks = answer_blocks (self);
  ag_anthropic_random_id (message_id, "msg_");
  if (self->stream)
    write_stream (self, blocks, message_id, search_count (self));
  else
    write_message (self, blocks, message_id, search_count (self));
  return TRUE;
}

/* Nothing of the answer was written before the end, so a failure is only the format's error event. */
static void
back_fail (AgBackTranslator *back, const char *error_type, const char *message)
{
  AgWebSearchTranslator *self = (AgWebSearchTranslator *) back;
  AgEventWriter writer;

  if (self->done || !self->stream)
    return;
  self->done = TRUE;
  ag_event_writer_init_sse (&writer, self->parent.output);
  ag_event_writer_begin (&writer, "error");
  ag_event_writer_open (&writer, "error");
  ag_event_writer_string (&writer, "type", error_type);
  ag_event_writer_string (&writer, "message", message);
  ag_event_writer_close (&writer);
  ag_event_writer_end (&writer);
}

/* The message starts only at the end: until then keepalives are the transport's. */
static gboolean
back_ping (AgBackTranslator *back)
{
  return FALSE;
}

static gboolean
back_started (AgBackTranslator *back)
{
  return ((AgWebSearchTranslator *) back)->done;
}

static gboolean
back_is_empty (AgBackTranslator *back)
{
  AgWebSearchTranslator *self = (AgWebSearchTranslator *) back;

  return self->text->len == 0 && search_count (self) == 0;
}

static gboolean
back_saw_finish_reason (AgBackTranslator *back)
{
  return ((AgWebSearchTranslator *) back)->stop_reason != NULL;
}

static void
back_free (AgBackTranslator *back)
{
  AgWebSearchTranslator *self = (AgWebSearchTranslator *) back;

  g_free (self->client_model);
  g_string_free (self->text, TRUE);
  g_clear_pointer (&self->queries, json_array_unref);
  g_clear_pointer (&self->sources, json_array_unref);
  g_clear_pointer (&self->supports, json_array_unref);
  ag_back_translator_clear (&self->parent);
  g_free (self);
}

static const AgBackTranslatorClass web_search_translator_class = {
  .push = back_push,
  .finish = back_finish,
  .fail = back_fail,
  .ping = back_ping,
  .started = back_started,
  .is_empty = back_is_empty,
  .saw_finish_reason = back_saw_finish_reason,
  .free = back_free,
};
