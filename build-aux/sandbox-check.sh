#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The Flatpak's permissions, proven without the GNOME runtime (which these machines cannot fetch): the built ag-cl
# runs under bubblewrap with exactly what flatpak/io.github.agcl.AgCl.json grants — a private home holding only
# the granted folders, a /.flatpak-info saying so, the session bus through xdg-dbus-proxy filtered to the
# manifest's names, the network shared — and must still serve an account from the host's keyring, while what the
# manifest does not grant fails cleanly. TAP output.
# Usage: build-aux/sandbox-check.sh [BUILD_DIR]   (inside build-aux/with-keyring.sh: it needs a Secret Service)
set -u
cd "$(dirname "$0")/.."
BUILD=$(realpath "${1:-_build}")
MANIFEST=flatpak/io.github.agcl.AgCl.json
AG_CL="$BUILD/src/ag-cl"
AG_MOCK="$BUILD/tests/mock/ag-mock-cloudcode"
WORK=$(mktemp -d)
export AGCL_PROFILE="sandbox-$$"
n=0
failed=0
PIDS=""

cleanup() {
  for pid in $PIDS; do kill "$pid" 2>/dev/null; done
  "$AG_CL" account remove user1@example.com >/dev/null 2>&1
  wait 2>/dev/null
  [ -n "${AGCL_SANDBOX_KEEP:-}" ] && echo "# kept $WORK" || rm -rf "$WORK"
}
trap cleanup EXIT
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; shift; for line in "$@"; do echo "# $line"; done; }
bail() { echo "Bail out! $1"; exit 1; }

for tool in bwrap xdg-dbus-proxy python3 curl; do
  command -v "$tool" >/dev/null || bail "$tool is missing (build-aux/setup.sh installs it)"
done
[ -n "${DBUS_SESSION_BUS_ADDRESS:-}" ] || bail "no session bus: run inside build-aux/with-keyring.sh"
if ! bwrap --unshare-all --ro-bind / / true 2>/dev/null; then
  echo "1..0 # SKIP bubblewrap cannot create namespaces here (unprivileged user namespaces are off)"
  exit 0
fi

# What the manifest grants, one "kind value" a line (share, socket, talk, own, filesystem, device).
python3 - "$MANIFEST" > "$WORK/grants" <<'PY' || bail "cannot read $MANIFEST"
import json, sys
for arg in json.load(open(sys.argv[1]))["finish-args"]:
    kind, _, value = arg.lstrip("-").partition("=")
    print(kind.replace("-name", ""), value)
PY
grants() { awk -v kind="$1" '$1 == kind { sub(/^[^ ]+ /, ""); print }' "$WORK/grants"; }

echo "1..9"

# The manifest itself: no home, no host, no session-bus or system-bus wildcard.
same_devel=$(python3 -c 'import json,sys; a,b=(json.load(open(f))["finish-args"] for f in sys.argv[1:]); print(a==b)' \
             "$MANIFEST" flatpak/io.github.agcl.AgCl.Devel.json 2>/dev/null)
if grep -qE '^filesystem (home|host)(:|$)|^socket (session|system)-bus$|^talk \*' "$WORK/grants" || [ "$same_devel" != True ]; then
  not_ok "the manifest grants neither the home folder, the host, nor the whole bus (nor does the development one, which grants the same)" "$(cat "$WORK/grants")" "development manifest the same: $same_devel"
else
  ok "the manifest grants neither the home folder, the host, nor the whole bus (nor does the development one, which grants the same)"
fi

# The mock Google, on loopback (the sandbox shares the network, so it reaches it).
"$AG_MOCK" --port 0 > "$WORK/mock.out" 2> "$WORK/mock.err" & PIDS="$PIDS $!"
for _ in $(seq 200); do grep -q LISTENING "$WORK/mock.out" 2>/dev/null && break; sleep 0.05; done
MOCK_URL=$(sed -n 's/^LISTENING //p' "$WORK/mock.out")
[ -n "$MOCK_URL" ] || bail "the mock did not start: $(cat "$WORK/mock.err")"
export AGCL_CLOUDCODE_ENDPOINTS="$MOCK_URL" AGCL_OAUTH_TOKEN_URL="$MOCK_URL/token" AGCL_OAUTH_AUTH_URL="$MOCK_URL/auth"
export AGCL_USERINFO_URL="$MOCK_URL/userinfo" AGCL_VERSION_MANIFEST_URL=none GSETTINGS_BACKEND=memory

# An account added on the host, as `ag-cl account add` outside the sandbox stores it.
"$AG_CL" account add --refresh-token rt-1 > "$WORK/add.log" 2>&1 || bail "account add failed: $(cat "$WORK/add.log")"

