/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The app in the language AGCL_TEST_LANGUAGE names (de, zh_CN), with the build tree's catalogues, in the real
 * window under Xvfb: on every page, in the preferences window and in a dialog, no label shows an English string
 * that has a translation (a template or code path that loses the text domain fails here), the narrow layout still
 * fits (translations are longer: a label too wide to shrink would widen the window), and each view is saved as a
 * screenshot named after the language. */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <string.h>
#include "ui-test-util.h"
#include "ui-history-seed.h"
#include "ag-devices-page-private.h"
#include "ag-preferences-window-private.h"

/* The widest a label that can neither wrap nor ellipsize may be: GNOME's narrowest layout is 360 px (a phone, half
 * a laptop screen), less the margins of a boxed list and its row. A longer one forces the window wider. */
#define WIDEST_LABEL 300

static const char *language;
static UiHistorySeed seed;

typedef struct {
  GPtrArray *untranslated;   /* "text (widget type)" of each label still in English */
  GPtrArray *too_wide;       /* "text (width)" of each label wider than WIDEST_LABEL */
  guint      translated;     /* labels that show a string of the catalogue's language */
} LabelScan;

/* TRUE when @text is an English message that the catalogue translates to something else ("" is the header's). */
static gboolean
has_other_translation (const char *text)
{
  const char *translation = text[0] != '\0' ? g_dgettext (GETTEXT_PACKAGE, text) : text;

  return translation != text && strcmp (translation, text) != 0;
}

static void
scan_labels (GtkWidget *widget, LabelScan *scan)
{
  if (!gtk_widget_get_mapped (widget))
    return;
  if (GTK_IS_LABEL (widget))
    {
      const char *label = gtk_label_get_label (GTK_LABEL (widget));
      const char *text = gtk_label_get_text (GTK_LABEL (widget));

      if (has_other_translation (label) || has_other_translation (text))
        g_ptr_array_add (scan->untranslated,
                         g_strdup_printf ("“%s” (%s)", text, G_OBJECT_TYPE_NAME (gtk_widget_get_parent (widget))));
      else if (text[0] != '\0' && !g_str_is_ascii (text))
        scan->translated++;
      if (!gtk_label_get_wrap (GTK_LABEL (widget))
          && gtk_label_get_ellipsize (GTK_LABEL (widget)) == PANGO_ELLIPSIZE_NONE)
        {
          int minimum = 0, natural = 0;

          gtk_widget_measure (widget, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, &natural, NULL, NULL);
          if (minimum > WIDEST_LABEL)
            g_ptr_array_add (scan->too_wide, g_strdup_printf ("“%s” (%d px)", text, minimum));
        }
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    scan_labels (child, scan);
}

static char *
join (GPtrArray *texts)
{
  g_ptr_array_add (texts, NULL);
  return g_strjoinv (", ", (char **) texts->pdata);
}

/* Every label on screen in @widget is translated where the catalogue can, some show translated text, and none is
 * too wide to fit the narrowest window. */
static void
assert_translated (GtkWidget *widget, const char *view)
{
  LabelScan scan = { g_ptr_array_new_with_free_func (g_free), g_ptr_array_new_with_free_func (g_free), 0 };
  g_autofree char *untranslated = NULL;
  g_autofree char *too_wide = NULL;
  int minimum = 0;

  scan_labels (widget, &scan);
  if (scan.untranslated->len > 0)
    g_error ("%s in %s: still in English: %s", view, language, untranslated = join (scan.untranslated));
  if (scan.too_wide->len > 0)
    g_error ("%s in %s: too wide for a narrow window: %s", view, language, too_wide = join (scan.too_wide));
  gtk_widget_measure (widget, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
  g_test_message ("%s in %s: %u translated labels; at least %d px wide", view, language, scan.translated, minimum);
  g_assert_cmpuint (scan.translated, >, 0);
  g_ptr_array_free (scan.untranslated, TRUE);
  g_ptr_array_free (scan.too_wide, TRUE);
}

static void
save (GtkWidget *widget, const char *view)
{
  g_autofree char *name = g_strdup_printf ("%s-%s", language, view);

  ui_save_screenshot (widget, name);
}

/* The catalogue is the build tree's, and it answers in the language under test. */
static void
test_catalogue (void)
{
  g_assert_true (has_other_translation ("Accounts"));
  g_assert_true (has_other_translation ("_Preferences"));
}

static void
test_pages (void)
{
  const char *pages[] = { "overview", "accounts", "usage", "requests", "devices" };

  gtk_window_set_default_size (GTK_WINDOW (ui.window), 1000, 760);
  ui_settle (300);
  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      g_action_group_activate_action (G_ACTION_GROUP (ui.app), "show-page", g_variant_new_string (pages[i]));
      g_assert_cmpstr (ag_window_get_visible_page (ui.window), ==, pages[i]);
      ui_settle (500);
      assert_translated (GTK_WIDGET (ui.window), pages[i]);
      save (GTK_WIDGET (ui.window), pages[i]);
    }
}

static void
test_preferences (void)
{
  g_autoptr(AgUiContext) context = ui_context_new ();
  AgPreferencesWindow *preferences = ag_preferences_window_new (context);

  gtk_window_set_transient_for (GTK_WINDOW (preferences), GTK_WINDOW (ui.window));
  gtk_window_set_default_size (GTK_WINDOW (preferences), 640, 900);
  gtk_window_present (GTK_WINDOW (preferences));
  ui_settle (500);
  assert_translated (GTK_WIDGET (preferences), "preferences");
  save (GTK_WIDGET (preferences), "preferences");
  gtk_window_destroy (GTK_WINDOW (preferences));
}

static gboolean
devices_idle (gpointer data)
{
  return !ag_devices_page_get_busy (ag_window_get_devices_page (ui.window));
}

static gboolean
dialog_open (gpointer data)
{
  return ag_devices_page_get_dialog (ag_window_get_devices_page (ui.window)) != NULL;
}

/* The tray's "Use in Antigravity" asks first: the question, its text and its buttons are translated. */
static void
test_dialog (void)
{
  AdwMessageDialog *dialog;
  g_autofree char *heading = g_strdup_printf (g_dgettext (GETTEXT_PACKAGE, "Switch Antigravity to %s?"),
                                              "ide@example.com");

  ui_wait_until (devices_idle, NULL);
  g_action_group_activate_action (G_ACTION_GROUP (ui.app), "use-in-antigravity",
                                  g_variant_new_string ("ide@example.com"));
  ui_wait_until (dialog_open, NULL);
  dialog = ag_devices_page_get_dialog (ag_window_get_devices_page (ui.window));
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, heading);
  g_assert_true (has_other_translation ("Switch Antigravity to %s?"));
  ui_settle (300);
  assert_translated (GTK_WIDGET (dialog), "dialog");
  save (GTK_WIDGET (dialog), "dialog");
  adw_message_dialog_response (dialog, "cancel");
}

