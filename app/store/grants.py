"""Database roles and row-level security for a PostgreSQL shared store.

Three group roles: ``cuecard_rep`` writes its own calls, card events and
segments (a row's ``rep`` must equal the login name), ``cuecard_reader`` reads
everything for reports, and ``cuecard_manager`` reads and publishes playbooks.
Each person logs in with their own role that is a member of one group.
"""

import logging

import sqlalchemy as sa

log = logging.getLogger(__name__)

GROUP_ROLES = ("cuecard_rep", "cuecard_reader", "cuecard_manager")
CALL_TABLES = ("calls", "card_events", "segments")

GRANTS_SQL = """
GRANT USAGE ON SCHEMA public TO cuecard_rep, cuecard_reader, cuecard_manager;
GRANT SELECT ON alembic_version TO cuecard_rep, cuecard_reader, cuecard_manager;
GRANT SELECT, INSERT, UPDATE ON calls, card_events, segments TO cuecard_rep;
GRANT SELECT ON playbooks TO cuecard_rep;
GRANT SELECT ON calls, card_events, segments, playbooks TO cuecard_reader;
GRANT cuecard_reader TO cuecard_manager;
GRANT INSERT ON playbooks TO cuecard_manager;
"""

POLICY_SQL = """
ALTER TABLE {table} ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS rep_writes_own_rows ON {table};
CREATE POLICY rep_writes_own_rows ON {table} TO cuecard_rep
    USING (rep = current_user) WITH CHECK (rep = current_user);
DROP POLICY IF EXISTS reader_reads_all ON {table};
CREATE POLICY reader_reads_all ON {table} FOR SELECT TO cuecard_reader USING (true);
"""


def apply_grants(engine: sa.Engine) -> None:
    """Create the group roles if missing, then grant rights and set the policies.

    Safe to run again. Needs a role that owns the tables and may create roles.
    """
    with engine.begin() as connection:
        for role in GROUP_ROLES:
            exists = connection.scalar(
                sa.text("SELECT 1 FROM pg_roles WHERE rolname = :role"),
                {"role": role},
            )
            if not exists:
                connection.exec_driver_sql(f"CREATE ROLE {role} NOLOGIN")
                log.info("created role %s", role)
        connection.exec_driver_sql(GRANTS_SQL)
        for table in CALL_TABLES:
            connection.exec_driver_sql(POLICY_SQL.format(table=table))
    log.info("applied Cuecard grants and row-level security on %s", engine.url)
