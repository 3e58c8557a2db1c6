"""Add segment drafts and a card event index that covers the report.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"


def upgrade() -> None:
    with op.batch_alter_table("segments") as batch:
        batch.add_column(sa.Column("utterance", sa.Integer))
        batch.add_column(
            sa.Column("draft", sa.Boolean, nullable=False, server_default=sa.false())
        )
        # NULL utterance numbers never collide, so segments stored without one
        # stay valid.
        batch.create_index(
            "ux_segments_utterance", ["call_id", "speaker", "utterance"], unique=True
        )

    # The report groups card events by call and card; this index holds every
    # column it reads, and its first column replaces the call_id index.
    with op.batch_alter_table("card_events") as batch:
        batch.drop_index("ix_card_events_call_id")
        batch.create_index(
            "ix_card_events_call_card",
            ["call_id", "card_id", "category", "withdrawn", "helpful"],
        )


def downgrade() -> None:
    with op.batch_alter_table("card_events") as batch:
        batch.drop_index("ix_card_events_call_card")
        batch.create_index("ix_card_events_call_id", ["call_id"])
    with op.batch_alter_table("segments") as batch:
        batch.drop_index("ux_segments_utterance")
        batch.drop_column("draft")
        batch.drop_column("utterance")
