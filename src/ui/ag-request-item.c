/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "ag-request-item.h"

#include <string.h>

struct _AgRequestItem
{
  GObject          parent_instance;
  AgRequestRecord *record;
  char            *haystack;   /* the searchable fields, lower case, made on first search */
};

G_DEFINE_FINAL_TYPE (AgRequestItem, ag_request_item, G_TYPE_OBJECT)

static void
ag_request_item_finalize (GObject *object)
{
  AgRequestItem *self = AG_REQUEST_ITEM (object);

  ag_request_record_free (self->record);
  g_free (self->haystack);
  G_OBJECT_CLASS (ag_request_item_parent_class)->finalize (object);
}

static void
ag_request_item_class_init (AgRequestItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ag_request_item_finalize;
}

static void
ag_request_item_init (AgRequestItem *self)
{
}

AgRequestItem *
ag_request_item_new (AgRequestRecord *record)
{
  AgRequestItem *self = g_object_new (AG_TYPE_REQUEST_ITEM, NULL);

  self->record = record;
  return self;
}

const AgRequestRecord *
ag_request_item_get_record (AgRequestItem *self)
{
  return self->record;
}

gboolean
ag_request_item_matches (AgRequestItem *self, const char *needle)
{
  if (needle == NULL || needle[0] == '\0')
    return TRUE;
  if (self->haystack == NULL)
    {
      const AgRequestRecord *r = self->record;
      g_autofree char *text = g_strjoin ("\n", r->client ? r->client : "", r->model ? r->model : "",
                                         r->upstream_model ? r->upstream_model : "", r->account ? r->account : "",
                                         ag_request_outcome_to_string (r->outcome), r->detail ? r->detail : "",
                                         NULL);

      self->haystack = g_utf8_strdown (text, -1);
    }
  return strstr (self->haystack, needle) != NULL;
}
