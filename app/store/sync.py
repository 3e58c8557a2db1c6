"""One sync pass: push local changes to the shared store, pull playbooks."""

import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import sqlalchemy as sa

from app.errors import CuecardError
from app.store.credentials import describe
from app.store.local import LocalStore
from app.store.pull import PulledPlaybook, latest_pulled_playbook, pull_playbooks
from app.store.push import DEFAULT_BATCH_SIZE, push_outbox
from app.store.shared import connect_shared

log = logging.getLogger(__name__)


@dataclass
class SyncReport:
    """Rows sent and playbooks received in one sync pass."""

    store: str
    sent: Counter[str] = field(default_factory=Counter)
    redacted: Counter[str] = field(default_factory=Counter)
    pulled: list[PulledPlaybook] = field(default_factory=list)
    latest_playbook: Path | None = None
    pending: int = 0

    def summary(self) -> str:
        """Return a one-line description for the command line and the window."""
        sent = ", ".join(f"{count} {kind}s" for kind, count in self.sent.items())
        redacted = sum(self.redacted.values())
        pulled = ", ".join(f"{p.name} {p.version}" for p in self.pulled) or "none"
        return (
            f"synced with {self.store}: sent {sent or 'nothing'} "
            f"({redacted} personal details redacted); new playbooks: {pulled}"
        )


def sync(
    local: LocalStore,
    shared_url: str,
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    on_batch_committed: Callable[[int], None] | None = None,
) -> SyncReport:
    """Push the outbox to the shared store, then pull newly published playbooks.

    Raises SharedStoreUnavailable when the store cannot be reached, and
    CuecardError when it rejects the changes; the outbox keeps what was not
    acknowledged either way.
    """
    store_name = describe(shared_url)
    report = SyncReport(store=store_name)
    with connect_shared(shared_url) as shared:
        try:
            totals = push_outbox(
                local,
                shared,
                store_name=store_name,
                batch_size=batch_size,
                on_batch_committed=on_batch_committed,
            )
        except (sa.exc.OperationalError, psycopg.OperationalError):
            raise
        except (sa.exc.DBAPIError, psycopg.Error) as error:
            log.error("shared store %s rejected a batch: %s", store_name, error)
            reason = str(getattr(error, "orig", error)).strip().splitlines()[0]
            raise CuecardError(
                f"the shared store {store_name} rejected the changes ({reason}); "
                "check that the rep name in Cuecard is your database user name"
            ) from error
        report.sent = totals.rows
        report.redacted = totals.redacted
        report.pulled = pull_playbooks(local, shared, store_name=store_name)
    report.latest_playbook = latest_pulled_playbook()
    report.pending = local.pending_changes()
    log.info(report.summary())
    return report
