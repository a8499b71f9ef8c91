/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-application-private.h — for tests: the browser the application opens. */
#pragma once

#include "ag-application.h"
#include "ag-uri-launcher-private.h"

G_BEGIN_DECLS

/* Tests play the browser: @launcher receives every URI the pages open (NULL restores the browser). */
void ag_application_set_uri_launcher (AgApplication *self, AgUriLaunchFunc launcher, gpointer user_data);

G_END_DECLS
