#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# tray-screenshot.sh — the tray indicator in a real StatusNotifierItem host: xfce4-panel's systray under Xvfb with
# its own D-Bus session. Builds tests/ui/tray-demo.c against the core library of BUILD_DIR, opens the menu,
# toggles the proxy off and quits through the menu, saving screenshots in BUILD_DIR/tray-screenshots/.
# A manual check, not part of meson test. Usage: tests/ui/tray-screenshot.sh [BUILD_DIR]   (default: _build)
set -euo pipefail

SRC_DIR=$(cd "$(dirname "$0")/../.." && pwd)
BUILD_DIR=$(cd "${1:-$SRC_DIR/_build}" && pwd)
OUT=$BUILD_DIR/tray-screenshots
WIDTH=640
HEIGHT=360

if [ "${TRAY_SHOT_INNER:-}" != 1 ]; then
  missing=()
  for pkg in xfce4-panel xfconf xdotool xvfb xauth imagemagick adwaita-icon-theme dbus; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "installing ${missing[*]}"
    SUDO=; [ "$(id -u)" -ne 0 ] && SUDO=sudo
    $SUDO apt-get install -y --no-install-recommends "${missing[@]}"
  fi

  ninja -C "$BUILD_DIR" tests/ui/tray-demo >/dev/null || exit 1
  mkdir -p "$OUT"
  cp "$BUILD_DIR/tests/ui/tray-demo" "$OUT/tray-demo"
  export TRAY_SHOT_INNER=1
  exec xvfb-run -a -s "-screen 0 ${WIDTH}x${HEIGHT}x24" dbus-run-session -- "$0" "$BUILD_DIR"
fi

# Inside Xvfb and a private session bus, with a throwaway home for the panel's configuration.
export HOME=$(mktemp -d)
export XDG_CONFIG_HOME=$HOME/.config
export GDK_BACKEND=x11 NO_AT_BRIDGE=1 AGCL_PROFILE=tray-screenshot
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$HOME"' EXIT

conf=$XDG_CONFIG_HOME/xfce4/xfconf/xfce-perchannel-xml
mkdir -p "$conf"
# One panel along the top: an expanding separator, then the systray (an SNI host and watcher).
cat > "$conf/xfce4-panel.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<channel name="xfce4-panel" version="1.0">
  <property name="configver" type="int" value="2"/>
  <property name="panels" type="array">
    <value type="int" value="1"/>
    <property name="panel-1" type="empty">
      <property name="position" type="string" value="p=6;x=0;y=0"/>
      <property name="length" type="uint" value="100"/>
      <property name="position-locked" type="bool" value="true"/>
      <property name="size" type="uint" value="32"/>
      <property name="plugin-ids" type="array">
        <value type="int" value="1"/>
        <value type="int" value="2"/>
      </property>
    </property>
  </property>
  <property name="plugins" type="empty">
    <property name="plugin-1" type="string" value="separator">
      <property name="expand" type="bool" value="true"/>
      <property name="style" type="uint" value="0"/>
    </property>
    <property name="plugin-2" type="string" value="systray">
      <property name="square-icons" type="bool" value="true"/>
    </property>
  </property>
</channel>
XML
# xfconfd is started by D-Bus activation: it must see this HOME, or the panel gets the stock layout.
dbus-update-activation-environment HOME XDG_CONFIG_HOME

xfce4-panel --disable-wm-check >"$OUT/panel.log" 2>&1 &
sleep 3
"$OUT/tray-demo" >"$OUT/tray-demo.log" 2>&1 &
demo=$!
for _ in $(seq 50); do grep -q 'tray available: yes' "$OUT/tray-demo.log" && break; sleep 0.2; done
grep -q 'tray available: yes' "$OUT/tray-demo.log" || { echo "the panel did not accept the item"; exit 1; }
sleep 2

ICON_X=$((WIDTH - 16)); ICON_Y=16
import -window root "$OUT/tray-1-icon.png"

xdotool mousemove $ICON_X $ICON_Y click 3
sleep 1
import -window root "$OUT/tray-2-menu.png"

# "Proxy on" is the second item; a move, a pause and a separate press/release are what the popup reacts to.
menu_item() {
  xdotool mousemove "$1" "$2"; sleep 0.5; xdotool mousedown 1; sleep 0.1; xdotool mouseup 1; sleep 1
}
menu_item $((ICON_X - 60)) "${PROXY_ITEM_Y:-73}"
import -window root "$OUT/tray-3-proxy-off.png"

xdotool mousemove $ICON_X $ICON_Y click 3
sleep 1
import -window root "$OUT/tray-4-menu-off.png"
menu_item $((ICON_X - 60)) "${QUIT_ITEM_Y:-175}"
for _ in $(seq 25); do kill -0 $demo 2>/dev/null || break; sleep 0.2; done
cat "$OUT/tray-demo.log"
if kill -0 $demo 2>/dev/null; then echo "the demo is still running after Quit"; exit 1; fi
echo "screenshots in $OUT"
