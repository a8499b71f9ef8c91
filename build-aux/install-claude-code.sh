#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Installs the real Claude Code CLI from npm into _build/claude-code for the end-to-end test.
set -eu
cd "$(dirname "$0")/.."
DEST=_build/claude-code
VERSION=${AGCL_CLAUDE_CODE_VERSION:-2.1.332}
if [ ! -x "$DEST/node_modules/.bin/claude" ] || [ "${AGCL_CLAUDE_CODE_REINSTALL:-0}" = 1 ]; then
  mkdir -p "$DEST"
  npm install --prefix "$DEST" --no-fund --no-audit "@anthropic-ai/claude-code@$VERSION"
fi
# The native binary comes in an optional dependency; run the installer when postinstall was skipped.
if ! "$DEST/node_modules/.bin/claude" --version >/dev/null 2>&1; then
  (cd "$DEST" && node node_modules/@anthropic-ai/claude-code/install.cjs) || true
fi
"$DEST/node_modules/.bin/claude" --version
