#!/usr/bin/env bash
# Install what is missing (system libraries, a .venv with Cuecard) and start it.
# Arguments are passed to `python -m app`, e.g. `./start.sh replay FILE`.
source "$(dirname "$0")/scripts/setup_env.sh"
cuecard_setup "" "${CUECARD_APP_PACKAGES[@]}"
exec "$venv/bin/python" -m app "$@"
