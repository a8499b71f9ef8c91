#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# README command one: set up, build, and start ag-cl (arguments are passed on, e.g. --headless).
set -eu
cd "$(dirname "$0")/.."
./build-aux/setup.sh
exec "./${AGCL_BUILD_DIR:-_build}/src/ag-cl" "$@"
