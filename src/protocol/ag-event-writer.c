/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "ag-event-writer.h"
#include "ag-json-writer.h"

#include <string.h>

void
ag_event_writer_init_sse (AgEventWriter *self, GString *sse)
{
  *self = (AgEventWriter) { .sse = sse };
}

void
ag_event_writer_init_func (AgEventWriter *self, AgEventFunc func, gpointer user_data)
{
  *self = (AgEventWriter) { .func = func, .user_data = user_data };
}

void
ag_event_writer_begin (AgEventWriter *self, const char *name)
{
  self->name = name;
  self->depth = 0;
  if (self->sse != NULL)
    {
      ag_json_append_literal (self->sse, "event: ");
      ag_json_append_len (self->sse, name, strlen (name));
      ag_json_append_literal (self->sse, "\ndata: {\"type\":");
      ag_json_append_string (self->sse, name);
      self->has_members[0] = TRUE;
      return;
    }
  self->objects[0] = json_object_new ();
  json_object_set_string_member (self->objects[0], "type", name);
}

static void
write_key (AgEventWriter *self, const char *key)
{
  if (self->has_members[self->depth])
    g_string_append_c (self->sse, ',');
  self->has_members[self->depth] = TRUE;
  g_string_append_c (self->sse, '"');
  ag_json_append_len (self->sse, key, strlen (key));
  ag_json_append_literal (self->sse, "\":");
}

void
ag_event_writer_string (AgEventWriter *self, const char *key, const char *value)
{
  if (self->sse == NULL)
    {
      json_object_set_string_member (self->objects[self->depth], key, value);
      return;
    }
  write_key (self, key);
  ag_json_append_string (self->sse, value);
}

void
ag_event_writer_int (AgEventWriter *self, const char *key, gint64 value)
{
  if (self->sse == NULL)
    {
      json_object_set_int_member (self->objects[self->depth], key, value);
      return;
    }
  write_key (self, key);
  ag_json_append_int (self->sse, value);
}

void
ag_event_writer_null (AgEventWriter *self, const char *key)
{
  if (self->sse == NULL)
    {
      json_object_set_null_member (self->objects[self->depth], key);
      return;
    }
  write_key (self, key);
  ag_json_append_literal (self->sse, "null");
}

void
ag_event_writer_empty_array (AgEventWriter *self, const char *key)
{
  if (self->sse == NULL)
    {
      json_object_set_array_member (self->objects[self->depth], key, json_array_new ());
      return;
    }
  write_key (self, key);
  ag_json_append_literal (self->sse, "[]");
}

void
ag_event_writer_boolean (AgEventWriter *self, const char *key, gboolean value)
{
  if (self->sse == NULL)
    {
      json_object_set_boolean_member (self->objects[self->depth], key, value);
      return;
    }
  write_key (self, key);
  if (value)
    ag_json_append_literal (self->sse, "true");
  else
    ag_json_append_literal (self->sse, "false");
}

void
ag_event_writer_node (AgEventWriter *self, const char *key, JsonNode *value)
{
  g_autofree char *text = NULL;

  if (self->sse == NULL)
    {
      json_object_set_member (self->objects[self->depth], key, json_node_copy (value));
      return;
    }
  write_key (self, key);
  text = json_to_string (value, FALSE);
  g_string_append (self->sse, text);
}

void
ag_event_writer_open (AgEventWriter *self, const char *key)
{
  g_assert (self->depth + 1 < AG_EVENT_WRITER_MAX_DEPTH);
  if (self->sse == NULL)
    {
      JsonObject *object = json_object_new ();

      json_object_set_object_member (self->objects[self->depth], key, object);
      self->objects[++self->depth] = object;
      return;
    }
  write_key (self, key);
  g_string_append_c (self->sse, '{');
  self->has_members[++self->depth] = FALSE;
}

void
ag_event_writer_close (AgEventWriter *self)
{
  if (self->sse != NULL)
    g_string_append_c (self->sse, '}');
  self->depth--;
}

void
ag_event_writer_end (AgEventWriter *self)
{
  JsonNode *node;

  g_assert (self->depth == 0);
  if (self->sse != NULL)
    {
      ag_json_append_literal (self->sse, "}\n\n");
      return;
    }
  node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, self->objects[0]);
  self->objects[0] = NULL;
  self->func (self->name, node, self->user_data);
  json_node_unref (node);
}
