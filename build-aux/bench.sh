#!/bin/sh
# Prints ag-cl's performance figures (tests/bench/ag-bench.c) and the machine they were measured on.
#   build-aux/bench.sh [translate|session|proxy|all] [COUNT]
# Uses the normal build (_build, built by build-aux/run.sh or test.sh) and a private keyring session.
set -u
cd "$(dirname "$0")/.."
[ -f _build/build.ninja ] || meson setup _build || exit 1
ninja -C _build tests/bench/ag-bench src/ag-cl || exit 1
echo "machine: $(nproc) cores; $(lscpu | sed -n 's/^Model name: *//p')"
export AG_CL="$PWD/_build/src/ag-cl" GSETTINGS_BACKEND=memory AGCL_PROFILE=bench
exec ./build-aux/with-keyring.sh _build/tests/bench/ag-bench "${1:-all}" ${2:-}
