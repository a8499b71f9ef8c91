#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# End to end: the real Codex CLI (npm @openai/codex, pinned in build-aux/install-agent-clients.sh) drives
# `ag-cl --headless` through the Responses API, with ag-cl as a custom model provider in a throw-away CODEX_HOME,
# against the mock Cloud Code server: `codex exec` answering a prompt, a function tool call Codex runs (a shell
# command that writes a file) and a freeform (custom) one (apply_patch, whose raw patch text travels as the one
# argument of a function upstream), each answered after the tool's result came back.
# TAP output; needs AG_CL, AGCL_BUILD_DIR and a Secret Service (run inside build-aux/with-keyring.sh).
set -u

. "$(dirname "$0")/e2e-lib.sh"
CODEX=${CODEX:-$AGCL_BUILD_DIR/codex/node_modules/.bin/codex}
require_client "$CODEX" "build-aux/install-agent-clients.sh codex"

cat > "$WORK/script.json" <<JSON
{
  "generate": [
    {"match": {"has_function_response": true}, "respond": {"text": "The tool ran."}},
    {"match": {"text_contains": "patch"},
     "respond": {"function_call": {"name": "apply_patch",
                                   "args": {"input": "*** Begin Patch\\n*** Add File: patched.txt\\n+PATCHED\\n*** End Patch\\n"}}}},
    {"match": {"text_contains": "pong.txt"},
     "respond": {"function_call": {"name": "exec_command",
                                   "args": {"cmd": "echo PONG > $WORK/project/pong.txt"}}}}
  ]
}
JSON

start_mock "$WORK/script.json"
add_account rt-1 user1@example.com
start_proxy

mkdir -p "$WORK/codex-home"
cat > "$WORK/codex-home/config.toml" <<TOML
model = "claude-sonnet-4-6"
model_provider = "agcl"

[model_providers.agcl]
name = "ag-cl"
base_url = "$PROXY_URL/v1"
env_key = "AGCL_API_KEY"
wire_api = "responses"
request_max_retries = 0
stream_max_retries = 0
TOML

run_codex() {
  (cd "$WORK/project" && HOME="$WORK/home" CODEX_HOME="$WORK/codex-home" AGCL_API_KEY=ag-cl-test NO_COLOR=1 \
   timeout 300 "$CODEX" exec --skip-git-repo-check -s danger-full-access "$@" < /dev/null)
}

echo "1..7"

# 1. A plain answer.
out=$(run_codex "Say hello" 2>"$WORK/codex1.err")
if echo "$out" | grep -q "Hello from the mock."; then
  ok "codex exec prints the mock's answer through ag-cl"
else
  not_ok "codex exec prints the mock's answer through ag-cl" "stdout: $out" "stderr: $(tail -5 "$WORK/codex1.err")" "proxy: $(tail -5 "$WORK/proxy.log")"
fi

# 2. A tool call: Codex runs the command, sends its output back, and prints the answer to that.
out=$(run_codex "Create pong.txt containing PONG" 2>"$WORK/codex2.err")
if [ "$(cat "$WORK/project/pong.txt" 2>/dev/null)" = "PONG" ] && echo "$out" | grep -q "The tool ran."; then
  ok "codex exec runs the tool call ag-cl relays and answers with its result"
else
  not_ok "codex exec runs the tool call ag-cl relays and answers with its result" "stdout: $out" "stderr: $(tail -8 "$WORK/codex2.err")" "proxy: $(tail -5 "$WORK/proxy.log")"
fi

# 3. Turn two carried the command's output upstream as the functionResponse of the call, under the same id.
curl -s "$MOCK_URL/_mock/requests" > "$WORK/requests.json"
if python3 - "$WORK/requests.json" <<'PY'
import json, sys
for r in json.load(open(sys.argv[1])):
    if not r["path"].endswith(":streamGenerateContent"):
        continue
    parts = [p for c in r["body"]["request"]["contents"] for p in c.get("parts", [])]
    calls = {p["functionCall"]["id"] for p in parts if "functionCall" in p}
    answers = [p["functionResponse"] for p in parts if "functionResponse" in p]
    if answers and answers[0]["name"] == "exec_command" and answers[0]["id"] in calls:
        sys.exit(0)
sys.exit(1)
PY
then
  ok "the tool's output went upstream as the functionResponse of Codex's call"
else
  not_ok "the tool's output went upstream as the functionResponse of Codex's call" "requests: $(head -c 1500 "$WORK/requests.json")"
fi

