/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-event-writer.h — builds one client event of fixed shape, either as an SSE frame written straight into a
 * buffer (the bytes json-glib would write for the same tree) or as a JsonNode handed to a function. Back
 * translators build their events with it. */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* One event: @data is borrowed for the call. */
typedef void (*AgEventFunc) (const char *event_name, JsonNode *data, gpointer user_data);

/* Events nest objects at most this deep (payload → message → usage). */
#define AG_EVENT_WRITER_MAX_DEPTH 4

typedef struct {
  GString    *sse;                                      /* SSE mode: the output; NULL in tree mode */
  AgEventFunc func;                                     /* tree mode */
  gpointer    user_data;
  const char *name;
  guint       depth;
  JsonObject *objects[AG_EVENT_WRITER_MAX_DEPTH];       /* tree mode: the open objects, outermost first */
  gboolean    has_members[AG_EVENT_WRITER_MAX_DEPTH];   /* SSE mode: the next member needs a comma */
} AgEventWriter;

void ag_event_writer_init_sse  (AgEventWriter *self, GString *sse);
void ag_event_writer_init_func (AgEventWriter *self, AgEventFunc func, gpointer user_data);

/* Starts the event @name, whose payload carries the same name as "type". Keys given to the functions below are
 * literal identifiers (written unescaped); values are escaped. */
void ag_event_writer_begin       (AgEventWriter *self, const char *name);
void ag_event_writer_string      (AgEventWriter *self, const char *key, const char *value);
void ag_event_writer_int         (AgEventWriter *self, const char *key, gint64 value);
void ag_event_writer_null        (AgEventWriter *self, const char *key);
void ag_event_writer_empty_array (AgEventWriter *self, const char *key);
void ag_event_writer_boolean     (AgEventWriter *self, const char *key, gboolean value);
/* A value already built as a tree (an output item, a list of them): serialised by json-glib in SSE mode, copied in
 * tree mode. */
void ag_event_writer_node        (AgEventWriter *self, const char *key, JsonNode *value);
/* A nested object under @key, until the matching close. */
void ag_event_writer_open        (AgEventWriter *self, const char *key);
void ag_event_writer_close       (AgEventWriter *self);
/* Ends the event: the frame is complete in the output, or the tree goes to the function. */
void ag_event_writer_end         (AgEventWriter *self);

G_END_DECLS
