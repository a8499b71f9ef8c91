#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# `meson install --destdir` gives a working app, checked file by file: the binary and its UI module, the desktop
# file and metainfo (translated), the catalogues, schema, icons, the systemd user unit, the manual page and bash
# completion. TAP output.
# Usage: test-install.sh BUILD_DIR
set -u
build=$1
dest=$(mktemp -d)
trap 'rm -rf "$dest"' EXIT
n=0; failed=0
ok () { n=$((n + 1)); echo "ok $n - $1"; }
not_ok () { n=$((n + 1)); failed=1; echo "not ok $n - $1"; shift; for line in "$@"; do echo "# $line"; done; }
check () { if eval "$2" >/dev/null 2>&1; then ok "$1"; else not_ok "$1" "failed: $2"; fi; }

echo "1..18"
if ! meson install -C "$build" --destdir "$dest" --no-rebuild --quiet >"$dest.log" 2>&1; then
  not_ok "meson install" "$(tail -5 "$dest.log")"
  rm -f "$dest.log"
  exit 1
fi
rm -f "$dest.log"
ok "meson install --destdir"
prefix=$(meson introspect "$build" --buildoptions | python3 -c 'import json,sys; print(next(o["value"] for o in json.load(sys.stdin) if o["name"]=="prefix"))')
root="$dest$prefix"

check "the binary" '[ -x "$root/bin/ag-cl" ]'
check "the binary runs" '"$root/bin/ag-cl" --version | grep -q "^ag-cl [0-9]"'
check "the UI module" '[ -n "$(find "$root/lib"* -path "*/ag-cl/libagcl-ui.so" 2>/dev/null)" ]'
check "the desktop file validates" 'desktop-file-validate "$root/share/applications/io.github.agcl.AgCl.desktop"'
check "the metainfo" '[ -s "$root/share/metainfo/io.github.agcl.AgCl.metainfo.xml" ]'
check "the German and Chinese catalogues" \
  '[ -s "$root/share/locale/de/LC_MESSAGES/ag-cl.mo" ] && [ -s "$root/share/locale/zh_CN/LC_MESSAGES/ag-cl.mo" ]'
check "the desktop file in German and Chinese" \
  'grep -q "^Comment\[de\]=." "$root/share/applications/io.github.agcl.AgCl.desktop" &&
   grep -q "^Name\[zh_CN\]=." "$root/share/applications/io.github.agcl.AgCl.desktop"'
check "the metainfo in German and Chinese" \
  'grep -q "<summary xml:lang=\"de\">" "$root/share/metainfo/io.github.agcl.AgCl.metainfo.xml" &&
   grep -q "<summary xml:lang=\"zh_CN\">" "$root/share/metainfo/io.github.agcl.AgCl.metainfo.xml"'
check "the schema compiles" 'glib-compile-schemas --strict --dry-run "$root/share/glib-2.0/schemas"'
check "the scalable icon" '[ -s "$root/share/icons/hicolor/scalable/apps/io.github.agcl.AgCl.svg" ]'
check "the symbolic icon" '[ -n "$(find "$root/share/icons/hicolor" -name "io.github.agcl.AgCl-symbolic.svg")" ]'
check "the systemd user unit runs the installed binary headless" \
  'grep -qx "ExecStart=$prefix/bin/ag-cl --headless" "$root/lib/systemd/user/ag-cl.service"'
check "the manual page" '[ -s "$root/share/man/man1/ag-cl.1" ]'
check "the manual page has no groff warnings" \
  '[ -z "$(groff -man -ww -z "$root/share/man/man1/ag-cl.1" 2>&1)" ] || ! command -v groff >/dev/null'
check "bash completion parses" 'bash -n "$root/share/bash-completion/completions/ag-cl"'
check "bash completion completes the subcommands" \
  '[ "$(bash -c ". \"$root/share/bash-completion/completions/ag-cl\"; COMP_WORDS=(ag-cl aut); COMP_CWORD=1; _ag_cl; echo \${COMPREPLY[*]}")" = autostart ]'
# Every subcommand the usage line names, so a new one cannot be forgotten here.
subcommands=$("$root/bin/ag-cl" --help 2>/dev/null | sed -n 's/^ *ag-cl \[OPTION…\] \[\(.*\)\]$/\1/p' | tr -d '…|')
missing=""
for sub in $subcommands; do
  got=$(bash -c ". \"$root/share/bash-completion/completions/ag-cl\"; COMP_WORDS=(ag-cl $sub); COMP_CWORD=1; _ag_cl; echo \${COMPREPLY[*]}")
  case " $got " in *" $sub "*) ;; *) missing="$missing $sub" ;; esac
done
if [ -n "$subcommands" ] && [ -z "$missing" ]; then ok "bash completion offers every subcommand of the usage line ($(echo $subcommands))"
else not_ok "bash completion offers every subcommand of the usage line" "usage names: $subcommands" "missing:$missing"; fi
exit $failed
