#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# End to end: require-api-key on (a shared computer), every real agent set up by `ag-cl setup …` alone — Claude
# Code, Codex CLI, Gemini CLI — and the openai SDK with the key it was given, each answered through ag-cl; the same
# clients without the key are refused (401), so the key really is asked of local clients.
# TAP output; needs AG_CL, AGCL_BUILD_DIR and a Secret Service (run inside build-aux/with-keyring.sh).
set -u

. "$(dirname "$0")/e2e-lib.sh"
CODEX=${CODEX:-$AGCL_BUILD_DIR/codex/node_modules/.bin/codex}
GEMINI=${GEMINI:-$AGCL_BUILD_DIR/gemini-cli/node_modules/.bin/gemini}
OPENAI_SDK_DIR=${OPENAI_SDK_DIR:-$AGCL_BUILD_DIR/openai-sdk}
DRIVER="$(cd "$(dirname "$0")" && pwd)/openai-sdk.cjs"
require_client "$CLAUDE" "build-aux/install-claude-code.sh"
require_client "$CODEX" "build-aux/install-agent-clients.sh codex"
require_client "$GEMINI" "build-aux/install-agent-clients.sh gemini-cli"
require_client "$OPENAI_SDK_DIR/node_modules/openai/package.json" "build-aux/install-agent-clients.sh openai-sdk"

echo "{}" > "$WORK/script.json"
start_mock "$WORK/script.json"
add_account rt-1 user1@example.com
KEY=$("$AG_CL" api-key generate 2>"$WORK/key.err") || bail "api-key generate: $(cat "$WORK/key.err")"
trap '"$AG_CL" api-key clear >/dev/null 2>&1; e2e_cleanup' EXIT
export AGCL_REQUIRE_API_KEY=1
start_proxy
grep -q "local API key: set, required from every client" "$WORK/proxy.log" || bail "require-api-key is not in force: $(head -3 "$WORK/proxy.log")"

# Each agent's settings, written by ag-cl alone into a fresh HOME.
mkdir -p "$WORK/tmp"
for agent in claude-code codex gemini-cli; do
  HOME="$WORK/home" "$AG_CL" setup "$agent" --url "$PROXY_URL" > "$WORK/setup-$agent.out" 2>&1 ||
    bail "ag-cl setup $agent: $(cat "$WORK/setup-$agent.out")"
done

echo "1..9"

claude() {  # HOME only: the settings carry the base URL and the key
  (cd "$WORK/project" && env -u ANTHROPIC_API_KEY -u ANTHROPIC_AUTH_TOKEN -u ANTHROPIC_BASE_URL HOME="$WORK/home" \
   CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1 DISABLE_TELEMETRY=1 DISABLE_AUTOUPDATER=1 \
   timeout 300 "$CLAUDE" -p "Say hello" --output-format json < /dev/null)
}
codex() {
  (cd "$WORK/project" && HOME="$WORK/home" NO_COLOR=1 \
   timeout 300 "$CODEX" exec --skip-git-repo-check "Say hello" < /dev/null)
}
gemini() {
  (cd "$WORK/project" && HOME="$WORK/home" GEMINI_CLI_TRUST_WORKSPACE=true GEMINI_CLI_NO_RELAUNCH=true \
   TMPDIR="$WORK/tmp" NO_COLOR=1 timeout 300 "$GEMINI" -p "Say hello" < /dev/null)
}
sdk() {  # KEY
  (cd "$WORK" && OPENAI_SDK_DIR="$OPENAI_SDK_DIR" OPENAI_BASE_URL="$PROXY_URL/v1" OPENAI_API_KEY="$1" \
   MODEL=claude-sonnet-4-6 timeout 120 node "$DRIVER" chat)
}

check() {  # NAME OUTPUT_FILE PATTERN
  if grep -q "$3" "$2"; then ok "$1"; else not_ok "$1" "output: $(tail -c 600 "$2")" "proxy: $(tail -3 "$WORK/proxy.log")"; fi
}

claude > "$WORK/claude.out" 2>&1;  check "Claude Code set up by ag-cl setup answers with require-api-key on" "$WORK/claude.out" "Hello from the mock."
codex > "$WORK/codex.out" 2>&1;    check "Codex CLI set up by ag-cl setup answers with require-api-key on" "$WORK/codex.out" "Hello from the mock."
gemini > "$WORK/gemini.out" 2>&1;  check "Gemini CLI set up by ag-cl setup answers with require-api-key on" "$WORK/gemini.out" "Hello from the mock."
sdk "$KEY" > "$WORK/sdk.out" 2>&1; check "the openai SDK with the key answers with require-api-key on" "$WORK/sdk.out" "Hello from the mock."

# Without the key the same clients are refused, before anything goes upstream.
before=$(curl -s "$MOCK_URL/_mock/requests" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
sdk ag-cl-test > "$WORK/sdk-nokey.out" 2>&1
check "the openai SDK without the key is refused with 401" "$WORK/sdk-nokey.out" "401"
status=$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' -H 'x-api-key: ag-cl' \
  --data '{"model":"claude-sonnet-4-6","max_tokens":8,"messages":[{"role":"user","content":"hi"}]}' "$PROXY_URL/v1/messages")
[ "$status" = 401 ] && ok "an Anthropic client with a placeholder key is refused with 401" || not_ok "an Anthropic client with a placeholder key is refused with 401" "status $status"
status=$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
  --data '{"contents":[{"role":"user","parts":[{"text":"hi"}]}]}' "$PROXY_URL/v1beta/models/gemini-3-flash:generateContent")
[ "$status" = 401 ] && ok "a Gemini client without the key is refused with 401" || not_ok "a Gemini client without the key is refused with 401" "status $status"
after=$(curl -s "$MOCK_URL/_mock/requests" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
[ "$before" = "$after" ] && ok "nothing refused went upstream" || not_ok "nothing refused went upstream" "$before → $after"
check_no_secret_leaked
exit $((failed > 0))
