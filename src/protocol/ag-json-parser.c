/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-json-parser.c — most of json-glib's parsing time goes to its GScanner-based tokenizer and the signals it emits
 * per member, not to the tree. This reads the common form straight into the same tree.
 *
 * The fast path accepts only what json-glib's parser accepts and reads the same way, and turns everything else
 * over to it: whitespace is space, tab, LF and CR (no comments, no BOM); strings have no raw control characters,
 * only the escapes \" \\ \/ \b \f \n \r \t and \uXXXX with four hex digits (never U+0000, a surrogate only as a
 * pair), and valid UTF-8 (json-glib validates its whole input); numbers follow RFC 8259 (no leading zeros, which
 * json-glib reads as octal), an integer has at most 18 digits (json-glib reads longer ones as unsigned and casts,
 * which wraps) and one with a fraction or exponent gets the value json-glib's g_strtod gives JSON text (the C-locale
 * reading), the sign applied afterwards as json-glib does; nesting stays under MAX_DEPTH. Members are set with
 * json_object_set_member, as json-glib sets them, so repeated names behave the same. */
#include "ag-json-parser-private.h"
#include "ag-json-cursor.h"

#include <string.h>

#define MAX_DEPTH         64

/* One step of a parsed text's shape, in text order: what ag_json_parser_parse_reused compares the next text with.
 * A scalar step points at the node that holds its value in the kept tree. */
typedef enum {
  STEP_OBJECT_BEGIN, STEP_OBJECT_END, STEP_ARRAY_BEGIN, STEP_ARRAY_END, STEP_NAME,
  STEP_STRING, STEP_INT, STEP_DOUBLE, STEP_TRUE, STEP_FALSE, STEP_NULL,
} StepKind;

typedef struct {
  StepKind  kind;
  guint     name_offset;   /* STEP_NAME: the name in AgJsonParser.names */
  guint     name_len;
  JsonNode *leaf;          /* a scalar step's node */
} Step;

struct _AgJsonParser {
  JsonParser *fallback;
  GString    *scratch;   /* a string being unescaped, or a name or number made NUL-terminated */
  /* parse_reused: the last tree it returned, and its shape (NULL root: nothing to reuse) */
  JsonNode   *kept;
  GArray     *steps;
  GString    *names;
};

typedef struct {
  AgJsonCursor c;
  guint       depth;
  GArray     *steps;     /* when the shape is being recorded */
  GString    *names;
  gboolean    reusable;  /* FALSE once a repeated member name replaced a recorded node */
} Reader;

AgJsonParser *
ag_json_parser_new (void)
{
  AgJsonParser *self = g_new0 (AgJsonParser, 1);

  self->fallback = json_parser_new ();
  self->scratch = g_string_sized_new (256);
  self->steps = g_array_new (FALSE, FALSE, sizeof (Step));
  self->names = g_string_new (NULL);
  return self;
}

void
ag_json_parser_free (AgJsonParser *self)
{
  if (self == NULL)
    return;
  g_object_unref (self->fallback);
  g_string_free (self->scratch, TRUE);
  g_clear_pointer (&self->kept, json_node_unref);
  g_array_unref (self->steps);
  g_string_free (self->names, TRUE);
  g_free (self);
}

static JsonNode *
read_number (Reader *r)
{
  gboolean is_integer;
  gint64 integer_value;
  double double_value;

  if (!ag_json_cursor_number (&r->c, &is_integer, &integer_value, &double_value))
    return NULL;
  return is_integer ? json_node_init_int (json_node_alloc (), integer_value)
                    : json_node_init_double (json_node_alloc (), double_value);
}

/* Shape recording: a no-op unless the reader records. */
static inline void
record (Reader *r, StepKind kind, JsonNode *leaf)
{
  Step step = { kind, 0, 0, leaf };

  if (r->steps != NULL)
    g_array_append_val (r->steps, step);
}

