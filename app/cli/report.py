"""`report`: the team report from the shared store or the local database."""

import argparse
import json

FORMAT_CHOICES = ("table", "csv", "json")


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `report` command."""
    parser = subparsers.add_parser(
        "report", help="dials, connects, meetings and card usefulness per rep"
    )
    parser.add_argument(
        "--db",
        metavar="URL",
        help="shared store URL; without it the report reads the local database",
    )
    parser.add_argument(
        "--since",
        type=int,
        default=30,
        metavar="DAYS",
        help="include calls started in the last DAYS days (default 30)",
    )
    parser.add_argument("--format", choices=FORMAT_CHOICES, default="table")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Build the report and print it in the chosen format."""
    from app.analytics.formats import report_to_csv, report_to_json, report_to_table
    from app.analytics.report import build_report
    from app.errors import CuecardError
    from app.store.credentials import with_password
    from app.store.local import LocalStore

    if args.since < 1:
        raise CuecardError(f"--since {args.since} is invalid; give 1 or more days")
    if args.db:
        url = with_password(args.db)
    else:
        local = LocalStore.open()
        url = local.engine.url.render_as_string()
        local.close()

    report = build_report(url, args.since)
    if args.format == "json":
        print(json.dumps(report_to_json(report), indent=2))
    elif args.format == "csv":
        print(report_to_csv(report), end="")
    else:
        print(report_to_table(report))
    return 0
