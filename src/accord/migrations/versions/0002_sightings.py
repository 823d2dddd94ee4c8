"""Sightings: every appearance of a stored body (outlet, URL, date, input), backfilled from articles.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from __future__ import annotations

import hashlib

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

#: Articles copied into sightings per statement during the backfill.
_BACKFILL_BATCH = 2000


def upgrade() -> None:
    """Create the sightings table and record each stored article as its body's first appearance."""
    op.create_table(
        "sightings",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("ident", sa.String(32), nullable=False),
        sa.Column("key", sa.String(32), sa.ForeignKey("articles.key"), nullable=False),
        sa.Column("is_first", sa.Boolean, nullable=False),
        sa.Column("article_id", sa.Text, nullable=False),
        sa.Column("title", sa.Text),
        sa.Column("source", sa.Text),
        sa.Column("url", sa.Text),
        sa.Column("published", sa.String(40)),
        sa.Column("published_from", sa.String(16)),
        sa.Column("input", sa.Text),
    )
    op.create_index("ix_sightings_ident", "sightings", ["ident"], unique=True)
    op.create_index("ix_sightings_key", "sightings", ["key"])
    _backfill()


def downgrade() -> None:
    """Drop the sightings table (the articles keep each body's first appearance)."""
    op.drop_index("ix_sightings_key", table_name="sightings")
    op.drop_index("ix_sightings_ident", table_name="sightings")
    op.drop_table("sightings")


def _backfill() -> None:
    connection = op.get_bind()
    articles = sa.table(
        "articles", sa.column("key"), sa.column("seq"), sa.column("article_id"), sa.column("title"),
        sa.column("source"), sa.column("url"), sa.column("published"), sa.column("published_from"),
        sa.column("input"),
    )
    sightings = sa.table(
        "sightings", sa.column("ident"), sa.column("key"), sa.column("is_first"), sa.column("article_id"),
        sa.column("title"), sa.column("source"), sa.column("url"), sa.column("published"),
        sa.column("published_from"), sa.column("input"),
    )
    last = -1
    while True:
        rows = connection.execute(
            sa.select(articles).where(articles.c.seq > last).order_by(articles.c.seq).limit(_BACKFILL_BATCH)
        ).all()
        if not rows:
            return
        connection.execute(sightings.insert(), [
            {"ident": _ident(row.key, row.url, row.input, row.article_id), "key": row.key, "is_first": True,
             "article_id": row.article_id, "title": row.title, "source": row.source, "url": row.url,
             "published": row.published, "published_from": row.published_from, "input": row.input}
            for row in rows
        ])
        last = rows[-1].seq


def _ident(key: str, url: str | None, input_name: str | None, article_id: str) -> str:
    # A frozen copy of accord.store.sighting_ident as of this revision: migrations never import
    # code that later versions may change.
    where = f"url\x1f{url}" if url else f"input\x1f{input_name or ''}\x1f{article_id}"
    return hashlib.blake2b(f"{key}\x1f{where}".encode("utf-8"), digest_size=16).hexdigest()
