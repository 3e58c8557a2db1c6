"""Command-line failures print one plain line, never a traceback."""

import subprocess
import sys

from tests.conftest import REPO_ROOT

SAMPLE = REPO_ROOT / "resources" / "sample_call.wav"


def _run(*arguments: str, env: dict[str, str] | None = None):  # noqa: ANN202
    return subprocess.run(
        [sys.executable, "-m", "app", *arguments],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )


def test_unusable_home_gives_one_line(tmp_path, monkeypatch) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where CUECARD_HOME should be a folder")
    monkeypatch.setenv("CUECARD_HOME", str(blocker))

    done = _run("calls", "list")

    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "CUECARD_HOME" in lines[0]


def test_replay_without_save_needs_no_home(tmp_path, monkeypatch) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    monkeypatch.setenv("CUECARD_HOME", str(blocker))
    clip = REPO_ROOT / "tests" / "fixtures" / "english_objection.wav"

    done = _run("replay", str(clip), "--json")

    assert done.returncode == 0, done.stderr
    assert '"type": "summary"' in done.stdout


def test_closed_pipe_ends_replay_quietly() -> None:
    child = subprocess.Popen(
        [sys.executable, "-m", "app", "replay", str(SAMPLE), "--json"],
        cwd=REPO_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    first = child.stdout.readline()
    child.stdout.close()
    _, errors = child.communicate(timeout=300)

    assert '"type": "start"' in first
    assert child.returncode == 0
    assert "Traceback" not in errors


def test_failing_log_file_warns_once(tmp_path, capsys) -> None:
    import logging

    from app.logs import LogFileHandler

    handler = LogFileHandler(tmp_path / "cuecard.log")
    logger = logging.getLogger("test-failing-log-file")
    logger.addHandler(handler)
    logger.propagate = False
    handler.stream.close()
    try:
        for number in range(3):
            logger.warning("record %d", number)
    finally:
        logger.removeHandler(handler)

    errors = capsys.readouterr().err
    assert handler.failed
    assert errors.count("cannot write the log file") == 1
    assert "Traceback" not in errors
