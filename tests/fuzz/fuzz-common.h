/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz-common.h — what every libFuzzer target shares: the entry points' prototypes and GLib set up so that a
 * critical or warning (a broken precondition) is a crash the fuzzer reports, not a line it ignores. */
#pragma once

#include <glib.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

/* Aborts (which libFuzzer catches and saves the input for) rather than GLib's breakpoint trap, which it does not. */
static inline GLogWriterOutput
fuzz_abort_on_warnings (GLogLevelFlags log_level, const GLogField *fields, gsize n_fields, gpointer user_data)
{
  GLogWriterOutput written = g_log_writer_default (log_level, fields, n_fields, user_data);

  if (log_level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    abort ();
  return written;
}

static inline void
fuzz_make_glib_strict (void)
{
  g_log_set_writer_func (fuzz_abort_on_warnings, NULL, NULL);
}
