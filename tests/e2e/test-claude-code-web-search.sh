#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# End to end: the real Claude Code CLI asks a question that makes it use its WebSearch tool. Claude Code answers
# the tool with a side request carrying the web_search server tool; ag-cl must serve it as a Google Search
# grounding call and return the mock's grounded answer as server_tool_use / web_search_tool_result / text blocks,
# which Claude Code hands back to the model as the tool's result. The mock's final answer is scripted to come only
# when that result holds the grounded text, and it must be Claude Code's final text.
# TAP output; needs AG_CL, AG_MOCK, CLAUDE (paths) and a Secret Service (run inside build-aux/with-keyring.sh).
set -u

. "$(dirname "$0")/e2e-lib.sh"
require_client "$CLAUDE" build-aux/install-claude-code.sh
FACT="FooLib 9.4.2 was released on 30 November 2026."
SOURCE="https://vertexaisearch.cloud.google.com/grounding-api-redirect/foolib-release-notes"

cat > "$WORK/script.json" <<JSON
{
  "generate": [
    {"match": {"text_contains": "Perform a web search for the query"},
     "respond": {"text": "$FACT It fixes the TLS regression.",
                 "grounding": {"queries": ["FooLib latest release"],
                               "sources": [{"uri": "$SOURCE", "title": "foolib.example.org"}],
                               "supports": [{"text": "$FACT", "sources": [0]}]}}},
    {"match": {"function_response_contains": "FooLib 9.4.2 was released on 30 November 2026"},
     "respond": {"text": "The newest FooLib is 9.4.2, released on 30 November 2026 (source: foolib.example.org)."}},
    {"match": {"text_contains": "FooLib"},
     "respond": {"function_call": {"name": "WebSearch", "id": "toolu_e2e_search_1",
                                   "args": {"query": "FooLib latest release"}}}}
  ]
}
JSON

start_mock "$WORK/script.json"
add_account rt-1 user1@example.com
start_proxy

echo "1..4"

out=$(run_claude "What is the newest release of FooLib? Search the web." --allowedTools WebSearch \
      --output-format stream-json --verbose 2>"$WORK/claude.err")
echo "$out" > "$WORK/transcript.jsonl"
[ -n "${AGCL_E2E_TRANSCRIPT:-}" ] && cp "$WORK/transcript.jsonl" "$AGCL_E2E_TRANSCRIPT"
curl -s "$MOCK_URL/_mock/requests" > "$WORK/requests.json"

# 1. The search reached Google as a grounding call.
if python3 - "$WORK/requests.json" <<'PY'
import json, sys
calls = [r["body"] for r in json.load(open(sys.argv[1])) if r["path"].endswith(":streamGenerateContent")]
searches = [c for c in calls if c.get("requestType") == "web_search"]
assert len(searches) == 1, f"{len(searches)} grounding calls"
s = searches[0]
assert s["model"] == "gemini-3-flash", s["model"]
assert s["request"]["tools"] == [{"googleSearch": {}}], s["request"]["tools"]
assert "sessionId" not in s["request"]
assert "FooLib latest release" in json.dumps(s["request"]["contents"])
PY
then
  ok "Claude Code's WebSearch became one Google Search grounding call"
else
  not_ok "Claude Code's WebSearch became one Google Search grounding call" "requests: $(head -c 2000 "$WORK/requests.json")"
fi

# 2. The grounded answer and its source came back to the model as the tool's result.
if python3 - "$WORK/requests.json" "$SOURCE" <<'PY'
import json, sys
calls = [r["body"] for r in json.load(open(sys.argv[1])) if r["path"].endswith(":streamGenerateContent")]
responses = [json.dumps(p["functionResponse"]) for c in calls for content in c["request"]["contents"]
             for p in content.get("parts", []) if "functionResponse" in p]
assert any("FooLib 9.4.2 was released on 30 November 2026" in r and sys.argv[2] in r for r in responses), responses
PY
then
  ok "the tool result Claude Code sent back holds the grounded text and its source"
else
  not_ok "the tool result Claude Code sent back holds the grounded text and its source" "requests: $(tail -c 3000 "$WORK/requests.json")"
fi

# 3. Claude Code's final text is the answer built on the search.
if echo "$out" | python3 -c '
import json, sys
result = [json.loads(l) for l in sys.stdin if l.strip().startswith("{") and "\"type\":\"result\"" in l][-1]
sys.exit(0 if not result.get("is_error") and "9.4.2" in result.get("result", "") else 1)'; then
  ok "Claude Code's final answer carries the search's finding"
else
  not_ok "Claude Code's final answer carries the search's finding" "output: $(echo "$out" | tail -c 1500)" "stderr: $(tail -5 "$WORK/claude.err")" "proxy: $(tail -5 "$WORK/proxy.log")"
fi

check_no_secret_leaked
exit $((failed > 0))
