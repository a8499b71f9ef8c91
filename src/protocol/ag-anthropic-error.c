/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-anthropic-error.c — Anthropic error bodies and what Claude Code should see for each upstream failure. */
#include "ag-anthropic-error.h"
#include "ag-reset-time.h"

#define DAY_MS ((gint64) 24 * 3600 * 1000)

#include <string.h>

const char *
ag_anthropic_error_type_for_status (guint status)
{
  switch (status)
    {
    case 400: return "invalid_request_error";
    case 401: return "authentication_error";
    case 403: return "permission_error";
    case 404: return "not_found_error";
    case 413: return "request_too_large";
    case 429: return "rate_limit_error";
    case 529: return "overloaded_error";
    default:  return status >= 500 ? "api_error" : "invalid_request_error";
    }
}

JsonNode *
ag_anthropic_error_node (const char *error_type, const char *message)
{
  JsonObject *root = json_object_new ();
  JsonObject *error = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_object_set_string_member (error, "type", error_type);
  json_object_set_string_member (error, "message", message != NULL ? message : "");
  json_object_set_string_member (root, "type", "error");
  json_object_set_object_member (root, "error", error);
  json_node_take_object (node, root);
  return node;
}

char *
ag_anthropic_error_body (const char *error_type, const char *message)
{
  g_autoptr(JsonNode) node = ag_anthropic_error_node (error_type, message);

  return json_to_string (node, FALSE);
}

/* "2h 21m", "4d 3h 10m", "45s": enough precision for a person deciding whether to wait. */
static char *
format_wait (gint64 ms)
{
  gint64 seconds = MAX ((ms + 999) / 1000, 1);
  gint64 days = seconds / 86400, hours = seconds % 86400 / 3600, minutes = seconds % 3600 / 60;

  if (days > 0)
    return g_strdup_printf ("%" G_GINT64_FORMAT "d %" G_GINT64_FORMAT "h %" G_GINT64_FORMAT "m", days, hours, minutes);
  if (hours > 0)
    return g_strdup_printf ("%" G_GINT64_FORMAT "h %" G_GINT64_FORMAT "m", hours, minutes);
  if (minutes > 0)
    return g_strdup_printf ("%" G_GINT64_FORMAT "m %" G_GINT64_FORMAT "s", minutes, seconds % 60);
  return g_strdup_printf ("%" G_GINT64_FORMAT "s", seconds);
}

/* "; resets in 2h 21m" or "; resets at 2026-06-04 15:24 UTC" or "" when Google gave no time. */
static char *
reset_clause (const AgGoogleError *error, const char *verb)
{
  if (error->retry_delay_ms >= DAY_MS)
    {
      /* Days away: the day and time, not only a count of hours. */
      gint64 now_ms = g_get_real_time () / 1000;
      g_autofree char *wait = format_wait (error->retry_delay_ms);
      g_autofree char *at = ag_reset_time_format (now_ms + error->retry_delay_ms, now_ms);

      return g_strdup_printf ("; until %s (in %s)", at, wait);
    }
  if (error->retry_delay_ms >= 0)
    {
      g_autofree char *wait = format_wait (error->retry_delay_ms);

      return g_strdup_printf ("; %s in %s", verb, wait);
    }
  if (error->reset_time_ms >= 0)
    {
      g_autoptr(GDateTime) at = g_date_time_new_from_unix_utc (error->reset_time_ms / 1000);

      if (at != NULL)
        {
          g_autofree char *text = g_date_time_format (at, "%Y-%m-%d %H:%M UTC");

          return g_strdup_printf ("; %s at %s", verb, text);
        }
    }
  return g_strdup ("");
}

static gboolean
is_context_overflow (const char *message)
{
  g_autofree char *lower = g_ascii_strdown (message, -1);

  return strstr (lower, "input token count") != NULL && strstr (lower, "exceeds") != NULL;
}

