"""A private PulseAudio server with a null sink whose monitor PortAudio can record.

Import the fixture in a conftest.py or test module with
``from tests.pulse import pulse_sink``. It needs the Debian packages pulseaudio,
pulseaudio-utils, libasound2-plugins and libportaudio2. The server and its
files live in a temporary folder and stop at the end of the session.

A test process that crashes skips its finalizers, so three more safeguards
stop the server. The kernel sends it SIGTERM when the process that started it
dies, and an atexit hook stops it. The next session also reads the pid files
left in pytest's temporary root and stops each server whose owner is gone.
"""

import atexit
import ctypes
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psutil
import pytest

from app.audio.devices import DeviceChoice, refresh_devices

SINK = "cuecard_call"
MONITOR_PCM = "cuecard_call_monitor"
START_TIMEOUT = 10.0
STOP_TIMEOUT = 5.0
PID_PREFIX = "cuecard-pulse-"
# The null sink argument that marks a server this module started.
SINK_ARGUMENT = f"--load=module-null-sink sink_name={SINK}"
# prctl option from <linux/prctl.h>: signal this process when its parent dies.
PR_SET_PDEATHSIG = 1

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


def _die_with_parent() -> None:
    """Ask the kernel to send SIGTERM when the parent process dies (Linux)."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def start_server(folder: Path) -> tuple[subprocess.Popen, dict[str, str]]:
    """Start a PulseAudio server with its files in ``folder``; return it and its env."""
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
            SINK_ARGUMENT,
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=_die_with_parent,
    )
    return server, env


def stop_server(server: subprocess.Popen) -> None:
    """Terminate the server, kill it if it hangs; safe when it already exited."""
    if server.poll() is not None:
        return
    server.terminate()
    try:
        server.wait(STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def write_pid_file(folder: Path, server: subprocess.Popen) -> Path:
    """Record the server and this process (its owner) in a pid file."""
    owner = psutil.Process()
    pid_file = folder / f"{PID_PREFIX}{owner.pid}.pid"
    pid_file.write_text(f"{server.pid} {owner.pid} {owner.create_time()}\n")
    return pid_file


def stop_stale_servers(folder: Path) -> list[int]:
    """Stop the servers that crashed sessions left; return their pids.

    A pid file names a server and the test process that owns it. A server is
    stopped only when its owner is gone and the pid still belongs to a
    pulseaudio started with this module's null sink, so neither a concurrent
    session's server nor a reused pid is touched. A pid file whose owner is
    alive stays.
    """
    stopped: list[int] = []
    for pid_file in sorted(folder.glob(f"{PID_PREFIX}*.pid")):
        try:
            server_pid, owner_pid, owner_started = pid_file.read_text().split()
            record = (int(server_pid), int(owner_pid), float(owner_started))
        except (OSError, ValueError):
            pid_file.unlink(missing_ok=True)
            continue
        if _alive(record[1], record[2]):
            continue
        pid_file.unlink(missing_ok=True)
        if _stop_own_server(record[0]):
            stopped.append(record[0])
    return stopped


def _alive(pid: int, started: float) -> bool:
    """Return whether process ``pid`` runs and started at ``started``."""
    try:
        return psutil.Process(pid).create_time() == started
    except (psutil.NoSuchProcess, psutil.AccessDenied):
        return False


def _stop_own_server(pid: int) -> bool:
    """Stop ``pid`` if it is a server this module started; return whether it was."""
    try:
        process = psutil.Process(pid)
        command = process.cmdline()
    except (psutil.NoSuchProcess, psutil.AccessDenied):
        return False
    if not command or Path(command[0]).name != "pulseaudio":
        return False
    if SINK_ARGUMENT not in command:
        return False
    process.terminate()
    try:
        process.wait(STOP_TIMEOUT)
    except psutil.TimeoutExpired:
        process.kill()
        process.wait(STOP_TIMEOUT)
    return True


@pytest.fixture(scope="session")
def pulse_sink(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PulseSink]:
    """Run a private PulseAudio server with a null sink for the session."""
    for tool in ("pulseaudio", "pactl", "paplay"):
        if shutil.which(tool) is None:
            pytest.fail(
                f"{tool} not found: apt-get install pulseaudio pulseaudio-utils"
            )
    # pytest keeps the temporary folders of all sessions of a user under one
    # root, which is where earlier sessions wrote their pid files.
    root = tmp_path_factory.getbasetemp().parent
    for pid in stop_stale_servers(root):
        print(f"stopped pulseaudio {pid} left by a crashed test session")
    server, env = start_server(tmp_path_factory.mktemp("pulse"))
    pid_file = write_pid_file(root, server)
    atexit.register(stop_server, server)
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
        stop_server(server)
        atexit.unregister(stop_server)
        pid_file.unlink(missing_ok=True)
