#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Prints the desktop app's memory (RSS from /proc/PID/status, PSS from smaps_rollup) against its targets: in the
# tray (`ag-cl --background`), with the window open (cairo and GL renderers), and after the window was closed
# (before and after the app relaunches itself in the tray without GTK). Runs the built ag-cl under Xvfb, in a
# private D-Bus session with its own keyring and a StatusNotifierWatcher (the tray registers as with a panel).
# Not a test: it prints figures. Usage: build-aux/memory-bench.sh [BUILD_DIR]
set -eu
if [ -z "${AGCL_IN_KEYRING_SESSION:-}" ]; then
  exec "$(dirname "$0")/with-keyring.sh" xvfb-run -a -s '-screen 0 1280x1024x24' "$0" "$@"
fi
SOURCE=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$(cd "${1:-$SOURCE/_build}" && pwd)
ninja -C "$BUILD" src/ag-cl src/libagcl-ui.so tests/ui/ag-close-window tests/bench/ag-tray-watcher >/dev/null
RELAUNCH_MS=5000

"$BUILD/tests/bench/ag-tray-watcher" >/dev/null &
WATCHER=$!
trap 'kill $WATCHER 2>/dev/null || true' EXIT

kb () { awk -v key="$1" '$1 == key ":" { print $2 }' "$2"; }
mb () { awk -v kb="$1" 'BEGIN { printf "%.1f", kb / 1024 }'; }
ROWS=""
measure () {  # state renderer target_mb (0: no target, a figure to report)
  local rss pss ok target
  rss=$(kb VmRSS "/proc/$APP/status")
  pss=$(kb Pss "/proc/$APP/smaps_rollup")
  if [ "$3" = 0 ]; then target="—"; ok=""
  elif [ "$rss" -le $(($3 * 1024)) ]; then target="≤ $3"; ok=yes
  else target="≤ $3"; ok=NO; fi
  ROWS="$ROWS$(printf '%-34s %-7s %8s %8s %8s  %s' "$1" "$2" "$(mb "$rss")" "$(mb "$pss")" "$target" "$ok")\n"
}
gtk_mapped () { grep -q libgtk-4 "/proc/$APP/maps"; }

run () {  # renderer: cairo | gl
  local dir port
  dir=$(mktemp -d)
  mkdir -p "$dir/config/glib-2.0/settings" "$dir/home" "$dir/data"
  printf '[io/github/agcl/AgCl]\nfirst-run=false\n' > "$dir/config/glib-2.0/settings/keyfile"
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  if [ "$1" = cairo ]; then export GSK_RENDERER=cairo GDK_DEBUG=gl-disable; else export GSK_RENDERER=gl; unset GDK_DEBUG; fi
  HOME="$dir/home" XDG_CONFIG_HOME="$dir/config" GSETTINGS_BACKEND=keyfile GSETTINGS_SCHEMA_DIR="$BUILD/data" \
    AGCL_DATA_DIR="$dir/data" AGCL_PROFILE=memory-bench AGCL_VERSION_MANIFEST_URL=none GDK_BACKEND=x11 \
    GTK_A11Y=none AGCL_RELAUNCH_DELAY_MS=$RELAUNCH_MS \
    "$BUILD/src/ag-cl" --background --port "$port" >/dev/null 2>"$dir/log" &
  APP=$!
  until (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do sleep 0.1; done
  sleep 3
  measure "tray only (--background)" "$1" 30
  gdbus call --session --dest io.github.agcl.AgCl --object-path /io/github/agcl/AgCl \
    --method org.freedesktop.Application.ActivateAction show-page "[<'overview'>]" "{}" >/dev/null
  until "$BUILD/tests/ui/ag-close-window" --check "$APP" 2>/dev/null; do sleep 0.1; done
  sleep 3
  # The target is the cairo renderer's (what a machine without a GPU uses); GL's figure is reported.
  if [ "$1" = cairo ]; then measure "window open" "$1" 80; else measure "window open" "$1" 0; fi
  "$BUILD/tests/ui/ag-close-window" "$APP"
  sleep 2
  measure "window closed, before the relaunch" "$1" 0
  sleep $((RELAUNCH_MS / 1000 + 3))
  gtk_mapped && echo "warning: GTK still mapped after the relaunch" >&2
  measure "window closed, relaunched" "$1" 30
  kill "$APP"; wait "$APP" || true
  rm -rf "$dir"
}

run cairo
run gl
echo "machine: $(nproc) cores; $(lscpu | sed -n 's/^Model name: *//p'); Xvfb (GL is Mesa's software renderer)"
printf '%-34s %-7s %8s %8s %8s  %s\n' state render "RSS MB" "PSS MB" "target" "met"
printf "$ROWS"
