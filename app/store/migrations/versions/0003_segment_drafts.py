"""Add transcript drafts: an utterance number and a draft flag on segments.

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


def downgrade() -> None:
    with op.batch_alter_table("segments") as batch:
        batch.drop_index("ux_segments_utterance")
        batch.drop_column("draft")
        batch.drop_column("utterance")
