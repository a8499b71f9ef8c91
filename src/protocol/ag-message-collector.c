/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-message-collector.c — replays the Anthropic stream events into one Messages response object. */
#include "ag-message-collector.h"
#include "ag-json.h"
#include "ag-protocol-error.h"

typedef struct {
  gint64      index;
  JsonObject *start;      /* the content_block from content_block_start (referenced) */
  GString    *content;    /* text, thinking or the tool input JSON, from the deltas */
  char       *signature;
} Block;

struct _AgMessageCollector {
  JsonObject *message;      /* message_start.message (referenced) */
  GPtrArray  *blocks;
  JsonNode   *stop_reason;  /* from message_delta, copied */
  JsonNode   *stop_sequence;
  JsonObject *final_usage;  /* message_delta.usage (referenced), overrides the start usage field by field */
  gboolean    stopped;
  char       *error_type;
  char       *error_message;
};

static void
block_free (gpointer data)
{
  Block *block = data;

  json_object_unref (block->start);
  g_string_free (block->content, TRUE);
  g_free (block->signature);
  g_free (block);
}

AgMessageCollector *
ag_message_collector_new (void)
{
  AgMessageCollector *self = g_new0 (AgMessageCollector, 1);

  self->blocks = g_ptr_array_new_with_free_func (block_free);
  return self;
}

void
ag_message_collector_free (AgMessageCollector *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->message, json_object_unref);
  g_ptr_array_unref (self->blocks);
  g_clear_pointer (&self->stop_reason, json_node_unref);
  g_clear_pointer (&self->stop_sequence, json_node_unref);
  g_clear_pointer (&self->final_usage, json_object_unref);
  g_free (self->error_type);
  g_free (self->error_message);
  g_free (self);
}

static Block *
find_block (AgMessageCollector *self, JsonObject *event)
{
  gint64 index = json_object_get_int_member_with_default (event, "index", -1);

  /* Blocks are numbered from 0 in order; search from the end, where the open block is. */
  for (guint i = self->blocks->len; i > 0; i--)
    {
      Block *block = g_ptr_array_index (self->blocks, i - 1);

      if (block->index == index)
        return block;
    }
  return NULL;
}

static void
add_block (AgMessageCollector *self, JsonObject *event)
{
  JsonObject *start = ag_json_object (event, "content_block");
  Block *block;

  if (start == NULL)
    return;
  block = g_new0 (Block, 1);
  block->index = json_object_get_int_member_with_default (event, "index", -1);
  block->start = json_object_ref (start);
  block->content = g_string_new (NULL);
  g_ptr_array_add (self->blocks, block);
}

static void
add_delta (AgMessageCollector *self, JsonObject *event)
{
  Block *block = find_block (self, event);
  JsonObject *delta = ag_json_object (event, "delta");
  const char *type = ag_json_string (delta, "type");
  const char *value = NULL;

  if (block == NULL || type == NULL)
    return;
  if (g_str_equal (type, "text_delta"))
    value = ag_json_string (delta, "text");
  else if (g_str_equal (type, "thinking_delta"))
    value = ag_json_string (delta, "thinking");
  else if (g_str_equal (type, "input_json_delta"))
    value = ag_json_string (delta, "partial_json");
  else if (g_str_equal (type, "signature_delta"))
    {
      g_free (block->signature);
      block->signature = g_strdup (ag_json_string (delta, "signature"));
    }
  if (value != NULL)
    g_string_append (block->content, value);
}

static void
add_message_delta (AgMessageCollector *self, JsonObject *event)
{
  JsonObject *delta = ag_json_object (event, "delta");
  JsonObject *usage = ag_json_object (event, "usage");

  if (delta != NULL && json_object_has_member (delta, "stop_reason"))
    {
      g_clear_pointer (&self->stop_reason, json_node_unref);
      self->stop_reason = json_node_copy (json_object_get_member (delta, "stop_reason"));
    }
  if (delta != NULL && json_object_has_member (delta, "stop_sequence"))
    {
      g_clear_pointer (&self->stop_sequence, json_node_unref);
      self->stop_sequence = json_node_copy (json_object_get_member (delta, "stop_sequence"));
    }
  if (usage != NULL)
    {
      g_clear_pointer (&self->final_usage, json_object_unref);
      self->final_usage = json_object_ref (usage);
    }
}

void
ag_message_collector_add_event (const char *event_name, JsonNode *data, gpointer collector)
{
  AgMessageCollector *self = collector;
  JsonObject *event = data != NULL && JSON_NODE_HOLDS_OBJECT (data) ? json_node_get_object (data) : NULL;

  if (event == NULL)
    return;
  if (g_str_equal (event_name, "message_start"))
    {
      JsonObject *message = ag_json_object (event, "message");

      if (message != NULL && self->message == NULL)
        self->message = json_object_ref (message);
    }
  else if (g_str_equal (event_name, "content_block_start"))
    add_block (self, event);
  else if (g_str_equal (event_name, "content_block_delta"))
    add_delta (self, event);
  else if (g_str_equal (event_name, "message_delta"))
    add_message_delta (self, event);
  else if (g_str_equal (event_name, "message_stop"))
    self->stopped = TRUE;
  else if (g_str_equal (event_name, "error") && self->error_type == NULL)
    {
      JsonObject *error = ag_json_object (event, "error");
      const char *type = ag_json_string (error, "type");
      const char *message = ag_json_string (error, "message");

      self->error_type = g_strdup (type != NULL ? type : "api_error");
      self->error_message = g_strdup (message != NULL ? message : "Upstream stream failed");
    }
}

