/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-test-mock.h — the in-process mock Cloud Code server (tests/mock) as tests set it up and read it back. */
#pragma once

#include <json-glib/json-glib.h>
#include "ag-mock-server.h"

G_BEGIN_DECLS

/* A mock listening on a free loopback port with @script_json (NULL = defaults). */
AgMockServer *ag_test_mock_new (const char *script_json);
/* The same serving HTTPS with @certificate (NULL: plain HTTP), e.g. an AgTestTls's server certificate. */
AgMockServer *ag_test_mock_new_over_tls (const char *script_json, GTlsCertificate *certificate);
/* The same, with its URLs exported to this process's environment (AGCL_CLOUDCODE_ENDPOINTS, AGCL_OAUTH_*_URL,
 * AGCL_USERINFO_URL), for code under test that reads them in-process. */
AgMockServer *ag_test_mock_start (const char *script_json);
/* Replaces the script (the request log stays), asserting it is valid. */
void          ag_test_mock_set_script (AgMockServer *mock, const char *script_json);
/* The recorded requests whose path ends with @suffix (NULL: all), oldest first: a new array of the recorded
 * objects ({"method","path","query","headers","body"}). */
JsonArray    *ag_test_mock_requests (AgMockServer *mock, const char *suffix);
/* The newest of them (a reference); fails the test when there is none. */
JsonObject   *ag_test_mock_last_request (AgMockServer *mock, const char *suffix);

G_END_DECLS
