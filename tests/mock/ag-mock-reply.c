/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-mock-reply.c — sending one mock answer, streamed with pause/unpause and GLib timeouts (never blocking). */
#include "ag-mock-reply.h"
#include "ag-mock-json.h"

#include <string.h>

struct _AgMockReply {
  guint      status;
  char      *content_type;
  GPtrArray *header_names;
  GPtrArray *header_values;
  GPtrArray *pieces;              /* GBytes */
  gboolean   streamed;
  guint      first_byte_delay_ms;
  guint      chunk_delay_ms;
  gsize      split_bytes;
  gint64     close_after_bytes;   /* -1: never */
  gboolean   hang;

  /* While streaming. */
  SoupServerMessage *msg;
  GQueue            *active;
  GList              link;
  guint              next_piece;
  guint              timeout_id;
  guint              close_idle_id;
  gsize              body_target;
  gsize              body_written;
  gboolean           headers_written;
  gboolean           close_pending;
  gulong             finished_id;
  gulong             disconnected_id;
  gulong             wrote_headers_id;
  gulong             wrote_body_data_id;
};

AgMockReply *
ag_mock_reply_new (guint status, const char *content_type)
{
  AgMockReply *reply = g_new0 (AgMockReply, 1);

  reply->status = status;
  reply->content_type = g_strdup (content_type);
  reply->header_names = g_ptr_array_new_with_free_func (g_free);
  reply->header_values = g_ptr_array_new_with_free_func (g_free);
  reply->pieces = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  reply->close_after_bytes = -1;
  reply->link.data = reply;
  return reply;
}

void
ag_mock_reply_free (AgMockReply *reply)
{
  if (reply == NULL)
    return;
  g_free (reply->content_type);
  g_ptr_array_unref (reply->header_names);
  g_ptr_array_unref (reply->header_values);
  g_ptr_array_unref (reply->pieces);
  g_free (reply);
}

void
ag_mock_reply_add_header (AgMockReply *reply, const char *name, const char *value)
{
  g_ptr_array_add (reply->header_names, g_strdup (name));
  g_ptr_array_add (reply->header_values, g_strdup (value));
}

void
ag_mock_reply_append (AgMockReply *reply, const char *data, gssize len)
{
  if (len < 0)
    len = strlen (data);
  g_ptr_array_add (reply->pieces, g_bytes_new (data, len));
}

void
ag_mock_reply_append_json (AgMockReply *reply, JsonNode *node)
{
  gsize len = 0;
  char *text = json_to_string (node, FALSE);

  len = strlen (text);
  g_ptr_array_add (reply->pieces, g_bytes_new_take (text, len));
}

void
ag_mock_reply_set_streamed (AgMockReply *reply, gboolean streamed)
{
  reply->streamed = streamed;
}

void
ag_mock_reply_apply_script (AgMockReply *reply, JsonObject *respond)
{
  JsonObject *headers = ag_mock_json_object (respond, "headers");
  g_autoptr(GList) names = headers != NULL ? json_object_get_members (headers) : NULL;

  reply->first_byte_delay_ms = (guint) CLAMP (ag_mock_json_int (respond, "first_byte_delay_ms", 0), 0, G_MAXUINT);
  reply->chunk_delay_ms = (guint) CLAMP (ag_mock_json_int (respond, "chunk_delay_ms", 0), 0, G_MAXUINT);
  reply->split_bytes = (gsize) MAX (0, ag_mock_json_int (respond, "split_bytes", 0));
  reply->close_after_bytes = ag_mock_json_int (respond, "close_after_bytes", -1);
  reply->hang = ag_mock_json_bool (respond, "hang", FALSE);

  for (GList *l = names; l != NULL; l = l->next)
    {
      const char *value = ag_mock_json_string (headers, l->data);
      if (value != NULL)
        ag_mock_reply_add_header (reply, l->data, value);
    }
}

static gboolean
has_faults (AgMockReply *reply)
{
  return reply->first_byte_delay_ms > 0 || reply->chunk_delay_ms > 0 || reply->split_bytes > 0 ||
         reply->close_after_bytes >= 0 || reply->hang;
}

static GByteArray *
concat_pieces (AgMockReply *reply)
{
  GByteArray *all = g_byte_array_new ();

  for (guint i = 0; i < reply->pieces->len; i++)
    {
      gsize len = 0;
      const guint8 *data = g_bytes_get_data (reply->pieces->pdata[i], &len);
      g_byte_array_append (all, data, len);
    }
  return all;
}

/* Re-cuts the body for split_bytes and truncates it for close_after_bytes; without split the original piece
 * boundaries (one SSE event per chunk) are kept. */
static void
reshape_pieces (AgMockReply *reply)
{
  g_autoptr(GByteArray) all = concat_pieces (reply);
  gsize limit = all->len;
  GPtrArray *pieces = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);

  if (reply->close_after_bytes >= 0 && (guint64) reply->close_after_bytes < limit)
    limit = (gsize) reply->close_after_bytes;

  if (reply->split_bytes > 0)
    {
      for (gsize off = 0; off < limit; off += reply->split_bytes)
        g_ptr_array_add (pieces, g_bytes_new (all->data + off, MIN (reply->split_bytes, limit - off)));
    }
  else
    {
      gsize off = 0;

      for (guint i = 0; i < reply->pieces->len && off < limit; i++)
        {
          gsize len = g_bytes_get_size (reply->pieces->pdata[i]);
          gsize take = MIN (len, limit - off);
          g_ptr_array_add (pieces, g_bytes_new (all->data + off, take));
          off += take;
        }
    }

  g_ptr_array_unref (reply->pieces);
  reply->pieces = pieces;
  reply->body_target = limit;
}

