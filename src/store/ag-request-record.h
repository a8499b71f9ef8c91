/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-request-record.h — one row of the request log: who asked for what, which accounts were tried and why, how it
 * ended, how long it took and what it cost. Plain data with JSON conversions (the attempts column, `ag-cl log
 * --json`); pure, no I/O. */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum {
  AG_REQUEST_OUTCOME_OK,
  AG_REQUEST_OUTCOME_CLIENT_ERROR,    /* the client's request was wrong (4xx answered locally or by upstream) */
  AG_REQUEST_OUTCOME_UPSTREAM_ERROR,  /* no account could serve it, or upstream failed */
  AG_REQUEST_OUTCOME_CANCELLED,       /* the client went away */
  AG_REQUEST_OUTCOME_INTERCEPTED,     /* answered locally (warmup), nothing sent upstream */
  AG_REQUEST_OUTCOME_REFUSED,         /* refused before its body was read (a web page, another user, no key) */
  AG_REQUEST_OUTCOME_IN_FLIGHT,       /* not answered yet (AgRequestsInFlight); never stored */
} AgRequestOutcome;

/* The outcome an HTTP status answered to the client stands for (200 ok, 499 the client went away, …). */
AgRequestOutcome ag_request_outcome_for_status (guint status);
/* "ok", "client_error", "upstream_error", "cancelled", "intercepted", "refused" — the stored form ("in_flight"
 * for a request not answered yet). */
const char *ag_request_outcome_to_string (AgRequestOutcome outcome);
gboolean    ag_request_outcome_from_string (const char *text, AgRequestOutcome *outcome);

/* One upstream try that did not give the answer: on @account, failed for @reason ("quota", "rate_limit",
 * "capacity", "auth", "server_error", "network", "empty", …) with HTTP @status (0 = no response), after which the
 * call waited @wait_ms before its next try (0 = went on at once). With no @account, a turn of the proxy's retry
 * loop itself: "all_limited_wait", "optimistic_reset", "gemini_cli_fallback". */
typedef struct {
  char  *account;
  char  *reason;
  guint  status;
  gint64 wait_ms;
} AgRequestAttempt;

typedef struct {
  gint64           id;               /* assigned by the history store; 0 before */
  gint64           time_ms;          /* Unix ms when the request arrived */
  char            *client;           /* User-Agent, nullable */
  char            *session_id;       /* Claude Code session, nullable */
  char            *model;            /* as requested by the client, nullable */
  char            *upstream_model;   /* as sent upstream, nullable (nothing was sent) */
  char            *account;          /* e-mail of the account that answered last, nullable */
  GPtrArray       *attempts;         /* AgRequestAttempt, in order; never NULL */
  AgRequestOutcome outcome;
  guint            status;           /* HTTP status answered to the client */
  gint64           ttfb_ms;          /* to the first byte sent to the client; -1 = none */
  gint64           total_ms;
  gint64           input_tokens;
  gint64           output_tokens;
  gint64           cache_read_tokens;
  char            *detail;           /* what else happened, nullable: why a request was refused ("POST
                                      * /v1/messages: Origin https://evil.example"); never a body or a key */
  char            *repairs;          /* what ag-cl mended in the history before sending it, nullable */
} AgRequestRecord;

/* A zeroed record with time_ms = now, ttfb_ms = -1 and an empty attempts array. */
AgRequestRecord *ag_request_record_new (void);
void             ag_request_record_free (AgRequestRecord *self);
void             ag_request_record_add_attempt (AgRequestRecord *self, const char *account, const char *reason,
                                                guint status, gint64 wait_ms);

/* "; retried: user1@example.com quota 429, all_limited_wait then 1200 ms, …" or "" (for the proxy's log line). */
char            *ag_request_record_describe_attempts (const AgRequestRecord *self);
/* The attempts as a compact JSON array [{"account","reason","status","wait_ms"},…] (the stored column). */
char            *ag_request_record_attempts_to_json (const AgRequestRecord *self);
/* Replaces the attempts from that JSON; on error leaves them untouched. */
gboolean         ag_request_record_set_attempts_from_json (AgRequestRecord *self, const char *json, GError **error);
/* The whole record as a JSON object (`ag-cl log --json`): the fields above plus "time" in RFC 3339 UTC;
 * ttfb_ms is null when there was no first byte. */
JsonNode        *ag_request_record_to_json (const AgRequestRecord *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AgRequestRecord, ag_request_record_free)

G_END_DECLS
