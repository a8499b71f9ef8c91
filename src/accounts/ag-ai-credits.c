/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "ag-ai-credits.h"
#include "ag-json.h"

static gint64
amount (JsonObject *object, const char *name)
{
  JsonNode *node = json_object_get_member (object, name);
  gint64 value = 0;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return 0;
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    return g_ascii_string_to_signed (json_node_get_string (node), 10, 0, G_MAXINT64, &value, NULL) ? value : 0;
  return json_node_get_int (node);
}

gboolean
ag_ai_credits_parse (JsonNode *load_code_assist, gint64 *balance, gint64 *minimum)
{
  JsonObject *root = load_code_assist != NULL && JSON_NODE_HOLDS_OBJECT (load_code_assist)
                     ? json_node_get_object (load_code_assist) : NULL;
  JsonNode *paid = root != NULL ? json_object_get_member (root, "paidTier") : NULL;
  JsonNode *credits;
  JsonArray *array;

  if (paid == NULL || !JSON_NODE_HOLDS_OBJECT (paid))
    return FALSE;
  credits = json_object_get_member (json_node_get_object (paid), "availableCredits");
  if (credits == NULL || !JSON_NODE_HOLDS_ARRAY (credits))
    return FALSE;
  array = json_node_get_array (credits);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      g_autofree char *type = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        continue;
      type = ag_json_dup_string (json_node_get_object (element), "creditType");
      if (g_strcmp0 (type, AG_AI_CREDITS_TYPE) != 0)
        continue;
      *balance = amount (json_node_get_object (element), "creditAmount");
      *minimum = amount (json_node_get_object (element), "minimumCreditAmountForUsage");
      return TRUE;
    }
  return FALSE;
}

void
ag_ai_credits_enable (JsonNode *envelope)
{
  JsonArray *types = json_array_new ();

  g_return_if_fail (envelope != NULL && JSON_NODE_HOLDS_OBJECT (envelope));

  json_array_add_string_element (types, AG_AI_CREDITS_TYPE);
  json_object_set_array_member (json_node_get_object (envelope), "enabledCreditTypes", types);
}
