#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Prints the chart's draw time (tests/bench/ag-chart-bench.c): a 30-day chart of 100 000 samples, drawn and
# rasterised as the window would, under Xvfb with the cairo renderer (what a machine without a GPU uses).
set -u
cd "$(dirname "$0")/.."
[ -f _build/build.ninja ] || meson setup _build || exit 1
ninja -C _build tests/bench/ag-chart-bench || exit 1
echo "machine: $(nproc) cores; $(lscpu | sed -n 's/^Model name: *//p')"
GSK_RENDERER=${GSK_RENDERER:-cairo} GDK_BACKEND=x11 GDK_DEBUG=gl-disable GSETTINGS_BACKEND=memory \
  xvfb-run -a -s '-screen 0 1600x1200x24' _build/tests/bench/ag-chart-bench
