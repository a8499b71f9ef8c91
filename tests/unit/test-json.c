/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests for the lenient JSON accessors: each type reads only as itself, anything else as absent, NULL parents
 * included, and never a critical (GLib criticals are fatal in tests). */
#include "ag-json.h"

static JsonObject *
parse_object (const char *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = json_from_string (json, &error);

  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  return json_object_ref (json_node_get_object (node));
}

#define SAMPLE                                                                                                \
  "{\"s\":\"text\",\"e\":\"\",\"i\":42,\"neg\":-7,\"d\":2.75,\"nd\":-2.75,\"big\":1e300,\"t\":true,\"f\":false," \
  "\"n\":null,\"o\":{\"inner\":\"x\"},\"a\":[{\"k\":1},2,\"three\",null]}"

static void
test_string (void)
{
  g_autoptr(JsonObject) object = parse_object (SAMPLE);
  g_autofree char *copy = ag_json_dup_string (object, "s");

  g_assert_cmpstr (ag_json_string (object, "s"), ==, "text");
  g_assert_cmpstr (ag_json_string (object, "e"), ==, "");
  g_assert_cmpstr (copy, ==, "text");
  g_assert_true (copy != ag_json_string (object, "s"));
  for (const char *const *name = (const char *const[]) { "i", "d", "t", "n", "o", "a", "missing", NULL }; *name; name++)
    {
      g_autofree char *dup = ag_json_dup_string (object, *name);

      g_assert_null (ag_json_string (object, *name));
      g_assert_null (dup);
    }
  g_assert_null (ag_json_string (NULL, "s"));
  g_assert_null (ag_json_dup_string (NULL, "s"));
}

static void
test_containers (void)
{
  g_autoptr(JsonObject) object = parse_object (SAMPLE);
  JsonObject *inner = ag_json_object (object, "o");
  JsonArray *array = ag_json_array (object, "a");

  g_assert_nonnull (inner);
  g_assert_cmpstr (ag_json_string (inner, "inner"), ==, "x");
  g_assert_nonnull (array);
  g_assert_cmpuint (json_array_get_length (array), ==, 4);
  g_assert_null (ag_json_object (object, "a"));
  g_assert_null (ag_json_object (object, "s"));
  g_assert_null (ag_json_object (object, "n"));
  g_assert_null (ag_json_array (object, "o"));
  g_assert_null (ag_json_array (object, "i"));
  g_assert_null (ag_json_object (NULL, "o"));
  g_assert_null (ag_json_array (NULL, "a"));
  /* Chains through absent parents read as absent. */
  g_assert_null (ag_json_string (ag_json_object (ag_json_object (object, "missing"), "deeper"), "x"));

  g_assert_cmpint (ag_json_int (ag_json_array_object (array, 0), "k", -1), ==, 1);
  for (guint i = 1; i < 6; i++)
    g_assert_null (ag_json_array_object (array, i));
  g_assert_null (ag_json_array_object (NULL, 0));
}

static void
test_numbers (void)
{
  g_autoptr(JsonObject) object = parse_object (SAMPLE);

  g_assert_cmpint (ag_json_int (object, "i", -1), ==, 42);
  g_assert_cmpint (ag_json_int (object, "neg", -1), ==, -7);
  /* A fraction is cut off toward zero. */
  g_assert_cmpint (ag_json_int (object, "d", -1), ==, 2);
  g_assert_cmpint (ag_json_int (object, "nd", -1), ==, -2);
  /* Out of range, or not a number at all: the default. */
  g_assert_cmpint (ag_json_int (object, "big", -1), ==, -1);
  for (const char *const *name = (const char *const[]) { "s", "t", "n", "o", "a", "missing", NULL }; *name; name++)
    {
      g_assert_cmpint (ag_json_int (object, *name, -1), ==, -1);
      g_assert_cmpfloat (ag_json_double (object, *name, -0.5), ==, -0.5);
    }
  g_assert_cmpint (ag_json_int (NULL, "i", 9), ==, 9);

  g_assert_cmpfloat (ag_json_double (object, "d", 0), ==, 2.75);
  g_assert_cmpfloat (ag_json_double (object, "i", 0), ==, 42.0);
  g_assert_cmpfloat (ag_json_double (object, "big", 0), ==, 1e300);
  g_assert_cmpfloat (ag_json_double (NULL, "d", 1.5), ==, 1.5);
}

static void
test_bool (void)
{
  g_autoptr(JsonObject) object = parse_object (SAMPLE);

  g_assert_true (ag_json_bool (object, "t", FALSE));
  g_assert_false (ag_json_bool (object, "f", TRUE));
  /* 0/1, "true" and null are not booleans. */
  for (const char *const *name = (const char *const[]) { "s", "i", "n", "o", "missing", NULL }; *name; name++)
    {
      g_assert_true (ag_json_bool (object, *name, TRUE));
      g_assert_false (ag_json_bool (object, *name, FALSE));
    }
  g_assert_true (ag_json_bool (NULL, "t", TRUE));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/json/string", test_string);
  g_test_add_func ("/json/containers", test_containers);
  g_test_add_func ("/json/numbers", test_numbers);
  g_test_add_func ("/json/bool", test_bool);
  return g_test_run ();
}
