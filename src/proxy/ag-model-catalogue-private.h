// SPDX-License-Identifier: GPL-3.0-or-later
/* ag-model-catalogue-private.h — what the catalogue's two halves share. ag-model-catalogue.c learns the models
 * upstream lists and resolves client names; ag-model-catalogue-lists.c writes them as each client API lists models. */
#pragma once

#include "ag-model-catalogue.h"

G_BEGIN_DECLS

typedef struct {
  char    *id;
  char    *display_name;
  gint64   context_tokens;
  gint64   max_output_tokens;
  gboolean supports_thinking;
} AgModelInfo;

struct _AgModelCatalogue {
  GObject     parent_instance;
  GPtrArray  *models;       /* AgModelInfo*, in the order upstream listed them */
  GHashTable *deprecated;   /* old id → new id */
  GPtrArray  *web_search;   /* (char *) webSearchModelIds: the models Google grounds with, in upstream order */
  GHashTable *aliases;      /* client name or tier word → upstream id */
  GHashTable *announced;    /* retired ids whose successor was already logged */
  gint64      updated_at;
};

G_END_DECLS
