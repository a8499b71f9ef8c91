#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Prints ag-cl's performance figures (tests/bench/ag-bench.c) and the machine they were measured on.
#   build-aux/bench.sh [translate|session|proxy|all] [COUNT]
# Uses the normal build (_build, built by build-aux/run.sh or test.sh) and a private keyring session.
set -u
cd "$(dirname "$0")/.."
[ -f _build/build.ninja ] || meson setup _build || exit 1
ninja -C _build tests/bench/ag-bench src/ag-cl || exit 1
echo "machine: $(nproc) cores; $(lscpu | sed -n 's/^Model name: *//p')"
export AG_CL="$PWD/_build/src/ag-cl" GSETTINGS_BACKEND=memory AGCL_PROFILE=bench
# A throwaway self-signed certificate for the TLS idle figure (openssl comes with ca-certificates).
tls_dir=$(mktemp -d)
trap 'rm -rf "$tls_dir"' EXIT
if openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 -subj /CN=127.0.0.1 \
     -keyout "$tls_dir/key.pem" -out "$tls_dir/cert.pem" >/dev/null 2>&1; then
  export AGCL_BENCH_TLS_CERT="$tls_dir/cert.pem" AGCL_BENCH_TLS_KEY="$tls_dir/key.pem"
fi
./build-aux/with-keyring.sh _build/tests/bench/ag-bench "${1:-all}" ${2:-}
