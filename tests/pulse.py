"""A private PulseAudio server with a null sink whose monitor PortAudio can record.

Import the fixture in a conftest.py or test module with
``from tests.pulse import pulse_sink``. It needs the Debian packages pulseaudio,
pulseaudio-utils, libasound2-plugins and libportaudio2. The server and its
files live in a temporary folder and stop at the end of the session.
"""

import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from app.audio.devices import DeviceChoice, refresh_devices

SINK = "cuecard_call"
MONITOR_PCM = "cuecard_call_monitor"
START_TIMEOUT = 10.0

# ALSA reads only the files in ALSA_CONFIG_PATH, so this one pulls in the
# system configuration first: without it alsa-lib aborts the process.
ASOUNDRC = f"""\
</usr/share/alsa/alsa.conf>
pcm.{MONITOR_PCM} {{
    type pulse
    device "{SINK}.monitor"
}}
"""


@dataclass(frozen=True)
class PulseSink:
    """A running null sink: play audio into it and record its monitor."""

    sink: str
    monitor: DeviceChoice
    env: dict[str, str]

    def play(self, path: Path) -> subprocess.Popen:
        """Start playing a sound file into the sink and return the process."""
        return subprocess.Popen(
            ["paplay", f"--device={self.sink}", str(path)],
            env=self.env,
            stderr=subprocess.PIPE,
        )


def _wait_for_server(env: dict[str, str], server: subprocess.Popen) -> None:
    """Wait until pactl reaches the server, or fail with its output."""
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"pulseaudio exited: {server.stderr.read()}")
        result = subprocess.run(
            ["pactl", "list", "short", "sinks"],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if SINK in result.stdout:
            return
        time.sleep(0.1)
    pytest.fail(f"pulseaudio did not start within {START_TIMEOUT:.0f} s")


@pytest.fixture(scope="session")
def pulse_sink(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PulseSink]:
    """Run a private PulseAudio server with a null sink for the session."""
    for tool in ("pulseaudio", "pactl", "paplay"):
        if shutil.which(tool) is None:
            pytest.fail(
                f"{tool} not found: apt-get install pulseaudio pulseaudio-utils"
            )
    folder = tmp_path_factory.mktemp("pulse")
    runtime = folder / "runtime"
    runtime.mkdir(mode=0o700)
    asoundrc = folder / "asoundrc"
    asoundrc.write_text(ASOUNDRC)
    env = {
        **os.environ,
        "XDG_RUNTIME_DIR": str(runtime),
        "PULSE_SERVER": f"unix:{runtime}/pulse/native",
        "ALSA_CONFIG_PATH": str(asoundrc),
    }
    server = subprocess.Popen(
        [
            "pulseaudio",
            "--daemonize=no",
            "--system=false",
            "--exit-idle-time=-1",
            "--disallow-exit",
            "-n",
            "--load=module-native-protocol-unix",
            f"--load=module-null-sink sink_name={SINK}",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    patch = pytest.MonkeyPatch()
    try:
        _wait_for_server(env, server)
        for name in ("XDG_RUNTIME_DIR", "PULSE_SERVER", "ALSA_CONFIG_PATH"):
            patch.setenv(name, env[name])
        # PortAudio read the device list when sounddevice was imported.
        refresh_devices()
        yield PulseSink(SINK, DeviceChoice(MONITOR_PCM, "ALSA"), env)
    finally:
        patch.undo()
        refresh_devices()
        server.terminate()
        try:
            server.wait(5)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
