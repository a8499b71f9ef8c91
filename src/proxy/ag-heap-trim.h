/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-heap-trim.h — gives freed heap back to the system once the proxy has gone quiet.
 *
 * Under many concurrent streams glibc's allocator ends up with free pages scattered through the heap that it
 * keeps resident: after a burst of 10 000 requests that was 2 MB more than during it, none of it in use. ag-cl
 * spends most of a day idle between bursts, so a second after the last request ends the free pages are returned
 * (malloc_trim). Main thread only. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Notes activity: the heap is trimmed once this has not been called for a second. */
void ag_heap_trim_when_idle (void);

G_END_DECLS
