"""The corpus store: articles keyed by content hash, their copy groups and stories.

SQLAlchemy 2 Core over SQLite (default, one file) or PostgreSQL (by URL); the
schema is created and upgraded by Alembic migrations (``accord/migrations``) each
time a store is opened. Writes go in one transaction per batch with idempotent
upserts, so an ingest killed at any point leaves the last committed batch intact
and a re-run adds exactly what is missing.

Example::

    with Store.open("sqlite:///accord.db") as store:
        for row in store.story_rows(limit=10):
            print(row["id"], row["title"])
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any

import sqlalchemy as sa

from accord.errors import StoreError
from accord.models import Article, Removed

__all__ = ["Store", "articles", "metadata", "normalize_url", "settings", "stories"]

log = logging.getLogger(__name__)

_MIGRATIONS = Path(__file__).resolve().parent / "migrations"

#: The tables as the latest migration leaves them (migrations/versions is the source of truth).
metadata = sa.MetaData()
articles = sa.Table(
    "articles", metadata,
    sa.Column("key", sa.String(32), primary_key=True),
    sa.Column("seq", sa.Integer, nullable=False, index=True, unique=True),
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
    sa.Column("story_id", sa.String(40), nullable=False, index=True),
    sa.Column("copy_of", sa.String(32), index=True),
    sa.Column("minhash", sa.LargeBinary, nullable=False),
    sa.Column("features", sa.Text, nullable=False),
    sa.Column("vector", sa.Text, nullable=False),
)
stories = sa.Table(
    "stories", metadata,
    sa.Column("id", sa.String(40), primary_key=True),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("size", sa.Integer, nullable=False),
    sa.Column("first_published", sa.String(40)),
    sa.Column("last_published", sa.String(40), index=True),
    sa.Column("sources", sa.Text, nullable=False),
    sa.Column("entities", sa.Text, nullable=False),
    sa.Column("first_seq", sa.Integer, nullable=False),
    sa.Column("last_seq", sa.Integer, nullable=False),
)
settings = sa.Table(
    "settings", metadata,
    sa.Column("name", sa.String(64), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)

#: Columns read back when rebuilding the in-memory copy and story indexes.
STATE_COLUMNS = ("key", "seq", "story_id", "copy_of", "minhash", "features", "vector",
                 "published", "title", "source")


def normalize_url(db_url: str) -> str:
    """A SQLAlchemy URL from what a user typed: a bare path means a SQLite file."""
    if "://" not in db_url:
        return f"sqlite:///{db_url}"
    scheme, rest = db_url.split("://", 1)
    if scheme in ("postgres", "postgresql"):
        # SQLAlchemy's default PostgreSQL driver is psycopg2; accord's extra installs psycopg 3.
        return f"postgresql+psycopg://{rest}"
    return db_url


class Store:
    """One open corpus store. Use :meth:`open` (it runs the migrations)."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine

    @classmethod
    def open(cls, db_url: str) -> Store:
        """Connect to the store at ``db_url`` and bring its schema up to date.

        Raises :class:`~accord.errors.StoreError` when it cannot be opened.
        """
        url = normalize_url(db_url)
        try:
            engine = sa.create_engine(url)
        except ModuleNotFoundError as exc:
            raise StoreError(
                f"no database driver for {url.split('://')[0]} ({exc.name} is not installed; "
                "for PostgreSQL: pip install 'accord[postgres]')"
            ) from None
        except sa.exc.ArgumentError as exc:
            raise StoreError(f"not a database URL: {db_url!r} ({exc})") from None
        if engine.dialect.name == "sqlite":
            sa.event.listen(engine, "connect", _sqlite_pragmas)
        store = cls(engine)
        try:
            store._migrate()
        except sa.exc.SQLAlchemyError as exc:
            engine.dispose()
            raise StoreError(f"cannot open the store {db_url}: {exc.__class__.__name__}: {exc.orig if hasattr(exc, 'orig') else exc}") from None
        return store

    def close(self) -> None:
        """Release the store's connections."""
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def _migrate(self) -> None:
        from alembic import command
        from alembic.config import Config

        config = Config()
        config.set_main_option("script_location", str(_MIGRATIONS))
        with self.engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")

    # ------------------------------------------------------------------ reading

    def count(self) -> int:
        """How many articles the store holds."""
        with self.engine.connect() as connection:
            return int(connection.execute(sa.select(sa.func.count()).select_from(articles)).scalar_one())

    def next_seq(self) -> int:
        """The ingest sequence number the next article gets."""
        with self.engine.connect() as connection:
            value = connection.execute(sa.select(sa.func.max(articles.c.seq))).scalar_one()
        return 0 if value is None else int(value) + 1

    def iter_state(self, batch_size: int = 2000) -> Iterator[sa.Row[Any]]:
        """Every article's indexing state (see ``STATE_COLUMNS``), in ingest order, streamed."""
        columns = [articles.c[name] for name in STATE_COLUMNS]
        last = -1
        with self.engine.connect() as connection:
            while True:
                rows = connection.execute(
                    sa.select(*columns).where(articles.c.seq > last).order_by(articles.c.seq).limit(batch_size)
                ).all()
                if not rows:
                    return
                yield from rows
                last = rows[-1].seq

    def story_rows(self, limit: int | None = None) -> list[dict[str, Any]]:
        """Stories, newest first (latest publication date, then latest ingested)."""
        query = sa.select(stories).order_by(
            stories.c.last_published.is_(None), stories.c.last_published.desc(),
            stories.c.last_seq.desc(), stories.c.id,
        )
        if limit is not None:
            query = query.limit(limit)
        with self.engine.connect() as connection:
            return [_story_dict(row._mapping) for row in connection.execute(query)]

    def story_row(self, story_id: str) -> dict[str, Any] | None:
        """One story by id, or None."""
        with self.engine.connect() as connection:
            row = connection.execute(sa.select(stories).where(stories.c.id == story_id)).first()
        return None if row is None else _story_dict(row._mapping)

    def story_articles(self, story_id: str) -> list[Article]:
        """The articles of a story in ingest order; each article's ``copies`` left empty."""
        columns = [c for c in articles.c if c.name not in ("minhash", "features", "vector")]
        with self.engine.connect() as connection:
            rows = connection.execute(
                sa.select(*columns).where(articles.c.story_id == story_id).order_by(articles.c.seq)
            ).all()
        result = []
        seen: set[str] = set()
        for row in rows:
            article_id = row.article_id if row.article_id not in seen else f"{row.article_id}-{row.key[:8]}"
            seen.add(article_id)
            result.append(Article(
                id=article_id, title=row.title, text=row.text, source=row.source, url=row.url,
                published=row.published, published_from=row.published_from, updated=row.updated,
                language=row.language, dateline=row.dateline,
                removed=tuple(Removed(text=r[0], reason=r[1]) for r in json.loads(row.removed)),
                input=row.input,
            ))
        return result

    def setting(self, name: str) -> str | None:
        """A stored setting (e.g. the grouping options the store was built with)."""
        with self.engine.connect() as connection:
            return connection.execute(sa.select(settings.c.value).where(settings.c.name == name)).scalar()

    # ------------------------------------------------------------------ writing

    def write_batch(
        self,
        article_rows: Sequence[dict[str, Any]],
        story_rows: Sequence[dict[str, Any]],
        setting_rows: Sequence[dict[str, str]] = (),
    ) -> None:
        """Insert new articles and upsert their stories in one transaction.

        Articles already present (same content key) are left as they are, so a
        batch written twice changes nothing.
        """
        with self.engine.begin() as connection:
            if article_rows:
                connection.execute(self._insert(articles).on_conflict_do_nothing(index_elements=["key"]),
                                   list(article_rows))
            for table, rows, key in ((stories, story_rows, "id"), (settings, setting_rows, "name")):
                if not rows:
                    continue
                statement = self._insert(table)
                statement = statement.on_conflict_do_update(
                    index_elements=[key],
                    set_={c.name: statement.excluded[c.name] for c in table.c if c.name != key},
                )
                connection.execute(statement, [_encode_story(r) if table is stories else r for r in rows])

    def _insert(self, table: sa.Table) -> Any:
        name = self.engine.dialect.name
        if name == "sqlite":
            from sqlalchemy.dialects.sqlite import insert
        elif name == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:
            raise StoreError(f"unsupported database {name!r}: use SQLite or PostgreSQL")
        return insert(table)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def _encode_story(row: dict[str, Any]) -> dict[str, Any]:
    return {**row, "sources": json.dumps(row["sources"]), "entities": json.dumps(row["entities"])}


def _story_dict(mapping: Any) -> dict[str, Any]:
    row = dict(mapping)
    row["sources"] = json.loads(row["sources"])
    row["entities"] = json.loads(row["entities"])
    return row
