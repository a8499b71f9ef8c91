/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "ag-test-mock.h"

AgMockServer *
ag_test_mock_new (const char *script_json)
{
  return ag_test_mock_new_over_tls (script_json, NULL);
}

AgMockServer *
ag_test_mock_new_over_tls (const char *script_json, GTlsCertificate *certificate)
{
  AgMockServer *mock = ag_mock_server_new ();
  g_autoptr(GError) error = NULL;

  if (certificate != NULL)
    ag_mock_server_set_tls_certificate (mock, certificate);
  g_assert_true (ag_mock_server_listen (mock, 0, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (ag_mock_server_get_port (mock), >, 0);
  if (script_json != NULL)
    ag_test_mock_set_script (mock, script_json);
  return mock;
}

AgMockServer *
ag_test_mock_start (const char *script_json)
{
  AgMockServer *mock = ag_test_mock_new (script_json);
  g_auto(GStrv) env = ag_mock_server_environ (mock, g_new0 (char *, 1));

  for (guint i = 0; env[i] != NULL; i++)
    {
      g_auto(GStrv) pair = g_strsplit (env[i], "=", 2);

      g_assert_nonnull (pair[1]);
      g_setenv (pair[0], pair[1], TRUE);
    }
  return mock;
}

void
ag_test_mock_set_script (AgMockServer *mock, const char *script_json)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (ag_mock_server_set_script_json (mock, script_json, &error));
  g_assert_no_error (error);
}

JsonArray *
ag_test_mock_requests (AgMockServer *mock, const char *suffix)
{
  g_autoptr(JsonNode) requests = ag_mock_server_get_requests (mock);
  JsonArray *all = json_node_get_array (requests);
  JsonArray *out = json_array_new ();

  for (guint i = 0; i < json_array_get_length (all); i++)
    {
      JsonObject *request = json_array_get_object_element (all, i);

      if (suffix == NULL || g_str_has_suffix (json_object_get_string_member (request, "path"), suffix))
        json_array_add_object_element (out, json_object_ref (request));
    }
  return out;
}

JsonObject *
ag_test_mock_last_request (AgMockServer *mock, const char *suffix)
{
  g_autoptr(JsonArray) requests = ag_test_mock_requests (mock, suffix);
  guint n = json_array_get_length (requests);

  if (n == 0)
    g_error ("no recorded request ends with %s", suffix != NULL ? suffix : "anything");
  return json_object_ref (json_array_get_object_element (requests, n - 1));
}
