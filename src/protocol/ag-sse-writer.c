/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "ag-sse-writer.h"

#include <string.h>

GBytes *
ag_sse_format_event (const char *event_name, JsonNode *data)
{
  g_autofree char *json = json_to_string (data, FALSE);
  GString *text = g_string_sized_new (strlen (json) + 32);

  g_string_append (text, "event: ");
  g_string_append (text, event_name);
  g_string_append (text, "\ndata: ");
  g_string_append (text, json);
  g_string_append (text, "\n\n");
  return g_string_free_to_bytes (text);
}
