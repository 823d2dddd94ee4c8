"""Corpus store: articles keyed by content hash, stories, settings.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the articles, stories and settings tables."""
    op.create_table(
        "articles",
        sa.Column("key", sa.String(32), primary_key=True),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("article_id", sa.Text, nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("source", sa.Text),
        sa.Column("url", sa.Text),
        sa.Column("published", sa.String(40)),
        sa.Column("published_from", sa.String(16)),
        sa.Column("updated", sa.String(40)),
        sa.Column("language", sa.String(16)),
        sa.Column("dateline", sa.Text),
        sa.Column("removed", sa.Text, nullable=False),
        sa.Column("input", sa.Text),
        sa.Column("story_id", sa.String(40), nullable=False),
        sa.Column("copy_of", sa.String(32)),
        sa.Column("minhash", sa.LargeBinary, nullable=False),
        sa.Column("features", sa.Text, nullable=False),
        sa.Column("vector", sa.Text, nullable=False),
    )
    op.create_index("ix_articles_seq", "articles", ["seq"], unique=True)
    op.create_index("ix_articles_story_id", "articles", ["story_id"])
    op.create_index("ix_articles_copy_of", "articles", ["copy_of"])
    op.create_table(
        "stories",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("first_published", sa.String(40)),
        sa.Column("last_published", sa.String(40)),
        sa.Column("sources", sa.Text, nullable=False),
        sa.Column("entities", sa.Text, nullable=False),
        sa.Column("first_seq", sa.Integer, nullable=False),
        sa.Column("last_seq", sa.Integer, nullable=False),
    )
    op.create_index("ix_stories_last_published", "stories", ["last_published"])
    op.create_table(
        "settings",
        sa.Column("name", sa.String(64), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )


def downgrade() -> None:
    """Drop the corpus tables."""
    op.drop_table("settings")
    op.drop_table("stories")
    op.drop_index("ix_articles_copy_of", table_name="articles")
    op.drop_index("ix_articles_story_id", table_name="articles")
    op.drop_index("ix_articles_seq", table_name="articles")
    op.drop_table("articles")
