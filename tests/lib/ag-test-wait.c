/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "ag-test-wait.h"

struct _AgTestDeadline {
  GSource *alarm;
  gboolean passed;
};

static gboolean
deadline_passed (gpointer user_data)
{
  ((AgTestDeadline *) user_data)->passed = TRUE;
  return G_SOURCE_REMOVE;
}

AgTestDeadline *
ag_test_deadline_new (guint timeout_ms)
{
  AgTestDeadline *deadline = g_new0 (AgTestDeadline, 1);

  deadline->alarm = g_timeout_source_new (timeout_ms);
  g_source_set_callback (deadline->alarm, deadline_passed, deadline, NULL);
  g_source_attach (deadline->alarm, NULL);
  return deadline;
}

void
ag_test_deadline_free (AgTestDeadline *deadline)
{
  g_source_destroy (deadline->alarm);
  g_source_unref (deadline->alarm);
  g_free (deadline);
}

gboolean
ag_test_iterate (AgTestDeadline *deadline)
{
  if (deadline->passed)
    return FALSE;
  g_main_context_iteration (NULL, TRUE);
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
  g_autoptr(AgTestDeadline) deadline = ag_test_deadline_new (timeout_ms);

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
  g_autoptr(AgTestDeadline) deadline = ag_test_deadline_new (ms);

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
