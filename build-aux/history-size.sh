#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Prints the size of history.db after 30 (or $1) simulated days of heavy use (tests/bench/ag-history-size-bench.c).
set -u
cd "$(dirname "$0")/.."
[ -f _build/build.ninja ] || meson setup _build || exit 1
ninja -C _build tests/bench/ag-history-size-bench || exit 1
_build/tests/bench/ag-history-size-bench "${1:-30}"
