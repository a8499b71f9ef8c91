/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "ag-quota-window.h"
#include "ag-google-error.h"
#include "ag-json.h"

#include <string.h>

AgQuotaWindow *
ag_quota_window_copy (const AgQuotaWindow *window)
{
  AgQuotaWindow *copy = g_memdup2 (window, sizeof *window);

  copy->group = g_strdup (window->group);
  copy->bucket_id = g_strdup (window->bucket_id);
  return copy;
}

void
ag_quota_window_free (AgQuotaWindow *window)
{
  if (window == NULL)
    return;
  g_free (window->group);
  g_free (window->bucket_id);
  g_free (window);
}

const char *
ag_quota_window_kind_to_string (AgQuotaWindowKind kind)
{
  return kind == AG_QUOTA_WINDOW_WEEKLY ? "weekly" : "5h";
}

static JsonArray *
member_array (JsonObject *object, const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

static JsonObject *
element_object (JsonArray *array, guint i)
{
  JsonNode *node = json_array_get_element (array, i);

  return JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static void
read_bucket (GPtrArray *out, const char *group, JsonObject *bucket)
{
  g_autofree char *window = ag_json_dup_string (bucket, "window");
  g_autofree char *reset = ag_json_dup_string (bucket, "resetTime");
  JsonNode *fraction = json_object_get_member (bucket, "remainingFraction");
  AgQuotaWindow parsed = { 0 };
  gint64 reset_ms = 0;

  if (g_strcmp0 (window, "5h") == 0)
    parsed.kind = AG_QUOTA_WINDOW_5H;
  else if (g_strcmp0 (window, "weekly") == 0)
    parsed.kind = AG_QUOTA_WINDOW_WEEKLY;
  else
    return;
  if (reset != NULL && !ag_parse_rfc3339 (reset, &reset_ms))
    reset_ms = 0;
  if (fraction != NULL && JSON_NODE_HOLDS_VALUE (fraction) && json_node_get_value_type (fraction) != G_TYPE_STRING)
    parsed.fraction = CLAMP (json_node_get_double (fraction), 0.0, 1.0);
  else if (reset_ms > 0)
    parsed.fraction = 0.0;  /* as in fetchAvailableModels: a reset with no fraction left */
  else
    return;
  parsed.group = (char *) group;
  parsed.bucket_id = ag_json_dup_string (bucket, "bucketId");
  parsed.reset_ms = reset_ms;
  g_ptr_array_add (out, ag_quota_window_copy (&parsed));
  g_free (parsed.bucket_id);
}

GPtrArray *
ag_quota_windows_parse (JsonNode *response)
{
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) ag_quota_window_free);
  JsonObject *root = response != NULL && JSON_NODE_HOLDS_OBJECT (response) ? json_node_get_object (response) : NULL;
  JsonArray *groups = member_array (root, "groups");

  if (groups == NULL && root != NULL && json_object_has_member (root, "response") &&
      JSON_NODE_HOLDS_OBJECT (json_object_get_member (root, "response")))
    groups = member_array (json_object_get_object_member (root, "response"), "groups");
  for (guint i = 0; groups != NULL && i < json_array_get_length (groups); i++)
    {
      JsonObject *group = element_object (groups, i);
      g_autofree char *name = group != NULL ? ag_json_dup_string (group, "displayName") : NULL;
      JsonArray *buckets = member_array (group, "buckets");

      for (guint j = 0; name != NULL && buckets != NULL && j < json_array_get_length (buckets); j++)
        if (element_object (buckets, j) != NULL)
          read_bucket (out, name, element_object (buckets, j));
    }
  return out;
}

gboolean
ag_quota_window_applies (const AgQuotaWindow *window, const char *model)
{
  g_autofree char *group = NULL;

  if (model == NULL || window->group == NULL)
    return FALSE;
  group = g_ascii_strdown (window->group, -1);
  if (g_str_has_prefix (model, "gemini-"))
    return strstr (group, "gemini") != NULL;
  if (g_str_has_prefix (model, "claude-"))
    return strstr (group, "claude") != NULL;
  if (g_str_has_prefix (model, "gpt-"))
    return strstr (group, "gpt") != NULL;
  return FALSE;
}

gint64
ag_quota_windows_rest_ms (GPtrArray *windows, const char *model, gint64 now_ms)
{
  gint64 until = 0;

  for (guint i = 0; windows != NULL && i < windows->len; i++)
    {
      const AgQuotaWindow *window = windows->pdata[i];

      if (window->fraction <= 0.0 && window->reset_ms > now_ms && ag_quota_window_applies (window, model))
        until = MAX (until, window->reset_ms);
    }
  return until > 0 ? until - now_ms : 0;
}
