#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# End to end, conversations that survive: the real Claude Code CLI runs a thinking + tool loop through ag-cl
# (a Claude model, then a Gemini one), ag-cl is restarted, and `claude --continue` goes on with the same session;
# the mock refuses any signature it did not issue and any Gemini call without one, so a lost signature fails the
# continued turn. Then a tool call is cut short (Claude Code killed while its Bash tool runs) and a new prompt
# continues the session. TAP; needs AG_CL, AG_MOCK, CLAUDE and a Secret Service (build-aux/with-keyring.sh).
set -u

. "$(dirname "$0")/e2e-lib.sh"
CLAUDE_SIG="EqQDCkYIBxgCKkE2eRestartClaude+Signature/ThatMustSurviveARestartOfAgClBetweenTurns0123456789=="
GEMINI_SIG="CiQBjz1rE2eRestartGemini+Signature/ThatMustSurviveARestartOfAgClBetweenTurns0123456789ab="

cat > "$WORK/script.json" <<JSON
{
  "generate": [
    {"match": {"text_contains": "What did you write"}, "respond": {"text": "I wrote the notes file."}},
    {"match": {"text_contains": "Forget that"}, "respond": {"text": "Hello again."}},
    {"match": {"has_function_response": true}, "respond": {"text": "Done with the tool."}},
    {"match": {"text_contains": "notes-claude"},
     "respond": {"thinking": "I will write the file.", "signature": "$CLAUDE_SIG",
                 "function_call": {"name": "Write", "args": {"file_path": "$WORK/project/notes-claude.txt",
                                                             "content": "claude notes\n"}}}},
    {"match": {"text_contains": "notes-gemini"},
     "respond": {"thinking": "I will write the file.", "signature": "$GEMINI_SIG",
                 "function_call": {"name": "Write", "args": {"file_path": "$WORK/project/notes-gemini.txt",
                                                             "content": "gemini notes\n"}}}},
    {"match": {"text_contains": "bad arguments"},
     "respond": {"function_call": {"name": "Write", "id": "toolu_e2e_bad_1",
                                   "args": {"file_path": 42}}}},
    {"match": {"text_contains": "slow check"},
     "respond": {"function_call": {"name": "Bash", "id": "toolu_e2e_slow_1",
                                   "args": {"command": "echo \$\$ > $WORK/started; exec sleep 120",
                                            "description": "Slow check"}}}}
  ]
}
JSON

start_mock "$WORK/script.json"
add_account rt-1 user1@example.com
start_proxy

restart_proxy() {
  kill "$PROXY_PID" && wait "$PROXY_PID" 2>/dev/null
  start_proxy
}

# upstream_has FAMILY SIGNATURE: the last generate request carried SIGNATURE on the thinking (claude) or on the
# function call (gemini; the sentinel would do for Google, but not for the model's reasoning).
upstream_has() {
  curl -s "$MOCK_URL/_mock/requests" > "$WORK/requests.json"
  python3 - "$WORK/requests.json" "$1" "$2" <<'PY'
import json, sys
requests = [r for r in json.load(open(sys.argv[1])) if r["path"].endswith(":streamGenerateContent")]
parts = [p for c in requests[-1]["body"]["request"]["contents"] for p in c.get("parts", [])]
kind = "thought" if sys.argv[2] == "claude" else "functionCall"
sys.exit(0 if any(p.get("thoughtSignature") == sys.argv[3] and kind in p for p in parts) else 1)
PY
}

echo "1..9"

# 1–4. A thinking + tool loop, ag-cl restarted, then --continue: for a Claude model and for a Gemini model.
for family in claude gemini; do
  if [ $family = claude ]; then model=claude-opus-4-8 sig=$CLAUDE_SIG; else model=gemini-3-flash sig=$GEMINI_SIG; fi
  rm -rf "$WORK/home/.claude/projects"
  out=$(run_claude "Write notes-$family.txt" --model $model --allowedTools Write --output-format json \
        2>"$WORK/$family-1.err")
  restart_proxy
  out2=$(run_claude --continue "What did you write?" --model $model --output-format json 2>"$WORK/$family-2.err")
  if [ -f "$WORK/project/notes-$family.txt" ] && echo "$out" | grep -q "Done with the tool" &&
     python3 -c 'import json,sys; r=json.loads(sys.argv[1]); sys.exit(0 if not r.get("is_error") and "I wrote the notes file." in r.get("result","") else 1)' "$out2" 2>/dev/null; then
    ok "$family: a tool loop, ag-cl restarted, claude --continue goes on"
  else
    not_ok "$family: a tool loop, ag-cl restarted, claude --continue goes on" "first: $out" "second: $out2" \
      "stderr: $(tail -3 "$WORK/$family-2.err")" "proxy: $(tail -3 "$WORK/proxy.log")"
  fi
  if upstream_has $family "$sig"; then
    ok "$family: the turn after the restart sent Google's signature of the first turn upstream"
  else
    not_ok "$family: the turn after the restart sent Google's signature of the first turn upstream" \
      "request: $(tail -c 1500 "$WORK/requests.json")"
  fi
