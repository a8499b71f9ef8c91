#!/bin/sh
# Runs a command inside a private D-Bus session with its own unlocked gnome-keyring,
# so tests use a real Secret Service without touching the user's keyring.
set -eu
if [ -z "${AGCL_IN_KEYRING_SESSION:-}" ]; then
  AGCL_IN_KEYRING_SESSION=1 exec dbus-run-session -- "$0" "$@"
fi
export XDG_DATA_HOME="${AGCL_KEYRING_HOME:-$(mktemp -d)}"
export HOME_KEYRING_DIR="$XDG_DATA_HOME/keyrings"
mkdir -p "$HOME_KEYRING_DIR"
(printf 'test' | exec gnome-keyring-daemon --foreground --unlock --components=secrets >/dev/null 2>&1) &
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
pkill -f "gnome-keyring-daemon --foreground" 2>/dev/null || true
exit $status
