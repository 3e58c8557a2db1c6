"""`calls list` and `calls tag`: the local call history without the window."""

import argparse
import json
from typing import TYPE_CHECKING

from app.store.outcomes import OUTCOMES

if TYPE_CHECKING:
    from app.store.local import LocalStore


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `calls` command and its `list` and `tag` subcommands."""
    parser = subparsers.add_parser("calls", help="list or tag recorded calls")
    actions = parser.add_subparsers(dest="calls_command", metavar="ACTION")
    actions.required = True

    listing = actions.add_parser("list", help="list recorded calls, newest first")
    listing.add_argument(
        "--json", action="store_true", help="print one JSON object per line"
    )
    listing.add_argument(
        "--limit", type=int, default=50, help="number of calls to show (default 50)"
    )
    listing.set_defaults(handler=run)

    tag = actions.add_parser("tag", help="record the outcome of a call")
    tag.add_argument("call_id", metavar="CALL_ID", help="a call id or a unique prefix")
    tag.add_argument("outcome", metavar="OUTCOME", help=", ".join(OUTCOMES))
    tag.add_argument("--note", help="a free-text note stored with the outcome")
    tag.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Run `calls list` or `calls tag` on the local database."""
    from app.store.local import LocalStore

    store = LocalStore.open()
    try:
        if args.calls_command == "list":
            _print_calls(store, args.limit, args.json)
        else:
            call_id = store.resolve_call_id(args.call_id)
            store.tag_call(call_id, args.outcome, note=args.note)
            print(f"tagged call {call_id} as {args.outcome}")
    finally:
        store.close()
    return 0


def _print_calls(store: "LocalStore", limit: int, as_json: bool) -> None:
    summaries = store.list_calls(limit)
    if as_json:
        for summary in summaries:
            print(json.dumps(summary.to_json()))
        return
    if not summaries:
        print("no calls recorded yet")
        return
    print(f"{'call id':36}  {'started (UTC)':16}  {'length':>6}  {'cards':>5}  outcome")
    for summary in summaries:
        length = "-" if summary.duration is None else f"{summary.duration:5.0f}s"
        print(
            f"{summary.id:36}  {summary.started_at:%Y-%m-%d %H:%M}  {length:>6}  "
            f"{summary.card_count:>5}  {summary.outcome or '(untagged)'}"
        )
