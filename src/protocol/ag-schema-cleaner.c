/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "ag-schema-cleaner.h"
#include "ag-json.h"

#include <string.h>

/* Follows docs/upstream-cloudcode.md#schema-cleaning: the gateway validates every tool schema (Claude too) against the
 * Gemini
 * protobuf Schema subset, so only type, description, properties, required, items, enum and a few string
 * formats survive. Types stay lowercase JSON Schema (as Antigravity-Manager and CLIProxyAPI send them).
 * Constraints that have no place in that subset become description hints, so the model still sees them. */

/* Hostile schemas: nesting deeper than this is cut, and $ref inlining stops after this many nodes
 * (a small $defs graph can otherwise expand exponentially). */
#define MAX_DEPTH 32
#define MAX_INLINED_NODES 4096

typedef struct {
  AgModelFamily family;
  JsonObject   *defs;         /* merged $defs and definitions of the root, nullable */
  GPtrArray    *ref_stack;    /* $ref names being expanded, to stop recursion */
  guint         inlined_nodes;
} CleanContext;

static JsonObject *clean_schema (CleanContext *ctx, JsonObject *schema, guint depth, gboolean *nullable);

static const char * const hint_keys[] = {
  "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf",
  "minLength", "maxLength", "pattern", "minItems", "maxItems", "uniqueItems",
  "minProperties", "maxProperties", "default",
};

static const char * const kept_string_formats[] = { "date-time", "enum" };

static gboolean
node_is_object (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_OBJECT (node);
}

/* A scalar as text for enums and hints; NULL for null, objects and arrays. */
static char *
scalar_to_string (JsonNode *node)
{
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return NULL;
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      return g_strdup (json_node_get_string (node));
    case G_TYPE_INT64:
      return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
    case G_TYPE_DOUBLE:
      {
        char buffer[G_ASCII_DTOSTR_BUF_SIZE];
        return g_strdup (g_ascii_dtostr (buffer, sizeof buffer, json_node_get_double (node)));
      }
    case G_TYPE_BOOLEAN:
      return g_strdup (json_node_get_boolean (node) ? "true" : "false");
    default:
      return NULL;
    }
}

/* Copies every member of @source into @target unless @target already has it. */
static void
copy_missing_members (JsonObject *target, JsonObject *source, const char *skip)
{
  g_autoptr(GList) members = source != NULL ? json_object_get_members (source) : NULL;

  for (GList *l = members; l != NULL; l = l->next)
    if (g_strcmp0 (l->data, skip) != 0 && !json_object_has_member (target, l->data))
      json_object_set_member (target, l->data, json_object_dup_member (source, l->data));
}

static guint
count_nodes (JsonNode *node)
{
  guint count = 1;

  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);
      g_autoptr(GList) members = json_object_get_members (object);
      for (GList *l = members; l != NULL; l = l->next)
        count += count_nodes (json_object_get_member (object, l->data));
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      for (guint i = 0; i < json_array_get_length (array); i++)
        count += count_nodes (json_array_get_element (array, i));
    }
  return count;
}

static const char *
ref_name (const char *ref)
{
  if (g_str_has_prefix (ref, "#/$defs/"))
    return ref + strlen ("#/$defs/");
  if (g_str_has_prefix (ref, "#/definitions/"))
    return ref + strlen ("#/definitions/");
  return NULL;
}

/* Replaces a $ref by a copy of its definition under the referring schema's own keys; NULL when the reference
 * cannot (or must not, being recursive or too large) be inlined. */
static JsonObject *
resolve_ref (CleanContext *ctx, JsonObject *schema, const char *name)
{
  JsonObject *def;
  JsonObject *merged;

  if (name == NULL || ctx->defs == NULL || (def = ag_json_object (ctx->defs, name)) == NULL)
    return NULL;
  for (guint i = 0; i < ctx->ref_stack->len; i++)
    if (g_str_equal (ctx->ref_stack->pdata[i], name))
      return NULL;
  ctx->inlined_nodes += count_nodes (json_object_get_member (ctx->defs, name));
  if (ctx->inlined_nodes > MAX_INLINED_NODES)
    return NULL;

  merged = json_object_new ();
  copy_missing_members (merged, schema, "$ref");
  copy_missing_members (merged, def, NULL);
  return merged;
}