/* Past the opening bracket at r->c.p; *closed when @close follows at once (the container is empty). */
static inline void
open_container (Reader *r, char close, gboolean *closed)
{
  r->c.p++;
  ag_json_cursor_skip_whitespace (&r->c);
  *closed = r->c.p < r->c.end && *r->c.p == close;
  if (*closed)
    r->c.p++;
}

/* After a member or an element: TRUE with *closed when @close ends the container, TRUE at a comma before the next
 * one; FALSE on anything else. */
static inline gboolean
next_or_close (Reader *r, char close, gboolean *closed)
{
  ag_json_cursor_skip_whitespace (&r->c);
  if (r->c.p >= r->c.end)
    return FALSE;
  *closed = *r->c.p == close;
  if (*closed)
    {
      r->c.p++;
      return TRUE;
    }
  if (*r->c.p++ != ',')
    return FALSE;
  ag_json_cursor_skip_whitespace (&r->c);
  return TRUE;
}

static JsonNode *read_value (Reader *r);

/* The object or array at r->c.p. */
static JsonNode *
read_container (Reader *r, gboolean object)
{
  char close = object ? '}' : ']';
  JsonNode *node;
  JsonObject *members = NULL;
  JsonArray *elements = NULL;
  gboolean closed;

  if (object)
    json_node_take_object (node = json_node_init_object (json_node_alloc (), NULL), members = json_object_new ());
  else
    json_node_take_array (node = json_node_init_array (json_node_alloc (), NULL), elements = json_array_new ());
  record (r, object ? STEP_OBJECT_BEGIN : STEP_ARRAY_BEGIN, NULL);
  open_container (r, close, &closed);
  while (!closed)
    {
      /* The value reuses the scratch buffer, so a member's name moves out of it: onto the stack when it is short,
       * as member names are. */
      char short_name[64];
      g_autofree char *long_name = NULL;
      const char *name = NULL;
      JsonNode *value;

      if (object)
        {
          if (r->c.p >= r->c.end || *r->c.p != '"' || !ag_json_cursor_string (&r->c))
            break;
          if (r->c.scratch->len < sizeof short_name)
            name = memcpy (short_name, r->c.scratch->str, r->c.scratch->len + 1);
          else
            name = long_name = g_strndup (r->c.scratch->str, r->c.scratch->len);
          if (r->steps != NULL)
            {
              Step step = { STEP_NAME, (guint) r->names->len, (guint) r->c.scratch->len, NULL };

              g_string_append_len (r->names, r->c.scratch->str, (gssize) r->c.scratch->len);
              g_array_append_val (r->steps, step);
              /* A repeated name replaces the member, and with it nodes the shape points at. */
              if (json_object_has_member (members, name))
                r->reusable = FALSE;
            }
          ag_json_cursor_skip_whitespace (&r->c);
          if (r->c.p >= r->c.end || *r->c.p++ != ':')
            break;
          ag_json_cursor_skip_whitespace (&r->c);
        }
      if ((value = read_value (r)) == NULL)
        break;
      json_node_set_parent (value, node);
      if (object)
        json_object_set_member (members, name, value);
      else
        json_array_add_element (elements, value);
      if (!next_or_close (r, close, &closed))
        break;
    }
  if (!closed)
    {
      json_node_unref (node);
      return NULL;
    }
  record (r, object ? STEP_OBJECT_END : STEP_ARRAY_END, NULL);
  return node;
}

