"""The devices command against the PulseAudio test server and no devices."""

import argparse
import json

import pytest

from app.audio import devices as devices_module
from app.cli import devices
from tests.audio.fake_backend import FakeBackend
from tests.pulse import PulseSink


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    devices.register(parser.add_subparsers())
    return parser.parse_args(["devices", *argv])


def test_table_lists_monitor(
    pulse_sink: PulseSink, capsys: pytest.CaptureFixture[str]
) -> None:
    args = parse()

    assert args.handler(args) == 0

    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == [
        "name",
        "host",
        "API",
        "channels",
        "native",
        "rate",
        "loopback",
    ]
    monitor = next(line for line in lines if pulse_sink.monitor.name in line)
    assert monitor.split()[1:] == ["ALSA", "32", "44100", "Hz", "yes"]


def test_json_lines(pulse_sink: PulseSink, capsys: pytest.CaptureFixture[str]) -> None:
    args = parse("--json")

    assert args.handler(args) == 0

    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    monitor = next(row for row in rows if row["name"] == pulse_sink.monitor.name)
    assert monitor == {
        "name": pulse_sink.monitor.name,
        "hostapi": "ALSA",
        "max_input_channels": 32,
        "default_samplerate": 44100.0,
        "is_loopback": True,
    }


def test_no_devices_exits_zero(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = FakeBackend(devices=[])
    original = devices_module.list_input_devices
    monkeypatch.setattr(devices_module, "list_input_devices", lambda: original(empty))
    args = parse()

    assert args.handler(args) == 0
    assert "No audio input devices found" in capsys.readouterr().out
