/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests for the reusable JSON parser: what its own fast path accepts reads exactly as json-glib reads it (types,
 * bits, member order), and everything outside that form goes to json-glib and comes back as json-glib reads it,
 * quirks and refusals included. */
#include "ag-json-parser-private.h"
#include "json-identical.h"
#include "ag-test.h"

/* json-glib's own reading of @text, or NULL when it refuses it or finds no value. */
static JsonNode *
json_glib_parse (const char *text, gsize len)
{
  g_autoptr(JsonParser) parser = json_parser_new ();

  if (!json_parser_load_from_data (parser, text, (gssize) len, NULL))
    return NULL;
  return json_parser_steal_root (parser);
}

static void
assert_fast (AgJsonParser *parser, const char *text, gsize len)
{
  g_autoptr(JsonNode) fast = ag_json_parser_parse_fast (parser, text, len);
  g_autoptr(JsonNode) reference = json_glib_parse (text, len);
  g_autoptr(JsonNode) parsed = NULL;
  g_autoptr(GError) error = NULL;

  if (fast == NULL)
    g_error ("the fast path refused %.*s", (int) MIN (len, 200), text);
  g_assert_nonnull (reference);
  if (!json_identical (fast, reference))
    {
      g_autofree char *a = json_to_string (fast, FALSE);
      g_autofree char *b = json_to_string (reference, FALSE);

      g_assert_cmpstr (a, ==, b);
      g_error ("%s reads differently from json-glib", text);
    }
  parsed = ag_json_parser_parse (parser, text, len, &error);
  g_assert_no_error (error);
  g_assert_true (json_identical (parsed, reference));
}

static void
test_fixtures_fast (void)
{
  g_autoptr(AgJsonParser) parser = ag_json_parser_new ();
  guint lines = 0;

  for (gsize i = 0; i < ag_test_response_n_fixtures; i++)
    {
      g_autofree char *name = g_strconcat (ag_test_response_fixtures[i].name, ".sse", NULL);
      g_autofree char *sse = ag_test_fixture_load ("response", name, NULL);
      g_auto(GStrv) split = g_strsplit_set (sse, "\r\n", -1);

      for (char **line = split; *line != NULL; line++)
        if (g_str_has_prefix (*line, "data: "))
          {
            assert_fast (parser, *line + 6, strlen (*line + 6));
            lines++;
          }
    }
  g_assert_cmpuint (lines, >=, 20);
}

static void
test_plain_forms_fast (void)
{
  static const char *const texts[] = {
    "{}", "[]", " \t\r\n{ } \n", "0", "-0", "7", "-7", "123456789012345678", "-123456789012345678",
    "0.5", "-0.0", "1e3", "1E-2", "-2.5e+10", "0e5", "1.7976931348623157e308", "5e-324", "1e400", "-1e400",
    "12345678901234567890.5", "true", "false", "null", "\"\"", "\"plain\"",
    "\"\\\" \\\\ \\/ \\b \\f \\n \\r \\t\"", "\"\\u00e9\\u4E2D\\ud83d\\ude00\\u0001\\u001f\\u007f\"",
    "\"caf\xc3\xa9 \xe4\xb8\xad \xf0\x9f\x98\x80 \x7f\"",
    "{\"\":1}", "{\"a\":1,\"b\":2,\"a\":3}", "{\"a\":{\"a\":{\"a\":[[],[{}]]}}}",
    " { \"a\" : [ 1 , -2 , 3.5 , true , null , \"x\" ] , \"b\" : { } } ",
    "{\"a long member name that does not fit the sixty-four bytes of the stack buffer at all\":\"v\"}",
    "[\"\\ud800\\udc00\",\"\\udbff\\udfff\"]",
  };
  g_autoptr(AgJsonParser) parser = ag_json_parser_new ();
  g_autoptr(GString) deep = g_string_new (NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (texts); i++)
    assert_fast (parser, texts[i], strlen (texts[i]));
  for (int i = 0; i < 60; i++)
    g_string_append (deep, "[{\"k\":");
  g_string_append (deep, "1");
  for (int i = 0; i < 60; i++)
    g_string_append (deep, "}]");
  /* 120 levels: past the fast path's depth, so this one goes to json-glib. */
  {
    g_autoptr(JsonNode) fast = ag_json_parser_parse_fast (parser, deep->str, deep->len);
    g_autoptr(JsonNode) parsed = ag_json_parser_parse (parser, deep->str, deep->len, NULL);
    g_autoptr(JsonNode) reference = json_glib_parse (deep->str, deep->len);

    g_assert_null (fast);
    g_assert_true (json_identical (parsed, reference));
  }
  g_string_truncate (deep, 0);
  for (int i = 0; i < 30; i++)
    g_string_append (deep, "[{\"k\":");
  g_string_append (deep, "1");
  for (int i = 0; i < 30; i++)
    g_string_append (deep, "}]");
  assert_fast (parser, deep->str, deep->len);
}

