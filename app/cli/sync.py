"""`sync`: push local outcomes to the shared store and pull published playbooks."""

import argparse


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `sync` command."""
    parser = subparsers.add_parser(
        "sync", help="send local calls to the shared store and fetch playbooks"
    )
    parser.add_argument(
        "--db",
        metavar="URL",
        help="shared store URL (default: the CUECARD_DB_URL variable); a missing "
        "password is read from the OS keyring (service 'cuecard', name USER@HOST)",
    )
    parser.add_argument(
        "--setup",
        action="store_true",
        help="create or update the shared store's tables and, on PostgreSQL, its "
        "roles and grants (run once by an administrator)",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Run one sync pass, or set up the shared store with --setup."""
    from app.store.credentials import describe, resolve_shared_url

    url = resolve_shared_url(args.db)
    if args.setup:
        from app.store.setup import set_up_shared_store

        revision = set_up_shared_store(url)
        print(f"shared store {describe(url)} is ready at schema revision {revision}")
        return 0

    from app.store.local import LocalStore
    from app.store.sync import sync

    local = LocalStore.open()
    try:
        report = sync(local, url)
    finally:
        local.close()
    print(report.summary())
    if report.latest_playbook:
        print(f"playbook in use: {report.latest_playbook}")
    return 0
