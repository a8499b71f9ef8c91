#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# End to end, Google's weekly quota window: the real Claude Code CLI through ag-cl while the preferred account has
# used up its weekly Claude window (the quota summary says so, and its 429 names a reset 71h15m away). Claude Code
# gets its answer from the other account; when both have used it up, it prints a message naming the day and time of
# the reset, and does not retry for days.
set -u

. "$(dirname "$0")/e2e-lib.sh"
require_client "$CLAUDE" build-aux/install-claude-code.sh

write_script() {  # weekly_exhausted of user2: "claude" or "none"
  cat > "$WORK/script.json" <<JSON
{
  "accounts": [{"refresh_token": "rt-1", "weekly_exhausted": "claude"},
               {"refresh_token": "rt-2", "weekly_exhausted": "$1"}],
  "generate": [{"match": {"text_contains": "capital of France"}, "respond": {"text": "Paris, from the mock."}}]
}
JSON
}

# The used-up account is the one the pool prefers.
mkdir -p "$WORK/config/glib-2.0/settings"
printf "[io/github/agcl/AgCl]\npreferred-account='user1@example.com'\n" > "$WORK/config/glib-2.0/settings/keyfile"
export GSETTINGS_BACKEND=keyfile XDG_CONFIG_HOME="$WORK/config"

write_script none
start_mock "$WORK/script.json"
add_account rt-1 user1@example.com
add_account rt-2 user2@example.com
start_proxy

echo "1..4"

out=$(run_claude "What is the capital of France?" --output-format json 2>"$WORK/claude.err")
if python3 -c 'import json,sys; r=json.loads(sys.argv[1]); sys.exit(0 if not r.get("is_error") and "Paris, from the mock." in r.get("result","") else 1)' "$out" 2>/dev/null; then
  ok "Claude Code gets its answer from the account whose week is not used up"
else
  not_ok "Claude Code gets its answer from the account whose week is not used up" \
         "output: $out" "stderr: $(tail -5 "$WORK/claude.err")" "proxy: $(tail -15 "$WORK/proxy.log")"
fi

curl -s "$MOCK_URL/_mock/requests" > "$WORK/requests.json"
if python3 - "$WORK/requests.json" <<'PY'
import json, sys
reqs = [r for r in json.load(open(sys.argv[1])) if r["path"].endswith(":streamGenerateContent")
        and str(r["body"].get("model", "")).startswith("claude-")]
user1 = [r for r in reqs if r["body"].get("project") == "proj-1"]
print(f"# Claude generate requests {len(reqs)}, to the used-up account {len(user1)}")
sys.exit(0 if reqs and len(user1) <= 1 else 1)
PY
then
  ok "at most one request went to the used-up account"
else
  not_ok "at most one request went to the used-up account" "$(head -c 2000 "$WORK/requests.json")"
fi

# Both weeks used up: a clear message naming the day and time, at once.
write_script claude
curl -s -X POST --data-binary @"$WORK/script.json" "$MOCK_URL/_mock/script" > /dev/null
day=$(LC_ALL=C date -d "+71 hours 15 minutes" +%a)
start=$(date +%s)
out=$(run_claude "What is the capital of France, really?" --output-format json 2>"$WORK/claude2.err")
elapsed=$(( $(date +%s) - start ))
echo "# Claude Code printed: $(python3 -c 'import json,sys; print(json.loads(sys.argv[1]).get("result",""))' "$out" 2>/dev/null)"
if python3 -c '
import json, sys
r = json.loads(sys.argv[1])
text = r.get("result", "")
sys.exit(0 if r.get("is_error") and "used up their quota" in text and ("at " + sys.argv[2] + " ") in text else 1)
' "$out" "$day" 2>/dev/null && [ "$elapsed" -lt 60 ]; then
  ok "with every week used up, Claude Code shows when it resets ($day …) and stops in ${elapsed}s"
else
  not_ok "with every week used up, Claude Code shows when it resets ($day …) and stops" "after ${elapsed}s" \
         "output: $out" "stderr: $(tail -5 "$WORK/claude2.err")" "proxy: $(tail -15 "$WORK/proxy.log")"
fi

check_no_secret_leaked
exit $((failed > 0))