typedef struct {
  const char *text;
  gssize      len;        /* -1: strlen */
  gboolean    accepted;   /* json-glib reads a value from it */
} Outside;

/* Outside the fast form: json-glib decides, quirks included (block comments, single quotes, octal and hex
 * numbers, unknown escapes, raw control characters, "var x =", wrapped integers, a string cut at \u0000). */
static void
test_outside_goes_to_json_glib (void)
{
  static const Outside cases[] = {
    { "// not a comment to json-glib\n{\"a\":1}", -1, FALSE },
    { "/* comment */ {\"a\":1}", -1, TRUE },
    { "{\"a\":1 /* after */}", -1, TRUE },
    { "{'a':'single'}", -1, TRUE },
    { "{\"a\":010}", -1, TRUE },
    { "{\"a\":0x1F}", -1, TRUE },
    { "{\"a\":\"\\x41\\q\"}", -1, TRUE },
    { "{\"a\":\"raw\nnewline\ttab\"}", -1, TRUE },
    { "\xef\xbb\xbf{\"bom\":true}", -1, TRUE },
    { "{\"a\":1234567890123456789}", -1, TRUE },
    { "{\"a\":99999999999999999999}", -1, TRUE },
    { "{\"a\":- 1}", -1, TRUE },
    { "var x = {\"a\":1};", -1, TRUE },
    { "{\"a\":\"\\u0000b\"}", -1, TRUE },
    { "{\"a\":\"\\u12\"}", -1, FALSE },
    { "{\"a\":1} x", -1, FALSE },
    { "{\"a\":1,}", -1, FALSE },
    { "[1,]", -1, FALSE },
    { "[1 2]", -1, FALSE },
    { "{\"a\" 1}", -1, FALSE },
    { "{\"a\":truex}", -1, FALSE },
    { "{\"a\":.5}", -1, TRUE },
    { "{\"a\":1.}", -1, TRUE },
    { "{\"a\":\"\\ud800\"}", -1, FALSE },
    { "{\"a\":\"\\udc00\\ud800\"}", -1, FALSE },
    { "{\"a\":\"\xff\"}", -1, FALSE },
    { "{\"a\":\"\xc3\"}", -1, FALSE },
    { "{\"a\":1}\0", 8, FALSE },
    { "{\"a\":\"unterminated}", -1, FALSE },
    { "{\"a\":", -1, FALSE },
    { "tru", -1, FALSE },
    { "nul", -1, FALSE },
    { "", -1, FALSE },
    { "   ", -1, FALSE },
  };
  g_autoptr(AgJsonParser) parser = ag_json_parser_new ();

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gsize len = cases[i].len >= 0 ? (gsize) cases[i].len : strlen (cases[i].text);
      g_autoptr(JsonNode) fast = ag_json_parser_parse_fast (parser, cases[i].text, len);
      g_autoptr(JsonNode) reference = json_glib_parse (cases[i].text, len);
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) parsed = ag_json_parser_parse (parser, cases[i].text, len, &error);

      g_autofree char *shown = g_strescape (cases[i].text, NULL);

      /* Escaped: the TAP output must stay valid UTF-8. */
      g_test_message ("%s", shown);
      g_assert_null (fast);
      g_assert_cmpint (reference != NULL, ==, cases[i].accepted);
      g_assert_true (json_identical (parsed, reference));
      if (parsed == NULL)
        g_assert_nonnull (error);
      else
        g_assert_no_error (error);
    }
}

/* The parser is reused: a refusal leaves nothing behind for the next text. */
static void
test_reuse (void)
{
  g_autoptr(AgJsonParser) parser = ag_json_parser_new ();

  for (int round = 0; round < 3; round++)
    {
      g_autoptr(JsonNode) bad = ag_json_parser_parse (parser, "{\"a\":", 5, NULL);
      g_autoptr(JsonNode) quirky = ag_json_parser_parse (parser, "{'q':1}", 7, NULL);
      g_autoptr(JsonNode) good = ag_json_parser_parse (parser, "{\"b\":[2]}", 9, NULL);

      g_assert_null (bad);
      g_assert_nonnull (quirky);
      g_assert_cmpint (json_object_get_int_member (json_node_get_object (quirky), "q"), ==, 1);
      g_assert_nonnull (good);
      g_assert_cmpint (json_array_get_int_element (json_object_get_array_member (json_node_get_object (good), "b"), 0),
                       ==, 2);
    }
}

/* parse_reused gives json-glib's reading of every text of a run, whatever the run's shapes; a text of the same
 * shape as the one before comes back in the same tree. */
