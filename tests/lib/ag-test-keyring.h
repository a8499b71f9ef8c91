// SPDX-License-Identifier: GPL-3.0-or-later
/* ag-test-keyring.h — what the tests that use the real gnome-keyring (run inside build-aux/with-keyring.sh) set up
 * alike: a profile of their own, so runs never see each other's items; the Google clients ag-cl builds from the
 * environment (which points them at the mock); and a count of signals such as AgKeyringWatch::changed. */
#pragma once

#include "ag-cloudcode-client.h"
#include "ag-oauth-client.h"

G_BEGIN_DECLS

/* A keyring profile no other test run uses: "@test-PID-RANDOM". */
char *ag_test_profile_new (const char *test);

/* The Cloud Code client and the OAuth client (on the Cloud Code client's session) from
 * ag_cloudcode_config_new_from_env (), as the application builds them. Both out arguments are owned. */
void  ag_test_google_clients_new (AgCloudcodeClient **cloudcode, AgOAuthClient **oauth);

/* Adds one to *@counter (a guint): connect it with g_signal_connect_swapped and the counter as data, to count a
 * signal whatever its arguments; disconnect with g_signal_handlers_disconnect_by_data (instance, counter). */
void  ag_test_count (guint *counter);
#define AG_TEST_COUNT_SIGNAL(instance, signal, counter) \
  g_signal_connect_swapped ((instance), (signal), G_CALLBACK (ag_test_count), (counter))

G_END_DECLS
