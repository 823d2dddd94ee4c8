"""Stored reports: each story's cross-checked report, kept for the version of the story it was made from.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the story_reports table (empty: reports are computed on demand or by ingest)."""
    op.create_table(
        "story_reports",
        sa.Column("story_id", sa.String(40), primary_key=True),
        sa.Column("fingerprint", sa.String(32), nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("computed_at", sa.String(40), nullable=False),
        sa.Column("generated_by", sa.Text, nullable=False),
        sa.Column("facts", sa.Integer, nullable=False),
        sa.Column("discrepancies", sa.Integer, nullable=False),
        sa.Column("conflicts", sa.Integer, nullable=False),
        sa.Column("independent", sa.Integer, nullable=False),
        sa.Column("report", sa.Text, nullable=False),
    )
    op.create_index("ix_story_reports_computed_at", "story_reports", ["computed_at"])
    op.create_index("ix_story_reports_conflicts", "story_reports", ["conflicts"])


def downgrade() -> None:
    """Drop the stored reports (they can be computed again from the articles)."""
    op.drop_index("ix_story_reports_conflicts", table_name="story_reports")
    op.drop_index("ix_story_reports_computed_at", table_name="story_reports")
    op.drop_table("story_reports")
