#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# End to end: the real Gemini CLI (npm @google/gemini-cli, pinned in build-aux/install-agent-clients.sh) drives
# `ag-cl --headless` through Gemini's own API (GOOGLE_GEMINI_BASE_URL and an API key, in a throw-away HOME) against
# the mock Cloud Code server: `gemini -p` answering a prompt, and a tool call (write_file) it runs in --yolo mode
# before it answers with the tool's result.
# TAP output; needs AG_CL, AGCL_BUILD_DIR and a Secret Service (run inside build-aux/with-keyring.sh).
set -u

. "$(dirname "$0")/e2e-lib.sh"
GEMINI=${GEMINI:-$AGCL_BUILD_DIR/gemini-cli/node_modules/.bin/gemini}
require_client "$GEMINI" "build-aux/install-agent-clients.sh gemini-cli"

cat > "$WORK/script.json" <<JSON
{
  "generate": [
    {"match": {"has_function_response": true}, "respond": {"text": "The file is written."}},
    {"match": {"text_contains": "pong.txt"},
     "respond": {"function_call": {"name": "write_file",
                                   "args": {"file_path": "$WORK/project/pong.txt", "content": "PONG\\n"}}}}
  ]
}
JSON

start_mock "$WORK/script.json"
add_account rt-1 user1@example.com
start_proxy

# What a user's ~/.gemini/settings.json needs for an API key and a base URL (README, "Gemini CLI").
mkdir -p "$WORK/home/.gemini" "$WORK/tmp"
cat > "$WORK/home/.gemini/settings.json" <<'SETTINGS'
{
  "general": { "enableAutoUpdate": false, "enableAutoUpdateNotification": false },
  "privacy": { "usageStatisticsEnabled": false },
  "telemetry": { "enabled": false },
  "security": { "auth": { "selectedType": "gemini-api-key" } }
}
SETTINGS

run_gemini() {
  (cd "$WORK/project" && HOME="$WORK/home" GEMINI_API_KEY=ag-cl-test GOOGLE_GEMINI_BASE_URL="$PROXY_URL" \
   GEMINI_CLI_TRUST_WORKSPACE=true GEMINI_CLI_NO_RELAUNCH=true TMPDIR="$WORK/tmp" NO_COLOR=1 \
   timeout 300 "$GEMINI" -m gemini-3-flash "$@" < /dev/null)
}

echo "1..5"

# 1. A plain answer, streamed through streamGenerateContent.
out=$(run_gemini -p "Say hello" 2>"$WORK/gemini1.err")
if [ "$out" = "Hello from the mock." ]; then
  ok "gemini -p prints the mock's answer through ag-cl, once"
else
  not_ok "gemini -p prints the mock's answer through ag-cl, once" "stdout: $out" "stderr: $(tail -5 "$WORK/gemini1.err")" "proxy: $(tail -5 "$WORK/proxy.log")"
fi

# 2. A tool call: the CLI writes the file, sends the functionResponse back, and prints the answer to it.
out=$(run_gemini --yolo -p "Create pong.txt containing PONG" 2>"$WORK/gemini2.err")
if [ "$(cat "$WORK/project/pong.txt" 2>/dev/null)" = "PONG" ] && echo "$out" | grep -q "The file is written."; then
  ok "gemini --yolo runs the write_file call ag-cl relays and answers with its result"
else
  not_ok "gemini --yolo runs the write_file call ag-cl relays and answers with its result" "stdout: $out" "stderr: $(tail -8 "$WORK/gemini2.err")" "proxy: $(tail -5 "$WORK/proxy.log")"
fi

# 3. Upstream got the CLI's tool schemas as cleaned "parameters" and, on turn two, the functionResponse after the
#    call, the call carrying a thought signature as Gemini requires.
curl -s "$MOCK_URL/_mock/requests" > "$WORK/requests.json"
if python3 - "$WORK/requests.json" <<'PY'
import json, sys
declared = answered = False
for r in json.load(open(sys.argv[1])):
    body = r.get("body")
    request = body.get("request") if isinstance(body, dict) else None
    if not isinstance(request, dict):
        continue
    for tool in request.get("tools", []):
        for f in tool.get("functionDeclarations", []):
            if f["name"] == "write_file" and "parameters" in f and "parametersJsonSchema" not in f:
                declared = True
    parts = [p for c in request["contents"] for p in c.get("parts", [])]
    calls = [p for p in parts if "functionCall" in p and p.get("thoughtSignature")]
    answers = [p["functionResponse"] for p in parts if "functionResponse" in p]
    if calls and answers and answers[0]["name"] == "write_file":
        answered = True
sys.exit(0 if declared and answered else 1)
PY
then
  ok "tools went upstream as cleaned parameters, the result after the signed call"
else
  not_ok "tools went upstream as cleaned parameters, the result after the signed call" "requests: $(head -c 1500 "$WORK/requests.json")"
fi

# 4. With a local API key set, a fresh HOME that only `ag-cl setup gemini-cli` prepared (no key or base URL in the
#    environment) gets the answer: the key went into ~/.gemini/.env, which the CLI loads.
"$AG_CL" api-key generate > /dev/null 2>"$WORK/key.err" || not_ok "api-key generate" "$(cat "$WORK/key.err")"
trap '"$AG_CL" api-key clear >/dev/null 2>&1; e2e_cleanup' EXIT
sleep 1.5
mkdir -p "$WORK/home2" "$WORK/project2"
HOME="$WORK/home2" "$AG_CL" setup gemini-cli --url "$PROXY_URL" > "$WORK/setup.out" 2>&1
out=$(cd "$WORK/project2" && HOME="$WORK/home2" GEMINI_CLI_TRUST_WORKSPACE=true GEMINI_CLI_NO_RELAUNCH=true \
      TMPDIR="$WORK/tmp" NO_COLOR=1 timeout 300 "$GEMINI" -p "Say hello" < /dev/null 2>"$WORK/gemini4.err")
if [ "$out" = "Hello from the mock." ] && [ "$(stat -c %a "$WORK/home2/.gemini/.env")" = 600 ]; then
  ok "with a local API key, the settings ag-cl setup gemini-cli wrote are all the CLI needs"
else
  not_ok "with a local API key, the settings ag-cl setup gemini-cli wrote are all the CLI needs" "stdout: $out" "setup: $(cat "$WORK/setup.out")" "stderr: $(tail -5 "$WORK/gemini4.err")" "proxy: $(tail -3 "$WORK/proxy.log")"
fi

check_no_secret_leaked
exit $((failed > 0))
