/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "ag-requests-page-private.h"

#include <glib/gi18n.h>
#include <inttypes.h>

/* As many rows as the store keeps by default: the whole log. */
#define LOG_ROWS 50000
#define AT_TOP_PX 8

struct _AgRequestsPage
{
  AgPage              parent_instance;

  GtkSearchEntry     *search_entry;
  GtkDropDown        *show_dropdown;
  GtkDropDown        *model_dropdown;
  GtkDropDown        *account_dropdown;
  GtkLabel           *count_label;
  GtkScrolledWindow  *scroller;
  GtkListView        *list_view;
  GtkRevealer        *detail_revealer;
  GtkLabel           *detail_label;

  AgRequestList      *log;
  GtkFilterListModel *shown;
  GtkCustomFilter    *filter;
  GtkSingleSelection *selection;
  char               *needle;    /* the search, lower case */
  GtkStringList      *models;    /* the model filter's choices: "All Models", then sorted */
  GtkStringList      *accounts;
  GHashTable         *known;     /* "m\n<model>" and "a\n<account>" already in the choices */
  char               *model;     /* the model filter, NULL = all */
  char               *account;
  gboolean            at_top;    /* the newest row is in view: new ones come into view too */
  guint               follow_id;
};

G_DEFINE_FINAL_TYPE (AgRequestsPage, ag_requests_page, AG_TYPE_PAGE)

static gboolean
outcome_shown (AgRequestsShow show, AgRequestOutcome outcome)
{
  switch (show)
    {
    case AG_REQUESTS_SHOW_OK:
      return outcome == AG_REQUEST_OUTCOME_OK;
    case AG_REQUESTS_SHOW_ERRORS:
      return outcome == AG_REQUEST_OUTCOME_CLIENT_ERROR || outcome == AG_REQUEST_OUTCOME_UPSTREAM_ERROR;
    case AG_REQUESTS_SHOW_REFUSED:
      return outcome == AG_REQUEST_OUTCOME_REFUSED;
    case AG_REQUESTS_SHOW_CANCELLED:
      return outcome == AG_REQUEST_OUTCOME_CANCELLED;
    case AG_REQUESTS_SHOW_INTERCEPTED:
      return outcome == AG_REQUEST_OUTCOME_INTERCEPTED;
    case AG_REQUESTS_SHOW_IN_FLIGHT:
      return outcome == AG_REQUEST_OUTCOME_IN_FLIGHT;
    case AG_REQUESTS_SHOW_ALL:
    default:
      return TRUE;
    }
}

static gboolean
row_shown (gpointer item, gpointer user_data)
{
  AgRequestsPage *self = user_data;
  AgRequestItem *request = AG_REQUEST_ITEM (item);
  const AgRequestRecord *r = ag_request_item_get_record (request);

  if (self->model != NULL && g_strcmp0 (self->model, r->model) != 0 && g_strcmp0 (self->model, r->upstream_model) != 0)
    return FALSE;
  if (self->account != NULL && g_strcmp0 (self->account, r->account) != 0)
    return FALSE;
  return outcome_shown (gtk_drop_down_get_selected (self->show_dropdown), r->outcome) &&
         ag_request_item_matches (request, self->needle);
}

/* Adds @value to @choices in order (after the "All …" item) unless it is there. */
static void
add_choice (AgRequestsPage *self, GtkStringList *choices, char kind, const char *value)
{
  g_autofree char *key = NULL;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (choices)), position = 1;

  if (value == NULL || value[0] == '\0')
    return;
  key = g_strdup_printf ("%c\n%s", kind, value);
  if (!g_hash_table_add (self->known, g_steal_pointer (&key)))
    return;
  while (position < n && g_strcmp0 (gtk_string_list_get_string (choices, position), value) < 0)
    position++;
  gtk_string_list_splice (choices, position, 0, (const char * const[]) { value, NULL });
}

/* The filters offer what the log holds: each new row may bring a model or an account. */
static void
log_changed (AgRequestsPage *self, guint position, guint removed, guint added)
{
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(AgRequestItem) item = g_list_model_get_item (G_LIST_MODEL (self->log), i);
      const AgRequestRecord *r = ag_request_item_get_record (item);

      add_choice (self, self->models, 'm', r->upstream_model != NULL ? r->upstream_model : r->model);
      add_choice (self, self->accounts, 'a', r->account);
    }
}

static char *
chosen (GtkDropDown *dropdown)
{
  guint selected = gtk_drop_down_get_selected (dropdown);
  GListModel *choices = gtk_drop_down_get_model (dropdown);

  if (choices == NULL || selected == 0 || selected == GTK_INVALID_LIST_POSITION)
    return NULL;
  return g_strdup (gtk_string_list_get_string (GTK_STRING_LIST (choices), selected));
}

