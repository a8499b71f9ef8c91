/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The quota forecast from quota samples alone: the pool's remaining quota per family across accounts, the pace
 * since each account's last reset, when the pool runs dry at that pace, whether a reset comes first, stale and
 * exhausted accounts, and the sentence the Overview shows. */
#include "ag-test.h"
#include "ag-quota-forecast.h"
#include "ag-quota-sample.h"

#define MINUTE_MS ((gint64) 60 * 1000)
#define HOUR_MS (60 * MINUTE_MS)
#define NOW_MS ((gint64) 1796000000000)

/* One reading: minutes before now, account, model, remaining, reset in minutes from now (0 = unknown). */
typedef struct {
  int         minutes_ago;
  const char *account;
  const char *model;
  double      remaining;
  int         reset_in;
} Reading;

typedef struct {
  const char *name;
  Reading     readings[8];
  const char *expected;   /* the descriptions, joined with " | " */
} ForecastCase;

static const ForecastCase cases[] = {
  /* One account using 30 % an hour with 60 % left: 2 h, and it resets in 3 h, after that. */
  { "one-account", {
      { 60, "a", "claude-opus-4-6-thinking", 0.9, 180 },
      { 0, "a", "claude-opus-4-6-thinking", 0.6, 180 } },
    "Claude: about 2 h 0 min left at this pace; the first account resets in 3 h 0 min" },
  /* Two accounts: 0.6 + 1.0 left, only a is used (0.3/h): 1.6 / 0.3 = 5 h 20 min; b resets in 1 h 10 min first. */
  { "pool-reset-first", {
      { 60, "a", "claude-opus-4-6-thinking", 0.9, 300 },
      { 0, "a", "claude-opus-4-6-thinking", 0.6, 300 },
      { 30, "b", "claude-sonnet-4-6", 1.0, 70 },
      { 0, "b", "claude-sonnet-4-6", 1.0, 70 } },
    "Claude: about 5 h 20 min left at this pace; the first account resets in 1 h 10 min, before it runs out" },
  /* A reset 20 minutes ago: the pace counts from there (0.1 in 20 min = 0.3/h), not from the hour before. */
  { "pace-since-reset", {
      { 60, "a", "gemini-3-flash", 0.5, 0 },
      { 30, "a", "gemini-3-flash", 0.1, 0 },
      { 20, "a", "gemini-3-flash", 1.0, 0 },
      { 0, "a", "gemini-3-flash", 0.9, 0 } },
    "Gemini: about 3 h 0 min left at this pace" },
  /* The binding model of an account is its least-left one. */
  { "binding-model", {
      { 60, "a", "claude-opus-4-6-thinking", 0.9, 0 },
      { 0, "a", "claude-opus-4-6-thinking", 0.8, 0 },
      { 60, "a", "claude-sonnet-4-6", 0.5, 0 },
      { 0, "a", "claude-sonnet-4-6", 0.25, 0 } },
    "Claude: about 1 h 0 min left at this pace" },
  { "unused", {
      { 60, "a", "gemini-3-flash", 0.7, 0 },
      { 0, "a", "gemini-3-flash", 0.7, 0 },
      { 0, "b", "gemini-3-flash", 0.4, 45 } },
    "Gemini: 1.1 of 2 accounts' quota left, not used lately; the first account resets in 45 min" },
  { "exhausted", {
      { 0, "a", "claude-opus-4-6-thinking", 0.0, 40 },
      { 0, "b", "claude-opus-4-6-thinking", 0.0, 90 } },
    "Claude: out of quota on every account; the first account resets in 40 min" },
  /* Three hours old: not now; the family has no forecast. Both families: Claude first. */
  { "stale-and-both", {
      { 180, "a", "claude-opus-4-6-thinking", 0.5, 0 },
      { 10, "a", "gemini-3-flash", 0.5, 0 },
      { 0, "a", "gemini-3-flash", 0.5, 0 },
      { 0, "b", "claude-sonnet-4-6", 1.0, 0 } },
    "Claude: 1.0 of 1 accounts' quota left, not used lately | Gemini: 0.5 of 1 accounts' quota left, not used lately" },
  { "nothing", { { 0 } }, "" },
};

static int
by_time (gconstpointer a, gconstpointer b)
{
  gint64 x = (*(AgQuotaSample * const *) a)->time_ms, y = (*(AgQuotaSample * const *) b)->time_ms;

  return (x > y) - (x < y);
}

static void
test_forecast (gconstpointer data)
{
  const ForecastCase *c = data;
  g_autoptr(GPtrArray) samples = g_ptr_array_new_with_free_func ((GDestroyNotify) ag_quota_sample_free);
  g_autoptr(GArray) forecasts = NULL;
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (c->readings) && c->readings[i].account != NULL; i++)
    {
      const Reading *r = &c->readings[i];

      g_ptr_array_add (samples, ag_quota_sample_new (NOW_MS - r->minutes_ago * MINUTE_MS, r->account, r->model,
                                                     r->remaining, r->reset_in > 0 ? NOW_MS + r->reset_in * MINUTE_MS
                                                                                   : 0));
    }
  /* The history store answers in time order (the sort is stable). */
  g_ptr_array_sort (samples, by_time);
  forecasts = ag_quota_forecast_compute (samples, NOW_MS, 2 * HOUR_MS);
  for (guint i = 0; i < forecasts->len; i++)
    {
      const AgQuotaForecast *forecast = &g_array_index (forecasts, AgQuotaForecast, i);
      g_autofree char *one = ag_quota_forecast_describe (forecast, NOW_MS);
      g_autofree char *state = ag_quota_forecast_describe_state (forecast, NOW_MS);
      g_autofree char *halves = g_strdup_printf ("%s: %s", ag_quota_forecast_family_name (forecast), state);

      /* The notifier puts the family in the title and the state in the body: the same words, split. */
      g_assert_cmpstr (halves, ==, one);
      g_string_append_printf (text, "%s%s", i > 0 ? " | " : "", one);
    }
  g_assert_cmpstr (text->str, ==, c->expected);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  AG_TEST_ADD_CASES ("/quota-forecast/", cases, test_forecast);
  return g_test_run ();
}
