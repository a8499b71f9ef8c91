/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "ag-mock-account-state.h"
#include "ag-mock-generate.h"
#include "ag-mock-json.h"

void
ag_mock_account_state_read (AgMockAccountState *state, JsonObject *account)
{
  state->banned = ag_mock_json_bool (account, "banned", FALSE);
  state->needs_verification = ag_mock_json_bool (account, "verification", FALSE);
  state->validation_url = g_strdup (ag_mock_json_string (account, "validation_url"));
  state->gemini_cli_ineligible = g_strcmp0 (ag_mock_json_string (account, "gemini_cli"), "ineligible") == 0;
  state->weekly_exhausted = g_strdup (ag_mock_json_string (account, "weekly_exhausted"));
  state->weekly_reset_in = g_strdup (ag_mock_json_string (account, "weekly_reset_in") ?: "71h15m");
  state->credits = ag_mock_json_int (account, "credits", -1);
}

void
ag_mock_account_state_clear (AgMockAccountState *state)
{
  g_clear_pointer (&state->validation_url, g_free);
  g_clear_pointer (&state->weekly_exhausted, g_free);
  g_clear_pointer (&state->weekly_reset_in, g_free);
}

#define CREDITS_MINIMUM     50
#define CREDITS_PER_REQUEST 100

static gboolean
asks_for_credits (JsonObject *envelope)
{
  JsonNode *types = envelope != NULL ? json_object_get_member (envelope, "enabledCreditTypes") : NULL;
  JsonArray *array;

  if (types == NULL || !JSON_NODE_HOLDS_ARRAY (types))
    return FALSE;
  array = json_node_get_array (types);
  for (guint i = 0; i < json_array_get_length (array); i++)
    if (g_strcmp0 (json_array_get_string_element (array, i), "GOOGLE_ONE_AI") == 0)
      return TRUE;
  return FALSE;
}

char *
ag_mock_account_state_paid_tier (AgMockAccountState *state)
{
  if (state->credits < 0)
    return g_strdup ("");
  return g_strdup_printf ("\"paidTier\":{\"id\":\"g1-pro-tier\",\"name\":\"Google AI Pro\",\"availableCredits\":["
                          "{\"creditType\":\"GOOGLE_ONE_AI\",\"creditAmount\":\"%" G_GINT64_FORMAT "\","
                          "\"minimumCreditAmountForUsage\":\"%d\"}]},", state->credits, CREDITS_MINIMUM);
}

/* The group a model counts against: "claude" (Claude and GPT) or "gemini". */
static const char *
group_of (const char *model)
{
  if (model == NULL)
    return NULL;
  return g_str_has_prefix (model, "gemini-") ? "gemini" : "claude";
}

static gboolean
is_gemini_cli (SoupMessageHeaders *headers)
{
  const char *agent = headers != NULL ? soup_message_headers_get_one (headers, "User-Agent") : NULL;

  return agent != NULL && g_str_has_prefix (agent, "google-api-nodejs-client/");
}

JsonNode *
ag_mock_account_state_refusal (AgMockAccountState *state, const char *method, SoupMessageHeaders *headers,
                               const char *email, JsonObject *envelope, guint *out_status)
{
  const char *model = envelope != NULL ? ag_mock_json_string (envelope, "model") : NULL;
  gboolean generate = g_str_equal (method, "streamGenerateContent") || g_str_equal (method, "generateContent");
  gboolean content = generate || g_str_equal (method, "countTokens");
  g_autoptr(JsonObject) options = json_object_new ();

  if (state->banned && (content || g_str_equal (method, "fetchAvailableModels")))
    return ag_mock_error_preset ("banned", options, NULL, out_status, NULL);
  if (state->needs_verification && content)
    {
      g_autofree char *escaped = g_uri_escape_string (email, NULL, FALSE);
      g_autofree char *url = state->validation_url != NULL
                             ? g_strdup (state->validation_url)
                             : g_strdup_printf ("%s&authuser=%s", AG_MOCK_VALIDATION_URL, escaped);

      json_object_set_string_member (options, "validation_url", url);
      return ag_mock_error_preset ("validation_required", options, NULL, out_status, NULL);
    }
  if (state->weekly_exhausted != NULL && generate && g_strcmp0 (group_of (model), state->weekly_exhausted) == 0 &&
      asks_for_credits (envelope))
    {
      if (state->credits >= CREDITS_MINIMUM)
        {
          state->credits = MAX (state->credits - CREDITS_PER_REQUEST, 0);
          return NULL;
        }
      return ag_mock_error_preset ("credits_insufficient", options, model, out_status, NULL);
    }
  if (state->weekly_exhausted != NULL && generate && g_strcmp0 (group_of (model), state->weekly_exhausted) == 0)
    {
      json_object_set_string_member (options, "reset_in", state->weekly_reset_in);
      return ag_mock_error_preset ("weekly_exhausted", options, model, out_status, NULL);
    }
  if (state->gemini_cli_ineligible && generate && is_gemini_cli (headers))
    return ag_mock_error_preset ("ineligible_tier", options, NULL, out_status, NULL);
  return NULL;
}

static char *
rfc3339_in_ns (gint64 ns)
{
  g_autoptr(GDateTime) when = g_date_time_new_from_unix_utc ((g_get_real_time () * 1000 + ns) / 1000000000);

  return g_date_time_format (when, "%Y-%m-%dT%H:%M:%SZ");
}

static void
add_bucket (JsonBuilder *b, const char *group, const char *window, double fraction, gint64 reset_ns)
{
  g_autofree char *id = g_strdup_printf ("%s-%s", group, window);
  g_autofree char *reset = rfc3339_in_ns (reset_ns);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "bucketId");
  json_builder_add_string_value (b, id);
  json_builder_set_member_name (b, "window");
  json_builder_add_string_value (b, window);
  json_builder_set_member_name (b, "remainingFraction");
  json_builder_add_double_value (b, fraction);
  json_builder_set_member_name (b, "resetTime");
  json_builder_add_string_value (b, reset);
  json_builder_set_member_name (b, "displayName");
  json_builder_add_string_value (b, g_str_equal (window, "5h") ? "5-hour limit" : "Weekly limit");
  json_builder_end_object (b);
}

JsonNode *
ag_mock_account_state_quota_summary (AgMockAccountState *state)
{
  static const struct { const char *key; const char *name; } groups[] = {
    { "gemini", "Gemini Models" }, { "claude", "Claude and GPT models" },
  };
  g_autoptr(JsonBuilder) b = json_builder_new ();
  gint64 weekly_ns = 0;

  if (!ag_mock_parse_duration (state->weekly_reset_in, &weekly_ns))
    weekly_ns = G_GINT64_CONSTANT (256500) * 1000000000;
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "groups");
  json_builder_begin_array (b);
  for (gsize i = 0; i < G_N_ELEMENTS (groups); i++)
    {
      gboolean used_up = g_strcmp0 (state->weekly_exhausted, groups[i].key) == 0;

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "displayName");
      json_builder_add_string_value (b, groups[i].name);
      json_builder_set_member_name (b, "buckets");
      json_builder_begin_array (b);
      add_bucket (b, groups[i].key, "5h", 1.0, G_GINT64_CONSTANT (5 * 3600) * 1000000000);
      add_bucket (b, groups[i].key, "weekly", used_up ? 0.0 : 1.0,
                  used_up ? weekly_ns : G_GINT64_CONSTANT (4 * 24 * 3600) * 1000000000);
      json_builder_end_array (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}