guint
ag_anthropic_error_from_google (const AgGoogleError *error, const char **error_type, char **message)
{
  const char *model = error->model != NULL ? error->model : "this model";
  const char *google = error->message != NULL ? error->message : "no details";
  guint status;

  switch (error->kind)
    {
    case AG_UPSTREAM_FAILURE_RATE_LIMIT:
      {
        g_autofree char *when = reset_clause (error, "retry");

        status = 429;
        *message = g_strdup_printf ("Rate limited upstream for %s%s", model, when);
        break;
      }
    case AG_UPSTREAM_FAILURE_QUOTA_EXHAUSTED:
      {
        g_autofree char *when = reset_clause (error, "resets");

        status = 429;
        *message = g_strdup_printf ("Upstream quota exhausted for %s%s", model, when);
        break;
      }
    case AG_UPSTREAM_FAILURE_CAPACITY:
      status = 529;
      *message = g_strdup_printf ("Upstream has no capacity for %s right now: %s", model, google);
      break;
    /* The client's credentials are fine; it is ag-cl's Google account that failed. A 401 or 403 would send Claude
     * Code to its login path (Antigravity-Manager answers 503 for the same reason), so answer 503 api_error:
     * Claude Code retries it with backoff and shows the message, which tells the user what to do in ag-cl. */
    case AG_UPSTREAM_FAILURE_AUTH:
      status = 503;
      *message = g_strdup_printf ("The Google account used by ag-cl must sign in again (%s); "
                                  "re-authorise it in ag-cl", google);
      break;
    case AG_UPSTREAM_FAILURE_VALIDATION_REQUIRED:
      status = 503;
      *message = g_strdup ("Google asks to verify the account used by ag-cl; open ag-cl to complete the verification");
      break;
    case AG_UPSTREAM_FAILURE_BANNED:
      status = 503;
      *message = g_strdup_printf ("Google banned the account used by ag-cl: %s", google);
      break;
    case AG_UPSTREAM_FAILURE_CREDITS_EXHAUSTED:
      status = 429;
      *message = g_strdup_printf ("The Google One AI credits of the account used by ag-cl are spent: %s", google);
      break;
    case AG_UPSTREAM_FAILURE_INELIGIBLE_TIER:
      status = 503;
      *message = g_strdup_printf ("The Gemini CLI quota no longer serves this account's tier: %s", google);
      break;
    case AG_UPSTREAM_FAILURE_ACCOUNT_DISABLED:
      status = 503;
      *message = g_strdup_printf ("Google refused the account used by ag-cl: %s", google);
      break;
    case AG_UPSTREAM_FAILURE_BAD_REQUEST:
    case AG_UPSTREAM_FAILURE_HISTORY:
      status = 400;
      /* Claude Code recognises "Prompt is too long" and offers to compact; Gemini words it differently. */
      *message = is_context_overflow (google) ? g_strdup_printf ("Prompt is too long: %s", google) : g_strdup (google);
      break;
    case AG_UPSTREAM_FAILURE_NOT_FOUND:
      status = 404;
      *message = g_strdup_printf ("Upstream does not know %s: %s", model, google);
      break;
    /* Transient from the client's view: ag-cl checks for the current release and the retry goes out with it. */
    case AG_UPSTREAM_FAILURE_CLIENT_OUTDATED:
      status = 503;
      *message = g_strdup_printf ("Google refused the Antigravity client version ag-cl announced (“%s”); ag-cl is "
                                  "checking for the current release: retry in a moment, or set "
                                  "AGCL_ANTIGRAVITY_VERSION to it", google);
      break;
    case AG_UPSTREAM_FAILURE_SERVER:
      status = 502;
      *message = g_strdup_printf ("Upstream server error (HTTP %u): %s", error->http_status, google);
      break;
    case AG_UPSTREAM_FAILURE_OTHER:
    case AG_UPSTREAM_FAILURE_NONE:
    default:
      status = 502;
      *message = g_strdup_printf ("Unexpected upstream answer (HTTP %u): %s", error->http_status, google);
      break;
    }

  *error_type = ag_anthropic_error_type_for_status (status);
  return status;
}
