"""A private PulseAudio server with a null sink, for benchmarks outside pytest.

It runs the same server and ALSA configuration as the tests' ``pulse_sink``
fixture (tests/pulse.py), in a temporary folder, and stops it on exit.
"""

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from app.audio.devices import DeviceChoice, refresh_devices
from tests.pulse import (
    MONITOR_PCM,
    SINK,
    PulseSink,
    _wait_for_server,
    start_server,
    stop_server,
)

VARIABLES = ("XDG_RUNTIME_DIR", "PULSE_SERVER", "ALSA_CONFIG_PATH")


@contextlib.contextmanager
def null_sink() -> Iterator[PulseSink]:
    """Run PulseAudio with a null sink and point this process's PortAudio at it."""
    for tool in ("pulseaudio", "pactl", "paplay"):
        if shutil.which(tool) is None:
            raise SystemExit(
                f"{tool} not found: apt-get install pulseaudio pulseaudio-utils"
            )
    with tempfile.TemporaryDirectory(prefix="cuecard-pulse-") as folder:
        server, env = start_server(Path(folder))
        saved = {name: os.environ.get(name) for name in VARIABLES}
        try:
            _wait_for_server(env, server)
            os.environ.update({name: env[name] for name in VARIABLES})
            refresh_devices()
            yield PulseSink(SINK, DeviceChoice(MONITOR_PCM, "ALSA"), env)
        finally:
            for name, value in saved.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value
            refresh_devices()
            stop_server(server)
