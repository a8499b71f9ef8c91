#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Translations stay whole (TAP output):
#   - every source file with a translatable string is in POTFILES.in, and every file listed exists;
#   - the template extracts from the sources, here, into WORK_DIR, without a warning (a message cut short, e.g. by
#     a G_GINT64_FORMAT inside it, which xgettext cannot read: use PRId64), and no _() string holds a GLib format
#     macro;
#   - every language in LINGUAS has its .po and every .po is listed; each passes `msgfmt --check --check-format`,
#     with the plural forms its language needs;
#   - merged with the fresh template, each language has nothing untranslated and nothing fuzzy: a string added to
#     the sources without its translations fails here (po/README.md says how to update).
# Usage: check-translations.sh SOURCE_DIR WORK_DIR
set -u
cd "$1"
work=$2
mkdir -p "$work"
n=0; failed=0
ok () { n=$((n + 1)); echo "ok $n - $1"; }
not_ok () { n=$((n + 1)); failed=1; echo "not ok $n - $1"; shift; printf '%s\n' "$@" | sed 's/^/# /'; }
how_to_update="to update: ninja -C _build ag-cl-pot && ninja -C _build ag-cl-update-po, translate what is empty or fuzzy, see po/README.md"

grep -v '^#' po/POTFILES.in | sed '/^$/d' | sort > "$work/listed"
grep -rlE '(^|[^A-Za-z_])N?_ ?\("|ngettext \(|translatable="yes"' src | sort > "$work/marked"
unlisted=$(comm -23 "$work/marked" "$work/listed")
missing=$(while read -r f; do [ -e "$f" ] || echo "$f"; done < "$work/listed")
if [ -z "$unlisted" ] && [ -z "$missing" ]; then
  ok "POTFILES.in lists every file with a translatable string, and only files that exist"
else
  not_ok "POTFILES.in lists every file with a translatable string, and only files that exist" \
    "not listed: $(echo $unlisted)" "listed but missing: $(echo $missing)"
fi

pot="$work/ag-cl.pot"
rm -f "$pot"
if xgettext --package-name=ag-cl --from-code=UTF-8 --add-comments=Translators --keyword=_ --keyword=N_ \
     --keyword=C_:1c,2 --keyword=NC_:1c,2 --keyword=g_dngettext:2,3 --keyword=ngettext:1,2 \
     --flag=g_dngettext:2:pass-c-format --flag=N_:1:pass-c-format \
     -f po/POTFILES.in -o "$pot" 2>"$work/xgettext.err" && [ -s "$pot" ]; then
  ok "the template extracts from the sources ($(grep -c '^msgid ' "$pot") strings)"
else
  not_ok "the template extracts from the sources" "$(head -5 "$work/xgettext.err")"
fi
if [ ! -s "$work/xgettext.err" ]; then
  ok "xgettext reads every message whole (no warning)"
else
  not_ok "xgettext reads every message whole (no warning)" "$(head -5 "$work/xgettext.err")"
fi
macros=$(grep -rnE '(^|[^A-Za-z_])N?_ ?\("[^)]*"[[:space:]]*G_G[A-Z0-9]*_(FORMAT|MODIFIER)' src)
if [ -z "$macros" ]; then
  ok "no translatable string holds a GLib format macro"
else
  not_ok "no translatable string holds a GLib format macro" "use PRId64/PRIu64 (xgettext and gettext read them):" \
    "$macros"
fi

languages=$(grep -v '^#' po/LINGUAS | sed '/^$/d')
for po in po/*.po; do
  lang=$(basename "$po" .po)
  echo "$languages" | grep -qx "$lang" || not_ok "$po is listed in po/LINGUAS" "add $lang to po/LINGUAS"
done
for lang in $languages; do
  po="po/$lang.po"
  if [ ! -f "$po" ]; then
    not_ok "$lang: $po exists" "po/LINGUAS lists $lang"
    continue
  fi
  if stats=$(msgfmt --check --check-format --statistics -o /dev/null "$po" 2>&1); then
    ok "$lang: msgfmt --check --check-format ($stats)"
  else
    not_ok "$lang: msgfmt --check --check-format" "$stats"
  fi
  # The plural rule of the languages we ship (GNOME's and gettext's): n != 1 has two forms, Chinese one.
  case $lang in
    de) expected='nplurals=2; plural=(n != 1);' ;;
    zh_CN) expected='nplurals=1; plural=0;' ;;
    *) expected='' ;;
  esac
  plural=$(sed -n 's/^"Plural-Forms: \(.*\)\\n"$/\1/p' "$po")
  header_lang=$(sed -n 's/^"Language: \(.*\)\\n"$/\1/p' "$po")
  if [ "$header_lang" = "$lang" ] && { [ -z "$expected" ] || [ "$plural" = "$expected" ]; }; then
    ok "$lang: header names the language and its plural forms ($plural)"
  else
    not_ok "$lang: header names the language and its plural forms" "Language: $header_lang (expected $lang)" \
      "Plural-Forms: $plural (expected $expected)"
  fi
  merged="$work/$lang.po"
  if msgmerge --quiet --no-fuzzy-matching "$po" "$pot" -o "$merged" 2>"$work/msgmerge.err"; then
    counts=$(LC_ALL=C msgfmt --statistics -o /dev/null "$merged" 2>&1)
    if ! echo "$counts" | grep -qE 'untranslated|fuzzy'; then
      ok "$lang: complete for the sources' template ($counts)"
    else
      not_ok "$lang: complete for the sources' template" "$counts" \
        "for example: $({ msgattrib --untranslated --no-obsolete --no-wrap "$merged"
                          msgattrib --only-fuzzy --no-obsolete --no-wrap "$merged"; } |
                        sed -n 's/^msgid "\(..*\)"$/“\1”/p' | head -5 | tr '\n' ' ')" "$how_to_update"
    fi
  else
    not_ok "$lang: merges with the sources' template" "$(head -3 "$work/msgmerge.err")"
  fi
done
echo "1..$n"
exit $failed
