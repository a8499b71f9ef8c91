#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Installs what ag-cl needs to build, run and test on Debian 12 (apt; sudo when not root),
# then configures the build directory. Safe to run again: it skips what is already there.
set -eu
cd "$(dirname "$0")/.."

PACKAGES="meson ninja-build pkg-config gcc clang libclang-rt-14-dev
  libglib2.0-dev libglib2.0-bin libsoup-3.0-dev libjson-glib-dev libsecret-1-dev libsqlite3-dev
  libgtk-4-dev libadwaita-1-dev gettext desktop-file-utils appstream
  gnome-keyring libsecret-tools dbus dbus-x11 xvfb xauth imagemagick
  ca-certificates curl openssl util-linux bubblewrap xdg-dbus-proxy"

missing=""
for p in $PACKAGES; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
# Node.js may come from elsewhere (e.g. NodeSource, whose nodejs conflicts with Debian's npm): only the commands matter.
command -v node >/dev/null 2>&1 || missing="$missing nodejs"
command -v npm >/dev/null 2>&1 || missing="$missing npm"
if [ -n "$missing" ]; then
  echo "ag-cl: installing:$missing"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends $missing
fi

BUILD_DIR=${AGCL_BUILD_DIR:-_build}
if [ ! -f "$BUILD_DIR/build.ninja" ]; then
  meson setup "$BUILD_DIR"
fi
ninja -C "$BUILD_DIR"