/* allOf: properties and required are unioned, any other key is taken from the first schema that has it. */
static JsonObject *
merge_all_of (CleanContext *ctx, JsonObject *schema, JsonArray *all_of)
{
  JsonObject *merged = json_object_new ();
  g_autoptr(JsonObject) properties = json_object_new ();
  g_autoptr(JsonArray) required = json_array_new ();
  g_autoptr(GPtrArray) sources = g_ptr_array_new ();
  g_autoptr(GPtrArray) resolved = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);

  g_ptr_array_add (sources, schema);
  for (guint i = 0; i < json_array_get_length (all_of); i++)
    {
      JsonObject *branch;
      const char *ref;
      JsonObject *inlined;

      if (!node_is_object (json_array_get_element (all_of, i)))
        continue;
      branch = json_array_get_object_element (all_of, i);
      ref = ag_json_string (branch, "$ref");
      inlined = ref != NULL ? resolve_ref (ctx, branch, ref_name (ref)) : NULL;
      if (inlined != NULL)
        {
          g_ptr_array_add (resolved, inlined);
          branch = inlined;
        }
      g_ptr_array_add (sources, branch);
    }

  for (guint s = 0; s < sources->len; s++)
    {
      JsonObject *source = sources->pdata[s];
      JsonObject *source_properties = ag_json_object (source, "properties");
      JsonArray *source_required = ag_json_array (source, "required");
      g_autoptr(GList) members = json_object_get_members (source);

      for (GList *l = members; l != NULL; l = l->next)
        if (!g_str_equal (l->data, "allOf") && !g_str_equal (l->data, "properties") &&
            !g_str_equal (l->data, "required") && !json_object_has_member (merged, l->data))
          json_object_set_member (merged, l->data, json_object_dup_member (source, l->data));
      if (source_properties != NULL)
        copy_missing_members (properties, source_properties, NULL);
      for (guint i = 0; source_required != NULL && i < json_array_get_length (source_required); i++)
        json_array_add_element (required, json_node_copy (json_array_get_element (source_required, i)));
    }
  json_object_set_object_member (merged, "properties", g_steal_pointer (&properties));
  json_object_set_array_member (merged, "required", g_steal_pointer (&required));
  return merged;
}

static gboolean
is_null_schema (JsonObject *branch)
{
  const char *type = ag_json_string (branch, "type");
  return type != NULL && g_ascii_strcasecmp (type, "null") == 0;
}

/* Ranks anyOf/oneOf branches the way docs/upstream-cloudcode.md#schema-cleaning does: object > array > scalar. */
static int
branch_rank (JsonObject *branch)
{
  const char *type = ag_json_string (branch, "type");

  if ((type != NULL && g_ascii_strcasecmp (type, "object") == 0) || json_object_has_member (branch, "properties"))
    return 3;
  if ((type != NULL && g_ascii_strcasecmp (type, "array") == 0) || json_object_has_member (branch, "items"))
    return 2;
  return 1;
}

/* anyOf/oneOf: the best non-null branch replaces the union (the schema's own keys win); a null branch makes
 * the result nullable and several alternatives leave an "Accepts: a | b" hint. */
static JsonObject *
flatten_union (JsonObject *schema, JsonArray *branches, gboolean *nullable, GPtrArray *hints)
{
  JsonObject *best = NULL;
  int best_rank = 0;
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  JsonObject *merged;

  for (guint i = 0; i < json_array_get_length (branches); i++)
    {
      JsonObject *branch;
      const char *type;
      int rank;

      if (!node_is_object (json_array_get_element (branches, i)))
        continue;
      branch = json_array_get_object_element (branches, i);
      if (is_null_schema (branch))
        {
          *nullable = TRUE;
          continue;
        }
      rank = branch_rank (branch);
      type = ag_json_string (branch, "type");
      g_ptr_array_add (names, (gpointer) (type != NULL ? type : rank == 3 ? "object" : rank == 2 ? "array" : "value"));
      if (rank > best_rank)
        {
          best = branch;
          best_rank = rank;
        }
    }
  if (names->len > 1)
    {
      g_autofree char *joined = NULL;

      g_ptr_array_add (names, NULL);
      joined = g_strjoinv (" | ", (char **) names->pdata);
      g_ptr_array_add (hints, g_strconcat ("Accepts: ", joined, NULL));
    }

  merged = json_object_new ();
  copy_missing_members (merged, schema, "anyOf");
  json_object_remove_member (merged, "oneOf");
  copy_missing_members (merged, best, NULL);
  return merged;
}

