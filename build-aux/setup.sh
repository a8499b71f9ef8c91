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
  ca-certificates curl openssl util-linux bubblewrap xdg-dbus-proxy
  locales fonts-wqy-microhei"

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

# The translations' tests and screenshots run ag-cl as a German and a Chinese desktop would: their locales (dates,
# numbers; LANG alone) and a font with Chinese characters (fonts-wqy-microhei, above).
for locale in de_DE.UTF-8 zh_CN.UTF-8; do
  if ! locale -a 2>/dev/null | grep -qix "$(echo "$locale" | sed 's/UTF-8/utf8/')"; then
    echo "ag-cl: generating the $locale locale"
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO sed -i "s/^# *\($locale UTF-8\)/\1/" /etc/locale.gen
    grep -qx "$locale UTF-8" /etc/locale.gen || echo "$locale UTF-8" | $SUDO tee -a /etc/locale.gen >/dev/null
    $SUDO locale-gen >/dev/null
  fi
done

BUILD_DIR=${AGCL_BUILD_DIR:-_build}
if [ ! -f "$BUILD_DIR/build.ninja" ]; then
  meson setup "$BUILD_DIR"
fi
ninja -C "$BUILD_DIR"
