/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-gemini-translator.c — Cloud Code chunks → Gemini's own stream.
 *
 * A Cloud Code chunk is {"response":<GenerateContentResponse>,"traceId":…}: the client gets the response itself,
 * with tool names mapped back. Chunks before the first content are held, so that an answer without content can
 * still be dropped and asked for again without the client having seen anything. No keepalive: the google-genai
 * SDK reads its stream with an anchored "data:" pattern, and an SSE comment would stop it matching anything. */
#include "ag-gemini-translator.h"
#include "ag-gemini-error.h"
#include "ag-json.h"
#include "ag-upstream-chunk.h"

typedef struct {
  AgBackTranslator  parent;        /* first: the back-translator interface */
  gboolean          stream;
  AgToolNames      *tool_names;
  GString          *held;          /* stream: frames before the first content */
  gboolean          content;       /* a part with content arrived */
  gboolean          finished;      /* a finishReason arrived */
  gboolean          done;
  /* whole-answer mode: the merged response */
  JsonArray        *parts;
  JsonObject       *last;          /* the last response object, for finishReason, usage and ids */
  char             *finish_reason;
} GeminiTranslator;

static const AgBackTranslatorClass gemini_translator_class;

AgBackTranslator *
ag_gemini_back_translator_new (const AgStreamOptions *options, gboolean stream)
{
  GeminiTranslator *self = g_new0 (GeminiTranslator, 1);

  ag_back_translator_init (&self->parent, &gemini_translator_class);
  self->stream = stream;
  self->tool_names = options->tool_names != NULL ? ag_tool_names_ref (options->tool_names) : NULL;
  self->held = g_string_new (NULL);
  self->parts = json_array_new ();
  return &self->parent;
}

/* Whole mode: text parts of one kind (thought or not) are joined, as Gemini's own non-streamed answer has them. */
static void
merge_part (GeminiTranslator *self, JsonObject *part)
{
  guint n = json_array_get_length (self->parts);
  JsonObject *previous = n > 0 ? json_array_get_object_element (self->parts, n - 1) : NULL;
  const char *text = ag_json_string (part, "text");

  if (text != NULL && previous != NULL && ag_json_string (previous, "text") != NULL &&
      ag_json_bool (previous, "thought", FALSE) == ag_json_bool (part, "thought", FALSE) &&
      !json_object_has_member (previous, "thoughtSignature"))
    {
      g_autofree char *joined = g_strconcat (ag_json_string (previous, "text"), text, NULL);

      json_object_set_string_member (previous, "text", joined);
      if (json_object_has_member (part, "thoughtSignature"))
        json_object_set_member (previous, "thoughtSignature", json_object_dup_member (part, "thoughtSignature"));
      return;
    }
  json_array_add_object_element (self->parts, json_object_ref (part));
}

/* Maps tool names back and notes content; returns whether the parts had any. */
static gboolean
read_parts (GeminiTranslator *self, JsonArray *parts)
{
  gboolean content = FALSE;

  for (guint i = 0; parts != NULL && i < json_array_get_length (parts); i++)
    {
      JsonObject *part = ag_json_array_object (parts, i);
      JsonObject *call = part != NULL ? ag_json_object (part, "functionCall") : NULL;
      const char *text = part != NULL ? ag_json_string (part, "text") : NULL;

      if (part == NULL)
        continue;
      if (call != NULL && self->tool_names != NULL && ag_json_string (call, "name") != NULL)
        json_object_set_string_member (call, "name",
                                       ag_tool_names_to_client (self->tool_names, ag_json_string (call, "name")));
      content |= call != NULL || (text != NULL && *text != '\0') || json_object_has_member (part, "inlineData");
      if (!self->stream)
        merge_part (self, part);
    }
  return content;
}

