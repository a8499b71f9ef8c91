/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-google-error.h — reads Google RPC and OAuth error bodies (the delays and times in them with ag-google-time.h)
 * and classifies the failure so the caller can retry, rotate, back off or answer the client. Pure. */
#pragma once

#include <json-glib/json-glib.h>
/* The delays and reset times an error body carries are read with these (and so are quota answers'). */
#include "ag-google-time.h"

G_BEGIN_DECLS

typedef enum {
  AG_UPSTREAM_FAILURE_NONE,
  AG_UPSTREAM_FAILURE_RATE_LIMIT,          /* short per-minute limit (RATE_LIMIT_EXCEEDED, small delay) */
  AG_UPSTREAM_FAILURE_QUOTA_EXHAUSTED,     /* long quota exhaustion (QUOTA_EXHAUSTED, hours) */
  AG_UPSTREAM_FAILURE_CAPACITY,            /* model overloaded (MODEL_CAPACITY_EXHAUSTED, 503/529) */
  AG_UPSTREAM_FAILURE_AUTH,                /* 401, invalid_grant: the token or account must be renewed */
  AG_UPSTREAM_FAILURE_VALIDATION_REQUIRED, /* 403 with a URL the user must visit */
  AG_UPSTREAM_FAILURE_ACCOUNT_DISABLED,    /* 403 permission denied / account disabled */
  AG_UPSTREAM_FAILURE_BANNED,              /* 403 "…disabled in this account for violation of Terms of Service":
                                            * validation_url then holds the appeal link when Google sent one */
  AG_UPSTREAM_FAILURE_CREDITS_EXHAUSTED,   /* 429 INSUFFICIENT_G1_CREDITS_BALANCE: the account's Google One AI credits
                                            * are spent (says nothing about its free quota) */
  AG_UPSTREAM_FAILURE_INELIGIBLE_TIER,     /* the Gemini CLI pool refuses the account's tier ("IneligibleTier…
                                            * no longer supported for Gemini Code Assist for individuals") */
  AG_UPSTREAM_FAILURE_BAD_REQUEST,         /* 400: the request itself is wrong, do not retry */
  AG_UPSTREAM_FAILURE_HISTORY,             /* 400 about the conversation's history (tool calls and results not
                                            * paired, a thought signature refused): worth one repaired retry */
  AG_UPSTREAM_FAILURE_NOT_FOUND,           /* 404: endpoint or model unknown here, try the next endpoint */
  AG_UPSTREAM_FAILURE_SERVER,              /* 408, 5xx: transient, try the next endpoint */
  AG_UPSTREAM_FAILURE_CLIENT_OUTDATED,     /* "This version of Antigravity is no longer supported": the client
                                            * version ag-cl announces is below Google's minimum */
  AG_UPSTREAM_FAILURE_OTHER,
} AgUpstreamFailure;

typedef struct {
  guint             http_status;
  AgUpstreamFailure kind;
  char             *status;          /* "RESOURCE_EXHAUSTED", … or NULL */
  char             *message;         /* Google's message or a short description of the body */
  char             *reason;          /* ErrorInfo.reason or NULL */
  char             *model;           /* ErrorInfo.metadata.model or NULL */
  gint64            retry_delay_ms;  /* RetryInfo.retryDelay, else metadata.quotaResetDelay, else a delay quoted in
                                      * the message ("reset after 1h2m3s"); -1 when absent */
  gint64            reset_time_ms;   /* metadata.quotaResetTimeStamp as Unix ms; -1 when absent */
  char             *validation_url;  /* a URL the user must open (validation required), or NULL */
} AgGoogleError;

/* Parses any body (JSON RPC error, OAuth {"error":"invalid_grant"}, HTML, empty) for @http_status. Never NULL.
 * For an error that arrived inside a 200 stream pass 200 (or 0): the body's error.code then becomes http_status. */
AgGoogleError *ag_google_error_parse (guint http_status, const char *body, gsize body_len);
/* The same for a body already parsed into @object (an upstream stream event that carries "error"): no second parse.
 * A body that parses to an object gives the same error either way, except that an unreadable one is described as
 * "HTTP … with an unrecognised JSON body" whatever its text. */
AgGoogleError *ag_google_error_from_object (guint http_status, JsonObject *object);
void           ag_google_error_free (AgGoogleError *self);

/* Whether @text is Google's notice that the Antigravity client is too old ("This version of Antigravity is no longer
 * supported…", "Your current version of Antigravity is out of date…"). Google sends it as an error message and
 * also, in a 200 answer, as if it were the model's text. */
gboolean ag_google_text_is_outdated_client_notice (const char *text);
/* An error for the notice found in a 200 answer (@text), classified AG_UPSTREAM_FAILURE_CLIENT_OUTDATED. */
AgGoogleError *ag_google_error_new_outdated_client (const char *text);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AgGoogleError, ag_google_error_free)

G_END_DECLS
