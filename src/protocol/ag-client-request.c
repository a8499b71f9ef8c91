/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "ag-client-request.h"
#include "ag-json.h"
#include "ag-request-fields.h"
#include "ag-session-id.h"
#include "ag-web-search.h"

/* What the classifier needs of the last message, so nobody walks the messages again for it. */
static void
read_last_message (AgClientRequest *self, JsonArray *messages)
{
  JsonNode *last;
  JsonObject *message;
  JsonNode *content;

  if (messages == NULL || (self->n_messages = json_array_get_length (messages)) == 0)
    return;
  last = json_array_get_element (messages, self->n_messages - 1);
  if (!JSON_NODE_HOLDS_OBJECT (last))
    return;
  message = json_node_get_object (last);
  if (g_strcmp0 (ag_json_string (message, "role"), "user") != 0)
    return;
  self->last_is_user = TRUE;
  content = json_object_get_member (message, "content");
  if (content == NULL)
    return;
  self->last_user_string = JSON_NODE_HOLDS_VALUE (content) && json_node_get_value_type (content) == G_TYPE_STRING
                             ? json_node_get_string (content) : NULL;
  if (!JSON_NODE_HOLDS_ARRAY (content))
    return;
  for (guint i = 0; i < json_array_get_length (json_node_get_array (content)); i++)
    {
      JsonNode *block = json_array_get_element (json_node_get_array (content), i);
      const char *text;

      if (!JSON_NODE_HOLDS_OBJECT (block) ||
          g_strcmp0 (ag_json_string (json_node_get_object (block), "type"), "text") != 0)
        continue;
      text = ag_json_string (json_node_get_object (block), "text");
      if (text != NULL)
        g_ptr_array_add (self->last_user_texts, (gpointer) text);
    }
}

AgClientRequest *
ag_anthropic_request_read (JsonObject *body, const char *session_header, GError **error)
{
  g_autoptr(AgClientRequest) self = g_new0 (AgClientRequest, 1);
  JsonNode *max_tokens;
  JsonNode *messages;

  g_return_val_if_fail (body != NULL, NULL);

  self->body = json_object_ref (body);
  self->last_user_texts = g_ptr_array_new ();
  self->max_tokens = -1;
  if (!ag_field_string (body, NULL, "model", TRUE, &self->model, error) ||
      !ag_field_boolean (body, NULL, "stream", FALSE, &self->stream, error))
    return NULL;
  if (self->model[0] == '\0')
    {
      ag_field_set_error (error, "model", "must not be empty");
      return NULL;
    }
  max_tokens = json_object_get_member (body, "max_tokens");
  if (max_tokens != NULL && json_node_get_value_type (max_tokens) == G_TYPE_INT64)
    self->max_tokens = json_node_get_int (max_tokens);
  self->has_system = json_object_has_member (body, "system");
  messages = json_object_get_member (body, "messages");
  read_last_message (self, messages != NULL && JSON_NODE_HOLDS_ARRAY (messages) ? json_node_get_array (messages)
                                                                                : NULL);
  self->session_id = ag_session_id_find (session_header, body);
  self->web_search_max_uses = ag_web_search_max_uses (body);
  return g_steal_pointer (&self);
}

void
ag_client_request_free (AgClientRequest *self)
{
  if (self == NULL)
    return;
  json_object_unref (self->body);
  g_clear_pointer (&self->last_user_texts, g_ptr_array_unref);
  g_free (self->session_id);
  g_strfreev (self->freeform_tools);
  g_free (self);
}

char *
ag_client_request_last_user_text (const AgClientRequest *self)
{
  GString *text;

  if (!self->last_is_user)
    return NULL;
  if (self->last_user_string != NULL)
    return g_strdup (self->last_user_string);
  text = g_string_new (NULL);
  for (guint i = 0; i < self->last_user_texts->len; i++)
    {
      if (i > 0)
        g_string_append_c (text, '\n');
      g_string_append (text, g_ptr_array_index (self->last_user_texts, i));
    }
  return g_string_free (text, FALSE);
}