/* Wraps @object (taking the caller's reference) in a new node. */
static JsonNode *
object_node (JsonObject *object)
{
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_node_take_object (node, object);
  return node;
}

static JsonNode *
block_to_node (Block *block, GError **error)
{
  const char *type = ag_json_string (block->start, "type");
  JsonObject *object;

  if (g_strcmp0 (type, "text") == 0)
    {
      object = json_object_new ();
      json_object_set_string_member (object, "type", "text");
      json_object_set_string_member (object, "text", block->content->str);
    }
  else if (g_strcmp0 (type, "thinking") == 0)
    {
      object = json_object_new ();
      json_object_set_string_member (object, "type", "thinking");
      json_object_set_string_member (object, "thinking", block->content->str);
      json_object_set_string_member (object, "signature", block->signature != NULL ? block->signature : "");
    }
  else if (g_strcmp0 (type, "tool_use") == 0)
    {
      g_autoptr(JsonNode) input = NULL;

      if (block->content->len == 0)
        input = object_node (json_object_new ());
      else if ((input = json_from_string (block->content->str, NULL)) == NULL || !JSON_NODE_HOLDS_OBJECT (input))
        {
          g_set_error (error, AG_PROTOCOL_ERROR, AG_PROTOCOL_ERROR_BAD_UPSTREAM,
                       "Tool call %s has input that is not a JSON object", ag_json_string (block->start, "id"));
          return NULL;
        }
      object = json_object_new ();
      json_object_set_string_member (object, "type", "tool_use");
      json_object_set_string_member (object, "id", ag_json_string (block->start, "id"));
      json_object_set_string_member (object, "name", ag_json_string (block->start, "name"));
      json_object_set_member (object, "input", g_steal_pointer (&input));
    }
  else
    /* Complete blocks (images) arrive whole in content_block_start. */
    object = json_object_ref (block->start);

  return object_node (object);
}

static JsonNode *
usage_node (AgMessageCollector *self)
{
  JsonObject *start = ag_json_object (self->message, "usage");
  JsonObject *usage = json_object_new ();
  JsonObjectIter iter;
  const char *name;
  JsonNode *value;

  if (start != NULL)
    {
      json_object_iter_init (&iter, start);
      while (json_object_iter_next (&iter, &name, &value))
        json_object_set_member (usage, name, json_node_copy (value));
    }
  if (self->final_usage != NULL)
    {
      json_object_iter_init (&iter, self->final_usage);
      while (json_object_iter_next (&iter, &name, &value))
        json_object_set_member (usage, name, json_node_copy (value));
    }
  return object_node (usage);
}

static void
copy_member (JsonObject *to, JsonObject *from, const char *name)
{
  JsonNode *node = json_object_get_member (from, name);

  json_object_set_member (to, name, node != NULL ? json_node_copy (node) : json_node_new (JSON_NODE_NULL));
}

static JsonNode *
null_or_copy (JsonNode *node)
{
  return node != NULL ? json_node_copy (node) : json_node_new (JSON_NODE_NULL);
}

JsonNode *
ag_message_collector_finish (AgMessageCollector *self, char **error_type, GError **error)
{
  g_autoptr(JsonArray) content = json_array_new ();
  JsonObject *message;

  if (self->error_type != NULL || self->message == NULL || !self->stopped)
    {
      if (error_type != NULL)
        *error_type = g_strdup (self->error_type != NULL ? self->error_type : "api_error");
      g_set_error_literal (error, AG_PROTOCOL_ERROR, AG_PROTOCOL_ERROR_BAD_UPSTREAM,
                           self->error_message != NULL ? self->error_message
                                                       : "The upstream stream ended before the message was complete");
      return NULL;
    }

  for (guint i = 0; i < self->blocks->len; i++)
    {
      JsonNode *node = block_to_node (g_ptr_array_index (self->blocks, i), error);

      if (node == NULL)
        {
          if (error_type != NULL)
            *error_type = g_strdup ("api_error");
          return NULL;
        }
      json_array_add_element (content, node);
    }

  message = json_object_new ();
  copy_member (message, self->message, "id");
  json_object_set_string_member (message, "type", "message");
  json_object_set_string_member (message, "role", "assistant");
  copy_member (message, self->message, "model");
  json_object_set_array_member (message, "content", g_steal_pointer (&content));
  json_object_set_member (message, "stop_reason", null_or_copy (self->stop_reason));
  json_object_set_member (message, "stop_sequence", null_or_copy (self->stop_sequence));
  json_object_set_member (message, "usage", usage_node (self));
  return object_node (message);
}
