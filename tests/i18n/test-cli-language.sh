#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The GTK-free paths follow the desktop language from the build tree's catalogues: for each language, what
# `ag-cl --help`, `ag-cl account --help`, `ag-cl account list`, `ag-cl log` and an unknown command print is the
# catalogue's translation (looked up with gettext(1), so a changed wording does not break the test, a lost binding
# does), with LANGUAGE as a desktop sets it and, where the locale is generated, with LANG alone. In the C locale
# everything stays English.
# TAP output. Usage: test-cli-language.sh AG_CL BUILD_DIR LANGUAGE...
set -u
ag_cl=$1; build=$2; shift 2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
n=0; failed=0
ok () { n=$((n + 1)); echo "ok $n - $1"; }
not_ok () { n=$((n + 1)); failed=1; echo "not ok $n - $1"; shift; printf '%s\n' "$@" | sed 's/^/# /'; }
# The translation of $2 in language $1 (escapes such as \n expanded), from the catalogue ag-cl should be using.
translate () { TEXTDOMAINDIR="$build/po" LANGUAGE=$1 LC_ALL=C.UTF-8 gettext -e -d ag-cl "$2"; }
contains () { case $1 in *"$2"*) return 0 ;; *) return 1 ;; esac; }
# Runs ag-cl with no account, no history and no user configuration.
run () { env -u LANG -u LANGUAGE -u LC_ALL -u LC_MESSAGES AGCL_DATA_DIR="$work/data" AGCL_PROFILE=test-cli-language \
  XDG_CONFIG_HOME="$work/config" "$@" 2>&1; }

english_help="Run the proxy without a window"
for lang in "$@"; do
  help=$(translate "$lang" "$english_help")
  if [ "$help" = "$english_help" ] || [ -z "$help" ]; then
    not_ok "$lang: the catalogue translates the options" "no translation of “$english_help” in $build/po/$lang"
    continue
  fi
  out=$(run LANGUAGE="$lang" LC_ALL=C.UTF-8 "$ag_cl" --help)
  summary=$(translate "$lang" "Print the version and exit")
  if contains "$out" "$help" && contains "$out" "$summary" && ! contains "$out" "$english_help"; then
    ok "$lang: ag-cl --help (LANGUAGE=$lang)"
  else
    not_ok "$lang: ag-cl --help (LANGUAGE=$lang)" "expected “$help”, got:" "$(echo "$out" | head -12)"
  fi

  usage=$(translate "$lang" "unknown account command; see \"ag-cl account --help\"")
  out=$(run LANGUAGE="$lang" LC_ALL=C.UTF-8 "$ag_cl" account --help)
  # The usage text is one long message that grows with every command: its translation is found by a phrase in it.
  first=$(msgunfmt "$build/po/$lang/LC_MESSAGES/ag-cl.mo" 2>/dev/null |
          msggrep -K -e 'ag-cl account add --refresh-token TOKEN' 2>/dev/null |
          msgexec sh -c '[ -z "$MSGEXEC_MSGID" ] || head -n 1' 2>/dev/null | head -n 1)
  if [ "$(echo "$out" | head -1)" = "$first" ] && [ "$first" != "Usage:" ]; then
    ok "$lang: ag-cl account --help"
  else
    not_ok "$lang: ag-cl account --help" "expected the first line “$first”, got:" "$(echo "$out" | head -3)"
  fi

  expected=$(printf "$(translate "$lang" 'No requests recorded yet (%s does not exist).\n')" "$work/data/history.db")
  out=$(run LANGUAGE="$lang" LC_ALL=C.UTF-8 "$ag_cl" log)
  if [ "$out" = "$expected" ]; then
    ok "$lang: ag-cl log with no history"
  else
    not_ok "$lang: ag-cl log with no history" "expected: $expected" "got: $out"
  fi

  # No account in this test's keyring profile: the hint to add one (needs build-aux/with-keyring.sh).
  if [ -n "${AGCL_IN_KEYRING_SESSION:-}" ]; then
    expected=$(translate "$lang" 'No accounts yet: add one with "ag-cl account add --refresh-token -".\n')
    out=$(run LANGUAGE="$lang" LC_ALL=C.UTF-8 "$ag_cl" account list)
    if [ "$out" = "$expected" ]; then
      ok "$lang: ag-cl account list with no account"
    else
      not_ok "$lang: ag-cl account list with no account" "expected: $expected" "got: $out"
    fi
  else
    ok "$lang: ag-cl account list with no account # SKIP needs the private keyring of build-aux/with-keyring.sh"
  fi

  expected=$(printf "$(translate "$lang" 'ag-cl: unknown command “%s”; see “ag-cl --help”\n')" frobnicate)
  out=$(run LANGUAGE="$lang" LC_ALL=C.UTF-8 "$ag_cl" frobnicate)
  status=$?
  if [ "$out" = "$expected" ] && [ $status -eq 2 ]; then
    ok "$lang: an unknown command (status 2)"
  else
    not_ok "$lang: an unknown command (status 2)" "expected: $expected (2)" "got: $out ($status)"
  fi

  # A desktop session sets LANG to the language's locale and nothing else.
  locale=$([ "$lang" = de ] && echo de_DE || echo "$lang").UTF-8
  if locale -a 2>/dev/null | grep -qix "$(echo "$locale" | sed 's/UTF-8/utf8/')"; then
    out=$(run LANG="$locale" "$ag_cl" --help)
    if contains "$out" "$help"; then
      ok "$lang: ag-cl --help (LANG=$locale)"
    else
      not_ok "$lang: ag-cl --help (LANG=$locale)" "expected “$help”, got:" "$(echo "$out" | head -12)"
    fi
  else
    ok "$lang: ag-cl --help (LANG=$locale) # SKIP the locale is not generated (build-aux/setup.sh generates it)"
  fi
done

out=$(run LANGUAGE="$1" LC_ALL=C "$ag_cl" --help)
if contains "$out" "$english_help"; then
  ok "C locale: English"
else
  not_ok "C locale: English" "$(echo "$out" | head -12)"
fi
echo "1..$n"
exit $failed
