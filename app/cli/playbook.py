"""``playbook validate PATH`` and ``playbook publish PATH --db URL``."""

import argparse
import logging
from pathlib import Path

log = logging.getLogger(__name__)


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``playbook`` command and its ``validate`` and ``publish`` actions."""
    parser = subparsers.add_parser("playbook", help="check or publish a playbook")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    validate = actions.add_parser("validate", help="check a playbook file or folder")
    validate.add_argument("path", type=Path, help="playbook .yaml/.md file or folder")
    validate.set_defaults(handler=run)
    publish = actions.add_parser(
        "publish", help="store a validated playbook version in the shared store"
    )
    publish.add_argument("path", type=Path, help="playbook .yaml/.md file or folder")
    publish.add_argument("--db", required=True, help="database URL of the store")
    publish.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Validate (and for ``publish``, store) the playbook; return the exit status."""
    from app.playbooks.loader import load_playbook, validate_path

    problems = validate_path(args.path)
    if problems:
        for problem in problems:
            print(problem)
        log.info("playbook %s has %d problem(s)", args.path, len(problems))
        return 1
    playbook = load_playbook(args.path)
    if args.action == "validate":
        print(
            f"{args.path}: valid playbook {playbook.name!r} version "
            f"{playbook.version}: {len(playbook.cards)} cards, "
            f"{len(playbook.openers)} openers, {len(playbook.personas)} personas"
        )
        return 0
    from app.store.publish import publish_playbook

    version = publish_playbook(playbook, args.db)
    print(version)
    return 0
