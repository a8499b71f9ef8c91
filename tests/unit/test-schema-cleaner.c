/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "ag-schema-cleaner.h"
#include "ag-test.h"

typedef struct {
  const char   *name;
  AgModelFamily family;
  const char   *input;     /* NULL: no schema at all */
  const char   *expected;
} CleanerCase;

static const CleanerCase cases[] = {
  { "missing-claude", AG_MODEL_FAMILY_CLAUDE, NULL, "{\"type\":\"object\",\"properties\":{}}" },
  { "missing-gemini", AG_MODEL_FAMILY_GEMINI, NULL, "{\"type\":\"object\"}" },
  { "not-an-object", AG_MODEL_FAMILY_GEMINI, "[1,2]", "{\"type\":\"object\"}" },
  { "scalar-top-becomes-object", AG_MODEL_FAMILY_GEMINI, "{\"type\":\"string\",\"enum\":[\"a\"]}",
    "{\"type\":\"object\"}" },
  /* What Claude Code sends: draft-07 keys, additionalProperties, propertyNames, exclusiveMinimum, defaults. */
  { "claude-code-keys", AG_MODEL_FAMILY_CLAUDE,
    "{\"$schema\":\"http://json-schema.org/draft-07/schema#\",\"type\":\"object\",\"additionalProperties\":false,"
    "\"properties\":{\"timeout\":{\"type\":\"number\",\"exclusiveMinimum\":0,\"description\":\"ms\"},"
    "\"env\":{\"type\":\"object\",\"propertyNames\":{\"pattern\":\"^[A-Z]+$\"},\"additionalProperties\":{\"type\":\"string\"}},"
    "\"mode\":{\"type\":\"string\",\"default\":\"fast\",\"examples\":[\"fast\"],\"$id\":\"m\",\"title\":\"Mode\"}},"
    "\"required\":[\"timeout\",\"ghost\"]}",
    "{\"type\":\"object\",\"properties\":{"
    "\"timeout\":{\"type\":\"number\",\"description\":\"ms (exclusiveMinimum: 0)\"},"
    "\"env\":{\"type\":\"object\",\"properties\":{}},"
    "\"mode\":{\"type\":\"string\",\"description\":\"(default: fast)\"}},"
    "\"required\":[\"timeout\"]}" },
  { "empty-properties-gemini", AG_MODEL_FAMILY_GEMINI,
    "{\"type\":\"object\",\"properties\":{\"opts\":{\"type\":\"object\",\"properties\":{}}}}",
    "{\"type\":\"object\",\"properties\":{\"opts\":{\"type\":\"object\"}}}" },
  { "const-to-enum", AG_MODEL_FAMILY_GEMINI,
    "{\"type\":\"object\",\"properties\":{\"kind\":{\"const\":\"file\"},\"n\":{\"const\":3}}}",
    "{\"type\":\"object\",\"properties\":{\"kind\":{\"type\":\"string\",\"enum\":[\"file\"]},"
    "\"n\":{\"type\":\"string\",\"enum\":[\"3\"]}}}" },
  { "enum-stringified", AG_MODEL_FAMILY_GEMINI,
    "{\"type\":\"object\",\"properties\":{\"level\":{\"type\":\"integer\",\"enum\":[1,2.5,true,null,\"x\",{}]}}}",
    "{\"type\":\"object\",\"properties\":{\"level\":{\"type\":\"string\",\"enum\":[\"1\",\"2.5\",\"true\",\"x\"]}}}" },
  { "type-array-nullable", AG_MODEL_FAMILY_GEMINI,
    "{\"type\":\"object\",\"properties\":{\"path\":{\"type\":[\"string\",\"null\"],\"description\":\"a path\"},"
    "\"n\":{\"type\":[\"null\",\"integer\"]}},\"required\":[\"path\",\"n\"]}",
    "{\"type\":\"object\",\"properties\":{\"path\":{\"type\":\"string\",\"description\":\"a path (nullable)\"},"
    "\"n\":{\"type\":\"integer\",\"description\":\"(nullable)\"}}}" },
  { "any-of-flattened", AG_MODEL_FAMILY_CLAUDE,
    "{\"type\":\"object\",\"properties\":{"
    "\"value\":{\"anyOf\":[{\"type\":\"string\"},{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"string\"}}},"
    "{\"type\":\"null\"}],\"description\":\"v\"},"
    "\"opt\":{\"oneOf\":[{\"type\":\"null\"},{\"type\":\"boolean\"}]}},\"required\":[\"value\",\"opt\"]}",
    "{\"type\":\"object\",\"properties\":{"
    "\"value\":{\"type\":\"object\",\"description\":\"v (Accepts: string | object, nullable)\","
    "\"properties\":{\"a\":{\"type\":\"string\"}}},"
    "\"opt\":{\"type\":\"boolean\",\"description\":\"(nullable)\"}}}" },
  { "all-of-merged", AG_MODEL_FAMILY_GEMINI,
    "{\"allOf\":[{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"string\"}},\"required\":[\"a\"]},"
    "{\"properties\":{\"b\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":9}},\"required\":[\"b\"]}]}",
    "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"string\"},"
    "\"b\":{\"type\":\"integer\",\"description\":\"(minimum: 1, maximum: 9)\"}},\"required\":[\"a\",\"b\"]}" },
  { "ref-inlined", AG_MODEL_FAMILY_GEMINI,
    "{\"type\":\"object\",\"$defs\":{\"Point\":{\"type\":\"object\",\"properties\":{\"x\":{\"type\":\"number\"}},"
    "\"required\":[\"x\"]}},\"definitions\":{\"Name\":{\"type\":\"string\",\"minLength\":1}},"
    "\"properties\":{\"at\":{\"$ref\":\"#/$defs/Point\",\"description\":\"where\"},"
    "\"who\":{\"$ref\":\"#/definitions/Name\"},\"ext\":{\"$ref\":\"https://example.com/s.json\"},"
    "\"gone\":{\"$ref\":\"#/$defs/Missing\"}}}",
    "{\"type\":\"object\",\"properties\":{"
    "\"at\":{\"type\":\"object\",\"description\":\"where\",\"properties\":{\"x\":{\"type\":\"number\"}},\"required\":[\"x\"]},"
    "\"who\":{\"type\":\"string\",\"description\":\"(minLength: 1)\"},"
    "\"ext\":{\"type\":\"object\",\"description\":\"See: https://example.com/s.json\"},"
    "\"gone\":{\"type\":\"object\",\"description\":\"See: Missing\"}}}" },
  { "recursive-ref", AG_MODEL_FAMILY_GEMINI,
    "{\"$ref\":\"#/$defs/Node\",\"$defs\":{\"Node\":{\"type\":\"object\",\"properties\":{"
    "\"name\":{\"type\":\"string\"},\"children\":{\"type\":\"array\",\"items\":{\"$ref\":\"#/$defs/Node\"}}}}}}",
    "{\"type\":\"object\",\"properties\":{\"name\":{\"type\":\"string\"},"
    "\"children\":{\"type\":\"array\",\"items\":{\"type\":\"object\",\"description\":\"See: Node\"}}}}" },
  /* Found by fuzz-schema-cleaner: a cleaned schema must clean to itself, so for Claude an unresolved $ref is an
   * object with properties like every other object. */
  { "unresolved-ref-claude", AG_MODEL_FAMILY_CLAUDE,
    "{\"type\":\"object\",\"properties\":{\"gone\":{\"$ref\":\"#/$defs/Missing\"}}}",
    "{\"type\":\"object\",\"properties\":{\"gone\":{\"type\":\"object\",\"description\":\"See: Missing\","
    "\"properties\":{}}}}" },
  { "formats", AG_MODEL_FAMILY_GEMINI,
    "{\"type\":\"object\",\"properties\":{\"when\":{\"type\":\"string\",\"format\":\"date-time\"},"
    "\"url\":{\"type\":\"string\",\"format\":\"uri\"},\"big\":{\"type\":\"INTEGER\",\"format\":\"int64\"}}}",
    "{\"type\":\"object\",\"properties\":{\"when\":{\"type\":\"string\",\"format\":\"date-time\"},"
    "\"url\":{\"type\":\"string\",\"description\":\"(format: uri)\"},"
    "\"big\":{\"type\":\"integer\",\"description\":\"(format: int64)\"}}}" },
  { "arrays", AG_MODEL_FAMILY_GEMINI,
    "{\"type\":\"object\",\"properties\":{\"tags\":{\"type\":\"array\",\"items\":{\"type\":\"string\",\"x-ui\":1},"
    "\"minItems\":1,\"uniqueItems\":true},\"pair\":{\"type\":\"array\",\"items\":[{\"type\":\"number\"},{\"type\":\"string\"}]}}}",
    "{\"type\":\"object\",\"properties\":{\"tags\":{\"type\":\"array\",\"description\":\"(minItems: 1, uniqueItems: true)\","
    "\"items\":{\"type\":\"string\"}},\"pair\":{\"type\":\"array\",\"items\":{\"type\":\"number\"}}}}" },
  { "hostile-values", AG_MODEL_FAMILY_GEMINI,
    "{\"type\":\"object\",\"properties\":{\"a\":true,\"b\":null,\"c\":{\"type\":7,\"description\":5},"
    "\"d\":{\"properties\":{\"e\":{}}}},\"required\":\"a\"}",
    "{\"type\":\"object\",\"properties\":{\"c\":{},\"d\":{\"type\":\"object\",\"properties\":{\"e\":{}}}}}" },
};

