"""Serving: each stored report's rendered HTML page, and the indexes the web app's lists use.

``story_reports.html`` keeps the HTML report rendered when the report is saved, so a
story page sends it as stored (NULL for reports saved before this revision: the app
renders those once and keeps them in memory). The indexes serve the stories list in
its default order (newest first: an index scan instead of a sort of every story) and
the outlet filter (``lower(source)`` of every appearance).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

#: The stories list's default order, as accord.serve.db sorts it.
_NEWEST = ("CREATE INDEX ix_stories_newest ON stories "
           "((last_published IS NULL), last_published DESC, last_seq DESC, id)")
_SOURCE = "CREATE INDEX ix_sightings_source_lower ON sightings (lower(source))"


def upgrade() -> None:
    """Add the rendered-page column (empty) and the two indexes."""
    with op.batch_alter_table("story_reports") as batch:
        batch.add_column(sa.Column("html", sa.Text, nullable=True))
    op.execute(_NEWEST)
    op.execute(_SOURCE)


def downgrade() -> None:
    """Drop the indexes and the rendered pages (the reports themselves stay)."""
    op.execute("DROP INDEX IF EXISTS ix_sightings_source_lower")
    op.execute("DROP INDEX IF EXISTS ix_stories_newest")
    with op.batch_alter_table("story_reports") as batch:
        batch.drop_column("html")
