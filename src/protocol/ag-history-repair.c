/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "ag-history-repair.h"
#include "ag-json.h"
#include "ag-signature-carrier.h"

#include <string.h>

/* The object at @i of a messages or blocks array; NULL for anything else. */
static JsonObject *
object_at (JsonArray *array, guint i)
{
  JsonNode *node = json_array_get_element (array, i);

  return JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static gboolean
has_role (JsonObject *message, const char *role)
{
  return message != NULL && g_strcmp0 (ag_json_string (message, "role"), role) == 0;
}

/* The next user or assistant message after @i (system messages are not turns), or G_MAXUINT. */
static guint
next_turn (JsonArray *messages, guint i)
{
  for (guint j = i + 1; j < json_array_get_length (messages); j++)
    if (has_role (object_at (messages, j), "user") || has_role (object_at (messages, j), "assistant"))
      return j;
  return G_MAXUINT;
}

/* The message's blocks as an array, turning string content into one text block so blocks can be added. NULL when
 * the content is neither (left for the translator to refuse). */
static JsonArray *
content_blocks (JsonObject *message)
{
  JsonNode *content = json_object_get_member (message, "content");

  if (content != NULL && JSON_NODE_HOLDS_ARRAY (content))
    return json_node_get_array (content);
  if (content != NULL && JSON_NODE_HOLDS_VALUE (content) && json_node_get_value_type (content) == G_TYPE_STRING)
    {
      JsonArray *blocks = json_array_new ();
      JsonObject *text = json_object_new ();

      json_object_set_string_member (text, "type", "text");
      json_object_set_string_member (text, "text", json_node_get_string (content));
      if (*json_node_get_string (content) != '\0')
        json_array_add_object_element (blocks, text);
      else
        json_object_unref (text);
      json_object_set_array_member (message, "content", blocks);
      return blocks;
    }
  return NULL;
}

static JsonArray *
array_content (JsonObject *message)
{
  JsonNode *content = json_object_get_member (message, "content");

  return content != NULL && JSON_NODE_HOLDS_ARRAY (content) ? json_node_get_array (content) : NULL;
}

static gboolean
is_block (JsonObject *block, const char *type)
{
  return block != NULL && g_strcmp0 (ag_json_string (block, "type"), type) == 0;
}

static void
note (GString *repairs, const char *what, const char *id)
{
  g_string_append_printf (repairs, "%s%s:%s", repairs->len > 0 ? " " : "", what, id);
}

/* A second use of an id already used by an earlier call gets a new one, and so does its result in @next. The
 * signature an id carries stays on it. */
static void
rename_duplicates (JsonArray *blocks, JsonObject *next, GHashTable *seen, GString *repairs)
{
  JsonArray *next_blocks = next != NULL && has_role (next, "user") ? array_content (next) : NULL;

  for (guint i = 0; i < json_array_get_length (blocks); i++)
    {
      JsonObject *block = object_at (blocks, i);
      const char *id = is_block (block, "tool_use") ? ag_json_string (block, "id") : NULL;
      g_autofree char *signature = NULL;
      g_autofree char *base = NULL;
      g_autofree char *renamed_base = NULL;
      g_autofree char *renamed = NULL;

      if (id == NULL)
        continue;
      if (!g_hash_table_contains (seen, id))
        {
          g_hash_table_add (seen, g_strdup (id));
          continue;
        }
      note (repairs, "duplicate", id);
      base = ag_signature_carrier_unwrap_tool_id (id, &signature);
      for (guint n = 2; renamed == NULL || g_hash_table_contains (seen, renamed); n++)
        {
          g_free (renamed_base);
          g_free (renamed);
          renamed_base = g_strdup_printf ("%s_dup%u", base, n);
          renamed = ag_signature_carrier_wrap_tool_id (renamed_base, signature);
        }
      for (guint j = 0; next_blocks != NULL && j < json_array_get_length (next_blocks); j++)
        {
          JsonObject *result = object_at (next_blocks, j);

          if (is_block (result, "tool_result") && g_strcmp0 (ag_json_string (result, "tool_use_id"), id) == 0)
            {
              json_object_set_string_member (result, "tool_use_id", renamed);
              break;
            }
        }
      g_hash_table_add (seen, g_strdup (renamed));
      json_object_set_string_member (block, "id", renamed);
    }
}

/* json-glib 1.6 can only append: the tail is taken off and put back behind @node (taken). */
static void
insert_after (JsonArray *array, guint index, JsonNode *node)
{
  g_autoptr(GPtrArray) tail = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);

  while (json_array_get_length (array) > index + 1)
    {
      guint last = json_array_get_length (array) - 1;

      g_ptr_array_insert (tail, 0, json_node_ref (json_array_get_element (array, last)));
      json_array_remove_element (array, last);
    }
  json_array_add_element (array, node);
  for (guint i = 0; i < tail->len; i++)
    json_array_add_element (array, json_node_ref (tail->pdata[i]));
}