done

# 5–6. Claude Code killed while its Bash tool runs (the tool_use has no tool_result), then a new prompt.
rm -rf "$WORK/home/.claude/projects" "$WORK/started"
(cd "$WORK/project" && HOME="$WORK/home" ANTHROPIC_BASE_URL="$PROXY_URL" ANTHROPIC_API_KEY=ag-cl-test \
 CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1 DISABLE_TELEMETRY=1 DISABLE_AUTOUPDATER=1 \
 exec "$CLAUDE" -p "Run the slow check" --allowedTools Bash --output-format json < /dev/null \
 > "$WORK/slow.out" 2> "$WORK/slow.err") &
claude_pid=$!
for _ in $(seq 300); do [ -s "$WORK/started" ] && break; sleep 0.1; done
kill -KILL "$claude_pid" 2>/dev/null; wait "$claude_pid" 2>/dev/null
[ -s "$WORK/started" ] && kill "$(cat "$WORK/started")" 2>/dev/null
out=$(run_claude --continue "Forget that; say hello" --output-format json 2>"$WORK/continue.err")
if [ -s "$WORK/started" ] &&
   python3 -c 'import json,sys; r=json.loads(sys.argv[1]); sys.exit(0 if not r.get("is_error") and "Hello again." in r.get("result","") else 1)' "$out" 2>/dev/null; then
  ok "an interrupted tool call, then a new prompt: the session goes on"
else
  not_ok "an interrupted tool call, then a new prompt: the session goes on" "output: $out" \
    "stderr: $(tail -3 "$WORK/continue.err")" "proxy: $(tail -3 "$WORK/proxy.log")"
fi
# Upstream got the cut-short call answered, by Claude Code itself or by ag-cl's repair (the log says which).
curl -s "$MOCK_URL/_mock/requests" > "$WORK/requests.json"
if python3 - "$WORK/requests.json" <<'PY'
import json, sys
requests = [r for r in json.load(open(sys.argv[1])) if r["path"].endswith(":streamGenerateContent")]
contents = requests[-1]["body"]["request"]["contents"]
for i, c in enumerate(contents):
    if any(p.get("functionCall", {}).get("id") == "toolu_e2e_slow_1" for p in c.get("parts", [])):
        nxt = contents[i + 1]["parts"] if i + 1 < len(contents) else []
        sys.exit(0 if any(p.get("functionResponse", {}).get("id") == "toolu_e2e_slow_1" for p in nxt) else 1)
sys.exit(1)
PY
then
  # Claude Code 2.1.332 answers a call cut short by itself when it resumes; ag-cl repairs what a client leaves.
  if grep -q "repaired: interrupted:toolu_e2e_slow_1" "$WORK/proxy.log"; then by="ag-cl's repair"; else by="Claude Code"; fi
  ok "the interrupted call went upstream answered (by $by)"
else
  not_ok "the interrupted call went upstream answered" "request: $(tail -c 1500 "$WORK/requests.json")"
fi

# 8–9. A call whose arguments do not match the tool's schema (no "content", a number for "file_path"): ag-cl passes
#      it on as upstream sent it; Claude Code refuses it with its own validation error as an is_error tool_result,
#      which goes upstream as the functionResponse's error, so the model can correct itself.
rm -rf "$WORK/home/.claude/projects"
out=$(run_claude "Use bad arguments" --allowedTools Write --output-format json 2>"$WORK/bad.err")
if python3 -c 'import json,sys; r=json.loads(sys.argv[1]); sys.exit(0 if not r.get("is_error") and "Done with the tool." in r.get("result","") else 1)' "$out" 2>/dev/null; then
  ok "a call with arguments that do not match the schema: the session goes on"
else
  not_ok "a call with arguments that do not match the schema: the session goes on" "output: $out" \
    "stderr: $(tail -3 "$WORK/bad.err")"
fi
curl -s "$MOCK_URL/_mock/requests" > "$WORK/requests.json"
if python3 - "$WORK/requests.json" <<'PY'
import json, sys
requests = [r for r in json.load(open(sys.argv[1])) if r["path"].endswith(":streamGenerateContent")]
parts = requests[-1]["body"]["request"]["contents"][-1]["parts"]
errors = [p["functionResponse"]["response"].get("error", "") for p in parts
          if p.get("functionResponse", {}).get("id") == "toolu_e2e_bad_1"]
sys.exit(0 if errors and "InputValidationError" in errors[0] else 1)
PY
then
  ok "Claude Code's validation error went upstream as the call's functionResponse error"
else
  not_ok "Claude Code's validation error went upstream as the call's functionResponse error" \
    "request: $(tail -c 1500 "$WORK/requests.json")"
fi

check_no_secret_leaked
exit $((failed > 0))
