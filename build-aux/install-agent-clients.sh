#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Installs the real OpenAI and Gemini clients from npm into _build for the end-to-end tests, each pinned:
#   openai-sdk  the `openai` npm SDK (Chat Completions and Responses)
#   codex       Codex CLI (`@openai/codex`, speaks only the Responses API to a custom provider)
#   gemini-cli  Gemini CLI (`@google/gemini-cli`, speaks Gemini v1beta generateContent)
# With no argument all three; otherwise the ones named. Already installed versions are kept.
set -eu
cd "$(dirname "$0")/.."
OPENAI_SDK_VERSION=${AGCL_OPENAI_SDK_VERSION:-6.49.0}
CODEX_VERSION=${AGCL_CODEX_VERSION:-0.171.0}
GEMINI_CLI_VERSION=${AGCL_GEMINI_CLI_VERSION:-0.61.0}

# install DEST PACKAGE@VERSION MARKER: MARKER (a file under DEST) proves the install is there.
install() {
  if [ ! -e "$1/$3" ] || [ "${AGCL_CLIENTS_REINSTALL:-0}" = 1 ]; then
    mkdir -p "$1"
    npm install --prefix "$1" --no-fund --no-audit --save-exact "$2"
  fi
}

for client in ${*:-openai-sdk codex gemini-cli}; do
  case $client in
    openai-sdk) install _build/openai-sdk "openai@$OPENAI_SDK_VERSION" node_modules/openai/package.json
                node -e "console.log('openai ' + require('./_build/openai-sdk/node_modules/openai/package.json').version)" ;;
    codex)      install _build/codex "@openai/codex@$CODEX_VERSION" node_modules/.bin/codex
                _build/codex/node_modules/.bin/codex --version ;;
    gemini-cli) install _build/gemini-cli "@google/gemini-cli@$GEMINI_CLI_VERSION" node_modules/.bin/gemini
                echo "gemini-cli $(_build/gemini-cli/node_modules/.bin/gemini --version)" ;;
    *) echo "unknown client $client" >&2; exit 2 ;;
  esac
done
