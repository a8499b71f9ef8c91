/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-client-request.h — one client request as every step after parsing sees it: the fields the classifier, the
 * model catalogue, account stickiness and the translator need, read once from the JSON body by the front end of
 * the request's surface. The body stays with it for the translator. Pure. */
#pragma once

#include <json-glib/json-glib.h>
#include "ag-types.h"

G_BEGIN_DECLS

struct _AgClientRequest {
  JsonObject *body;              /* the parsed body (a reference) */
  const char *model;             /* as the client named it: never NULL or empty */
  gboolean    stream;
  gint64      max_tokens;        /* -1: absent or not an integer */
  gboolean    has_system;
  guint       n_messages;
  gboolean    last_is_user;      /* the last message exists and is the user's */
  const char *last_user_string;  /* its content when that is a string, else NULL */
  GPtrArray  *last_user_texts;   /* (const char *) its text blocks when its content is an array; never NULL */
  char       *session_id;        /* the client's session, nullable */
  gboolean    include_usage;     /* OpenAI stream_options.include_usage: a usage chunk ends the stream */
  char      **freeform_tools;    /* OpenAI Responses: the tools whose calls are answered as raw text; nullable */
  gint64      web_search_max_uses; /* Anthropic: > 0 when the request is a web search (ag_web_search_max_uses) */
};

/* Reads an Anthropic Messages body: "model" must be a non-empty string and "stream", when present, a boolean
 * (AG_PROTOCOL_ERROR_INVALID_REQUEST naming the field otherwise). @session_header is Claude Code's
 * x-claude-code-session-id (nullable). */
AgClientRequest *ag_anthropic_request_read (JsonObject *body, const char *session_header, GError **error);
void             ag_client_request_free (AgClientRequest *self);
/* The user text of the last message: its string content, or its text blocks joined by newlines; NULL when the
 * last message is not the user's. */
char            *ag_client_request_last_user_text (const AgClientRequest *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AgClientRequest, ag_client_request_free)

G_END_DECLS
