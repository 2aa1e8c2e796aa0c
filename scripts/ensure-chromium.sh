#!/usr/bin/env bash
# Browser tests drive Debian's Chromium. Install it when missing and we may (root + apt).
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Chromium for the browser tests (apt-get)..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  exit 0
fi
echo "ERROR: chromium is missing and cannot be installed here (not root, or no apt-get)." >&2
echo "Install your distribution's chromium package, then run make test again." >&2
exit 1
