/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-quota-sample.h — one row of the quota history: how much of a model's quota an account had left at a moment,
 * and when it resets. Plain data; pure, no I/O. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* One quota reading of a model on an account. */
typedef struct {
  gint64 time_ms;             /* Unix ms of the reading */
  char  *account;             /* e-mail */
  char  *model;
  double remaining_fraction;  /* 0…1 */
  gint64 reset_ms;            /* Unix ms of the next reset; 0 = unknown */
} AgQuotaSample;

AgQuotaSample *ag_quota_sample_new (gint64 time_ms, const char *account, const char *model,
                                    double remaining_fraction, gint64 reset_ms);
void           ag_quota_sample_free (AgQuotaSample *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AgQuotaSample, ag_quota_sample_free)

G_END_DECLS
