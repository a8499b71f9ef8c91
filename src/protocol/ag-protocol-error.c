/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "ag-protocol-error.h"

G_DEFINE_QUARK (ag-protocol-error-quark, ag_protocol_error)