static void
assert_reused_reads (AgJsonParser *parser, const char *text, gsize len)
{
  g_autoptr(JsonNode) reference = json_glib_parse (text, len);
  g_autoptr(GError) error = NULL;
  JsonNode *reused = ag_json_parser_parse_reused (parser, text, len, &error);
  g_autofree char *shown = g_strescape (text, NULL);

  g_test_message ("%s", shown);
  if (!json_identical (reused, reference))
    {
      g_autofree char *a = reused != NULL ? json_to_string (reused, FALSE) : g_strdup ("(none)");
      g_autofree char *b = reference != NULL ? json_to_string (reference, FALSE) : g_strdup ("(none)");

      g_assert_cmpstr (a, ==, b);
      g_error ("%s reads differently from json-glib", shown);
    }
  g_assert_true ((reused == NULL) == (error != NULL));
}

static void
test_reused_run (void)
{
  static const struct {
    const char *text;
    gboolean    same_tree;   /* the same shape as the text before */
  } run[] = {
    { "{\"a\":1,\"b\":\"x\"}", FALSE },
    { "{\"a\":2,\"b\":\"y\\n\\u4E2D\"}", TRUE },
    { " {\"a\" : -3 , \"b\" : \"\" } ", TRUE },
    { "{\"a\":2.5,\"b\":\"y\"}", FALSE },      /* an integer became a double */
    { "{\"a\":1e3,\"b\":\"z\"}", TRUE },
    { "{\"b\":\"y\",\"a\":2.0}", FALSE },      /* the same names in another order */
    { "{\"b\":\"y\",\"a\":2.0,\"c\":null}", FALSE },
    { "{\"a\":1,\"a\":2}", FALSE },              /* a repeated name: never refilled */
    { "{\"a\":3,\"a\":4}", FALSE },
    { "{\"a\":[1,2]}", FALSE },
    { "{\"a\":[1,2,3]}", FALSE },
    { "{\"a\":[4,5,6]}", TRUE },
    { "{\"a\":[]}", FALSE },
    { "{\"a\":[]}", TRUE },
    { "[true,null,false]", FALSE },
    { "[false,null,true]", FALSE },
    { "[false,null,true]", TRUE },
    { "{'q':1}", FALSE },                        /* json-glib's reading, never refilled */
    { "{'q':2}", FALSE },
    { "{\"a\":", FALSE },                        /* refused, and nothing kept */
    { "{\"a\":1}", FALSE },
    { "{\"a\":\"\\ud800\"}", FALSE },
    { "{\"a\":7}", FALSE },
    { "{\"a\":8} x", FALSE },
    { "{\"response\":{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"Hel\"}]}}]}}", FALSE },
    { "{\"response\":{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"lo \\\"you\\\"\"}]}}]}}", TRUE },
    { "{\"response\":{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"!\",\"thought\":true}]}}]}}", FALSE },
  };
  g_autoptr(AgJsonParser) parser = ag_json_parser_new ();
  JsonNode *before = NULL;

  for (gsize i = 0; i < G_N_ELEMENTS (run); i++)
    {
      gsize len = strlen (run[i].text);
      JsonNode *now;

      assert_reused_reads (parser, run[i].text, len);
      now = ag_json_parser_parse_reused (parser, run[i].text, len, NULL);
      /* Read twice: the second reading is always of the same shape. */
      if (now != NULL && before != NULL)
        g_assert_cmpint (now == before, ==, run[i].same_tree);
      before = ag_json_parser_parse_reused (parser, run[i].text, len, NULL);
      if (now != NULL && g_strcmp0 (run[i].text, "{'q':1}") != 0 && g_strcmp0 (run[i].text, "{'q':2}") != 0 &&
          strstr (run[i].text, "\"a\":1,\"a\"") == NULL && strstr (run[i].text, "\"a\":3,\"a\"") == NULL)
        g_assert_true (before == now);
    }
}

/* Every event of the recorded streams in order, as the stream decoder reads them. */
static void
test_reused_fixtures (void)
{
  g_autoptr(AgJsonParser) parser = ag_json_parser_new ();

  for (gsize i = 0; i < ag_test_response_n_fixtures; i++)
    {
      g_autofree char *name = g_strconcat (ag_test_response_fixtures[i].name, ".sse", NULL);
      g_autofree char *sse = ag_test_fixture_load ("response", name, NULL);
      g_auto(GStrv) split = g_strsplit_set (sse, "\r\n", -1);

      for (char **line = split; *line != NULL; line++)
        if (g_str_has_prefix (*line, "data: "))
          assert_reused_reads (parser, *line + 6, strlen (*line + 6));
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/json-parser/fixtures-fast", test_fixtures_fast);
  g_test_add_func ("/json-parser/plain-forms-fast", test_plain_forms_fast);
  g_test_add_func ("/json-parser/outside-goes-to-json-glib", test_outside_goes_to_json_glib);
  g_test_add_func ("/json-parser/reused-run", test_reused_run);
  g_test_add_func ("/json-parser/reused-fixtures", test_reused_fixtures);
  g_test_add_func ("/json-parser/reuse", test_reuse);
  return g_test_run ();
}
