#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs each libFuzzer target for AGCL_FUZZ_SECONDS (default 15) on a working corpus seeded from its fixtures.
# Arguments: pairs of TARGET SEED_DIR. Fails on the first finding (the crashing input is kept in
# $AGCL_FUZZ_WORK_DIR/artifacts/). Prints, and writes to fuzz-stats.txt, the executions per target.
set -u
seconds="${AGCL_FUZZ_SECONDS:-15}"
work="${AGCL_FUZZ_WORK_DIR:-$PWD}"
stats="$work/fuzz-stats.txt"
mkdir -p "$work/artifacts"
: > "$stats"
status=0
while [ $# -ge 2 ]; do
  target="$1" seeds="$2"
  shift 2
  name=$(basename "$target")
  corpus="$work/corpus/$name"
  mkdir -p "$corpus"
  log="$work/$name.log"
  # The working corpus comes first: libFuzzer adds new inputs there and only reads the seeds.
  ASAN_OPTIONS="detect_leaks=1:allocator_may_return_null=1:${ASAN_OPTIONS:-}" \
    "$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 \
    -artifact_prefix="$work/artifacts/$name-" "$corpus" "$seeds" > "$log" 2>&1
  rc=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
  echo "$name: ${execs:-?} executions in ${seconds} s, exit $rc" | tee -a "$stats"
  if [ $rc -ne 0 ]; then
    tail -n 60 "$log"
    status=1
  fi
done
exit $status