/* "type": a string (lowercased) or an array whose first non-null entry wins; "null" marks it nullable. */
static char *
clean_type (JsonNode *type_node, gboolean *nullable)
{
  if (type_node == NULL)
    return NULL;
  if (JSON_NODE_HOLDS_ARRAY (type_node))
    {
      JsonArray *types = json_node_get_array (type_node);
      char *chosen = NULL;

      for (guint i = 0; i < json_array_get_length (types); i++)
        {
          g_autofree char *type = scalar_to_string (json_array_get_element (types, i));
          if (type == NULL)
            continue;
          if (g_ascii_strcasecmp (type, "null") == 0)
            *nullable = TRUE;
          else if (chosen == NULL)
            chosen = g_ascii_strdown (type, -1);
        }
      return chosen;
    }
  if (JSON_NODE_HOLDS_VALUE (type_node) && json_node_get_value_type (type_node) == G_TYPE_STRING)
    {
      if (g_ascii_strcasecmp (json_node_get_string (type_node), "null") == 0)
        {
          *nullable = TRUE;
          return NULL;
        }
      return g_ascii_strdown (json_node_get_string (type_node), -1);
    }
  return NULL;
}

/* Gemini only takes string enums: every scalar becomes its text, null and composite values are dropped. */
static JsonArray *
clean_enum (JsonArray *values)
{
  JsonArray *strings = json_array_new ();

  for (guint i = 0; i < json_array_get_length (values); i++)
    {
      g_autofree char *text = scalar_to_string (json_array_get_element (values, i));
      if (text != NULL)
        json_array_add_string_element (strings, text);
    }
  return strings;
}

static void
collect_hints (JsonObject *schema, GPtrArray *hints)
{
  for (gsize i = 0; i < G_N_ELEMENTS (hint_keys); i++)
    {
      g_autofree char *value = scalar_to_string (json_object_get_member (schema, hint_keys[i]));
      if (value != NULL)
        g_ptr_array_add (hints, g_strdup_printf ("%s: %s", hint_keys[i], value));
    }
}

static gboolean
format_is_kept (const char *type, const char *format)
{
  if (g_strcmp0 (type, "string") != 0 || format == NULL)
    return FALSE;
  for (gsize i = 0; i < G_N_ELEMENTS (kept_string_formats); i++)
    if (g_str_equal (format, kept_string_formats[i]))
      return TRUE;
  return FALSE;
}

static void
clean_properties (CleanContext *ctx, JsonObject *out, JsonObject *properties, JsonArray *required, guint depth)
{
  g_autoptr(JsonObject) cleaned = json_object_new ();
  g_autoptr(JsonArray) kept_required = json_array_new ();
  g_autoptr(GHashTable) nullable_names = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) seen_required = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GList) members = properties != NULL ? json_object_get_members (properties) : NULL;

  for (GList *l = members; l != NULL; l = l->next)
    {
      JsonNode *property = json_object_get_member (properties, l->data);
      gboolean nullable = FALSE;
      JsonObject *clean;

      if (!node_is_object (property))
        continue;
      clean = clean_schema (ctx, json_node_get_object (property), depth + 1, &nullable);
      json_object_set_object_member (cleaned, l->data, clean);
      if (nullable)
        g_hash_table_add (nullable_names, l->data);
    }

  /* Required entries must name a property; nullable ones are optional in Gemini's model. */
  for (guint i = 0; required != NULL && i < json_array_get_length (required); i++)
    {
      JsonNode *entry = json_array_get_element (required, i);
      const char *name;

      if (!JSON_NODE_HOLDS_VALUE (entry) || json_node_get_value_type (entry) != G_TYPE_STRING)
        continue;
      name = json_node_get_string (entry);
      if (json_object_has_member (cleaned, name) && !g_hash_table_contains (nullable_names, name) &&
          !g_hash_table_contains (seen_required, name))
        {
          g_hash_table_add (seen_required, (gpointer) name);
          json_array_add_string_element (kept_required, name);
        }
    }

  /* Gemini rejects an OBJECT with an empty properties map; Claude takes the plain JSON Schema form. */
  if (json_object_get_size (cleaned) > 0 || ctx->family == AG_MODEL_FAMILY_CLAUDE)
    json_object_set_object_member (out, "properties", g_steal_pointer (&cleaned));
  if (json_array_get_length (kept_required) > 0)
    json_object_set_array_member (out, "required", g_steal_pointer (&kept_required));
}

