#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs a command inside a private D-Bus session with its own unlocked gnome-keyring,
# so tests use a real Secret Service without touching the user's keyring.
set -eu
if [ -z "${AGCL_IN_KEYRING_SESSION:-}" ]; then
  AGCL_IN_KEYRING_SESSION=1 exec dbus-run-session -- "$0" "$@"
fi
KEYRING_HOME=$(mktemp -d)
export XDG_DATA_HOME="$KEYRING_HOME"
mkdir -p "$XDG_DATA_HOME/keyrings"
# The unlock password comes from a file so that $! is the daemon itself (killed by PID, never by name).
printf 'test' > "$XDG_DATA_HOME/unlock-password"
gnome-keyring-daemon --foreground --unlock --components=secrets < "$XDG_DATA_HOME/unlock-password" >/dev/null 2>&1 &
KEYRING_PID=$!
i=0
until gdbus call --session --dest org.freedesktop.DBus --object-path /org/freedesktop/DBus \
      --method org.freedesktop.DBus.NameHasOwner org.freedesktop.secrets 2>/dev/null | grep -q true; do
  i=$((i + 1))
  if [ $i -gt 100 ]; then echo "with-keyring: gnome-keyring did not start" >&2; exit 1; fi
  sleep 0.1
done
status=0
"$@" || status=$?
kill "$KEYRING_PID" 2>/dev/null || true
wait "$KEYRING_PID" 2>/dev/null || true
rm -rf "$KEYRING_HOME"
exit $status