static void
test_case (gconstpointer data)
{
  const CleanerCase *c = data;
  g_autoptr(JsonNode) input = c->input != NULL ? ag_test_parse_json_text (c->input) : NULL;
  g_autoptr(JsonNode) expected = ag_test_parse_json_text (c->expected);
  g_autoptr(JsonNode) input_copy = input != NULL ? json_node_copy (input) : NULL;
  g_autoptr(JsonNode) cleaned = ag_schema_clean (input, c->family);

  ag_test_assert_json_equal (cleaned, expected);
  /* The input is never modified. */
  if (input != NULL)
    ag_test_assert_json_equal (input, input_copy);
}

static JsonNode *
nested_schema (guint depth)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < depth; i++)
    g_string_append (text, "{\"type\":\"object\",\"properties\":{\"n\":");
  g_string_append (text, "{\"type\":\"string\"}");
  for (guint i = 0; i < depth; i++)
    g_string_append (text, "}}");
  return ag_test_parse_json_text (text->str);
}

static guint
depth_of (JsonObject *schema)
{
  JsonObject *properties = json_object_has_member (schema, "properties")
                           ? json_object_get_object_member (schema, "properties") : NULL;

  if (properties == NULL || !json_object_has_member (properties, "n"))
    return 0;
  return 1 + depth_of (json_object_get_object_member (properties, "n"));
}

