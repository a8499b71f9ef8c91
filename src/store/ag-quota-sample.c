/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "ag-quota-sample.h"

AgQuotaSample *
ag_quota_sample_new (gint64 time_ms, const char *account, const char *model, double remaining_fraction,
                     gint64 reset_ms)
{
  AgQuotaSample *self = g_new0 (AgQuotaSample, 1);

  self->time_ms = time_ms;
  self->account = g_strdup (account);
  self->model = g_strdup (model);
  self->remaining_fraction = remaining_fraction;
  self->reset_ms = reset_ms;
  return self;
}

void
ag_quota_sample_free (AgQuotaSample *self)
{
  if (self == NULL)
    return;
  g_free (self->account);
  g_free (self->model);
  g_free (self);
}
