/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "ag-signature-carrier.h"

#define SIG_CLAUDE "EqQDCkYIBxgCKkDclaudeSignatureThatIsLongEnoughToBeRealAAAAAAAAAAAAAAAAAA+/9Q=="
#define SIG_GEMINI "ErADCq0DAdHtim9geminiSignature/ThatIsLongEnough+ToBeReal0123456789abcdefAB=="

static void
test_thinking_round_trip (void)
{
  const struct { const char *signature; AgModelFamily family; const char *prefix; } cases[] = {
    { SIG_CLAUDE, AG_MODEL_FAMILY_CLAUDE, "agcl1c." },
    { SIG_GEMINI, AG_MODEL_FAMILY_GEMINI, "agcl1g." },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *carried = ag_signature_carrier_wrap_thinking (cases[i].signature, cases[i].family);
      AgModelFamily family = cases[i].family == AG_MODEL_FAMILY_CLAUDE ? AG_MODEL_FAMILY_GEMINI
                                                                       : AG_MODEL_FAMILY_CLAUDE;

      g_assert_true (g_str_has_prefix (carried, cases[i].prefix));
      g_assert_cmpstr (ag_signature_carrier_unwrap_thinking (carried, &family), ==, cases[i].signature);
      g_assert_cmpint (family, ==, cases[i].family);
    }
}

/* What ag-cl did not issue is not a signature to replay: Anthropic's, another proxy's, an older build's raw one,
 * a placeholder inside the envelope, an unknown family letter. */
static void
test_thinking_foreign (void)
{
  const char *foreign[] = {
    SIG_CLAUDE, "agcl1c.short", "agcl1x." SIG_CLAUDE, "agcl1c" SIG_CLAUDE, "agcl2c." SIG_CLAUDE, "", NULL,
  };

  for (gsize i = 0; i < G_N_ELEMENTS (foreign); i++)
    g_assert_null (ag_signature_carrier_unwrap_thinking (foreign[i], NULL));
}

static void
test_tool_id_round_trip (void)
{
  g_autofree char *carried = ag_signature_carrier_wrap_tool_id ("toolu_abc", SIG_GEMINI);
  g_autofree char *signature = NULL;
  g_autofree char *id = ag_signature_carrier_unwrap_tool_id (carried, &signature);

  /* The id stays in the alphabet Anthropic allows for tool_use ids. */
  for (const char *p = carried; *p != '\0'; p++)
    g_assert_true (g_ascii_isalnum (*p) || *p == '_' || *p == '-');
  g_assert_true (g_str_has_prefix (carried, "toolu_abc_agsig1_"));
  g_assert_cmpstr (id, ==, "toolu_abc");
  g_assert_cmpstr (signature, ==, SIG_GEMINI);
}

static void
test_tool_id_without_signature (void)
{
  const struct { const char *signature; } cases[] = { { NULL }, { "short" }, { "not base64 but long enough: !!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!" } };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *carried = ag_signature_carrier_wrap_tool_id ("toolu_abc", cases[i].signature);
      g_autofree char *signature = NULL;
      g_autofree char *id = ag_signature_carrier_unwrap_tool_id (carried, &signature);

      g_assert_cmpstr (carried, ==, "toolu_abc");
      g_assert_cmpstr (id, ==, "toolu_abc");
      g_assert_null (signature);
    }
}

/* Padding comes back as it was, whatever the signature's length (Google's are not always padded). */
static void
test_tool_id_padding (void)
{
  const char *signatures[] = {
    "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5eg==",
    "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5ejE=",
    "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5ejEy",
    "CiQBjz1rX8K3mQ7pL2sW9vN4hT6yB1cF5gA0eZ7uI2oP9lM4nX6qS8rD3wE1tY5vC7bH0kJ2gR4fQ8zA1",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (signatures); i++)
    {
      g_autofree char *carried = ag_signature_carrier_wrap_tool_id ("call_1", signatures[i]);
      g_autofree char *signature = NULL;
      g_autofree char *id = ag_signature_carrier_unwrap_tool_id (carried, &signature);

      g_assert_cmpstr (signature, ==, signatures[i]);
      g_assert_cmpstr (id, ==, "call_1");
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/signature-carrier/thinking/round-trip", test_thinking_round_trip);
  g_test_add_func ("/signature-carrier/thinking/foreign", test_thinking_foreign);
  g_test_add_func ("/signature-carrier/tool-id/round-trip", test_tool_id_round_trip);
  g_test_add_func ("/signature-carrier/tool-id/without-signature", test_tool_id_without_signature);
  g_test_add_func ("/signature-carrier/tool-id/padding", test_tool_id_padding);
  return g_test_run ();
}
