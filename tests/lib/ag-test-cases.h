/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-test-cases.h — table-driven tests: one registered test per row of a table of cases. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Registers @test once per case of the array @cases (@n_cases of @case_size bytes each), at @prefix followed by
 * the case's name: its first member, a const char *. Each test gets its case as data. Keep @prefix flat
 * ("/suite/" or "/suite/kind-") when the order of tests matters: GTest runs a suite's own tests before its
 * sub-suites. */
void ag_test_add_cases (const char *prefix, gconstpointer cases, gsize n_cases, gsize case_size, GTestDataFunc test);

/* The same for a static array. */
#define AG_TEST_ADD_CASES(prefix, cases, test) \
  ag_test_add_cases ((prefix), (cases), G_N_ELEMENTS (cases), sizeof (cases)[0], (test))

G_END_DECLS