int
main (int argc, char **argv)
{
  g_autofree char *name = NULL;
  g_autofree char *locale_dir = NULL;
  g_autofree char *locale = NULL;

  language = g_getenv ("AGCL_TEST_LANGUAGE");
  g_assert_nonnull (language);
  /* What a desktop in that language sets: the language's own locale where it is generated (dates and numbers
   * follow it; build-aux/setup.sh generates de_DE and zh_CN), and LANGUAGE, which is enough for the messages in
   * any locale but C. GTK sets the locale from the environment again when it starts. */
  g_setenv ("LANGUAGE", language, TRUE);
  locale = g_strconcat (g_str_equal (language, "de") ? "de_DE" : language, ".UTF-8", NULL);
  if (setlocale (LC_ALL, locale) != NULL)
    g_setenv ("LC_ALL", locale, TRUE);
  setlocale (LC_ALL, "");
  /* What main.c does for the binary in the build tree. */
  locale_dir = g_build_filename (g_getenv ("AGCL_BUILD_DIR"), "po", NULL);
  bindtextdomain (GETTEXT_PACKAGE, locale_dir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  name = g_strconcat ("locale-", language, NULL);
  if (!ui_test_init (&argc, &argv, name))
    return 0;
  ui_test_seed_history_on_start (&seed);
  ui_test_start ();
  ui_test_add_ide_storage_and_accounts ();

  g_test_add_func ("/ui/locale/catalogue", test_catalogue);
  g_test_add_func ("/ui/locale/pages", test_pages);
  g_test_add_func ("/ui/locale/preferences", test_preferences);
  g_test_add_func ("/ui/locale/dialog", test_dialog);
  return ui_test_run ();
}