static char *
format_clock (gint64 time_ms, const char *format)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (time_ms / 1000);

  return g_date_time_format (time, format);
}

char *
ag_requests_page_describe_row (AgRequestItem *item, char **subtitle)
{
  const AgRequestRecord *r = ag_request_item_get_record (item);
  g_autofree char *clock = format_clock (r->time_ms, "%H:%M:%S");
  g_autofree char *attempts = ag_request_record_describe_attempts (r);
  g_autofree char *ttfb = r->ttfb_ms >= 0 ? g_strdup_printf ("%" G_GINT64_FORMAT " ms", r->ttfb_ms) : g_strdup ("–");
  const char *model = r->model != NULL ? r->model : "–";

  if (r->outcome == AG_REQUEST_OUTCOME_IN_FLIGHT)
    {
      if (subtitle != NULL)
        *subtitle = g_strdup_printf (_("in flight · from %s"), r->client != NULL ? r->client : _("an unknown client"));
      return g_strdup_printf ("%s  %s  ·  …", clock, model);
    }
  if (subtitle != NULL)
    *subtitle = g_strdup_printf (_("%s %u · first byte %s · %.1f s · %" PRId64 " in, %" PRId64
                                   " out, %" PRId64 " cached%s%s%s"),
                                 ag_request_outcome_to_string (r->outcome), r->status, ttfb, r->total_ms / 1000.0,
                                 r->input_tokens, r->output_tokens, r->cache_read_tokens, attempts,
                                 r->detail != NULL ? " · " : "", r->detail != NULL ? r->detail : "");
  if (r->upstream_model != NULL && g_strcmp0 (r->upstream_model, r->model) != 0)
    return g_strdup_printf ("%s  %s → %s  ·  %s", clock, model, r->upstream_model, r->account ? r->account : "–");
  return g_strdup_printf ("%s  %s  ·  %s", clock, model, r->account != NULL ? r->account : "–");
}

static void
setup_row (GtkSignalListItemFactory *factory, GtkListItem *list_item, gpointer user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *title = gtk_label_new (NULL);
  GtkWidget *subtitle = gtk_label_new (NULL);

  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_END);
  gtk_label_set_xalign (GTK_LABEL (subtitle), 0);
  gtk_label_set_ellipsize (GTK_LABEL (subtitle), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (subtitle, "dim-label");
  gtk_widget_add_css_class (subtitle, "caption");
  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), subtitle);
  gtk_list_item_set_child (list_item, box);
}

static void
bind_row (GtkSignalListItemFactory *factory, GtkListItem *list_item, gpointer user_data)
{
  GtkWidget *box = gtk_list_item_get_child (list_item);
  GtkWidget *title = gtk_widget_get_first_child (box);
  GtkWidget *subtitle = gtk_widget_get_next_sibling (title);
  AgRequestItem *item = gtk_list_item_get_item (list_item);
  AgRequestOutcome outcome = ag_request_item_get_record (item)->outcome;
  g_autofree char *second = NULL;
  g_autofree char *first = ag_requests_page_describe_row (item, &second);

  gtk_label_set_text (GTK_LABEL (title), first);
  gtk_label_set_text (GTK_LABEL (subtitle), second);
  gtk_widget_remove_css_class (title, "error");
  gtk_widget_remove_css_class (title, "warning");
  gtk_widget_remove_css_class (title, "accent");
  if (outcome == AG_REQUEST_OUTCOME_IN_FLIGHT)
    gtk_widget_add_css_class (title, "accent");
  else if (outcome == AG_REQUEST_OUTCOME_UPSTREAM_ERROR || outcome == AG_REQUEST_OUTCOME_CLIENT_ERROR)
    gtk_widget_add_css_class (title, "error");
  else if (outcome == AG_REQUEST_OUTCOME_REFUSED)
    gtk_widget_add_css_class (title, "warning");
}

static void
update_count (AgRequestsPage *self)
{
  guint shown = g_list_model_get_n_items (G_LIST_MODEL (self->shown));
  guint all = g_list_model_get_n_items (G_LIST_MODEL (self->log));
  g_autofree char *text = shown == all ? g_strdup_printf (_("%u requests"), all)
                                       : g_strdup_printf (_("%u of %u requests"), shown, all);

  gtk_label_set_text (self->count_label, text);
}

static void
filters_changed (AgRequestsPage *self)
{
  g_free (self->needle);
  self->needle = g_utf8_strdown (gtk_editable_get_text (GTK_EDITABLE (self->search_entry)), -1);
  g_free (self->model);
  self->model = chosen (self->model_dropdown);
  g_free (self->account);
  self->account = chosen (self->account_dropdown);
  if (self->filter != NULL)
    gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
}

