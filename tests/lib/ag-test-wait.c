/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "ag-test-wait.h"

gint64
ag_test_deadline (guint timeout_ms)
{
  return g_get_monotonic_time () + (gint64) timeout_ms * 1000;
}

static gboolean
wake (gpointer user_data)
{
  return G_SOURCE_REMOVE;
}

gboolean
ag_test_iterate (gint64 deadline_us)
{
  gint64 left_us = deadline_us - g_get_monotonic_time ();
  GSource *alarm;

  if (left_us <= 0)
    return FALSE;
  /* The alarm only wakes the blocking iteration at the deadline; it is gone after it either way. */
  alarm = g_timeout_source_new ((guint) ((left_us + 999) / 1000));
  g_source_set_callback (alarm, wake, NULL, NULL);
  g_source_attach (alarm, NULL);
  g_main_context_iteration (NULL, TRUE);
  g_source_destroy (alarm);
  g_source_unref (alarm);
  return TRUE;
}

void
ag_test_timed_out (const char *file, int line, const char *func, const char *what, guint timeout_ms)
{
  g_autofree char *message = g_strdup_printf ("timed out after %u ms waiting for %s", timeout_ms, what);

  g_assertion_message (G_LOG_DOMAIN, file, line, func, message);
  g_abort ();
}

gboolean
ag_test_poll_until (AgTestCondition condition, gpointer user_data, guint timeout_ms)
{
  gint64 deadline = ag_test_deadline (timeout_ms);

  while (!condition (user_data))
    if (!ag_test_iterate (deadline))
      return condition (user_data);
  return TRUE;
}

void
ag_test_wait_until (AgTestCondition condition, gpointer user_data, guint timeout_ms)
{
  if (!ag_test_poll_until (condition, user_data, timeout_ms))
    ag_test_timed_out (__FILE__, __LINE__, G_STRFUNC, "a condition", timeout_ms);
}

void
ag_test_wait_for (gboolean *flag, guint timeout_ms)
{
  AG_TEST_WAIT (*flag, timeout_ms);
}

void
ag_test_wait_count (guint *count, guint wanted, guint timeout_ms)
{
  AG_TEST_WAIT (*count >= wanted, timeout_ms);
  g_assert_cmpuint (*count, ==, wanted);
}

void
ag_test_sleep (guint ms)
{
  gint64 deadline = ag_test_deadline (ms);

  while (ag_test_iterate (deadline))
    ;
}

void
ag_test_flush (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

void
ag_test_store_result (GObject *source, GAsyncResult *result, gpointer slot)
{
  GAsyncResult **out = slot;

  g_assert_null (*out);
  *out = g_object_ref (result);
}

GAsyncResult *
ag_test_await_for (GAsyncResult **slot, guint timeout_ms)
{
  AG_TEST_WAIT (*slot != NULL, timeout_ms);
  return g_steal_pointer (slot);
}

GAsyncResult *
ag_test_await (GAsyncResult **slot)
{
  return ag_test_await_for (slot, AG_TEST_TIMEOUT_MS);
}
