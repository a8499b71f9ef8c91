/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-version-check.h — keeps the client version ag-cl announces to Google current.
 *
 * Google refuses clients below a minimum version ("This version of Antigravity is no longer supported") and
 * raises that minimum over time. Like CLIProxyAPI, ag-cl reads the version of the current Antigravity release from
 * its update manifest (electron-builder YAML, "version: X.Y.Z") when the proxy starts and every six hours, and
 * announces the newer of that and its built-in floor. A version the user pinned (AGCL_ANTIGRAVITY_VERSION) is
 * never replaced; AGCL_VERSION_MANIFEST_URL=none turns the check off. A failed check changes nothing. */
#pragma once

#include <libsoup/soup.h>
#include "ag-cloudcode-config.h"

G_BEGIN_DECLS

#define AG_TYPE_VERSION_CHECK (ag_version_check_get_type ())
G_DECLARE_FINAL_TYPE (AgVersionCheck, ag_version_check, AG, VERSION_CHECK, GObject)

AgVersionCheck *ag_version_check_new (AgCloudcodeConfig *config);
/* Checks now and every six hours; does nothing when the version is pinned or the check is off. */
void            ag_version_check_start (AgVersionCheck *self);
/* Checks now, after Google refused the version: at most once a minute, and only when the check is on. */
void            ag_version_check_recheck (AgVersionCheck *self);

/* The version in an update manifest ("version: 2.12.2", quotes allowed), or NULL when there is none that looks
 * like digits and dots. */
char           *ag_version_check_parse_manifest (const char *text, gsize length);
/* Compares dotted numeric versions ("2.10.0" > "2.9.1"); missing parts count as 0. */
int             ag_version_compare (const char *a, const char *b);

G_END_DECLS
