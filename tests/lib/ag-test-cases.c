/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "ag-test-cases.h"

void
ag_test_add_cases (const char *prefix, gconstpointer cases, gsize n_cases, gsize case_size, GTestDataFunc test)
{
  for (gsize i = 0; i < n_cases; i++)
    {
      gconstpointer one = (const guint8 *) cases + i * case_size;
      g_autofree char *path = g_strconcat (prefix, *(const char * const *) one, NULL);

      g_test_add_data_func (path, one, test);
    }
}
