#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# End to end: the real `openai` npm SDK (pinned in build-aux/install-agent-clients.sh) against `ag-cl --headless`
# and the mock Cloud Code server: the model list, Chat Completions whole and streamed (through the SDK's .stream()
# helper, which checks the chunk sequence), a tool round trip, a tool output for no call, and the Responses API.
# TAP output; needs AG_CL, AGCL_BUILD_DIR and a Secret Service (run inside build-aux/with-keyring.sh).
set -u

. "$(dirname "$0")/e2e-lib.sh"
OPENAI_SDK_DIR=${OPENAI_SDK_DIR:-$AGCL_BUILD_DIR/openai-sdk}
require_client "$OPENAI_SDK_DIR/node_modules/openai/package.json" "build-aux/install-agent-clients.sh openai-sdk"
DRIVER="$(cd "$(dirname "$0")" && pwd)/openai-sdk.cjs"

cat > "$WORK/script.json" <<'JSON'
{
  "generate": [
    {"match": {"has_function_response": true}, "respond": {"text": "It is 21 degrees in Paris."}},
    {"match": {"text_contains": "weather"},
     "respond": {"function_call": {"name": "get_weather", "args": {"location": "Paris"}}}},
    {"match": {"text_contains": "stream"}, "respond": {"text": "Streaming through ag-cl works, piece by piece."}}
  ]
}
JSON

start_mock "$WORK/script.json"
add_account rt-1 user1@example.com
start_proxy

# sdk CASE MODEL: the driver's JSON line in $out; its stderr in $WORK/CASE.err.
sdk() {
  out=$(cd "$WORK" && OPENAI_SDK_DIR="$OPENAI_SDK_DIR" OPENAI_BASE_URL="$PROXY_URL/v1" OPENAI_API_KEY=ag-cl-test \
        MODEL="$2" timeout 120 node "$DRIVER" "$1" 2>"$WORK/$1.err")
}
# expect NAME PYTHON_CONDITION: the condition sees the driver's result as r.
expect() {
  if [ -n "$out" ] && python3 -c "import json,sys; r=json.loads(sys.argv[1]); sys.exit(0 if ($2) else 1)" "$out" 2>/dev/null; then
    ok "$1"
  else
    not_ok "$1" "result: $out" "stderr: $(tail -5 "$WORK/${current}.err" 2>/dev/null)" "proxy: $(tail -3 "$WORK/proxy.log")"
  fi
}
run() { current=$1; sdk "$1" "$2"; }

echo "1..9"

run models claude-sonnet-4-6
expect "models.list() reads OpenAI's list with the upstream catalogue" "'claude-sonnet-4-6' in r['ids'] and 'gemini-3-flash' in r['ids']"

run chat claude-sonnet-4-6
expect "chat.completions.create answers whole, with finish_reason stop and usage" \
  "r['text'] == 'Hello from the mock.' and r['finish'] == 'stop' and r['usage']['total_tokens'] == r['usage']['prompt_tokens'] + r['usage']['completion_tokens'] > 0"

run chat-stream gemini-3-flash
expect "chat.completions.stream() accepts the chunk sequence; usage comes in the last chunk" \
  "r['text'] == 'Streaming through ag-cl works, piece by piece.' and r['deltas'] >= 2 and r['finish'] == 'stop' and r['usage']['completion_tokens'] > 0"

run chat-tool claude-sonnet-4-6
expect "a chat tool round trip: tool_calls streamed, the tool result answered" \
  "r['finish1'] == 'tool_calls' and r['tool'] == 'get_weather' and r['args'] == {'location': 'Paris'} and r['text'] == 'It is 21 degrees in Paris.'"

run chat-bad-tool-output claude-sonnet-4-6
expect "a tool output for no call is a 400 in OpenAI's shape" \
  "r['status'] == 400 and r['type'] == 'invalid_request_error' and 'call_nowhere' in r['message']"

run responses-stream claude-sonnet-4-6
expect "responses.stream() accepts the event sequence" \
  "r['text'] == 'Streaming through ag-cl works, piece by piece.' and r['status'] == 'completed' and r['deltas'] >= 2 and r['usage']['total_tokens'] > 0"

run responses gemini-3-flash
expect "responses.create answers the whole response object" "r['text'] == 'Hello from the mock.' and r['status'] == 'completed'"

run responses-tool claude-sonnet-4-6
expect "a Responses tool round trip, the SDK's output items sent back as input" \
  "r['tool'] == 'get_weather' and r['args'] == {'location': 'Paris'} and r['text'] == 'It is 21 degrees in Paris.'"

check_no_secret_leaked
exit $((failed > 0))
