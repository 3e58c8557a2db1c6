"""Add published playbooks, sync state, next steps, helpful votes and indexes.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"


def upgrade() -> None:
    with op.batch_alter_table("calls") as batch:
        batch.add_column(sa.Column("next_step", sa.Date))
        batch.create_index("ix_calls_started_at", ["started_at"])
    with op.batch_alter_table("card_events") as batch:
        batch.add_column(sa.Column("helpful", sa.Boolean))
        batch.create_index("ix_card_events_call_id", ["call_id"])
    op.create_index("ix_segments_call_id", "segments", ["call_id"])
    op.create_table(
        "playbooks",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("version", sa.String(100), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("files", sa.JSON, nullable=False),
        sa.Column("published_by", sa.String(200), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("seq", sa.BigInteger, nullable=False, unique=True),
        sa.UniqueConstraint("name", "version"),
    )
    op.create_table(
        "sync_state",
        sa.Column("key", sa.String(500), primary_key=True),
        sa.Column("value", sa.String(500), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("sync_state")
    op.drop_table("playbooks")
    op.drop_index("ix_segments_call_id", "segments")
    with op.batch_alter_table("card_events") as batch:
        batch.drop_index("ix_card_events_call_id")
        batch.drop_column("helpful")
    with op.batch_alter_table("calls") as batch:
        batch.drop_index("ix_calls_started_at")
        batch.drop_column("next_step")
