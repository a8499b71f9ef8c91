// SPDX-License-Identifier: GPL-3.0-or-later
/* The requests in flight: nothing is tracked while nobody watches, a watcher sees them newest first, one "changed"
 * per burst from an idle callback (never inside the proxy's call), and an ended request is gone. */
#include "ag-requests-in-flight.h"
#include "ag-test.h"

static void
count_changed (AgRequestsInFlight *in_flight, gpointer data)
{
  (*(guint *) data)++;
}

static void
test_unwatched_costs_nothing (void)
{
  g_autoptr(AgRequestsInFlight) in_flight = ag_requests_in_flight_new ();
  guint changed = 0;

  g_signal_connect (in_flight, "changed", G_CALLBACK (count_changed), &changed);
  g_assert_cmpuint (ag_requests_in_flight_start (in_flight, 1000, "claude-cli", "claude-opus-4-6"), ==, 0);
  ag_requests_in_flight_end (in_flight, 0);
  g_assert_cmpuint (ag_requests_in_flight_count (in_flight), ==, 0);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (changed, ==, 0);
  /* And with no tracker at all (no history store), the proxy's calls do nothing. */
  g_assert_cmpuint (ag_requests_in_flight_start (NULL, 1000, NULL, NULL), ==, 0);
  ag_requests_in_flight_end (NULL, 7);
}

static void
test_watched (void)
{
  g_autoptr(AgRequestsInFlight) in_flight = ag_requests_in_flight_new ();
  g_autoptr(GPtrArray) list = NULL;
  guint changed = 0;
  guint64 first, second, third;
  const AgRequestRecord *newest;

  g_signal_connect (in_flight, "changed", G_CALLBACK (count_changed), &changed);
  ag_requests_in_flight_watch (in_flight, TRUE);
  first = ag_requests_in_flight_start (in_flight, 1000, "claude-cli/2.0", "claude-opus-4-6");
  second = ag_requests_in_flight_start (in_flight, 1000, NULL, "gemini-3-flash");
  third = ag_requests_in_flight_start (in_flight, 2000, "codex", NULL);
  g_assert_cmpuint (first, !=, 0);
  g_assert_cmpuint (second, >, first);
  g_assert_cmpuint (third, >, second);
  /* Announced later, once for the burst. */
  g_assert_cmpuint (changed, ==, 0);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (changed, ==, 1);

  ag_requests_in_flight_end (in_flight, third);
  ag_requests_in_flight_end (in_flight, third);
  list = ag_requests_in_flight_list (in_flight);
  g_assert_cmpuint (list->len, ==, 2);
  newest = g_ptr_array_index (list, 0);
  g_assert_cmpstr (newest->model, ==, "gemini-3-flash");
  g_assert_null (newest->client);
  g_assert_cmpint (newest->outcome, ==, AG_REQUEST_OUTCOME_IN_FLIGHT);
  g_assert_cmpint (newest->id, ==, 0);
  g_assert_cmpstr (((AgRequestRecord *) g_ptr_array_index (list, 1))->client, ==, "claude-cli/2.0");
  g_assert_cmpint (((AgRequestRecord *) g_ptr_array_index (list, 1))->time_ms, ==, 1000);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (changed, ==, 2);

  /* The last watcher gone, nothing stays tracked and nothing new is. */
  ag_requests_in_flight_watch (in_flight, FALSE);
  g_assert_cmpuint (ag_requests_in_flight_count (in_flight), ==, 0);
  g_assert_cmpuint (ag_requests_in_flight_start (in_flight, 3000, NULL, NULL), ==, 0);
  ag_requests_in_flight_end (in_flight, first);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/requests-in-flight/unwatched", test_unwatched_costs_nothing);
  g_test_add_func ("/requests-in-flight/watched", test_watched);
  return g_test_run ();
}