static void
show_detail (AgRequestsPage *self)
{
  AgRequestItem *item = gtk_single_selection_get_selected_item (self->selection);
  const AgRequestRecord *r;
  g_autoptr(GString) text = NULL;
  g_autofree char *when = NULL;

  gtk_revealer_set_reveal_child (self->detail_revealer, item != NULL);
  if (item == NULL)
    {
      gtk_label_set_text (self->detail_label, "");
      return;
    }
  r = ag_request_item_get_record (item);
  when = format_clock (r->time_ms, "%Y-%m-%d %H:%M:%S");
  text = g_string_new (NULL);
  g_string_append_printf (text, _("Request %" PRId64 " at %s from %s\n"), r->id, when,
                          r->client != NULL ? r->client : _("an unknown client"));
  g_string_append_printf (text, _("Model %s, sent upstream as %s, answered by %s\n"), r->model ? r->model : "–",
                          r->upstream_model ? r->upstream_model : "–", r->account ? r->account : "–");
  g_string_append_printf (text, _("Outcome %s, HTTP %u; first byte after %" PRId64 " ms, done after %"
                                  PRId64 " ms\n"),
                          ag_request_outcome_to_string (r->outcome), r->status, r->ttfb_ms, r->total_ms);
  g_string_append_printf (text, _("Tokens: %" PRId64 " in, %" PRId64 " out, %" PRId64
                                  " read from cache"), r->input_tokens, r->output_tokens, r->cache_read_tokens);
  if (r->session_id != NULL)
    g_string_append_printf (text, _("\nSession %s"), r->session_id);
  for (guint i = 0; i < r->attempts->len; i++)
    {
      AgRequestAttempt *a = g_ptr_array_index (r->attempts, i);

      g_string_append_printf (text, _("\nTry %u: %s — %s, HTTP %u, then waited %" PRId64 " ms"), i + 1,
                              a->account != NULL ? a->account : _("the proxy"), a->reason, a->status, a->wait_ms);
    }
  if (r->detail != NULL)
    g_string_append_printf (text, _("\nDetail: %s"), r->detail);
  gtk_label_set_text (self->detail_label, text->str);
}

static gboolean
scroll_to_top (gpointer user_data)
{
  AgRequestsPage *self = user_data;

  self->follow_id = 0;
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scroller), 0);
  return G_SOURCE_REMOVE;
}

/* The list keeps the rows in view where they are when rows arrive above them; a user watching the top wants to
 * see the new ones instead. */
static void
rows_changed (AgRequestsPage *self, guint position, guint removed, guint added)
{
  update_count (self);
  if (position == 0 && added > 0 && self->at_top && self->follow_id == 0)
    self->follow_id = g_idle_add (scroll_to_top, self);
}

static void
scrolled (AgRequestsPage *self, GtkAdjustment *adjustment)
{
  double value = gtk_adjustment_get_value (adjustment);

  /* A pixel or two off the top (the list re-anchors after filtering, or after rows arrived above) still counts as
   * watching the top, and is put back at it: that re-anchoring comes after the scroll to the new rows. */
  self->at_top = value < AT_TOP_PX;
  if (self->at_top && value > 0 && self->follow_id == 0)
    self->follow_id = g_idle_add (scroll_to_top, self);
}

static void
ag_requests_page_constructed (GObject *object)
{
  AgRequestsPage *self = AG_REQUESTS_PAGE (object);
  AgHistoryStore *store;
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  G_OBJECT_CLASS (ag_requests_page_parent_class)->constructed (object);

  store = ag_proxy_service_get_history (ag_page_get_service (AG_PAGE (self)));
  self->models = gtk_string_list_new ((const char * const[]) { _("All Models"), NULL });
  self->accounts = gtk_string_list_new ((const char * const[]) { _("All Accounts"), NULL });
  self->known = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gtk_drop_down_set_model (self->model_dropdown, G_LIST_MODEL (self->models));
  gtk_drop_down_set_model (self->account_dropdown, G_LIST_MODEL (self->accounts));
  self->log = ag_request_list_new (store, LOG_ROWS);
  g_signal_connect_swapped (self->log, "items-changed", G_CALLBACK (log_changed), self);
  self->filter = gtk_custom_filter_new (row_shown, self, NULL);
  self->shown = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->log)),
                                           g_object_ref (GTK_FILTER (self->filter)));
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->shown)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  g_signal_connect_swapped (self->selection, "notify::selected-item", G_CALLBACK (show_detail), self);
  g_signal_connect_swapped (self->shown, "items-changed", G_CALLBACK (rows_changed), self);
  g_signal_connect_swapped (gtk_scrolled_window_get_vadjustment (self->scroller), "value-changed",
                            G_CALLBACK (scrolled), self);
  self->at_top = TRUE;
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row), NULL);
  gtk_list_view_set_factory (self->list_view, factory);
  g_object_unref (factory);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));
  update_count (self);
}

