"""The corpus store: articles keyed by content hash, where each body appeared, copy groups and stories.

SQLAlchemy 2 Core over SQLite (default, one file) or PostgreSQL (by URL); the
schema is created and upgraded by Alembic migrations (``accord/migrations``) each
time a store is opened. Writes go in one transaction per batch with idempotent
upserts, so an ingest killed at any point leaves the last committed batch intact
and a re-run adds exactly what is missing.

An article row is the first appearance of its body; every appearance, the first
included, is also a row of ``sightings`` (one per outlet, URL or input that ran
the same body), so a wire story run unchanged by two sites keeps both.

Example::

    with Store.open("sqlite:///accord.db") as store:
        for row in store.story_rows(limit=10):
            print(row["id"], row["title"])
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any

import sqlalchemy as sa

from accord.errors import StoreError
from accord.models import Article, Removed

__all__ = ["Store", "articles", "load_story", "metadata", "normalize_url", "open_existing", "settings",
           "sighting_ident", "sighting_row", "sightings", "stories", "story_merges", "story_reports"]

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
sightings = sa.Table(
    "sightings", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("ident", sa.String(32), nullable=False, index=True, unique=True),
    sa.Column("key", sa.String(32), sa.ForeignKey("articles.key"), nullable=False, index=True),
    sa.Column("is_first", sa.Boolean, nullable=False),
    sa.Column("article_id", sa.Text, nullable=False),
    sa.Column("title", sa.Text),
    sa.Column("source", sa.Text),
    sa.Column("url", sa.Text),
    sa.Column("published", sa.String(40)),
    sa.Column("published_from", sa.String(16)),
    sa.Column("input", sa.Text),
)
#: Stories a consolidation pass emptied, and the story that took most of their articles.
story_merges = sa.Table(
    "story_merges", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("old_id", sa.String(40), nullable=False, index=True),
    sa.Column("new_id", sa.String(40), nullable=False),
    sa.Column("articles", sa.Integer, nullable=False),
    sa.Column("at_seq", sa.Integer, nullable=False),
)
#: Each story's cross-checked report, for the version of the story (``fingerprint``) it was made from.
story_reports = sa.Table(
    "story_reports", metadata,
    sa.Column("story_id", sa.String(40), primary_key=True),
    sa.Column("fingerprint", sa.String(32), nullable=False),
    sa.Column("size", sa.Integer, nullable=False),
    sa.Column("computed_at", sa.String(40), nullable=False, index=True),
    sa.Column("generated_by", sa.Text, nullable=False),
    sa.Column("facts", sa.Integer, nullable=False),
    sa.Column("discrepancies", sa.Integer, nullable=False),
    sa.Column("conflicts", sa.Integer, nullable=False, index=True),
    sa.Column("independent", sa.Integer, nullable=False),
    sa.Column("report", sa.Text, nullable=False),
    # The HTML report rendered when the report was saved (NULL for reports saved before 0006).
    sa.Column("html", sa.Text),
)
settings = sa.Table(
    "settings", metadata,
    sa.Column("name", sa.String(64), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)

#: The settings row holding the grouping options a store was built with.
GROUP_OPTIONS_SETTING = "group_options"
#: The settings row holding the sequence number of the last article a consolidation pass covered.
CONSOLIDATED_SETTING = "consolidated_seq"
#: Values per ``IN (...)`` list (well under SQLite's bound-parameter limit).
_IN_CHUNK = 500
#: Columns read back when rebuilding the in-memory copy and story indexes.
STATE_COLUMNS = ("key", "seq", "story_id", "copy_of", "minhash", "features", "vector",
                 "published", "title", "source")


def sighting_ident(key: str, url: str | None, input_name: str | None, article_id: str) -> str:
    """The identity of one appearance of a body: its key plus its URL, else its input and article id.

    Reading the same page or file again gives the same identity, so re-ingesting adds
    no sighting; the same body at another URL (or in another input) is another one.
    (Migration 0002 keeps a frozen copy of this rule for its backfill.)
    """
    where = f"url\x1f{url}" if url else f"input\x1f{input_name or ''}\x1f{article_id}"
    return hashlib.blake2b(f"{key}\x1f{where}".encode("utf-8"), digest_size=16).hexdigest()


def sighting_row(key: str, article: Article, *, is_first: bool = False) -> dict[str, Any]:
    """The ``sightings`` row recording that ``article`` (whose body has content key ``key``) appeared."""
    return {
        "ident": sighting_ident(key, article.url, article.input, article.id),
        "key": key, "is_first": is_first, "article_id": article.id, "title": article.title,
        "source": article.source, "url": article.url, "published": article.published,
        "published_from": article.published_from, "input": article.input,
    }


def _first_sighting(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "ident": sighting_ident(row["key"], row["url"], row["input"], row["article_id"]),
        "key": row["key"], "is_first": True,
        **{name: row[name] for name in ("article_id", "title", "source", "url", "published",
                                        "published_from", "input")},
    }


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
        """The articles of a story: one per appearance, each left with ``copies`` empty.

        Bodies come in ingest order, each first as it was first stored and then once
        for every other appearance recorded in ``sightings`` (same text, that
        appearance's own id, title, source, URL and date). Ids are unique within the
        story: a clashing id gets a short suffix from the content key or appearance.
        """
        columns = [c for c in articles.c if c.name not in ("minhash", "features", "vector")]
        with self.engine.connect() as connection:
            rows = connection.execute(
                sa.select(*columns).where(articles.c.story_id == story_id).order_by(articles.c.seq)
            ).all()
            others = connection.execute(
                sa.select(sightings).join(articles, sightings.c.key == articles.c.key)
                .where(articles.c.story_id == story_id, sightings.c.is_first.is_(False))
                .order_by(sightings.c.id)
            ).all()
        elsewhere: dict[str, list[sa.Row[Any]]] = {}
        for sighting in others:
            elsewhere.setdefault(sighting.key, []).append(sighting)
        result = []
        seen: set[str] = set()
        for row in rows:
            article_id = _unique_id(row.article_id, row.key, seen)
            first = Article(
                id=article_id, title=row.title, text=row.text, source=row.source, url=row.url,
                published=row.published, published_from=row.published_from, updated=row.updated,
                language=row.language, dateline=row.dateline,
                removed=tuple(Removed(text=r[0], reason=r[1]) for r in json.loads(row.removed)),
                input=row.input,
            )
            result.append(first)
            for sighting in elsewhere.get(row.key, ()):
                # Another outlet ran this body: its own id, title, source, URL and date; the
                # boilerplate it carried and its update time were not kept.
                result.append(dataclasses.replace(
                    first, id=_unique_id(sighting.article_id, sighting.ident, seen),
                    title=sighting.title or row.title, source=sighting.source, url=sighting.url,
                    published=sighting.published, published_from=sighting.published_from,
                    updated=None, removed=(), input=sighting.input,
                ))
        return result

    def count_sightings(self) -> int:
        """How many appearances of stored bodies the store records (at least :meth:`count`)."""
        with self.engine.connect() as connection:
            return int(connection.execute(sa.select(sa.func.count()).select_from(sightings)).scalar_one())

    def known_sightings(self, idents: Iterable[str]) -> set[str]:
        """Those of ``idents`` (see :func:`sighting_ident`) the store already records."""
        wanted = sorted(set(idents))
        found: set[str] = set()
        with self.engine.connect() as connection:
            for start in range(0, len(wanted), _IN_CHUNK):
                chunk = wanted[start:start + _IN_CHUNK]
                found.update(connection.execute(
                    sa.select(sightings.c.ident).where(sightings.c.ident.in_(chunk))
                ).scalars())
        return found

    def iter_other_sightings(self, batch_size: int = 2000) -> Iterator[sa.Row[Any]]:
        """Every appearance but the first of each body, in the order recorded, with its story, streamed.

        Rows have ``id``, ``key``, ``story_id``, ``source`` and ``published``.
        """
        last = 0
        with self.engine.connect() as connection:
            while True:
                rows = connection.execute(
                    sa.select(sightings.c.id, sightings.c.key, articles.c.story_id, sightings.c.source,
                              sightings.c.published)
                    .join(articles, sightings.c.key == articles.c.key)
                    .where(sightings.c.is_first.is_(False), sightings.c.id > last)
                    .order_by(sightings.c.id).limit(batch_size)
                ).all()
                if not rows:
                    return
                yield from rows
                last = rows[-1].id

    def story_members(self, story_ids: Iterable[str]) -> list[sa.Row[Any]]:
        """The indexing state (see ``STATE_COLUMNS``) of every article of these stories, in ingest order."""
        wanted = sorted(set(story_ids))
        columns = [articles.c[name] for name in STATE_COLUMNS]
        found: list[sa.Row[Any]] = []
        with self.engine.connect() as connection:
            for start in range(0, len(wanted), _IN_CHUNK):
                found.extend(connection.execute(
                    sa.select(*columns).where(articles.c.story_id.in_(wanted[start:start + _IN_CHUNK]))
                ).all())
        return sorted(found, key=lambda row: row.seq)

    def other_sightings_of(self, keys: Iterable[str]) -> list[sa.Row[Any]]:
        """Every appearance but the first of these bodies, in the order recorded (``key``, ``source``, ``published``)."""
        wanted = sorted(set(keys))
        found: list[sa.Row[Any]] = []
        with self.engine.connect() as connection:
            for start in range(0, len(wanted), _IN_CHUNK):
                found.extend(connection.execute(
                    sa.select(sightings.c.id, sightings.c.key, sightings.c.source, sightings.c.published)
                    .where(sightings.c.is_first.is_(False), sightings.c.key.in_(wanted[start:start + _IN_CHUNK]))
                ).all())
        return sorted(found, key=lambda row: row.id)

    def merged_into(self, story_id: str) -> str | None:
        """The story that took most of the articles of a story consolidation emptied, following
        later merges too; None when the story was never merged."""
        seen = {story_id}
        current = None
        with self.engine.connect() as connection:
            while True:
                target = connection.execute(
                    sa.select(story_merges.c.new_id).where(story_merges.c.old_id == story_id)
                    .order_by(story_merges.c.id.desc()).limit(1)
                ).scalar()
                if target is None or target in seen:
                    return current
                current = story_id = target
                seen.add(target)

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
        sighting_rows: Sequence[dict[str, Any]] = (),
    ) -> None:
        """Insert new articles and appearances and upsert their stories in one transaction.

        Each new article is also recorded as its body's first appearance; ``sighting_rows``
        (see :func:`sighting_row`) add other appearances of bodies stored now or before.
        Articles and appearances already present (same content key, same
        :func:`sighting_ident`) are left as they are, so a batch written twice changes nothing.
        """
        with self.engine.begin() as connection:
            if article_rows:
                connection.execute(self._insert(articles).on_conflict_do_nothing(index_elements=["key"]),
                                   list(article_rows))
            appearances = [_first_sighting(row) for row in article_rows] + list(sighting_rows)
            if appearances:
                connection.execute(self._insert(sightings).on_conflict_do_nothing(index_elements=["ident"]),
                                   appearances)
            self._upsert_stories(connection, story_rows, setting_rows)

    def write_grouped(self, article_rows: Iterable[dict[str, Any]], sighting_rows: Iterable[dict[str, Any]]) -> int:
        """Write articles grouped elsewhere (``accord spark --db``) in one transaction; return how many.

        A new article is inserted with its first appearance; a stored one takes the story,
        copy link and vector given (its other columns stay). Appearances already recorded
        (same :func:`sighting_ident`) are left as they are, so writing the same rows twice
        changes nothing. Story rows are written separately (:meth:`replace_stories`).
        """
        statement = self._insert(articles)
        upsert = statement.on_conflict_do_update(
            index_elements=["key"], set_={name: statement.excluded[name] for name in ("story_id", "copy_of", "vector")})
        appearances = self._insert(sightings).on_conflict_do_nothing(index_elements=["ident"])
        written = 0
        with self.engine.begin() as connection:
            for chunk in _chunks(article_rows, _IN_CHUNK):
                connection.execute(upsert, chunk)
                connection.execute(appearances, [_first_sighting(row) for row in chunk])
                written += len(chunk)
            for chunk in _chunks(sighting_rows, _IN_CHUNK):
                connection.execute(appearances, chunk)
        return written

    def replace_stories(self, story_rows: Sequence[dict[str, Any]], setting_rows: Sequence[dict[str, str]] = ()) -> None:
        """Make the ``stories`` table exactly ``story_rows`` (stories not among them are deleted)
        and upsert the settings, in one transaction."""
        keep = {row["id"] for row in story_rows}
        with self.engine.begin() as connection:
            stale = sorted(set(connection.execute(sa.select(stories.c.id)).scalars()) - keep)
            for start in range(0, len(stale), _IN_CHUNK):
                connection.execute(stories.delete().where(stories.c.id.in_(stale[start:start + _IN_CHUNK])))
            for start in range(0, len(story_rows), _IN_CHUNK):
                self._upsert_stories(connection, story_rows[start:start + _IN_CHUNK], ())
            self._upsert_stories(connection, (), setting_rows)

    def iter_seqs(self) -> Iterator[tuple[str, int]]:
        """Every stored content key with its article's sequence number."""
        with self.engine.connect() as connection:
            for key, seq in connection.execute(sa.select(articles.c.key, articles.c.seq)):
                yield key, seq

    def iter_appearances(self) -> Iterator[sa.Row[Any]]:
        """Every appearance of every body, with its article's story and seq (``story_id``, ``seq``,
        ``is_first``, ``title``, ``source``, ``published``), by story then ingest order."""
        query = (sa.select(articles.c.story_id, articles.c.seq, sightings.c.is_first, articles.c.title,
                           sightings.c.source, sightings.c.published)
                 .join(articles, sightings.c.key == articles.c.key)
                 .order_by(articles.c.story_id, articles.c.seq, sightings.c.id))
        with self.engine.connect() as connection:
            yield from connection.execute(query)

    def regroup(
        self,
        moves: dict[str, str],
        story_rows: Sequence[dict[str, Any]],
        emptied: Sequence[str],
        merge_rows: Sequence[dict[str, Any]],
        setting_rows: Sequence[dict[str, str]],
    ) -> None:
        """Apply a consolidation pass in one transaction: move articles (content key -> story id),
        upsert the stories they now form, delete the emptied ones, record where those went.

        A pass interrupted before the commit leaves the store as it was.
        """
        with self.engine.begin() as connection:
            if moves:
                connection.execute(
                    articles.update().where(articles.c.key == sa.bindparam("move_key"))
                    .values(story_id=sa.bindparam("move_story")),
                    [{"move_key": key, "move_story": story} for key, story in sorted(moves.items())],
                )
            ids = sorted(emptied)
            for start in range(0, len(ids), _IN_CHUNK):
                connection.execute(stories.delete().where(stories.c.id.in_(ids[start:start + _IN_CHUNK])))
            if merge_rows:
                connection.execute(story_merges.insert(), list(merge_rows))
            self._upsert_stories(connection, story_rows, setting_rows)

    def _upsert_stories(self, connection: sa.Connection, story_rows: Sequence[dict[str, Any]],
                        setting_rows: Sequence[dict[str, str]]) -> None:
        """Insert or replace story rows and settings inside an open transaction."""
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


def open_existing(db_url: str) -> Store:
    """Open a store that must exist already: a SQLite file that is not there raises
    :class:`~accord.errors.StoreError` saying to run ``accord ingest`` first."""
    url = normalize_url(db_url)
    if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
        path = Path(url[len("sqlite:///"):])
        if not path.exists():
            raise StoreError(f"no store at {path}: run `accord ingest INPUT... --db {db_url}` first")
    return Store.open(db_url)


def load_story(db_url: str, story_id: str) -> tuple[str, list[Article]]:
    """The title and articles (in ingest order) of one story of the store.

    One article per appearance: a body several outlets ran comes once for each, with
    the same text and that outlet's id, source, URL and date (see
    :meth:`Store.story_articles`).

    An unknown id raises :class:`~accord.errors.StoreError` pointing to ``accord stories``.
    """
    with open_existing(db_url) as store:
        row = store.story_row(story_id)
        if row is None and (merged := store.merged_into(story_id)) is not None:
            raise StoreError(f"story {story_id!r} was merged into {merged} when ingest consolidated its "
                             f"stories: run `accord report --db {db_url} --story {merged}`")
        if row is None:
            raise StoreError(f"no story {story_id!r} in {db_url}: run `accord stories --db {db_url}` to list them")
        return row["title"], store.story_articles(story_id)


def _unique_id(article_id: str, salt: str, seen: set[str]) -> str:
    """``article_id``, or it with a suffix from ``salt`` when the story already has that id."""
    candidate = article_id if article_id not in seen else f"{article_id}-{salt[:8]}"
    while candidate in seen:  # a clash even with the suffix: lengthen it deterministically
        candidate = f"{candidate}-{hashlib.blake2b(candidate.encode('utf-8'), digest_size=4).hexdigest()}"
    seen.add(candidate)
    return candidate


def _chunks(rows: Iterable[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    chunk: list[dict[str, Any]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


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
