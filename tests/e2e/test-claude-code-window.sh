#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# End to end, a session longer than the upstream window: the real Claude Code CLI (default model, which it treats
# as a 1M-token model) runs a Bash loop whose outputs grow the conversation by ~7k tokens a turn towards the
# 200k-token window of claude-opus-4-6-thinking, which the mock enforces with Google's own refusal (tokens counted
# as body bytes / 4; Claude Code sends tool outputs under ~30 KB inline). Claude Code must compact before upstream
# refuses: after a refusal it can only compact reactively, which fails once the compaction request itself no longer
# fits. TAP; needs AG_CL, AG_MOCK, CLAUDE and a Secret Service (build-aux/with-keyring.sh).
set -u

. "$(dirname "$0")/e2e-lib.sh"

cat > "$WORK/script.json" <<JSON
{
  "generate": [
    {"match": {"text_contains": "TEXT ONLY"}, "respond": {"text": "<summary>We printed long listings.</summary>"}},
    {"match": {"has_function_response": true}, "times": 40,
     "respond": {"function_call": {"name": "Bash", "args": {"command": "seq 100000 103999",
                                                            "description": "Another listing"}}}},
    {"match": {"has_function_response": true}, "respond": {"text": "All listings printed."}},
    {"match": {"text_contains": "listings"},
     "respond": {"function_call": {"name": "Bash", "args": {"command": "seq 100000 103999",
                                                            "description": "A listing"}}}}
  ]
}
JSON

start_mock "$WORK/script.json"
add_account rt-1 user1@example.com
start_proxy

echo "1..3"
out=$(run_claude "Print long listings until I stop you" --allowedTools Bash --output-format stream-json --verbose \
      2>"$WORK/claude.err")
echo "$out" > "$WORK/claude.out"
curl -s "$MOCK_URL/_mock/requests" > "$WORK/requests.json"
largest=$(python3 - "$WORK/requests.json" <<'PY'
import json, sys
sizes = [len(json.dumps(r["body"])) for r in json.load(open(sys.argv[1])) if r["path"].endswith("GenerateContent")]
print((max(sizes) + 3) // 4)
PY
)

# Claude Code says which window it assumed ("contextWindow" in its result): 1M for its default model.
window=$(grep -o '"contextWindow":[0-9]*' "$WORK/claude.out" | head -1)
if grep -q '"subtype":"compact_boundary"' "$WORK/claude.out" && grep -q '"subtype":"success"' "$WORK/claude.out" &&
   grep -q "All listings printed." "$WORK/claude.out"; then
  ok "Claude Code ($window) compacted before the 200k upstream window filled and finished"
else
  not_ok "Claude Code compacted before the upstream window filled and finished" "output: $(tail -c 600 "$WORK/claude.out")" \
    "proxy: $(grep POST "$WORK/proxy.log" | tail -2)"
fi
if ! grep -q ": 400 in" "$WORK/proxy.log"; then
  ok "upstream never refused the input as too long"
else
  not_ok "upstream never refused the input as too long" "proxy: $(grep ': 400 in' "$WORK/proxy.log" | head -2)"
fi
# The session did cross into the last fifth of the window, where ag-cl tells Claude Code its context is full.
if [ "$largest" -ge 160000 ]; then
  ok "the session reached $largest of 200000 tokens before compacting"
else
  not_ok "the session reached 160000 of 200000 tokens before compacting" "largest request: ~$largest tokens"
fi
exit $((failed > 0))
