"""The PulseAudio fixture's clean-up of servers left by crashed sessions."""

import subprocess
import sys
import textwrap
import time
from pathlib import Path

import psutil
import pytest

from tests.pulse import (
    PID_PREFIX,
    start_server,
    stop_server,
    stop_stale_servers,
    write_pid_file,
)


def write_record(folder: Path, server_pid: int, owner: psutil.Process) -> Path:
    """Write a pid file as a session with ``owner`` as its test process would."""
    pid_file = folder / f"{PID_PREFIX}{owner.pid}.pid"
    pid_file.write_text(f"{server_pid} {owner.pid} {owner.create_time()}\n")
    return pid_file


def test_orphaned_server_stopped(tmp_path: Path) -> None:
    server, _ = start_server(tmp_path)
    owner = subprocess.Popen(["sleep", "30"])
    pid_file = write_record(tmp_path, server.pid, psutil.Process(owner.pid))
    owner.kill()
    owner.wait()

    try:
        stopped = stop_stale_servers(tmp_path)
        exit_code = server.wait(10)
    finally:
        stop_server(server)

    assert stopped == [server.pid]
    assert exit_code is not None
    assert not pid_file.exists()


def test_live_session_server_kept(tmp_path: Path) -> None:
    server, _ = start_server(tmp_path)
    pid_file = write_pid_file(tmp_path, server)

    try:
        stopped = stop_stale_servers(tmp_path)
        running = server.poll() is None
    finally:
        stop_server(server)

    assert stopped == []
    assert running
    assert pid_file.exists()


def test_reused_pid_left_alone(tmp_path: Path) -> None:
    other = subprocess.Popen(["sleep", "30"])
    owner = subprocess.Popen(["sleep", "30"])
    pid_file = write_record(tmp_path, other.pid, psutil.Process(owner.pid))
    owner.kill()
    owner.wait()

    try:
        stopped = stop_stale_servers(tmp_path)
        running = other.poll() is None
    finally:
        other.kill()
        other.wait()

    assert stopped == []
    assert running
    assert not pid_file.exists()


@pytest.mark.parametrize("content", ["", "not a pid\n", "1 2\n"])
def test_bad_pid_file_removed(tmp_path: Path, content: str) -> None:
    pid_file = tmp_path / f"{PID_PREFIX}1.pid"
    pid_file.write_text(content)

    assert stop_stale_servers(tmp_path) == []
    assert not pid_file.exists()


def test_server_dies_with_killed_parent(tmp_path: Path) -> None:
    # A child Python starts a server, waits until it serves, prints its pid,
    # then hangs until killed, as a crashed test session would.
    script = textwrap.dedent(
        f"""
        import sys, time
        from pathlib import Path
        from tests.pulse import _wait_for_server, start_server
        server, env = start_server(Path({str(tmp_path)!r}))
        _wait_for_server(env, server)
        print(server.pid, flush=True)
        time.sleep(60)
        """
    )
    parent = subprocess.Popen(
        [sys.executable, "-c", script],
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert parent.stdout is not None
    pid = int(parent.stdout.readline())
    server = psutil.Process(pid)

    parent.kill()
    parent.wait()
    exited = wait_until_gone(server, 10)
    if not exited:
        server.kill()

    assert exited, f"pulseaudio {pid} outlived its parent"


def wait_until_gone(process: psutil.Process, timeout: float) -> bool:
    """Wait for a process to exit; an unreaped zombie counts as exited."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if process.status() == psutil.STATUS_ZOMBIE:
                return True
        except psutil.NoSuchProcess:
            return True
        time.sleep(0.05)
    return False
