"""Story merges: where the articles of a story went when consolidation emptied it.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the story_merges table (empty: earlier stores never merged stories)."""
    op.create_table(
        "story_merges",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("old_id", sa.String(40), nullable=False),
        sa.Column("new_id", sa.String(40), nullable=False),
        sa.Column("articles", sa.Integer, nullable=False),
        sa.Column("at_seq", sa.Integer, nullable=False),
    )
    op.create_index("ix_story_merges_old_id", "story_merges", ["old_id"])


def downgrade() -> None:
    """Drop the story_merges table."""
    op.drop_index("ix_story_merges_old_id", table_name="story_merges")
    op.drop_table("story_merges")
