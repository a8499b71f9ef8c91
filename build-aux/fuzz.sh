#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Builds the libFuzzer targets with clang in _build-fuzz and runs each for SECONDS_PER_TARGET (default 15) as
# the meson test "fuzz"; fails on any finding. Longer runs: ./build-aux/fuzz.sh 600
# Executions per target: _build-fuzz/tests/fuzz/fuzz-stats.txt; findings: _build-fuzz/tests/fuzz/artifacts/.
set -u
cd "$(dirname "$0")/.."
seconds="${1:-15}"
if [ ! -f _build-fuzz/build.ninja ]; then
  CC=clang meson setup _build-fuzz -Dfuzzing=true -Db_lundef=false -De2e=false || exit 1
else
  meson configure _build-fuzz -Dfuzzing=true || exit 1
fi
rm -f _build-fuzz/meson-logs/testlog.json
# Only the fuzzers: the rest of the tree is built and tested with gcc by test.sh.
ninja -C _build-fuzz fuzzers || exit 1
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export LSAN_OPTIONS="suppressions=$PWD/tests/lsan.supp:print_suppressions=0"
AGCL_FUZZ_SECONDS="$seconds" meson test -C _build-fuzz --no-rebuild --print-errorlogs --suite fuzz
