"""The ``devices`` command: list audio input devices."""

import argparse
import json
import logging
from dataclasses import asdict

log = logging.getLogger(__name__)

COLUMNS = ("name", "host API", "channels", "native rate", "loopback")


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``devices`` parser."""
    parser = subparsers.add_parser(
        "devices",
        help="list audio input devices and their native rates",
        description="List audio input devices, each physical device once.",
    )
    parser.add_argument(
        "--json", action="store_true", help="print one JSON object per device"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Print the input devices as a table or JSON lines."""
    from app.audio.devices import DeviceInfo, list_input_devices

    devices: list[DeviceInfo] = list_input_devices()
    if args.json:
        for device in devices:
            record = asdict(device)
            del record["index"]
            print(json.dumps(record))
        return 0
    if not devices:
        print(
            "No audio input devices found. Connect a microphone or headset; "
            "playbooks, replay and call history work without one."
        )
        return 0
    rows = [
        (
            device.name,
            device.hostapi,
            str(device.max_input_channels),
            f"{device.default_samplerate:.0f} Hz",
            "yes" if device.is_loopback else "no",
        )
        for device in devices
    ]
    table = [COLUMNS, *rows]
    widths = [max(len(row[column]) for row in table) for column in range(5)]
    for row in table:
        cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=True)]
        print("  ".join(cells).rstrip())
    return 0
