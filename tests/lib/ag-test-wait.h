/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-test-wait.h — the tests' one way to wait: iterate the default main context (so in-process servers such as the
 * mock keep answering) until a condition holds, with a deadline. Every wait below is built on ag_test_iterate. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* How long a wait on an async result may take before it fails the test. */
#define AG_TEST_TIMEOUT_MS 20000

typedef gboolean (*AgTestCondition) (gpointer user_data);

/* A deadline for a wait: an alarm on the default main context that wakes it when the time is up. */
typedef struct _AgTestDeadline AgTestDeadline;
AgTestDeadline *ag_test_deadline_new (guint timeout_ms);
void            ag_test_deadline_free (AgTestDeadline *deadline);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AgTestDeadline, ag_test_deadline_free)
/* One blocking iteration of the default main context, woken by @deadline at the latest. FALSE once the deadline
 * has passed (nothing was iterated then). */
gboolean        ag_test_iterate (AgTestDeadline *deadline);

/* Iterates until @condition (@user_data) holds: TRUE, or FALSE after @timeout_ms (the test goes on). */
gboolean      ag_test_poll_until (AgTestCondition condition, gpointer user_data, guint timeout_ms);
/* The same, failing the test after @timeout_ms. */
void          ag_test_wait_until (AgTestCondition condition, gpointer user_data, guint timeout_ms);
/* The same for any C expression, which the failure message names. */
#define AG_TEST_WAIT(expression, timeout_ms)                                                      \
  G_STMT_START {                                                                                  \
    guint ag_test_ms_ = (timeout_ms);                                                             \
    g_autoptr(AgTestDeadline) ag_test_deadline_ = ag_test_deadline_new (ag_test_ms_);             \
    while (!(expression))                                                                         \
      if (!ag_test_iterate (ag_test_deadline_))                                                   \
        ag_test_timed_out (__FILE__, __LINE__, G_STRFUNC, #expression, ag_test_ms_);              \
  } G_STMT_END
/* Until *@flag is TRUE; fails after @timeout_ms. */
void          ag_test_wait_for (gboolean *flag, guint timeout_ms);
/* Until *@count reaches @wanted, then asserts it is exactly @wanted; fails after @timeout_ms. */
void          ag_test_wait_count (guint *count, guint wanted, guint timeout_ms);
/* Iterates for @ms milliseconds. */
void          ag_test_sleep (guint ms);
/* Runs what is pending without blocking (idles, replies already queued), until nothing is. */
void          ag_test_flush (void);

/* GAsyncReadyCallback storing a reference on the result in *(GAsyncResult **) @slot (which must be empty). */
void          ag_test_store_result (GObject *source, GAsyncResult *result, gpointer slot);
/* Waits until *@slot is set (by ag_test_store_result), fails after AG_TEST_TIMEOUT_MS; returns it (owned) and
 * empties the slot. */
GAsyncResult *ag_test_await (GAsyncResult **slot);
/* The same, failing after @timeout_ms. */
GAsyncResult *ag_test_await_for (GAsyncResult **slot, guint timeout_ms);
/* Calls @async_function (ARGS…, ag_test_store_result, &slot) and awaits its result: a GAsyncResult (owned) to
 * pass to the matching _finish. */
#define AG_TEST_AWAIT_CALL(async_function, ...)                                        \
  ({                                                                                    \
    GAsyncResult *ag_test_slot_ = NULL;                                                 \
    async_function (__VA_ARGS__, ag_test_store_result, &ag_test_slot_);                 \
    ag_test_await (&ag_test_slot_);                                                     \
  })

G_NORETURN void ag_test_timed_out (const char *file, int line, const char *func, const char *what, guint timeout_ms);

G_END_DECLS
