/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "ag-signature-carrier.h"

#include <string.h>

#define THINKING_PREFIX "agcl1"
#define TOOL_MARKER     "_agsig1_"

static char
family_letter (AgModelFamily family)
{
  return family == AG_MODEL_FAMILY_CLAUDE ? 'c' : 'g';
}

char *
ag_signature_carrier_wrap_thinking (const char *signature, AgModelFamily family)
{
  g_return_val_if_fail (signature != NULL, NULL);

  return g_strdup_printf (THINKING_PREFIX "%c.%s", family_letter (family), signature);
}

const char *
ag_signature_carrier_unwrap_thinking (const char *carried, AgModelFamily *family)
{
  const gsize prefix = strlen (THINKING_PREFIX);
  const char *signature;

  if (carried == NULL || !g_str_has_prefix (carried, THINKING_PREFIX) ||
      (carried[prefix] != 'c' && carried[prefix] != 'g') || carried[prefix + 1] != '.')
    return NULL;
  signature = carried + prefix + 2;
  if (strlen (signature) < AG_SIGNATURE_MIN_LENGTH)
    return NULL;
  if (family != NULL)
    *family = carried[prefix] == 'c' ? AG_MODEL_FAMILY_CLAUDE : AG_MODEL_FAMILY_GEMINI;
  return signature;
}

/* Base64 (what Google sends) maps onto the id alphabet [A-Za-z0-9_-] one character for one; the number of '='
 * at its end (not always what the length implies) goes first, as one digit. Returns that number, or -1 when
 * @text is not base64. */
static int
base64_padding (const char *text)
{
  const char *p = text;
  int padding = 0;

  while (g_ascii_isalnum (*p) || *p == '+' || *p == '/')
    p++;
  if (p == text)
    return -1;
  for (; *p == '='; p++)
    padding++;
  return *p == '\0' && padding <= 9 ? padding : -1;
}

char *
ag_signature_carrier_wrap_tool_id (const char *id, const char *signature)
{
  GString *carried;
  int padding;

  g_return_val_if_fail (id != NULL, NULL);

  if (signature == NULL || strlen (signature) < AG_SIGNATURE_MIN_LENGTH ||
      (padding = base64_padding (signature)) < 0)
    return g_strdup (id);
  carried = g_string_new (id);
  g_string_append (carried, TOOL_MARKER);
  g_string_append_c (carried, (char) ('0' + padding));
  for (const char *p = signature; *p != '\0' && *p != '='; p++)
    g_string_append_c (carried, *p == '+' ? '-' : *p == '/' ? '_' : *p);
  return g_string_free (carried, FALSE);
}

char *
ag_signature_carrier_unwrap_tool_id (const char *carried_id, char **signature)
{
  const char *marker;
  const char *encoded;
  GString *decoded;

  g_return_val_if_fail (carried_id != NULL, NULL);

  *signature = NULL;
  marker = strstr (carried_id, TOOL_MARKER);
  encoded = marker != NULL ? marker + strlen (TOOL_MARKER) : NULL;
  if (encoded == NULL || !g_ascii_isdigit (*encoded) || strlen (encoded + 1) < AG_SIGNATURE_MIN_LENGTH)
    return g_strdup (carried_id);
  decoded = g_string_new (NULL);
  for (const char *p = encoded + 1; *p != '\0'; p++)
    g_string_append_c (decoded, *p == '-' ? '+' : *p == '_' ? '/' : *p);
  for (int i = 0; i < *encoded - '0'; i++)
    g_string_append_c (decoded, '=');
  *signature = g_string_free (decoded, FALSE);
  return g_strndup (carried_id, (gsize) (marker - carried_id));
}