static JsonObject *
interrupted_result (const char *id)
{
  JsonObject *result = json_object_new ();

  json_object_set_string_member (result, "type", "tool_result");
  json_object_set_string_member (result, "tool_use_id", id);
  json_object_set_string_member (result, "content", AG_HISTORY_INTERRUPTED_RESULT);
  json_object_set_boolean_member (result, "is_error", TRUE);
  return result;
}

/* Every call of @blocks is answered in the message after it: results that never came are put first there (a new
 * user message when the next turn is not the user's). */
static void
answer_interrupted (JsonArray *messages, guint index, JsonArray *blocks, GString *repairs)
{
  guint next_index = next_turn (messages, index);
  JsonObject *next = next_index != G_MAXUINT ? object_at (messages, next_index) : NULL;
  JsonArray *next_blocks = has_role (next, "user") ? array_content (next) : NULL;
  g_autoptr(JsonArray) added = json_array_new ();

  /* A history that ends on the assistant's call is a prefill, not an interruption. */
  if (next == NULL)
    return;
  for (guint i = 0; i < json_array_get_length (blocks); i++)
    {
      JsonObject *block = object_at (blocks, i);
      const char *id = is_block (block, "tool_use") ? ag_json_string (block, "id") : NULL;
      gboolean answered = FALSE;

      for (guint j = 0; id != NULL && next_blocks != NULL && j < json_array_get_length (next_blocks); j++)
        answered |= is_block (object_at (next_blocks, j), "tool_result") &&
                    g_strcmp0 (ag_json_string (object_at (next_blocks, j), "tool_use_id"), id) == 0;
      if (id == NULL || answered)
        continue;
      note (repairs, "interrupted", id);
      json_array_add_object_element (added, interrupted_result (id));
    }
  if (json_array_get_length (added) == 0)
    return;
  if (has_role (next, "user") && (next_blocks = content_blocks (next)) == NULL)
    return;  /* content of neither kind: the translator refuses it */
  if (next_blocks != NULL)
    {
      for (guint j = 0; j < json_array_get_length (next_blocks); j++)
        json_array_add_element (added, json_node_copy (json_array_get_element (next_blocks, j)));
      json_object_set_array_member (next, "content", g_steal_pointer (&added));
    }
  else
    {
      JsonObject *user = json_object_new ();

      json_object_set_string_member (user, "role", "user");
      json_object_set_array_member (user, "content", g_steal_pointer (&added));
      insert_after (messages, index, json_node_init_object (json_node_alloc (), user));
      json_object_unref (user);
    }
}

/* What a tool_result said, as text: its string content or its text blocks. */
static void
append_result_text (JsonObject *result, GString *text)
{
  JsonNode *content = json_object_get_member (result, "content");

  if (content != NULL && JSON_NODE_HOLDS_VALUE (content) && json_node_get_value_type (content) == G_TYPE_STRING)
    g_string_append (text, json_node_get_string (content));
  else if (content != NULL && JSON_NODE_HOLDS_ARRAY (content))
    for (guint i = 0; i < json_array_get_length (json_node_get_array (content)); i++)
      {
        JsonObject *item = object_at (json_node_get_array (content), i);
        const char *item_text = is_block (item, "text") ? ag_json_string (item, "text") : NULL;

        if (item_text != NULL)
          g_string_append_printf (text, "\n%s", item_text);
      }
}

/* Only a result the translator would take is turned into text: a malformed one stays, to be refused by name. */
static gboolean
result_is_well_formed (JsonObject *result)
{
  JsonNode *is_error = json_object_get_member (result, "is_error");
  JsonNode *content = json_object_get_member (result, "content");
  JsonArray *items;

  if (is_error != NULL && (!JSON_NODE_HOLDS_VALUE (is_error) || json_node_get_value_type (is_error) != G_TYPE_BOOLEAN))
    return FALSE;
  if (content == NULL || JSON_NODE_HOLDS_NULL (content) ||
      (JSON_NODE_HOLDS_VALUE (content) && json_node_get_value_type (content) == G_TYPE_STRING))
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (content))
    return FALSE;
  items = json_node_get_array (content);
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *item = object_at (items, i);

      if (item == NULL || ag_json_string (item, "type") == NULL ||
          (is_block (item, "text") && ag_json_string (item, "text") == NULL))
        return FALSE;
    }
  return TRUE;
}