# The session bus as Flatpak filters it: the portals, the app's own names, and the manifest's names only.
talk_args=(--talk="org.freedesktop.portal.*")
while read -r name; do [ -n "$name" ] && talk_args+=(--talk="$name"); done < <(grants talk)
while read -r name; do [ -n "$name" ] && talk_args+=(--own="$name"); done < <(grants own)
xdg-dbus-proxy "$DBUS_SESSION_BUS_ADDRESS" "$WORK/bus" --filter "${talk_args[@]}" --own="io.github.agcl.AgCl.*" \
  --own=io.github.agcl.AgCl & PIDS="$PIDS $!"
for _ in $(seq 100); do [ -S "$WORK/bus" ] && break; sleep 0.05; done
[ -S "$WORK/bus" ] || bail "xdg-dbus-proxy did not start"

# The private home: the granted folders (~/X, xdg-config/X) exist outside, in $WORK/home, and are bound in;
# nothing else of the home is.
HOME_IN=/home/user
APP_DIR=.var/app/io.github.agcl.AgCl
mkdir -p "$WORK/home/$APP_DIR/data" "$WORK/home/$APP_DIR/config" "$WORK/home/$APP_DIR/cache" "$WORK/out"
# The app's own folders, where Flatpak points XDG_DATA_HOME, XDG_CONFIG_HOME and XDG_CACHE_HOME.
bind_args=(--bind "$WORK/home/$APP_DIR" "$HOME_IN/$APP_DIR")
while read -r spec; do
  folder=${spec%%:*}
  case $folder in
    "~/"*) rel=${folder#\~/} ;;
    xdg-config/*) rel=.config/${folder#xdg-config/} ;;
    xdg-data/*) rel=.local/share/${folder#xdg-data/} ;;
    *) continue ;;
  esac
  mkdir -p "$WORK/home/$rel"
  bind_args+=(--bind "$WORK/home/$rel" "$HOME_IN/$rel")
done < <(grants filesystem)
{
  echo "[Application]"
  echo "name=io.github.agcl.AgCl"
  echo "[Context]"
  echo "shared=$(grants share | paste -sd ';');"
  echo "sockets=$(grants socket | paste -sd ';');"
  echo "filesystems=$(grants filesystem | paste -sd ';');"
  echo "[Session Bus Policy]"
  grants talk | sed 's/$/=talk/'
} > "$WORK/flatpak-info"

RUNTIME=/run/user/$(id -u)
share_net=()
grants share | grep -qx network && share_net=(--share-net)
sandbox() {
  bwrap --unshare-all "${share_net[@]}" --die-with-parent --new-session \
    --ro-bind /usr /usr --symlink usr/bin /bin --symlink usr/lib /lib --symlink usr/lib64 /lib64 \
    --symlink usr/sbin /sbin --ro-bind /etc /etc --proc /proc --dev /dev --tmpfs /tmp --tmpfs /home \
    --dir "$HOME_IN" "${bind_args[@]}" \
    --ro-bind "$BUILD" "$BUILD" --bind "$WORK/out" /tmp/out \
    --ro-bind "$WORK/flatpak-info" /.flatpak-info \
    --dir "$RUNTIME" --bind "$WORK/bus" "$RUNTIME/bus" \
    --clearenv --setenv HOME "$HOME_IN" --setenv XDG_RUNTIME_DIR "$RUNTIME" \
    --setenv XDG_DATA_HOME "$HOME_IN/$APP_DIR/data" --setenv XDG_CONFIG_HOME "$HOME_IN/$APP_DIR/config" \
    --setenv XDG_CACHE_HOME "$HOME_IN/$APP_DIR/cache" \
    --setenv DBUS_SESSION_BUS_ADDRESS "unix:path=$RUNTIME/bus" --setenv PATH /usr/bin:/bin \
    --setenv AGCL_PROFILE "$AGCL_PROFILE" --setenv GSETTINGS_BACKEND memory \
    --setenv AGCL_CLOUDCODE_ENDPOINTS "$MOCK_URL" --setenv AGCL_OAUTH_TOKEN_URL "$MOCK_URL/token" \
    --setenv AGCL_OAUTH_AUTH_URL "$MOCK_URL/auth" --setenv AGCL_USERINFO_URL "$MOCK_URL/userinfo" \
    --setenv AGCL_VERSION_MANIFEST_URL none \
    "$@"
}

# 2. Inside, the home holds only the granted folders.
listing=$(sandbox /bin/sh -c "cd $HOME_IN && find . -mindepth 1 -maxdepth 2 | sort" 2>&1)
expected=$(cd "$WORK/home" && find . -mindepth 1 -maxdepth 2 | sort)
if [ "$listing" = "$expected" ] && ! sandbox test -e "$PWD/meson.build" && ! sandbox test -e "$HOME"; then
  ok "the sandbox's home holds only the granted folders, and the host's files are out of reach"
else
  not_ok "the sandbox's home holds only the granted folders, and the host's files are out of reach" "inside: $listing" "granted: $expected"
fi

# 3. The proxy in the sandbox reads the account from the host's keyring (through the filtered bus) and serves.
sandbox "$AG_CL" --headless --port 0 > "$WORK/proxy.out" 2> "$WORK/proxy.log" & PIDS="$PIDS $!"
for _ in $(seq 200); do grep -q "listening on" "$WORK/proxy.out" 2>/dev/null && break; sleep 0.05; done
PROXY_URL=$(sed -n 's/^ag-cl: listening on //p' "$WORK/proxy.out")
[ -n "$PROXY_URL" ] || bail "ag-cl did not start in the sandbox: $(tail -5 "$WORK/proxy.log")"
for _ in $(seq 100); do grep -q "loaded from the keyring" "$WORK/proxy.log" && break; sleep 0.1; done
answer=$(curl -s -H 'Content-Type: application/json' \
  --data '{"model":"claude-sonnet-4-5","max_tokens":16,"messages":[{"role":"user","content":"hi"}]}' \
  "$PROXY_URL/v1/messages")
if grep -q "1 account(s) loaded from the keyring" "$WORK/proxy.log" && echo "$answer" | grep -q "Hello from the mock."; then
  ok "ag-cl in the sandbox serves a request with the account the host's keyring holds"
else
  not_ok "ag-cl in the sandbox serves a request with the account the host's keyring holds" "answer: $answer" "log: $(tail -5 "$WORK/proxy.log")"
fi

# 4. Its request log is written in its own data folder (~/.var/app/ID/data), as in a real Flatpak.
for _ in $(seq 50); do [ -s "$WORK/home/$APP_DIR/data/ag-cl/history.db" ] && break; sleep 0.1; done
if [ -s "$WORK/home/$APP_DIR/data/ag-cl/history.db" ]; then
  ok "the request log lives in the sandbox's own data folder"
else
  not_ok "the request log lives in the sandbox's own data folder" "log: $(tail -5 "$WORK/proxy.log")"
fi

# 5. The filtered bus: names the manifest grants are reachable, others are not there at all.
names=$(sandbox gdbus call --session --dest org.freedesktop.DBus --object-path /org/freedesktop/DBus \
          --method org.freedesktop.DBus.ListNames 2>&1)
if echo "$names" | grep -q "org.freedesktop.secrets" && ! echo "$names" | grep -q "org.freedesktop.DBus.Monitoring\|org.gnome"; then
  ok "the sandbox's bus shows the Secret Service it was granted and nothing it was not"
else
  not_ok "the sandbox's bus shows the Secret Service it was granted and nothing it was not" "names: $names"
fi

# 6. The settings writers reach the folders granted to them: Claude Code's.
if sandbox /bin/sh -c "echo '{}' > $HOME_IN/.claude/settings.json" && [ -f "$WORK/home/.claude/settings.json" ]; then
  ok "a granted folder (~/.claude) is written through to the host"
else
  not_ok "a granted folder (~/.claude) is written through to the host"
fi

# 7. A write outside them stays in the sandbox's throw-away home, never the host's.
sandbox /bin/sh -c "mkdir -p $HOME_IN/.ssh && echo x > $HOME_IN/.ssh/planted" 2>/dev/null
if [ ! -e "$WORK/home/.ssh/planted" ] && [ ! -e "$HOME/.ssh/planted" ]; then
  ok "a write outside the granted folders never reaches the host"
else
  not_ok "a write outside the granted folders never reaches the host"
fi

# 8. Start at login, in the sandbox, goes to the Background portal — here there is none: a clear error, no file.
out=$(sandbox "$AG_CL" autostart on 2>&1); status=$?
if [ $status -eq 1 ] && echo "$out" | grep -q "background portal is not available" && \
   [ -z "$(find "$WORK/home" -name 'io.github.agcl.AgCl.desktop')" ]; then
  ok "start at login asks the Background portal and, without one, fails with a clear message"
else
  not_ok "start at login asks the Background portal and, without one, fails with a clear message" "exit $status: $out"
fi

# 9. The sandboxed ag-cl left no token in anything it wrote.
if grep -rqaE 'ya29\.mock-|(^|[^A-Za-z0-9])rt-[A-Za-z0-9]' "$WORK/proxy.log" "$WORK/proxy.out" "$WORK/home" 2>/dev/null; then
  not_ok "no token in anything the sandboxed ag-cl wrote"
else
  ok "no token in anything the sandboxed ag-cl wrote"
fi
exit $((failed > 0))