static gboolean
back_push (AgBackTranslator *back, JsonObject *chunk, GError **error)
{
  GeminiTranslator *self = (GeminiTranslator *) back;
  JsonObject *response = ag_upstream_chunk_response (chunk, error), *candidate;
  JsonArray *candidates;
  const char *finish_reason;

  if (response == NULL)
    return FALSE;
  if (self->done)
    return TRUE;
  ag_back_translator_note_response (&self->parent, response);
  candidates = ag_json_array (response, "candidates");
  candidate = candidates != NULL ? ag_json_array_object (candidates, 0) : NULL;
  if (candidate != NULL && read_parts (self, ag_json_array (ag_json_object (candidate, "content"), "parts")))
    self->content = TRUE;
  if (candidate != NULL && (finish_reason = ag_json_string (candidate, "finishReason")) != NULL)
    {
      self->finished = TRUE;
      g_free (self->finish_reason);
      self->finish_reason = g_strdup (finish_reason);
    }
  if (!self->stream)
    {
      g_clear_pointer (&self->last, json_object_unref);
      self->last = json_object_ref (response);
      return TRUE;
    }
  {
    g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), response);
    g_autofree char *data = json_to_string (node, FALSE);
    GString *out = self->content ? back->output : self->held;

    if (self->content && self->held->len > 0)
      {
        g_string_append_len (out, self->held->str, (gssize) self->held->len);
        g_string_truncate (self->held, 0);
      }
    g_string_append (out, "data: ");
    g_string_append (out, data);
    g_string_append (out, "\r\n\r\n");
  }
  return TRUE;
}

/* Whole mode: the merged GenerateContentResponse. */
static void
write_merged (GeminiTranslator *self)
{
  g_autoptr(JsonObject) response = json_object_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *text = NULL;
  JsonObject *candidate = json_object_new (), *content = json_object_new ();
  JsonArray *candidates = json_array_new ();
  static const char *const copied[] = { "usageMetadata", "modelVersion", "responseId", "promptFeedback" };

  json_object_set_string_member (content, "role", "model");
  json_object_set_array_member (content, "parts", json_array_ref (self->parts));
  json_object_set_object_member (candidate, "content", content);
  if (self->finish_reason != NULL)
    json_object_set_string_member (candidate, "finishReason", self->finish_reason);
  json_object_set_int_member (candidate, "index", 0);
  json_array_add_object_element (candidates, candidate);
  json_object_set_array_member (response, "candidates", candidates);
  for (gsize i = 0; self->last != NULL && i < G_N_ELEMENTS (copied); i++)
    if (json_object_has_member (self->last, copied[i]))
      json_object_set_member (response, copied[i], json_object_dup_member (self->last, copied[i]));
  node = json_node_init_object (json_node_alloc (), response);
  text = json_to_string (node, FALSE);
  g_string_append (self->parent.output, text);
}

static gboolean
back_finish (AgBackTranslator *back, GError **error)
{
  GeminiTranslator *self = (GeminiTranslator *) back;

  if (self->done)
    return TRUE;
  self->done = TRUE;
  if (!self->stream)
    write_merged (self);
  else if (self->held->len > 0)
    g_string_append_len (back->output, self->held->str, (gssize) self->held->len);
  return TRUE;
}

/* The google-genai SDK throws on an error object in the stream. */
static void
back_fail (AgBackTranslator *back, const char *error_type, const char *message)
{
  GeminiTranslator *self = (GeminiTranslator *) back;
  g_autoptr(JsonNode) error = ag_gemini_error_node (ag_gemini_error_code_for_type (error_type), error_type, message);
  g_autofree char *data = json_to_string (error, FALSE);

  self->done = TRUE;
  g_string_append (back->output, "data: ");
  g_string_append (back->output, data);
  g_string_append (back->output, "\r\n\r\n");
}

static gboolean
back_ping (AgBackTranslator *back)
{
  return FALSE;
}

static gboolean
back_started (AgBackTranslator *back)
{
  GeminiTranslator *self = (GeminiTranslator *) back;

  return self->stream && self->content;
}

static gboolean
back_is_empty (AgBackTranslator *back)
{
  return !((GeminiTranslator *) back)->content;
}

static gboolean
back_saw_finish_reason (AgBackTranslator *back)
{
  return ((GeminiTranslator *) back)->finished;
}

static void
back_free (AgBackTranslator *back)
{
  GeminiTranslator *self = (GeminiTranslator *) back;

  g_clear_pointer (&self->tool_names, ag_tool_names_unref);
  g_string_free (self->held, TRUE);
  json_array_unref (self->parts);
  g_clear_pointer (&self->last, json_object_unref);
  g_free (self->finish_reason);
  ag_back_translator_clear (back);
  g_free (self);
}

static const AgBackTranslatorClass gemini_translator_class = {
  .push = back_push,
  .finish = back_finish,
  .fail = back_fail,
  .ping = back_ping,
  .started = back_started,
  .is_empty = back_is_empty,
  .saw_finish_reason = back_saw_finish_reason,
  .free = back_free,
};
