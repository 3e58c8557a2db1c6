"""The ``python -m app`` command line.

Each subcommand lives in a module of this package that defines ``register``,
which adds its parser and sets ``handler``. Handlers import their layers lazily,
so ``--help`` stays fast. Exit status: 0 on success, 1 when the input is invalid
(a CuecardError), 2 on a usage error (argparse).
"""

import argparse
import importlib
import logging
import sys

from app import __version__, logs
from app.errors import CuecardError

COMMAND_MODULES = (
    "replay",
    "match",
    "playbook",
    "calls",
    "sync",
    "report",
    "devices",
    "models",
)

log = logging.getLogger(__name__)


def build_parser() -> argparse.ArgumentParser:
    """Build the parser with every subcommand registered."""
    parser = argparse.ArgumentParser(
        prog="cuecard",
        description="On-device cold-call coach. With no command, opens the window.",
    )
    parser.add_argument("--version", action="version", version=__version__)
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="load the speech model, playbook and database, open the window "
        "offscreen, and exit 0 when all of them work",
    )
    parser.add_argument(
        "-v", "--verbose", action="store_true", help="print info logs to stderr"
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        module = importlib.import_module(f"app.cli.{name}")
        module.register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line and return the exit status."""
    args = build_parser().parse_args(argv)
    logs.setup(logging.INFO if args.verbose else logging.WARNING)
    try:
        if args.self_test:
            from app.selftest import run_self_test

            return run_self_test()
        if args.command is None:
            from app.ui.application import run_app

            return run_app()
        return int(args.handler(args) or 0)
    except CuecardError as error:
        log.info("command failed: %s", error)
        print(f"cuecard: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader of our output went away (for example `| head`).
        return 0
    except Exception:
        log.exception("unexpected error in command %s", args.command)
        print(
            "cuecard: unexpected error; the traceback is in "
            f"{logs.current_log_file()}. Please send it with your report.",
            file=sys.stderr,
        )
        return 1