static JsonNode *
read_value (Reader *r)
{
  JsonNode *node = NULL;

  if (r->c.p >= r->c.end)
    return NULL;
  switch (*r->c.p)
    {
    case '{':
    case '[':
      if (r->depth >= MAX_DEPTH)
        return NULL;
      r->depth++;
      node = read_container (r, *r->c.p == '{');
      r->depth--;
      return node;
    case '"':
      if (!ag_json_cursor_string (&r->c))
        return NULL;
      node = json_node_init_string (json_node_alloc (), r->c.scratch->str);
      record (r, STEP_STRING, node);
      return node;
    case 't':
      if (!ag_json_cursor_literal (&r->c, "true", 4))
        return NULL;
      node = json_node_init_boolean (json_node_alloc (), TRUE);
      record (r, STEP_TRUE, node);
      return node;
    case 'f':
      if (!ag_json_cursor_literal (&r->c, "false", 5))
        return NULL;
      node = json_node_init_boolean (json_node_alloc (), FALSE);
      record (r, STEP_FALSE, node);
      return node;
    case 'n':
      if (!ag_json_cursor_literal (&r->c, "null", 4))
        return NULL;
      node = json_node_init_null (json_node_alloc ());
      record (r, STEP_NULL, node);
      return node;
    default:
      if ((node = read_number (r)) != NULL)
        record (r, JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64 ? STEP_INT
                                                                                                  : STEP_DOUBLE, node);
      return node;
    }
}

JsonNode *
ag_json_parser_parse_fast (AgJsonParser *self, const char *data, gsize len)
{
  Reader r = { { data, data + len, self->scratch }, 0, NULL, NULL, TRUE };
  JsonNode *root;

  ag_json_cursor_skip_whitespace (&r.c);
  root = read_value (&r);
  if (root == NULL)
    return NULL;
  ag_json_cursor_skip_whitespace (&r.c);
  if (r.c.p != r.c.end)
    {
      json_node_unref (root);
      return NULL;
    }
  return root;
}

/* A parser lives as long as its stream or server: one huge string (an image) must not keep its buffer forever. */
#define SCRATCH_KEEP_BYTES (64 * 1024)

static void
trim_scratch (AgJsonParser *self)
{
  if (self->scratch->allocated_len > SCRATCH_KEEP_BYTES)
    {
      g_string_free (self->scratch, TRUE);
      self->scratch = g_string_sized_new (256);
    }
}

JsonNode *
ag_json_parser_parse (AgJsonParser *self, const char *data, gsize len, GError **error)
{
  JsonNode *root = ag_json_parser_parse_fast (self, data, len);

  trim_scratch (self);
  if (root != NULL)
    return root;
  if (len > G_MAXSSIZE || !json_parser_load_from_data (self->fallback, data, (gssize) len, error))
    {
      if (len > G_MAXSSIZE)
        g_set_error_literal (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_INVALID_DATA, "JSON text too long");
      return NULL;
    }
  root = json_parser_steal_root (self->fallback);
  if (root == NULL)
    g_set_error_literal (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_INVALID_DATA, "no JSON value");
  return root;
}

/* ── reuse: the next text of the same shape refills the kept tree ─────────────────────────────────────────── */

static gboolean refill_value (AgJsonParser *self, Reader *r, guint *i);

static inline gboolean
expect_step (AgJsonParser *self, guint *i, StepKind kind)
{
  if (*i >= self->steps->len || g_array_index (self->steps, Step, *i).kind != kind)
    return FALSE;
  (*i)++;
  return TRUE;
}

static gboolean
refill_container (AgJsonParser *self, Reader *r, guint *i, gboolean object)
{
  char close = object ? '}' : ']';

  gboolean closed;

  if (!expect_step (self, i, object ? STEP_OBJECT_BEGIN : STEP_ARRAY_BEGIN))
    return FALSE;
  open_container (r, close, &closed);
  while (!closed)
    {
      if (object)
        {
          const Step *name;

          if (*i >= self->steps->len || (name = &g_array_index (self->steps, Step, *i))->kind != STEP_NAME ||
              r->c.p >= r->c.end || *r->c.p != '"' || !ag_json_cursor_string (&r->c) ||
              r->c.scratch->len != name->name_len ||
              memcmp (r->c.scratch->str, self->names->str + name->name_offset, name->name_len) != 0)
            return FALSE;
          (*i)++;
          ag_json_cursor_skip_whitespace (&r->c);
          if (r->c.p >= r->c.end || *r->c.p++ != ':')
            return FALSE;
          ag_json_cursor_skip_whitespace (&r->c);
        }
      if (!refill_value (self, r, i) || !next_or_close (r, close, &closed))
        return FALSE;
    }
  return expect_step (self, i, object ? STEP_OBJECT_END : STEP_ARRAY_END);
}

