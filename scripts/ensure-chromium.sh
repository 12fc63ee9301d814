#!/usr/bin/env bash
# The browser tests of the panel (internal/http/panel_e2e_test.go) drive
# Debian's Chromium. Install it when it is missing and we may (root with
# apt-get); otherwise say what to do. The test itself fails with the same
# advice when no browser is found, so nothing is ever skipped silently.
set -euo pipefail
for b in "${CHROMIUM_BIN:-}" chromium chromium-browser google-chrome google-chrome-stable; do
	if [ -n "$b" ] && command -v "$b" >/dev/null 2>&1; then
		exit 0
	fi
done
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
	echo "ensure-chromium: installing Debian's chromium for the panel's browser tests" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends chromium >/dev/null
	exit 0
fi
echo "ensure-chromium: no Chromium found; install it (Debian/Ubuntu: sudo apt-get install -y chromium) or set CHROMIUM_BIN. The panel's browser tests will fail without it." >&2