static void
set_description (JsonObject *out, const char *description, GPtrArray *hints)
{
  g_autoptr(GString) text = g_string_new (description);

  if (hints->len > 0)
    {
      g_ptr_array_add (hints, NULL);
      g_autofree char *joined = g_strjoinv (", ", (char **) hints->pdata);
      g_ptr_array_remove_index (hints, hints->len - 1);
      if (text->len > 0)
        g_string_append_c (text, ' ');
      g_string_append_printf (text, "(%s)", joined);
    }
  if (text->len > 0)
    json_object_set_string_member (out, "description", text->str);
}

/* A $ref that cannot be inlined keeps a loose shape but tells the model what was meant (as
 * docs/upstream-cloudcode.md#schema-cleaning describes);
 * for Claude it is an object schema like any other, with its (empty) properties. */
static JsonObject *
unresolved_ref (CleanContext *ctx, JsonObject *schema, const char *ref)
{
  JsonObject *out = json_object_new ();
  const char *name = ref_name (ref);
  const char *description = ag_json_string (schema, "description");
  g_autofree char *see = g_strdup_printf ("See: %s", name != NULL ? name : ref);

  json_object_set_string_member (out, "type", "object");
  json_object_set_string_member (out, "description", description != NULL ? description : see);
  if (ctx->family == AG_MODEL_FAMILY_CLAUDE)
    json_object_set_object_member (out, "properties", json_object_new ());
  return out;
}

/* Builds the cleaned form of a schema that has no $ref, allOf, anyOf or oneOf left. */
static JsonObject *
build_schema (CleanContext *ctx, JsonObject *schema, guint depth, gboolean *nullable, GPtrArray *hints)
{
  JsonObject *out = json_object_new ();
  g_autoptr(JsonArray) enum_values = NULL;
  g_autofree char *type = clean_type (json_object_get_member (schema, "type"), nullable);
  const char *format = ag_json_string (schema, "format");
  JsonNode *items;

  if (json_object_has_member (schema, "const"))
    {
      g_autofree char *value = scalar_to_string (json_object_get_member (schema, "const"));
      enum_values = json_array_new ();
      if (value != NULL)
        json_array_add_string_element (enum_values, value);
    }
  else if (ag_json_array (schema, "enum") != NULL)
    enum_values = clean_enum (ag_json_array (schema, "enum"));
  if (enum_values != NULL && json_array_get_length (enum_values) == 0)
    g_clear_pointer (&enum_values, json_array_unref);
  if (enum_values != NULL)
    {
      g_free (type);
      type = g_strdup ("string");  /* the gateway accepts enum only on strings */
    }
  else if (type == NULL && ag_json_object (schema, "properties") != NULL)
    type = g_strdup ("object");

  if (type != NULL)
    json_object_set_string_member (out, "type", type);
  if (format != NULL && !format_is_kept (type, format))
    g_ptr_array_add (hints, g_strdup_printf ("format: %s", format));
  collect_hints (schema, hints);
  if (*nullable)
    g_ptr_array_add (hints, g_strdup ("nullable"));
  set_description (out, ag_json_string (schema, "description"), hints);
  if (format_is_kept (type, format))
    json_object_set_string_member (out, "format", format);

  if (g_strcmp0 (type, "object") == 0)
    clean_properties (ctx, out, ag_json_object (schema, "properties"), ag_json_array (schema, "required"), depth);

  items = json_object_get_member (schema, "items");
  if (items != NULL && JSON_NODE_HOLDS_ARRAY (items) && json_array_get_length (json_node_get_array (items)) > 0)
    items = json_array_get_element (json_node_get_array (items), 0);  /* tuple form: the first item's schema */
  if (g_strcmp0 (type, "array") == 0 && node_is_object (items))
    {
      gboolean item_nullable = FALSE;
      json_object_set_object_member (out, "items",
                                     clean_schema (ctx, json_node_get_object (items), depth + 1, &item_nullable));
    }
  if (enum_values != NULL)
    json_object_set_array_member (out, "enum", g_steal_pointer (&enum_values));
  return out;
}

