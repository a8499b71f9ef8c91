/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-protocol-error.h — the GError domain for wire-format failures (bad client requests, bad upstream data). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define AG_PROTOCOL_ERROR (ag_protocol_error_quark ())

typedef enum {
  AG_PROTOCOL_ERROR_INVALID_REQUEST,  /* the client's request is malformed: answer 400 invalid_request_error */
  AG_PROTOCOL_ERROR_TOO_LARGE,        /* a body or event exceeds a limit: 413 / stream error */
  AG_PROTOCOL_ERROR_BAD_UPSTREAM,     /* upstream sent something we cannot interpret */
  AG_PROTOCOL_ERROR_CLIENT_OUTDATED,  /* upstream's answer is Google's "this version of Antigravity is no longer
                                       * supported" notice; the message holds it */
} AgProtocolError;

GQuark ag_protocol_error_quark (void);

G_END_DECLS
