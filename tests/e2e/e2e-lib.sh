# SPDX-License-Identifier: GPL-3.0-or-later
# Shared by the end-to-end tests: start the mock Cloud Code server and `ag-cl --headless` against it, run the real
# Claude Code CLI, report TAP. Source it; needs AG_CL, AGCL_BUILD_DIR and a Secret Service (build-aux/with-keyring.sh).

CLAUDE=${CLAUDE:-$AGCL_BUILD_DIR/claude-code/node_modules/.bin/claude}
AG_MOCK=${AG_MOCK:-$AGCL_BUILD_DIR/tests/mock/ag-mock-cloudcode}
WORK=$(mktemp -d)
export AGCL_PROFILE="e2e-$$"
export AGCL_DATA_DIR="$WORK/data"
MOCK_PID=""
PROXY_PID=""
ACCOUNTS=""
n=0
failed=0

e2e_cleanup() {
  [ -n "$PROXY_PID" ] && kill "$PROXY_PID" 2>/dev/null
  for account in $ACCOUNTS; do "$AG_CL" account remove "$account" >/dev/null 2>&1; done
  [ -n "$MOCK_PID" ] && kill "$MOCK_PID" 2>/dev/null
  wait 2>/dev/null
  [ -n "${AGCL_E2E_KEEP:-}" ] && echo "# kept $WORK" || rm -rf "$WORK"
}
trap e2e_cleanup EXIT

ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; shift; for line in "$@"; do echo "# $line"; done; }
bail() { echo "Bail out! $1"; exit 1; }

# require_client PATH HOW_TO_INSTALL: bails out when a client the test drives is missing.
require_client() { [ -e "$1" ] || bail "$1 is not installed ($2 installs it)"; }
mkdir -p "$WORK/project" "$WORK/home"

# start_mock SCRIPT_FILE: the mock prints its URL once it listens.
start_mock() {
  "$AG_MOCK" --port 0 --script "$1" > "$WORK/mock.out" 2> "$WORK/mock.err" &
  MOCK_PID=$!
  for _ in $(seq 200); do grep -q LISTENING "$WORK/mock.out" 2>/dev/null && break; sleep 0.05; done
  line=$(head -1 "$WORK/mock.out")
  [ -n "$line" ] || bail "the mock did not start: $(cat "$WORK/mock.err")"
  MOCK_URL=${line#LISTENING }
  export AGCL_CLOUDCODE_ENDPOINTS="$MOCK_URL"
  export AGCL_OAUTH_TOKEN_URL="$MOCK_URL/token"
  export AGCL_OAUTH_AUTH_URL="$MOCK_URL/auth"
  export AGCL_USERINFO_URL="$MOCK_URL/userinfo"
  export AGCL_VERSION_MANIFEST_URL="$MOCK_URL/manifest/latest-arm64-mac.yml"
}

# add_account REFRESH_TOKEN EMAIL
add_account() {
  "$AG_CL" account add --refresh-token "$1" > "$WORK/add.log" 2>&1 || bail "account add failed: $(cat "$WORK/add.log")"
  ACCOUNTS="$ACCOUNTS $2"
}

# start_proxy [PORT]: on a free port, or on PORT (a restart where clients already point).
start_proxy() {
  "$AG_CL" --headless --port "${1:-0}" > "$WORK/proxy.out" 2> "$WORK/proxy.log" &
  PROXY_PID=$!
  for _ in $(seq 200); do grep -q "listening on" "$WORK/proxy.out" 2>/dev/null && break; sleep 0.05; done
  line=$(head -1 "$WORK/proxy.out")
  [ -n "$line" ] || bail "ag-cl did not start: $(cat "$WORK/proxy.log")"
  PROXY_URL=${line#ag-cl: listening on }
  for _ in $(seq 100); do grep -q "loaded from the keyring" "$WORK/proxy.log" && break; sleep 0.1; done
}

run_claude() {
  (cd "$WORK/project" && \
   HOME="$WORK/home" ANTHROPIC_BASE_URL="$PROXY_URL" ANTHROPIC_API_KEY=ag-cl-test \
   CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1 DISABLE_TELEMETRY=1 DISABLE_AUTOUPDATER=1 \
   timeout 300 "$CLAUDE" -p "$@" < /dev/null)
}

# check_no_secret_leaked: one TAP line. Everything ag-cl and Claude Code wrote in this run (the proxy's log and
# output, Claude Code's output, the CLI's output, the request log on disk) holds no access token of the mock
# ("ya29.mock-…") and no refresh token ("rt-…" at a word start). The mock's own files are left out: they hold the
# tokens by design. Only file names and offsets are printed, never a match.
check_no_secret_leaked() {
  found=$(cd "$WORK" && find . -type f ! -name 'mock.*' ! -name 'script.json' ! -name 'requests.json' -print0 |
          xargs -0 grep -a -l -E 'ya29\.mock-|(^|[^A-Za-z0-9])rt-[A-Za-z0-9]' 2>/dev/null)
  if [ -z "$found" ]; then
    ok "no token in anything ag-cl or Claude Code wrote"
  else
    not_ok "no token in anything ag-cl or Claude Code wrote" "found in: $found"
  fi
}
