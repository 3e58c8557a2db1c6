"""``match``: print the cards each line of standard input would fire."""

import argparse
import json
import sys


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``match`` command."""
    parser = subparsers.add_parser(
        "match", help="read one utterance per line and print the cards it fires"
    )
    parser.add_argument("--playbook", help="playbook file or folder (default: ours)")
    parser.add_argument(
        "--json", action="store_true", help="print one JSON object per line"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Match every input line against the playbook and print the result."""
    from app.playbooks.loader import load_playbook, resolve_playbook_path
    from app.playbooks.matcher import Matcher

    matcher = Matcher(load_playbook(resolve_playbook_path(args.playbook)))
    for line in sys.stdin:
        text = line.strip()
        if not text:
            continue
        matches = matcher.match(text)
        if args.json:
            cards = [
                {
                    "card": match.card.id,
                    "category": match.card.category,
                    "heard": match.heard,
                    "score": match.score,
                }
                for match in matches
            ]
            print(json.dumps({"text": text, "cards": cards}), flush=True)
            continue
        fired = ", ".join(
            f"{m.card.id} ({m.score:.2f}, heard {m.heard!r})" for m in matches
        )
        print(f"{text}\n  -> {fired or 'no card'}", flush=True)
    return 0
