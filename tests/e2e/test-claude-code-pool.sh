#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# End to end, many accounts: the real Claude Code CLI runs a session with two parallel subagents through ag-cl
# (Claude Code 2.1.3xx runs them in the background and reports their end as a "SYSTEM NOTIFICATION" turn)
# while the first account's quota is exhausted for hours and the second is rate-limited on its first requests.
# The session must finish without the client seeing an error, and the request log must say who served what, why.
set -u

. "$(dirname "$0")/e2e-lib.sh"
require_client "$CLAUDE" build-aux/install-claude-code.sh

subagent_call() {  # id letter
  printf '{"functionCall":{"name":"Agent","id":"toolu_sub_%s","args":{"description":"Subagent %s","prompt":"SUBAGENT-%s: reply with the word done","subagent_type":"general-purpose"}}}' "$1" "$1" "$1"
}

cat > "$WORK/script.json" <<JSON
{
  "accounts": [{"refresh_token": "rt-1"}, {"refresh_token": "rt-2"}, {"refresh_token": "rt-3"}],
  "generate": [
    {"match": {"account": "user1@example.com"},
     "respond": {"error_preset": "quota_exhausted", "reset_delay": "3h12m5.5s"}},
    {"match": {"account": "user2@example.com"}, "times": 3,
     "respond": {"error_preset": "rate_limit", "retry_delay": "0.3s"}},
    {"match": {"text_contains": "SUBAGENT-A"}, "respond": {"text": "Subagent A is done."}},
    {"match": {"text_contains": "SUBAGENT-B"}, "respond": {"text": "Subagent B is done."}},
    {"match": {"has_function_response": true}, "respond": {"text": "Both subagents finished."}},
    {"match": {"text_contains": "SYSTEM NOTIFICATION"}, "respond": {"text": "Both subagents finished."}},
    {"match": {"text_contains": "two subagents"},
     "respond": {"chunks": [
       {"candidates": [{"content": {"role": "model", "parts": [{"text": "Starting two subagents."}]}}]},
       {"candidates": [{"content": {"role": "model", "parts": [$(subagent_call A), $(subagent_call B)]},
                        "finishReason": "STOP"}],
        "usageMetadata": {"promptTokenCount": 900, "candidatesTokenCount": 40, "totalTokenCount": 940}}]}}
  ]
}
JSON

# The exhausted account is the one the pool prefers, so the first request meets its quota and rotates, whatever
# order the keyring hands the accounts over in.
mkdir -p "$WORK/config/glib-2.0/settings"
printf "[io/github/agcl/AgCl]\npreferred-account='user1@example.com'\n" > "$WORK/config/glib-2.0/settings/keyfile"
export GSETTINGS_BACKEND=keyfile XDG_CONFIG_HOME="$WORK/config"

start_mock "$WORK/script.json"
add_account rt-1 user1@example.com
add_account rt-2 user2@example.com
add_account rt-3 user3@example.com
start_proxy

echo "1..4"

out=$(run_claude "Run two subagents in parallel, then summarise" --allowedTools Agent --output-format json \
      2>"$WORK/claude.err")
if python3 -c 'import json,sys; r=json.loads(sys.argv[1]); sys.exit(0 if not r.get("is_error") and "Both subagents finished." in r.get("result","") else 1)' "$out" 2>/dev/null; then
  ok "a session with two parallel subagents finishes while accounts are exhausted and rate-limited"
else
  not_ok "a session with two parallel subagents finishes while accounts are exhausted and rate-limited" \
         "output: $out" "stderr: $(tail -5 "$WORK/claude.err")" "proxy: $(tail -15 "$WORK/proxy.log")"
fi

# Both subagents really ran (each sent its own request upstream).
curl -s "$MOCK_URL/_mock/requests" > "$WORK/requests.json"
if grep -q "SUBAGENT-A" "$WORK/requests.json" && grep -q "SUBAGENT-B" "$WORK/requests.json"; then
  ok "both subagents reached upstream"
else
  not_ok "both subagents reached upstream"
fi

# The request log: every request ok or answered locally, the rotations and retries recorded with their reasons.
sleep 0.5
"$AG_CL" log --json --limit 1000 > "$WORK/log.json" 2>"$WORK/log.err"
if python3 - "$WORK/log.json" <<'PY'
import json, sys
rows = json.load(open(sys.argv[1]))
requests = [r for r in rows if r["outcome"] != "intercepted"]
attempts = [a for r in requests for a in r["attempts"]]
rotations = sum(1 for a in attempts if a.get("account") and a.get("reason") == "quota")
retries = sum(1 for a in attempts if a.get("account") and a.get("reason") == "rate_limit")
errors = [r for r in requests if r["outcome"] != "ok"]
served = {}
for r in requests:
    served[r.get("account")] = served.get(r.get("account"), 0) + 1
print(f"# requests {len(requests)}, intercepted {len(rows) - len(requests)}, rotations (quota) {rotations}, "
      f"retries (rate limit) {retries}, errors seen by the client {len(errors)}, served by {served}")
ok = (len(requests) >= 4 and not errors and rotations >= 1 and retries >= 1
      and "user1@example.com" not in served)
sys.exit(0 if ok else 1)
PY
then
  ok "the request log shows who served what and why, with no client-visible error"
else
  not_ok "the request log shows who served what and why, with no client-visible error" "log: $(head -c 3000 "$WORK/log.json")" "$(cat "$WORK/log.err")"
fi


check_no_secret_leaked
exit $((failed > 0))