static void
test_deep_nesting_cut (void)
{
  g_autoptr(JsonNode) shallow = nested_schema (10);
  g_autoptr(JsonNode) deep = nested_schema (500);
  g_autoptr(JsonNode) shallow_clean = ag_schema_clean (shallow, AG_MODEL_FAMILY_GEMINI);
  g_autoptr(JsonNode) deep_clean = ag_schema_clean (deep, AG_MODEL_FAMILY_GEMINI);

  g_assert_cmpuint (depth_of (json_node_get_object (shallow_clean)), ==, 10);
  g_assert_cmpuint (depth_of (json_node_get_object (deep_clean)), <=, 33);
}

/* A small $defs graph where every definition references the next one twice expands to 2^n nodes when inlined
 * naively; the cleaner must stop inlining and still finish quickly. */
static void
test_ref_explosion_bounded (void)
{
  g_autoptr(GString) text = g_string_new ("{\"$ref\":\"#/$defs/D0\",\"$defs\":{");
  g_autoptr(JsonNode) schema = NULL;
  g_autoptr(JsonNode) cleaned = NULL;
  g_autofree char *out = NULL;

  for (guint i = 0; i < 30; i++)
    g_string_append_printf (text, "%s\"D%u\":{\"type\":\"object\",\"properties\":{\"l\":{\"$ref\":\"#/$defs/D%u\"},"
                            "\"r\":{\"$ref\":\"#/$defs/D%u\"}}}", i > 0 ? "," : "", i, i + 1, i + 1);
  g_string_append (text, ",\"D30\":{\"type\":\"string\"}}}");
  schema = ag_test_parse_json_text (text->str);
  cleaned = ag_schema_clean (schema, AG_MODEL_FAMILY_CLAUDE);
  out = json_to_string (cleaned, FALSE);
  g_assert_cmpuint (strlen (out), <, 1024 * 1024);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (cleaned), "type"), ==, "object");
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/schema-cleaner/%s", cases[i].name);
      g_test_add_data_func (path, &cases[i], test_case);
    }
  g_test_add_func ("/schema-cleaner/deep-nesting", test_deep_nesting_cut);
  g_test_add_func ("/schema-cleaner/ref-explosion", test_ref_explosion_bounded);
  return g_test_run ();
}