/* Reads the value at r->c.p in step with the kept shape from step *i, writing each scalar into its kept node. FALSE
 * as soon as the text leaves the shape (the tree is then half written and must be dropped). The shape was
 * recorded under MAX_DEPTH, and a text that follows it goes no deeper. */
static gboolean
refill_value (AgJsonParser *self, Reader *r, guint *i)
{
  Step *step;
  gboolean is_integer;
  gint64 integer_value;
  double double_value;

  if (r->c.p >= r->c.end || *i >= self->steps->len)
    return FALSE;
  step = &g_array_index (self->steps, Step, *i);
  switch (*r->c.p)
    {
    case '{':
    case '[':
      return refill_container (self, r, i, *r->c.p == '{');
    case '"':
      if (step->kind != STEP_STRING || !ag_json_cursor_string (&r->c))
        return FALSE;
      json_node_set_string (step->leaf, r->c.scratch->str);
      break;
    case 't':
      if (step->kind != STEP_TRUE || !ag_json_cursor_literal (&r->c, "true", 4))
        return FALSE;
      break;
    case 'f':
      if (step->kind != STEP_FALSE || !ag_json_cursor_literal (&r->c, "false", 5))
        return FALSE;
      break;
    case 'n':
      if (step->kind != STEP_NULL || !ag_json_cursor_literal (&r->c, "null", 4))
        return FALSE;
      break;
    default:
      if (!ag_json_cursor_number (&r->c, &is_integer, &integer_value, &double_value) ||
          step->kind != (is_integer ? STEP_INT : STEP_DOUBLE))
        return FALSE;
      if (is_integer)
        json_node_set_int (step->leaf, integer_value);
      else
        json_node_set_double (step->leaf, double_value);
      break;
    }
  (*i)++;
  return TRUE;
}

static void
drop_kept (AgJsonParser *self)
{
  g_clear_pointer (&self->kept, json_node_unref);
  g_array_set_size (self->steps, 0);
  g_string_truncate (self->names, 0);
}

JsonNode *
ag_json_parser_parse_reused (AgJsonParser *self, const char *data, gsize len, GError **error)
{
  Reader r = { { data, data + len, self->scratch }, 0, self->steps, self->names, TRUE };
  JsonNode *root;

  if (self->kept != NULL && self->steps->len > 0)
    {
      Reader refill = { { data, data + len, self->scratch }, 0, NULL, NULL, TRUE };
      guint i = 0;

      ag_json_cursor_skip_whitespace (&refill.c);
      if (refill_value (self, &refill, &i))
        {
          ag_json_cursor_skip_whitespace (&refill.c);
          if (refill.c.p == refill.c.end && i == self->steps->len)
            return self->kept;
        }
    }
  drop_kept (self);
  ag_json_cursor_skip_whitespace (&r.c);
  root = read_value (&r);
  ag_json_cursor_skip_whitespace (&r.c);
  if (root != NULL && r.c.p == r.c.end)
    {
      if (!r.reusable)
        {
          g_array_set_size (self->steps, 0);
          g_string_truncate (self->names, 0);
        }
      trim_scratch (self);
      self->kept = root;
      return self->kept;
    }
  g_clear_pointer (&root, json_node_unref);
  g_array_set_size (self->steps, 0);
  g_string_truncate (self->names, 0);
  /* Outside the fast form: json-glib reads it, and the next text is parsed afresh. */
  self->kept = ag_json_parser_parse (self, data, len, error);
  return self->kept;
}
