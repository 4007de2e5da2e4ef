#!/usr/bin/env bash
# Installs schemathesis, pinned, into .tools/venv, unless that version is there already.
# npm run fuzz and .ci/run both call it; it needs python3 with venv (Debian: python3-venv).
set -euo pipefail
cd "$(dirname "$0")/../.."

VERSION=4.32.5
VENV=.tools/venv

if [ -x "$VENV/bin/schemathesis" ] && [ "$("$VENV/bin/schemathesis" --version 2>/dev/null)" = "schemathesis, version $VERSION" ]; then
  exit 0
fi
python3 -m venv "$VENV"
"$VENV/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$VERSION"
"$VENV/bin/schemathesis" --version
