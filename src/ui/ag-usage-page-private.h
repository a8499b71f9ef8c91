/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-usage-page-private.h — for tests: the page's charts, its period, and how many times it has drawn what the
 * store answered. */
#pragma once

#include "ag-chart.h"
#include "ag-usage-page.h"

G_BEGIN_DECLS

typedef enum {
  AG_USAGE_PERIOD_DAY,
  AG_USAGE_PERIOD_WEEK,
  AG_USAGE_PERIOD_MONTH,
} AgUsagePeriod;

AgChart *ag_usage_page_get_quota_chart (AgUsagePage *self);
AgChart *ag_usage_page_get_usage_chart (AgUsagePage *self);
AgChart *ag_usage_page_get_ttfb_chart (AgUsagePage *self);
/* "N requests · x % errors · n rotations · tokens …" under the usage chart. */
const char *ag_usage_page_get_totals_text (AgUsagePage *self);
/* Shows @period ending now and reloads. */
void     ag_usage_page_set_period (AgUsagePage *self, AgUsagePeriod period);
/* One quota line per model family with its forecast (TRUE, the default), or per account and model; reloads. */
void     ag_usage_page_set_quota_by_family (AgUsagePage *self, gboolean by_family);
/* One quota line per model group and 5-hour or weekly window Google reports ("Quota Windows"); reloads. */
void     ag_usage_page_show_quota_windows (AgUsagePage *self);
/* Whether the forecasts' assumptions are shown under the quota chart (a forecast is drawn). */
gboolean ag_usage_page_get_forecast_shown (AgUsagePage *self);
/* Shows the charts (FALSE) or their tables (TRUE). */
void     ag_usage_page_set_table_view (AgUsagePage *self, gboolean table);
/* Loads completed (both queries answered and drawn) since the page was made. */
guint    ag_usage_page_get_loads (AgUsagePage *self);

G_END_DECLS
