#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# README command two: the same set-up as run.sh, then the whole test suite:
#   1. the normal build: unit, integration, keyring and end-to-end (real Claude Code, OpenAI SDK, Codex CLI and
#      Gemini CLI) tests, and the Flatpak-sandbox check;
#   2. an ASan + UBSan build: unit and integration tests;
#   3. the libFuzzer targets, ~15 s each (build-aux/fuzz.sh).
# Ends with the line "N passed, N failed".
set -u
cd "$(dirname "$0")/.."
./build-aux/setup.sh || { echo "0 passed, 1 failed"; exit 1; }

if [ "${AGCL_SKIP_E2E:-0}" != 1 ]; then
  ./build-aux/install-claude-code.sh || echo "test.sh: could not install Claude Code; the e2e test will fail" >&2
  ./build-aux/install-agent-clients.sh ||
    echo "test.sh: could not install the OpenAI SDK, Codex CLI or Gemini CLI; their e2e tests will fail" >&2
fi

if [ ! -f _build-asan/build.ninja ]; then
  meson setup _build-asan -Db_sanitize=address,undefined -Db_lundef=false -De2e=false
fi
ninja -C _build-asan || { echo "0 passed, 1 failed"; exit 1; }

export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:${ASAN_OPTIONS:-}"
export LSAN_OPTIONS="suppressions=$PWD/tests/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"

./build-aux/with-keyring.sh meson test -C _build --print-errorlogs --num-processes 2 ${AGCL_TEST_ARGS:-}
./build-aux/with-keyring.sh meson test -C _build-asan --print-errorlogs --num-processes 2 --no-suite e2e --no-suite sandbox --timeout-multiplier 3 ${AGCL_TEST_ARGS:-}

# 3. the libFuzzer targets (clang), each for a bounded time: one test in _build-fuzz.
./build-aux/fuzz.sh "${AGCL_FUZZ_SECONDS:-15}"

python3 - _build/meson-logs/testlog.json _build-asan/meson-logs/testlog.json _build-fuzz/meson-logs/testlog.json <<'PY'
import json, sys
passed = failed = 0
for path in sys.argv[1:]:
    try:
        lines = open(path).read().splitlines()
    except OSError:
        failed += 1
        continue
    for line in lines:
        if not line.strip():
            continue
        r = json.loads(line)["result"]
        if r in ("OK", "EXPECTEDFAIL"):
            passed += 1
        elif r != "SKIP":
            failed += 1
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
PY