static void
set_status_and_headers (AgMockReply *reply, SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  soup_server_message_set_status (msg, reply->status, NULL);
  for (guint i = 0; i < reply->header_names->len; i++)
    soup_message_headers_replace (headers, reply->header_names->pdata[i], reply->header_values->pdata[i]);
}

/* Ends our part in a streamed reply: the message is finished, gone, or the server shuts down. */
static void
reply_stop (AgMockReply *reply)
{
  g_clear_handle_id (&reply->timeout_id, g_source_remove);
  g_clear_handle_id (&reply->close_idle_id, g_source_remove);
  g_clear_signal_handler (&reply->finished_id, reply->msg);
  g_clear_signal_handler (&reply->disconnected_id, reply->msg);
  g_clear_signal_handler (&reply->wrote_headers_id, reply->msg);
  g_clear_signal_handler (&reply->wrote_body_data_id, reply->msg);
  g_queue_unlink (reply->active, &reply->link);
  g_clear_object (&reply->msg);
  ag_mock_reply_free (reply);
}

static void
on_message_gone (SoupServerMessage *msg, gpointer user_data)
{
  reply_stop (user_data);
}

static gboolean
close_connection (gpointer user_data)
{
  AgMockReply *reply = user_data;
  GSocket *socket = soup_server_message_get_socket (reply->msg);

  reply->close_idle_id = 0;
  if (socket != NULL)
    g_socket_shutdown (socket, TRUE, TRUE, NULL);
  /* Let libsoup try to finish the body: the write fails and it tears the message down. */
  soup_message_body_complete (soup_server_message_get_response_body (reply->msg));
  soup_server_message_unpause (reply->msg);
  return G_SOURCE_REMOVE;
}

static void
maybe_close (AgMockReply *reply)
{
  if (reply->close_pending && reply->headers_written && reply->body_written >= reply->body_target &&
      reply->close_idle_id == 0)
    {
      reply->close_pending = FALSE;
      reply->close_idle_id = g_idle_add (close_connection, reply);
    }
}

static void
on_wrote_headers (SoupServerMessage *msg, gpointer user_data)
{
  AgMockReply *reply = user_data;

  reply->headers_written = TRUE;
  maybe_close (reply);
}

static void
on_wrote_body_data (SoupServerMessage *msg, guint chunk_size, gpointer user_data)
{
  AgMockReply *reply = user_data;

  reply->body_written += chunk_size;
  maybe_close (reply);
}

static gboolean write_pieces (gpointer user_data);

static void
write_pieces_now (AgMockReply *reply)
{
  SoupMessageBody *body = soup_server_message_get_response_body (reply->msg);

  while (reply->next_piece < reply->pieces->len)
    {
      GBytes *piece = reply->pieces->pdata[reply->next_piece++];

      /* An empty chunk would end the chunked body early. */
      if (g_bytes_get_size (piece) > 0)
        soup_message_body_append_bytes (body, piece);
      if (reply->chunk_delay_ms > 0 && reply->next_piece < reply->pieces->len)
        {
          soup_server_message_unpause (reply->msg);
          reply->timeout_id = g_timeout_add (reply->chunk_delay_ms, write_pieces, reply);
          return;
        }
    }

  if (reply->close_after_bytes >= 0)
    {
      reply->close_pending = TRUE;
      soup_server_message_unpause (reply->msg);
      maybe_close (reply);
      return;
    }
  soup_message_body_complete (body);
  soup_server_message_unpause (reply->msg);
}

static gboolean
write_pieces (gpointer user_data)
{
  AgMockReply *reply = user_data;

  reply->timeout_id = 0;
  write_pieces_now (reply);
  return G_SOURCE_REMOVE;
}

static gboolean
start_body (gpointer user_data)
{
  AgMockReply *reply = user_data;
  SoupServerMessage *msg = reply->msg;
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  reply->timeout_id = 0;
  set_status_and_headers (reply, msg);
  soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);
  if (reply->content_type != NULL)
    soup_message_headers_set_content_type (headers, reply->content_type, NULL);
  soup_message_body_set_accumulate (soup_server_message_get_response_body (msg), FALSE);

  if (reply->hang)
    soup_server_message_unpause (msg);
  else
    write_pieces_now (reply);
  return G_SOURCE_REMOVE;
}

void
ag_mock_reply_send (AgMockReply *reply, SoupServerMessage *msg, GQueue *active)
{
  if (!reply->streamed && !has_faults (reply))
    {
      GByteArray *all = concat_pieces (reply);
      gsize len = all->len;

      set_status_and_headers (reply, msg);
      soup_server_message_set_response (msg, reply->content_type, SOUP_MEMORY_TAKE,
                                        (char *) g_byte_array_free (all, FALSE), len);
      ag_mock_reply_free (reply);
      return;
    }

  reshape_pieces (reply);
  reply->msg = g_object_ref (msg);
  reply->active = active;
  g_queue_push_tail_link (active, &reply->link);
  soup_server_message_pause (msg);
  reply->finished_id = g_signal_connect (msg, "finished", G_CALLBACK (on_message_gone), reply);
  reply->disconnected_id = g_signal_connect (msg, "disconnected", G_CALLBACK (on_message_gone), reply);
  reply->wrote_headers_id = g_signal_connect (msg, "wrote-headers", G_CALLBACK (on_wrote_headers), reply);
  reply->wrote_body_data_id = g_signal_connect (msg, "wrote-body-data", G_CALLBACK (on_wrote_body_data), reply);

  if (reply->first_byte_delay_ms > 0)
    reply->timeout_id = g_timeout_add (reply->first_byte_delay_ms, start_body, reply);
  else
    start_body (reply);
}

void
ag_mock_reply_cancel_all (GQueue *active)
{
  while (active->head != NULL)
    reply_stop (active->head->data);
}
