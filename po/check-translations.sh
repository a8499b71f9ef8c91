#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Translations stay whole: every source file with a translatable string is in POTFILES.in (and every file listed
# exists), the template can be extracted from them, and each language in LINGUAS passes `msgfmt --check` with
# nothing untranslated or fuzzy. TAP output. Usage: check-translations.sh SOURCE_DIR
set -u
cd "$1"
n=0; failed=0
ok () { n=$((n + 1)); echo "ok $n - $1"; }
not_ok () { n=$((n + 1)); failed=1; echo "not ok $n - $1"; shift; for line in "$@"; do echo "# $line"; done; }

listed=$(grep -v '^#' po/POTFILES.in | sed '/^$/d' | sort)
marked=$(grep -rlE '(^|[^A-Za-z_])N?_\("|ngettext \(|translatable="yes"' src | sort)
unlisted=$(printf '%s\n' "$marked" | comm -23 - "$(printf '%s\n' "$listed" > "${TMPDIR:-/tmp}/potfiles.$$"; echo "${TMPDIR:-/tmp}/potfiles.$$")")
rm -f "${TMPDIR:-/tmp}/potfiles.$$"
missing=$(for f in $listed; do [ -e "$f" ] || echo "$f"; done)
if [ -z "$unlisted" ] && [ -z "$missing" ]; then
  ok "POTFILES.in lists every file with a translatable string, and only files that exist"
else
  not_ok "POTFILES.in lists every file with a translatable string, and only files that exist" \
    "not listed: $(echo $unlisted)" "listed but missing: $(echo $missing)"
fi

pot=$(mktemp)
if xgettext --from-code=UTF-8 --add-comments=Translators --keyword=_ --keyword=N_ --keyword=C_:1c,2 \
     --keyword=NC_:1c,2 --keyword=g_dngettext:2,3 --keyword=ngettext:1,2 -f po/POTFILES.in -o "$pot" 2>"$pot.err" &&
   [ -s "$pot" ]; then
  ok "the template extracts from the sources ($(grep -c '^msgid ' "$pot") strings)"
else
  not_ok "the template extracts from the sources" "$(head -5 "$pot.err")"
fi

for lang in $(grep -v '^#' po/LINGUAS); do
  stats=$(msgfmt --check --statistics -o /dev/null "po/$lang.po" 2>&1)
  if [ $? -ne 0 ]; then
    not_ok "$lang: msgfmt --check" "$stats"
  elif echo "$stats" | grep -qE 'untranslated|fuzzy'; then
    not_ok "$lang: complete" "$stats"
  else
    ok "$lang: msgfmt --check, complete ($stats)"
  fi
  missing_ids=$(msgcmp --use-untranslated "po/$lang.po" "$pot" 2>&1 | grep -c 'this message is used but not defined')
  if [ "$missing_ids" -eq 0 ]; then
    ok "$lang: every string of the sources is in the translation"
  else
    not_ok "$lang: every string of the sources is in the translation" "$missing_ids strings missing (msgmerge it)"
  fi
done
rm -f "$pot" "$pot.err"
echo "1..$n"
exit $failed