# 4. A freeform tool: with gpt-5.5's tool set (the bundled catalog entry, renamed to our model) Codex declares
#    apply_patch as a custom tool; ag-cl answers the call as a custom_tool_call whose input is the raw patch.
(cd "$WORK" && HOME="$WORK/home" CODEX_HOME="$WORK/codex-home" "$CODEX" debug models > "$WORK/models.json" 2>/dev/null)
python3 - "$WORK/models.json" "$WORK/catalog.json" <<'PY'
import json, sys
models = json.load(open(sys.argv[1]))["models"]
entry = next(m for m in models if m["slug"] == "gpt-5.5")
entry.update(slug="claude-sonnet-4-6", display_name="Claude Sonnet 4.6 via ag-cl", upgrade=None)
json.dump({"models": [entry]}, open(sys.argv[2], "w"))
PY
out=$(run_codex -c "model_catalog_json=\"$WORK/catalog.json\"" "Add patched.txt with a patch" 2>"$WORK/codex4.err")
curl -s "$MOCK_URL/_mock/requests" > "$WORK/requests.json"
declared=$(python3 - "$WORK/requests.json" <<'PY'
import json, sys
for r in json.load(open(sys.argv[1])):
    body = r.get("body")
    request = body.get("request") if isinstance(body, dict) else None
    for tool in request.get("tools", []) if isinstance(request, dict) else []:
        for f in tool.get("functionDeclarations", []):
            if f["name"] == "apply_patch" and f["parameters"]["required"] == ["input"]:
                print("freeform")
                sys.exit(0)
PY
)
if [ "$(cat "$WORK/project/patched.txt" 2>/dev/null)" = "PATCHED" ] && echo "$out" | grep -q "The tool ran." &&
   [ "$declared" = freeform ]; then
  ok "codex exec applies the patch of a custom_tool_call and answers with its result"
else
  not_ok "codex exec applies the patch of a custom_tool_call and answers with its result" "stdout: $out" "stderr: $(tail -8 "$WORK/codex4.err")" "proxy: $(tail -5 "$WORK/proxy.log")"
fi

# 5–6. With a local API key set and required of local clients too (require-api-key, restarted on the same port),
#      a config `ag-cl setup codex` wrote (in a fresh CODEX_HOME, no key in the environment) gets answers, and the
#      hand-written one above, whose key is wrong now, gets a 401.
"$AG_CL" api-key generate > /dev/null 2>"$WORK/key.err" || not_ok "api-key generate" "$(cat "$WORK/key.err")"
trap '"$AG_CL" api-key clear >/dev/null 2>&1; e2e_cleanup' EXIT
kill "$PROXY_PID"; wait "$PROXY_PID" 2>/dev/null
export AGCL_REQUIRE_API_KEY=1
start_proxy "${PROXY_URL##*:}"
mkdir -p "$WORK/codex-home2"
HOME="$WORK/home" CODEX_HOME="$WORK/codex-home2" "$AG_CL" setup codex --url "$PROXY_URL" > "$WORK/setup.out" 2>&1
sed -i '/^\[model_providers.agcl\]/a request_max_retries = 0\nstream_max_retries = 0' "$WORK/codex-home2/config.toml"
out=$(cd "$WORK/project" && HOME="$WORK/home" CODEX_HOME="$WORK/codex-home2" NO_COLOR=1 \
      timeout 300 "$CODEX" exec --skip-git-repo-check -s danger-full-access "Say hello" < /dev/null 2>"$WORK/codex5.err")
if echo "$out" | grep -q "Hello from the mock." && grep -q "^experimental_bearer_token = " "$WORK/codex-home2/config.toml" &&
   ! grep -q "env_key" "$WORK/codex-home2/config.toml"; then
  ok "with a local API key, the config ag-cl setup codex wrote carries it where Codex sends it"
else
  not_ok "with a local API key, the config ag-cl setup codex wrote carries it where Codex sends it" "stdout: $out" "setup: $(cat "$WORK/setup.out")" "stderr: $(tail -5 "$WORK/codex5.err")" "proxy: $(tail -3 "$WORK/proxy.log")"
fi
out=$(run_codex "Say hello" 2>"$WORK/codex6.err")
if ! echo "$out" | grep -q "Hello from the mock." && grep -q "401" "$WORK/codex6.err"; then
  ok "a Codex config with a wrong key is refused once a local API key is set"
else
  not_ok "a Codex config with a wrong key is refused once a local API key is set" "stdout: $out" "stderr: $(tail -5 "$WORK/codex6.err")"
fi

check_no_secret_leaked
exit $((failed > 0))