/* A result whose call is not in the message before it (compacted away), or a second result for one call, is kept
 * for the model as text. */
static void
orphans_to_text (JsonArray *blocks, JsonObject *previous, GString *repairs)
{
  JsonArray *previous_blocks = has_role (previous, "assistant") ? array_content (previous) : NULL;
  g_autoptr(GHashTable) calls = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) answered = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; previous_blocks != NULL && i < json_array_get_length (previous_blocks); i++)
    if (is_block (object_at (previous_blocks, i), "tool_use") && ag_json_string (object_at (previous_blocks, i), "id"))
      g_hash_table_add (calls, (gpointer) ag_json_string (object_at (previous_blocks, i), "id"));
  for (guint i = 0; i < json_array_get_length (blocks); i++)
    {
      JsonObject *block = object_at (blocks, i);
      const char *id = is_block (block, "tool_result") ? ag_json_string (block, "tool_use_id") : NULL;
      g_autoptr(GString) text = NULL;
      g_autofree char *kept_id = NULL;

      if (id == NULL || !result_is_well_formed (block) ||
          (g_hash_table_contains (calls, id) && !g_hash_table_contains (answered, id)))
        {
          if (id != NULL)
            g_hash_table_add (answered, (gpointer) id);
          continue;
        }
      note (repairs, "orphan", id);
      kept_id = g_strdup (id);
      text = g_string_new (NULL);
      g_string_printf (text, "[Result of tool call %s, whose call is no longer in this conversation]", kept_id);
      append_result_text (block, text);
      json_object_remove_member (block, "tool_use_id");
      json_object_remove_member (block, "content");
      json_object_remove_member (block, "is_error");
      json_object_set_string_member (block, "type", "text");
      json_object_set_string_member (block, "text", text->str);
    }
}

static guint
count_unreplayable_thinking (JsonArray *blocks, AgModelFamily family)
{
  guint n = 0;

  for (guint i = 0; i < json_array_get_length (blocks); i++)
    {
      JsonObject *block = object_at (blocks, i);
      const char *carried = is_block (block, "thinking") ? ag_json_string (block, "signature")
                            : is_block (block, "redacted_thinking") ? ag_json_string (block, "data") : NULL;
      AgModelFamily issued_for;

      if ((is_block (block, "thinking") || is_block (block, "redacted_thinking")) &&
          (ag_signature_carrier_unwrap_thinking (carried, &issued_for) == NULL || issued_for != family))
        n++;
    }
  return n;
}

gboolean
ag_history_calling_turn_lost_thinking (JsonArray *messages, AgModelFamily family, gboolean drop_all)
{
  guint n = json_array_get_length (messages);
  JsonObject *last = n >= 2 ? object_at (messages, n - 1) : NULL;
  JsonObject *calling = n >= 2 ? object_at (messages, n - 2) : NULL;
  JsonArray *blocks = has_role (calling, "assistant") ? array_content (calling) : NULL;
  guint thinking = 0;

  if (!has_role (last, "user") || blocks == NULL)
    return FALSE;
  for (guint i = 0; i < json_array_get_length (blocks); i++)
    thinking += is_block (object_at (blocks, i), "thinking") || is_block (object_at (blocks, i), "redacted_thinking");
  return thinking > 0 && (drop_all || count_unreplayable_thinking (blocks, family) == thinking);
}

void
ag_history_repair (JsonArray *messages, AgModelFamily family, gboolean thinking, GString *repairs)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  JsonObject *previous = NULL;
  guint unreplayable = 0;

  g_return_if_fail (messages != NULL && repairs != NULL);

  for (guint i = 0; i < json_array_get_length (messages); i++)
    {
      JsonObject *message = object_at (messages, i);
      JsonArray *blocks;
      guint next;

      if (!has_role (message, "user") && !has_role (message, "assistant"))
        continue;
      blocks = array_content (message);
      if (blocks != NULL && has_role (message, "assistant"))
        {
          next = next_turn (messages, i);
          rename_duplicates (blocks, next != G_MAXUINT ? object_at (messages, next) : NULL, seen, repairs);
          answer_interrupted (messages, i, blocks, repairs);
          if (thinking)
            unreplayable += count_unreplayable_thinking (blocks, family);
        }
      else if (blocks != NULL)
        orphans_to_text (blocks, previous, repairs);
      previous = message;
    }
  if (unreplayable > 0)
    g_string_append_printf (repairs, "%sthinking-dropped:%u", repairs->len > 0 ? " " : "", unreplayable);
}