static void
ag_requests_page_dispose (GObject *object)
{
  AgRequestsPage *self = AG_REQUESTS_PAGE (object);

  g_clear_handle_id (&self->follow_id, g_source_remove);
  if (self->list_view != NULL)
    gtk_list_view_set_model (self->list_view, NULL);
  g_clear_object (&self->selection);
  g_clear_object (&self->shown);
  g_clear_object (&self->filter);
  if (self->log != NULL)
    g_signal_handlers_disconnect_by_data (self->log, self);
  g_clear_object (&self->log);
  g_clear_object (&self->models);
  g_clear_object (&self->accounts);
  g_clear_pointer (&self->known, g_hash_table_unref);
  G_OBJECT_CLASS (ag_requests_page_parent_class)->dispose (object);
}

static void
ag_requests_page_finalize (GObject *object)
{
  g_free (AG_REQUESTS_PAGE (object)->needle);
  g_free (AG_REQUESTS_PAGE (object)->model);
  g_free (AG_REQUESTS_PAGE (object)->account);
  G_OBJECT_CLASS (ag_requests_page_parent_class)->finalize (object);
}

static void
ag_requests_page_class_init (AgRequestsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = ag_requests_page_constructed;
  object_class->dispose = ag_requests_page_dispose;
  object_class->finalize = ag_requests_page_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/agcl/AgCl/ag-requests-page.ui");
  gtk_widget_class_bind_template_child (widget_class, AgRequestsPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, AgRequestsPage, show_dropdown);
  gtk_widget_class_bind_template_child (widget_class, AgRequestsPage, model_dropdown);
  gtk_widget_class_bind_template_child (widget_class, AgRequestsPage, account_dropdown);
  gtk_widget_class_bind_template_child (widget_class, AgRequestsPage, count_label);
  gtk_widget_class_bind_template_child (widget_class, AgRequestsPage, scroller);
  gtk_widget_class_bind_template_child (widget_class, AgRequestsPage, list_view);
  gtk_widget_class_bind_template_child (widget_class, AgRequestsPage, detail_revealer);
  gtk_widget_class_bind_template_child (widget_class, AgRequestsPage, detail_label);
  gtk_widget_class_bind_template_callback (widget_class, filters_changed);
}

static void
ag_requests_page_init (AgRequestsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
ag_requests_page_new (AgUiContext *context)
{
  return g_object_new (AG_TYPE_REQUESTS_PAGE, "context", context, NULL);
}

AgRequestList *ag_requests_page_get_log (AgRequestsPage *self) { return self->log; }
GListModel *ag_requests_page_get_shown (AgRequestsPage *self) { return G_LIST_MODEL (self->shown); }
const char *ag_requests_page_get_detail_text (AgRequestsPage *self) { return gtk_label_get_text (self->detail_label); }

void
ag_requests_page_set_search (AgRequestsPage *self, const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text);
  /* The entry reports a change after a delay; the test wants it now. */
  filters_changed (self);
}

void
ag_requests_page_set_show (AgRequestsPage *self, AgRequestsShow show)
{
  gtk_drop_down_set_selected (self->show_dropdown, show);
}

void
ag_requests_page_select (AgRequestsPage *self, guint position)
{
  gtk_single_selection_set_selected (self->selection, position);
}

double
ag_requests_page_get_scroll (AgRequestsPage *self)
{
  return gtk_adjustment_get_value (gtk_scrolled_window_get_vadjustment (self->scroller));
}

GListModel *ag_requests_page_get_models (AgRequestsPage *self) { return G_LIST_MODEL (self->models); }
GListModel *ag_requests_page_get_accounts (AgRequestsPage *self) { return G_LIST_MODEL (self->accounts); }

static gboolean
choose (GtkDropDown *dropdown, GtkStringList *choices, const char *value)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (choices));

  for (guint i = 1; value != NULL && i < n; i++)
    if (g_strcmp0 (gtk_string_list_get_string (choices, i), value) == 0)
      {
        gtk_drop_down_set_selected (dropdown, i);
        return TRUE;
      }
  gtk_drop_down_set_selected (dropdown, 0);
  return value == NULL;
}

gboolean
ag_requests_page_set_model (AgRequestsPage *self, const char *model)
{
  return choose (self->model_dropdown, self->models, model);
}

gboolean
ag_requests_page_set_account (AgRequestsPage *self, const char *account)
{
  return choose (self->account_dropdown, self->accounts, account);
}