/* Cleans one schema object; *nullable reports a null alternative (the caller drops it from "required").
 * $ref, allOf and anyOf/oneOf are rewritten first, repeatedly, since each may produce the others. */
static JsonObject *
clean_schema (CleanContext *ctx, JsonObject *schema, guint depth, gboolean *nullable)
{
  g_autoptr(JsonObject) rewritten = NULL;
  g_autoptr(GPtrArray) hints = g_ptr_array_new_with_free_func (g_free);
  guint pushed_refs = 0;
  JsonObject *out = NULL;

  while (out == NULL)
    {
      const char *ref = ag_json_string (schema, "$ref");
      JsonArray *branches = ag_json_array (schema, "anyOf");
      JsonObject *next = NULL;

      if (branches == NULL)
        branches = ag_json_array (schema, "oneOf");

      if (depth > MAX_DEPTH)
        out = json_object_new ();
      else if (ref != NULL)
        {
          next = resolve_ref (ctx, schema, ref_name (ref));
          if (next == NULL)
            {
              out = unresolved_ref (ctx, schema, ref);
              continue;
            }
          g_ptr_array_add (ctx->ref_stack, g_strdup (ref_name (ref)));
          pushed_refs++;
        }
      else if (ag_json_array (schema, "allOf") != NULL)
        next = merge_all_of (ctx, schema, ag_json_array (schema, "allOf"));
      else if (branches != NULL)
        next = flatten_union (schema, branches, nullable, hints);
      else
        out = build_schema (ctx, schema, depth, nullable, hints);

      if (out == NULL)
        {
          g_clear_pointer (&rewritten, json_object_unref);
          schema = rewritten = next;
          depth++;
        }
    }

  g_ptr_array_remove_range (ctx->ref_stack, ctx->ref_stack->len - pushed_refs, pushed_refs);
  return out;
}

JsonNode *
ag_schema_clean (JsonNode *schema, AgModelFamily family)
{
  CleanContext ctx = { .family = family };
  g_autoptr(JsonObject) defs = json_object_new ();
  g_autoptr(GPtrArray) ref_stack = g_ptr_array_new_with_free_func (g_free);
  JsonObject *root = node_is_object (schema) ? json_node_get_object (schema) : NULL;
  gboolean nullable = FALSE;
  JsonObject *clean;
  JsonNode *result;

  if (root != NULL)
    {
      copy_missing_members (defs, ag_json_object (root, "$defs"), NULL);
      copy_missing_members (defs, ag_json_object (root, "definitions"), NULL);
    }
  ctx.defs = defs;
  ctx.ref_stack = ref_stack;

  if (root != NULL)
    clean = clean_schema (&ctx, root, 0, &nullable);
  else
    clean = json_object_new ();

  /* Function parameters are always an object schema. */
  if (g_strcmp0 (ag_json_string (clean, "type"), "object") != 0)
    {
      json_object_remove_member (clean, "enum");
      json_object_remove_member (clean, "items");
      json_object_remove_member (clean, "format");
      json_object_set_string_member (clean, "type", "object");
      if (family == AG_MODEL_FAMILY_CLAUDE && !json_object_has_member (clean, "properties"))
        json_object_set_object_member (clean, "properties", json_object_new ());
    }

  result = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (result, clean);
  return result;
}
