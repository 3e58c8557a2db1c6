"""Check which devices are connected without rescanning this process's PortAudio.

PortAudio reads the device list once, when it initializes, and rescanning means
terminating it, which closes every open stream. A child process has its own
PortAudio, so its fresh list shows a device that vanished or came back while
the other channel keeps recording. Run ``python -m app.audio.probe [wasapi]``
to print that list as JSON lines.
"""

import json
import logging
import subprocess
import sys
import threading
import time
from collections.abc import Callable

from app.audio.devices import Backend, DeviceChoice, is_listed

log = logging.getLogger(__name__)

# Seconds between two scans of one probe. A scan costs a Python start-up.
PROBE_SECONDS = 2.0
SCAN_TIMEOUT = 15.0

ListDevices = Callable[[Backend], list[DeviceChoice]]
PROBE_FLAG = "--probe-input-devices"


def scan_in_subprocess(backend: Backend) -> list[DeviceChoice]:
    """Return the input devices that a fresh PortAudio in a child process lists.

    Raises OSError or subprocess.SubprocessError when the child fails.
    """
    scan = getattr(backend, "PROBE_NAME", "sounddevice")
    # A PyInstaller build has no `python -m`: its executable runs main() when
    # given PROBE_FLAG (see app/__main__.py).
    if getattr(sys, "frozen", False):
        command = [sys.executable, PROBE_FLAG, scan]
    else:
        command = [sys.executable, "-m", __name__, scan]
    result = subprocess.run(
        command,
        capture_output=True,
        text=True,
        timeout=SCAN_TIMEOUT,
        check=True,
    )
    devices = []
    for line in result.stdout.splitlines():
        record = json.loads(line)
        devices.append(DeviceChoice(record["name"], record["hostapi"]))
    return devices


class DeviceProbe:
    """Tell whether a device is connected, from scans run on a helper thread.

    ``listed`` never blocks. It returns the last scan's result and starts a new
    scan when that result is older than ``interval`` seconds. Safe to call from
    one thread (the capture's pump); the scan thread only writes the result.
    """

    def __init__(
        self,
        list_devices: ListDevices,
        backend: Backend,
        interval: float = PROBE_SECONDS,
    ) -> None:
        self.list_devices = list_devices
        self.backend = backend
        self.interval = interval
        self._lock = threading.Lock()
        self._devices: list[DeviceChoice] | None = None
        self._scanned_at = 0.0
        self._scanning = False

    def listed(self, choice: DeviceChoice) -> bool | None:
        """Return whether the last scan listed ``choice``; None before the first."""
        with self._lock:
            devices = self._devices
            due = time.monotonic() - self._scanned_at >= self.interval
            start = due and not self._scanning
            if start:
                self._scanning = True
        if start:
            threading.Thread(
                target=self._scan, name="device probe", daemon=True
            ).start()
        if devices is None:
            return None
        return is_listed(choice, devices)

    def _scan(self) -> None:
        """Run one scan and store its result; a failed scan keeps the last one."""
        devices: list[DeviceChoice] | None = None
        try:
            devices = self.list_devices(self.backend)
        except (OSError, subprocess.SubprocessError, ValueError) as error:
            log.warning(
                "scanning the audio devices in a child process failed: %s", error
            )
        with self._lock:
            if devices is not None:
                self._devices = devices
            self._scanned_at = time.monotonic()
            self._scanning = False


def main(argv: list[str]) -> int:
    """Print the input devices of a fresh PortAudio as JSON lines."""
    from app.audio.devices import list_input_devices

    if argv[1:] == ["wasapi"]:
        from app.audio.wasapi_loopback import WasapiLoopbackBackend

        backend: Backend = WasapiLoopbackBackend()
    else:
        import sounddevice

        backend = sounddevice
    for device in list_input_devices(backend, refresh=False):
        print(json.dumps({"name": device.name, "hostapi": device.hostapi}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
