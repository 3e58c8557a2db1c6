"""Create calls, card events, transcript segments and the outbox.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None


def upgrade() -> None:
    op.create_table(
        "calls",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("rep", sa.String(200), nullable=False),
        sa.Column("playbook_name", sa.String(200), nullable=False),
        sa.Column("playbook_version", sa.String(100), nullable=False),
        sa.Column("persona", sa.String(200)),
        sa.Column("engine", sa.String(100), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True)),
        sa.Column("duration", sa.Float),
        sa.Column("metrics", sa.JSON),
        sa.Column("store_transcript", sa.Boolean, nullable=False),
        sa.Column("outcome", sa.String(50)),
        sa.Column("note", sa.Text),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "card_events",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column(
            "call_id",
            sa.String(36),
            sa.ForeignKey("calls.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("rep", sa.String(200), nullable=False),
        sa.Column("card_id", sa.String(200), nullable=False),
        sa.Column("category", sa.String(100), nullable=False),
        sa.Column("playbook_version", sa.String(100), nullable=False),
        sa.Column("at", sa.Float, nullable=False),
        sa.Column("heard", sa.Text, nullable=False),
        sa.Column("score", sa.Float, nullable=False),
        sa.Column("speaker", sa.String(20), nullable=False),
        sa.Column("withdrawn", sa.Boolean, nullable=False),
    )
    op.create_table(
        "segments",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column(
            "call_id",
            sa.String(36),
            sa.ForeignKey("calls.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("rep", sa.String(200), nullable=False),
        sa.Column("speaker", sa.String(20), nullable=False),
        sa.Column("start", sa.Float, nullable=False),
        sa.Column("end", sa.Float, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
    )
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("row_id", sa.String(36), nullable=False),
    )


def downgrade() -> None:
    for table in ("outbox", "segments", "card_events", "calls"):
        op.drop_table(table)
