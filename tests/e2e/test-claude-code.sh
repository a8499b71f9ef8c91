#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# End to end: the real Claude Code CLI (npm @anthropic-ai/claude-code) drives `ag-cl --headless`, which talks to
# the mock Cloud Code server. Three sessions: a plain answer, a streamed answer, and a tool loop in which Claude
# Code writes a file and ag-cl must send the thinking signature of turn one back upstream on turn two.
# TAP output; needs AG_CL, AG_MOCK, CLAUDE (paths) and a Secret Service (run inside build-aux/with-keyring.sh).
set -u

. "$(dirname "$0")/e2e-lib.sh"
require_client "$CLAUDE" build-aux/install-claude-code.sh
SIGNATURE="EqQBCkgIBhABGAIiQE2eToolLoopSignatureFromTheMockServerThatMustComeBackOnTurnTwo0123456789=="

cat > "$WORK/script.json" <<JSON
{
  "generate": [
    {"match": {"has_function_response": true},
     "respond": {"text": "I wrote hello.txt for you."}},
    {"match": {"text_contains": "hello.txt"},
     "respond": {"thinking": "The user wants a file. I will use the Write tool.",
                 "signature": "$SIGNATURE",
                 "function_call": {"name": "Write", "id": "toolu_e2e_write_1",
                                   "args": {"file_path": "$WORK/project/hello.txt", "content": "hi from ag-cl\n"}}}},
    {"match": {"text_contains": "stream"},
     "respond": {"text": "Streaming through ag-cl works."}},
    {"match": {"text_contains": "patiently"}, "times": 1,
     "respond": {"first_byte_delay_ms": 2500,
                 "chunks": [{"candidates": [{"content": {"role": "model", "parts": []}, "finishReason": "STOP"}],
                             "usageMetadata": {"promptTokenCount": 9, "totalTokenCount": 9}}]}},
    {"match": {"text_contains": "patiently"},
     "respond": {"text": "Patience pays.", "first_byte_delay_ms": 1500}},
    {"match": {"text_contains": "refused"}, "times": 1,
     "respond": {"error_preset": "version_unsupported"}},
    {"match": {"text_contains": "refused"},
     "respond": {"text": "Accepted on the second try."}}
  ]
}
JSON

start_mock "$WORK/script.json"
add_account rt-1 user1@example.com
# Keepalives every half second, so that case 5 sees them while Google is silent.
export AGCL_KEEPALIVE_MS=500
start_proxy

echo "1..7"

# 1. A plain answer.
out=$(run_claude "Say hello" --output-format json 2>"$WORK/claude1.err")
if python3 -c 'import json,sys; r=json.loads(sys.argv[1]); sys.exit(0 if (not r.get("is_error")) and "Hello from the mock." in r.get("result","") else 1)' "$out" 2>/dev/null; then
  ok "claude -p returns the mock's answer through ag-cl"
else
  not_ok "claude -p returns the mock's answer through ag-cl" "output: $out" "stderr: $(tail -5 "$WORK/claude1.err")"
fi

# 2. A streamed answer (stream-json shows the deltas arrive as a stream).
out=$(run_claude "Please stream something" --output-format stream-json --verbose 2>"$WORK/claude2.err")
if echo "$out" | grep -q '"type":"result"' && echo "$out" | grep -q "Streaming through ag-cl works."; then
  ok "claude -p --output-format stream-json streams the answer"
else
  not_ok "claude -p --output-format stream-json streams the answer" "output: $(echo "$out" | tail -3)" "stderr: $(tail -5 "$WORK/claude2.err")"
fi

# 3. A tool loop: Claude Code runs Write, then asks again with the tool result.
out=$(run_claude "Create hello.txt with a greeting" --allowedTools Write --output-format json 2>"$WORK/claude3.err")
if [ "$(cat "$WORK/project/hello.txt" 2>/dev/null)" = "hi from ag-cl" ] && echo "$out" | grep -q "I wrote hello.txt"; then
  ok "a tool loop through ag-cl writes the file and finishes"
else
  not_ok "a tool loop through ag-cl writes the file and finishes" "output: $out" "stderr: $(tail -5 "$WORK/claude3.err")" "proxy: $(tail -5 "$WORK/proxy.log")"
fi

# 4. Turn two carried the signature of turn one's function call upstream, next to the matching functionResponse.
curl -s "$MOCK_URL/_mock/requests" > "$WORK/requests.json"
if python3 - "$WORK/requests.json" "$SIGNATURE" <<'PY'
import json, sys
requests = json.load(open(sys.argv[1]))
signature = sys.argv[2]
for r in requests:
    if not r["path"].endswith(":streamGenerateContent"):
        continue
    contents = r["body"]["request"]["contents"]
    parts = [p for c in contents for p in c.get("parts", [])]
    calls = [p for p in parts if "functionCall" in p and p["functionCall"].get("id") == "toolu_e2e_write_1"]
    responses = [p for p in parts if "functionResponse" in p and p["functionResponse"].get("id") == "toolu_e2e_write_1"]
    signed = [p for p in parts if p.get("thoughtSignature") == signature]
    if calls and responses and signed and responses[0]["functionResponse"]["name"] == "Write":
        sys.exit(0)
sys.exit(1)
PY
then
  ok "turn two sends the turn-one signature and the Write functionResponse upstream"
else
  not_ok "turn two sends the turn-one signature and the Write functionResponse upstream" "requests: $(head -c 2000 "$WORK/requests.json")"
fi


# 5. Google silent for 2.5 s (keepalive comments flow), then an answer without content: ag-cl asks again, and
#    Claude Code, which has seen only comments so far, gets the second answer after another silent 1.5 s.
out=$(run_claude "Answer patiently" --output-format stream-json --verbose 2>"$WORK/claude5.err")
if echo "$out" | grep -q '"type":"result"' && echo "$out" | grep -q "Patience pays." &&
   grep -q "sent an empty answer" "$WORK/proxy.log"; then
  ok "an empty answer after keepalive comments is asked again; Claude Code gets the real one"
else
  not_ok "an empty answer after keepalive comments is asked again; Claude Code gets the real one" "output: $(echo "$out" | tail -3)" "stderr: $(tail -5 "$WORK/claude5.err")" "proxy: $(tail -5 "$WORK/proxy.log")"
fi

# 6. Google refuses the client version once: ag-cl answers a retryable 503 (retry-after 5) and re-checks the
#    version; Claude Code retries on its own and gets the answer.
out=$(run_claude "Try the refused version" --output-format json 2>"$WORK/claude6.err")
if python3 -c 'import json,sys; r=json.loads(sys.argv[1]); sys.exit(0 if (not r.get("is_error")) and "Accepted on the second try." in r.get("result","") else 1)' "$out" 2>/dev/null &&
   grep -q "Google refused client version" "$WORK/proxy.log"; then
  ok "a refused client version is a retryable 503: Claude Code retries and gets the answer"
else
  not_ok "a refused client version is a retryable 503: Claude Code retries and gets the answer" "output: $out" "stderr: $(tail -5 "$WORK/claude6.err")" "proxy: $(tail -5 "$WORK/proxy.log")"
fi

check_no_secret_leaked
exit $((failed > 0))
