#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Prints ag-cl's performance figures (tests/bench/ag-bench.c) and the machine they were measured on.
#   build-aux/bench.sh [translate|session|proxy|compare|all|profile] [COUNT]
# Uses the normal build (_build, built by build-aux/run.sh or test.sh) and a private keyring session.
# compare (and all) run the Node peer antigravity-claude-proxy beside ag-cl against the same mock: installed with npm
# into ${XDG_CACHE_HOME:-~/.cache}/ag-cl-bench/peer (reused), never into the repository. profile runs compare with
# `perf record -g` on ag-cl during its 16-client windows, and `ag-bench translate` under perf, and lists the top
# symbols by self time (its figures are perturbed by perf: take them from a plain run).
set -u
cd "$(dirname "$0")/.."
mode=${1:-all}
[ -f _build/build.ninja ] || meson setup _build || exit 1
ninja -C _build tests/bench/ag-bench src/ag-cl || exit 1
echo "machine: $(nproc) cores; $(lscpu | sed -n 's/^Model name: *//p')"
export AG_CL="$PWD/_build/src/ag-cl" GSETTINGS_BACKEND=memory AGCL_PROFILE=bench
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

PEER_PACKAGE=antigravity-claude-proxy
PEER_VERSION=2.0.4

# Installs the peer (once) and makes a fresh copy of it whose Google endpoints (both Cloud Code bases, OAuth token,
# consent and userinfo URLs: the constants in src/constants.js) point at the mock. The mock's port is known only
# inside ag-bench, so the copy reads the mock's base URL from AGCL_BENCH_UPSTREAM, which ag-bench sets when it starts
# it; the mock accepts any path before /v1internal:, so the two Cloud Code bases stay distinct (/daily, /prod).
# Prints the entry script, or why the peer can't run (then ag-bench prints ag-cl and direct figures only).
prepare_peer () {
  cache="${XDG_CACHE_HOME:-$HOME/.cache}/ag-cl-bench/peer"
  installed="$cache/node_modules/$PEER_PACKAGE"
  patched="$cache/patched-$PEER_VERSION"
  command -v node >/dev/null 2>&1 || { echo "node is not installed"; return 1; }
  if [ "$(node -p "require('$installed/package.json').version" 2>/dev/null)" != "$PEER_VERSION" ]; then
    command -v npm >/dev/null 2>&1 || { echo "npm is not installed"; return 1; }
    mkdir -p "$cache" || return 1
    # --ignore-scripts: its only native dependency (better-sqlite3) serves the Antigravity-IDE account source,
    # which the benchmark does not use.
    npm install --prefix "$cache" --no-audit --no-fund --ignore-scripts --loglevel=error \
      "$PEER_PACKAGE@$PEER_VERSION" >"$cache/npm-install.log" 2>&1 ||
      { echo "npm install $PEER_PACKAGE@$PEER_VERSION failed (see $cache/npm-install.log)"; return 1; }
  fi
  rm -rf "$patched" && cp -R "$installed" "$patched" && ln -s ../node_modules "$patched/node_modules" || return 1
  sed -i \
    -e "s|'https://daily-cloudcode-pa.googleapis.com'|process.env.AGCL_BENCH_UPSTREAM + '/daily'|" \
    -e "s|'https://cloudcode-pa.googleapis.com'|process.env.AGCL_BENCH_UPSTREAM + '/prod'|" \
    -e "s|'https://oauth2.googleapis.com/token'|process.env.AGCL_BENCH_UPSTREAM + '/token'|" \
    -e "s|'https://accounts.google.com/o/oauth2/v2/auth'|process.env.AGCL_BENCH_UPSTREAM + '/auth'|" \
    -e "s|'https://www.googleapis.com/oauth2/v1/userinfo'|process.env.AGCL_BENCH_UPSTREAM + '/userinfo'|" \
    "$patched/src/constants.js" || return 1
  # All five replaced, and no other Google host left that it could call (OAuth scope names are not calls).
  if [ "$(grep -c 'process.env.AGCL_BENCH_UPSTREAM' "$patched/src/constants.js")" != 5 ] ||
     grep -rEo "https://[a-z0-9.-]*(googleapis|google)\.com[^'\"\` ]*" "$patched/src" | grep -v 'googleapis.com/auth/' |
       grep -q .; then
    echo "$PEER_PACKAGE $PEER_VERSION: its Google URLs are not where this script expects them"
    return 1
  fi
  echo "$patched/src/index.js"
}

case "$mode" in
  compare|all|profile)
    if peer=$(prepare_peer); then
      export AGCL_BENCH_PEER="$peer" AGCL_BENCH_PEER_LABEL="$PEER_PACKAGE $PEER_VERSION (node $(node --version))"
    else
      export AGCL_BENCH_PEER_MISSING="$peer"
      echo "peer: $peer"
    fi
    ;;
esac

# A throwaway self-signed certificate for the TLS idle figure (openssl comes with ca-certificates).
if openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 -subj /CN=127.0.0.1 \
     -keyout "$work/key.pem" -out "$work/cert.pem" >/dev/null 2>&1; then
  export AGCL_BENCH_TLS_CERT="$work/cert.pem" AGCL_BENCH_TLS_KEY="$work/key.pem"
fi

if [ "$mode" != profile ]; then
  ./build-aux/with-keyring.sh _build/tests/bench/ag-bench "$mode" ${2:-}
  exit $?
fi

# profile: self time by symbol, ag-cl under 16 clients and the translation pipeline alone.
command -v perf >/dev/null 2>&1 || { echo "perf is not installed (Debian: linux-perf)"; exit 1; }
perf_top () {
  perf report -i "$1" --no-children --sort "$2" -g none --percent-limit 0.1 --stdio 2>/dev/null |
    awk '/^ *[0-9.]+%/ { printf "%8s  %-30s %s\n", $1, $2, $3 == "[.]" || $3 == "[k]" ? $4 : "" }' | head -n "$3"
}
AGCL_BENCH_PERF_DATA="$work/ag-cl.data" ./build-aux/with-keyring.sh _build/tests/bench/ag-bench compare ${2:-}
echo
echo "ag-cl at c=16, self time by shared object (perf record -e cpu-clock -g):"
perf_top "$work/ag-cl.data" dso 8
echo "ag-cl at c=16, top 15 symbols by self time:"
perf_top "$work/ag-cl.data" dso,symbol 15
perf record -q -e cpu-clock -F 4000 -g -o "$work/translate.data" _build/tests/bench/ag-bench translate >/dev/null
echo
echo "ag-bench translate, top 15 symbols by self time:"
perf_top "$work/translate.data" dso,symbol 15
