"""The ``models`` command: list, download and locate speech models."""

import argparse
import logging
import sys
import time
from collections.abc import Sequence
from typing import TextIO

log = logging.getLogger(__name__)


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``models`` command and its subcommands."""
    parser = subparsers.add_parser("models", help="list, download and locate models")
    parser.set_defaults(handler=run)
    commands = parser.add_subparsers(
        dest="models_command", metavar="SUBCOMMAND", required=True
    )

    listing = commands.add_parser("list", help="list the installed speech models")
    listing.add_argument(
        "--available",
        action="store_true",
        help="list the models in the official Vosk model list instead",
    )

    download = commands.add_parser("download", help="download and unpack a model")
    download.add_argument("name", metavar="NAME", help="a name from `list --available`")

    commands.add_parser("path", help="print the folder where models are unpacked")


def run(args: argparse.Namespace) -> int:
    """Run the ``models`` subcommand chosen in ``args``."""
    if args.models_command == "list":
        return _list_available() if args.available else _list_installed()
    if args.models_command == "download":
        return _download(args.name)

    from app import paths

    print(paths.models_dir())
    return 0


def _list_installed() -> int:
    from app.speech.models import installed_models

    rows = [
        (m.name, m.engine, m.language, m.origin, str(m.path))
        for m in installed_models()
    ]
    _print_table(("NAME", "ENGINE", "LANGUAGE", "ORIGIN", "PATH"), rows)
    return 0


def _list_available() -> int:
    from app.speech.download import fetch_model_list

    rows = []
    for remote in fetch_model_list():
        if remote.obsolete:
            continue
        size = f"{remote.size / 1_000_000:.0f} MB" if remote.size else "?"
        rows.append((remote.name, remote.language, remote.type, size))
    _print_table(("NAME", "LANGUAGE", "TYPE", "SIZE"), rows)
    return 0


def _download(name: str) -> int:
    from app.speech.download import download_model

    reporter = _ProgressReporter(sys.stderr)
    folder = download_model(name, progress=reporter)
    reporter.finish()
    print(folder)
    return 0


def _print_table(header: tuple[str, ...], rows: Sequence[tuple[str, ...]]) -> None:
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=True)]
        print("  ".join(cells).rstrip())


class _ProgressReporter:
    """Show download progress: a bar on a terminal, else a line per 10 percent."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.interactive = stream.isatty()
        self.last_step = -1
        self.last_draw = 0.0

    def __call__(self, done: int, total: int) -> None:
        percent = 100 * done // total if total else 0
        if self.interactive:
            now = time.monotonic()
            if now - self.last_draw >= 0.1 or done == total:
                self.last_draw = now
                bar = "#" * (percent // 4)
                self.stream.write(
                    f"\r[{bar:<25}] {percent:3d}% {done / 1e6:.1f}/{total / 1e6:.1f} MB"
                )
                self.stream.flush()
        elif percent // 10 > self.last_step:
            self.last_step = percent // 10
            self.stream.write(f"{percent}% of {total / 1e6:.1f} MB\n")

    def finish(self) -> None:
        """End the progress bar line."""
        if self.interactive:
            self.stream.write("\n")
