#!/usr/bin/env bash
# Build the one-folder app with PyInstaller into dist/cuecard/ and run the built
# app's --self-test. Exit status is PyInstaller's or the self-test's.
# Usage: scripts/build_app.sh [--no-setup]
#   --no-setup  use the existing .venv as it is (skip apt and pip)
set -euo pipefail
source "$(dirname "$0")/setup_env.sh"

if [ "${1:-}" != "--no-setup" ]; then
    cuecard_setup "[build]" "${CUECARD_APP_PACKAGES[@]}"
fi
cd "$cuecard_root"

started=$(date +%s)
"$venv/bin/python" -m PyInstaller --noconfirm --clean \
    --distpath dist --workpath build/pyinstaller build.spec
built=$(date +%s)
echo "built dist/cuecard in $((built - started)) s ($(du -sh dist/cuecard | cut -f1))"

# The self-test opens the window offscreen, so it needs no display. A private
# CUECARD_HOME keeps it away from the user's database and settings.
home="$(mktemp -d)"
trap 'rm -rf "$home"' EXIT
CUECARD_HOME="$home" QT_QPA_PLATFORM=offscreen dist/cuecard/cuecard --self-test
echo "self-test passed in $(($(date +%s) - built)) s"
