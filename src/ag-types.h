/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-types.h — the names of ag-cl's object types, for headers that only pass them around: such a header includes
 * this instead of the type's own header, so a change to one room's header does not rebuild every room above it.
 * A name here says nothing about which room may use the type; the build's include paths still decide that. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* protocol */
typedef struct _AgClientRequest     AgClientRequest;
typedef struct _AgMessageCollector  AgMessageCollector;
typedef struct _AgSseParser         AgSseParser;
typedef struct _AgStreamTranslator  AgStreamTranslator;
typedef struct _AgToolNames         AgToolNames;

/* cloudcode */
typedef struct _AgCloudcodeClient   AgCloudcodeClient;
typedef struct _AgCloudcodeConfig   AgCloudcodeConfig;
typedef struct _AgOAuthClient       AgOAuthClient;
typedef struct _AgOAuthLogin        AgOAuthLogin;
typedef struct _AgVersionCheck      AgVersionCheck;

/* accounts */
typedef struct _AgAccount           AgAccount;
typedef struct _AgAccountLease      AgAccountLease;
typedef struct _AgAccountPool       AgAccountPool;
typedef struct _AgApiKeyStore       AgApiKeyStore;
typedef struct _AgKeyringWatch      AgKeyringWatch;
typedef struct _AgQuotaPoller       AgQuotaPoller;
typedef struct _AgRateLimits        AgRateLimits;
typedef struct _AgTokenStore        AgTokenStore;

/* store */
typedef struct _AgHistoryStore      AgHistoryStore;

/* proxy */
typedef struct _AgCallContext       AgCallContext;
typedef struct _AgModelCatalogue    AgModelCatalogue;
typedef struct _AgProxyCall         AgProxyCall;
typedef struct _AgProxyServer       AgProxyServer;
typedef struct _AgProxyService      AgProxyService;

/* desktop */
typedef struct _AgNotifier          AgNotifier;
typedef struct _AgTray              AgTray;
typedef struct _AgTrayMenu          AgTrayMenu;

G_END_DECLS
