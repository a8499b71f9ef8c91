/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-heap-trim.c — a debounced malloc_trim; see the header for why. */
#include "ag-heap-trim.h"

#ifdef __GLIBC__
#include <malloc.h>
#endif

#define QUIET_MS 1000

static guint trim_source;
static gboolean active_since_armed;

static gboolean
trim_if_quiet (gpointer user_data)
{
  /* One timer for the whole burst: activity during a period only postpones the trim by another period. */
  if (active_since_armed)
    {
      active_since_armed = FALSE;
      return G_SOURCE_CONTINUE;
    }
  trim_source = 0;
#ifdef __GLIBC__
  malloc_trim (0);
#endif
  return G_SOURCE_REMOVE;
}

void
ag_heap_trim_when_idle (void)
{
  if (trim_source != 0)
    {
      active_since_armed = TRUE;
      return;
    }
  trim_source = g_timeout_add (QUIET_MS, trim_if_quiet, NULL);
  g_source_set_name_by_id (trim_source, "[ag-cl] heap trim");
}
