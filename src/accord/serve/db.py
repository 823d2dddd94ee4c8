"""What the web app reads from the store, through a read-only connection, with bound parameters only.

SQLite is opened with ``mode=ro`` (and ``PRAGMA query_only``) and PostgreSQL with
``default_transaction_read_only``: the app cannot write even by mistake. A SQLite
store in WAL mode (as ``accord ingest`` leaves it) can be read while an ingest writes;
each request sees the last committed batch.
"""

from __future__ import annotations

import functools
import json
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import sqlalchemy as sa

from accord.errors import StoreError
from accord.store import articles, normalize_url, sightings, stories, story_merges, story_reports

__all__ = ["RANKED_AT_MOST", "SORTS", "SearchResult", "StoredPage", "StoryQuery", "article", "article_copies",
           "feed_reports", "open_readonly", "report_text", "report_version", "schema_state", "search", "sort_lists", "story", "story_members", "story_page",
           "story_view"]

#: The orders the stories list offers.
SORTS = ("newest", "sources", "disputed")
#: Marks around matched words in snippets: private-use characters, replaced by <mark> after escaping.
MARK_OPEN, MARK_CLOSE = "\ue000", "\ue001"
_WORD = re.compile(r"\w+", re.UNICODE)
#: Words of a search query used at most.
MAX_QUERY_WORDS = 12
#: Bytes of a SQLite store a read connection maps into memory.
_SQLITE_MMAP = 1 << 30


@dataclass(frozen=True, kw_only=True, slots=True)
class StoryQuery:
    """A page of the stories list: order, filters and position.

    Args:
        sort: one of :data:`SORTS`.
        since, until: ISO dates; a story is kept when its dates overlap the range.
        source: keep stories with an appearance from this outlet (exact, any case).
        disputed: keep stories whose stored report has discrepancies.
        page, per_page: which page, and how many stories a page.
    """

    sort: str = "newest"
    since: str | None = None
    until: str | None = None
    source: str | None = None
    disputed: bool = False
    page: int = 1
    per_page: int = 25

    def __post_init__(self) -> None:
        if self.sort not in SORTS:
            raise ValueError(f"sort must be one of {', '.join(SORTS)}")
        if self.page < 1 or not 1 <= self.per_page <= 200:
            raise ValueError("page must be 1 or more and per_page between 1 and 200")


# --------------------------------------------------------------------------- connection


def open_readonly(db_url: str, *, pool_size: int = 20) -> sa.Engine:
    """An engine that can only read the store at ``db_url`` (see the module docstring)."""
    url = normalize_url(db_url)
    if url.startswith("sqlite"):
        return _sqlite_readonly(url, db_url, pool_size)
    try:
        # Each statement is its own read-only transaction (as SQLite reads are): no BEGIN and ROLLBACK
        # round trips around a page's few statements. A connection the server dropped fails one
        # request, and the pool then replaces every connection made before the failure.
        engine = sa.create_engine(url, pool_size=pool_size, max_overflow=pool_size, isolation_level="AUTOCOMMIT",
                                  connect_args={"options": "-c default_transaction_read_only=on"})
    except ModuleNotFoundError as exc:
        raise StoreError(f"no database driver for {url.split('://')[0]} ({exc.name} is not installed; "
                         "for PostgreSQL: pip install 'accord[postgres]')") from None
    except sa.exc.ArgumentError as exc:
        raise StoreError(f"not a database URL: {db_url!r} ({exc})") from None
    if engine.dialect.name != "postgresql":
        raise StoreError(f"unsupported database {engine.dialect.name!r}: use SQLite or PostgreSQL")
    return engine


def _sqlite_readonly(url: str, db_url: str, pool_size: int) -> sa.Engine:
    path_text = url.split(":///", 1)[1] if ":///" in url else ""
    if not path_text or path_text == ":memory:" or "?" in path_text:
        raise StoreError(f"serve needs a SQLite file: give --db sqlite:///path/to/accord.db (got {db_url!r})")
    path = Path(path_text).resolve()
    if not path.is_file():
        raise StoreError(f"no store at {path}: run `accord ingest INPUT... --db {db_url}` first")
    engine = sa.create_engine(f"sqlite:///file:{quote(str(path))}?mode=ro&uri=true", pool_size=pool_size,
                              max_overflow=pool_size, connect_args={"check_same_thread": False})
    sa.event.listen(engine, "connect", _sqlite_readonly_pragmas)
    return engine


def _sqlite_readonly_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA query_only=1")
    cursor.execute("PRAGMA busy_timeout=10000")
    # Read through the operating system's page cache, shared by every connection and process,
    # rather than copying pages into each connection's own small cache.
    cursor.execute(f"PRAGMA mmap_size={_SQLITE_MMAP}")
    cursor.close()


def schema_state(engine: sa.Engine) -> tuple[str | None, str]:
    """The store's schema revision and the one this accord needs (equal when up to date)."""
    from alembic.script import ScriptDirectory
    from alembic.config import Config

    import accord.store

    config = Config()
    config.set_main_option("script_location", str(Path(accord.store.__file__).resolve().parent / "migrations"))
    head = ScriptDirectory.from_config(config).get_current_head() or ""
    try:
        with engine.connect() as connection:
            current = connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
    except sa.exc.SQLAlchemyError:
        current = None
    return current, head


# --------------------------------------------------------------------------- stories


def _outlets_count(dialect: str) -> sa.ColumnElement[Any]:
    if dialect == "postgresql":
        return sa.func.json_array_length(sa.cast(stories.c.sources, sa.JSON))
    return sa.func.json_array_length(stories.c.sources)


def _story_filters(query: StoryQuery, *, bound: bool = False) -> list[sa.ColumnElement[bool]]:
    """The list's filters; ``bound``: as bound parameters named after the filters (values given later)."""
    def value(name: str, given: Any) -> Any:
        return sa.bindparam(name) if bound else given

    where: list[sa.ColumnElement[bool]] = []
    if query.since:
        where.append(sa.func.coalesce(stories.c.last_published, stories.c.first_published)
                     >= value("since", query.since))
    if query.until:
        where.append(sa.func.coalesce(stories.c.first_published, stories.c.last_published)
                     <= value("until", query.until))
    if query.disputed:
        where.append(story_reports.c.discrepancies > value("disputed_min", 0))
    if query.source:
        # The stories of the outlet's appearances (through the lower(source) index), not a lookup per story.
        where.append(stories.c.id.in_(
            sa.select(articles.c.story_id).select_from(sightings.join(articles, sightings.c.key == articles.c.key))
            .where(sa.func.lower(sightings.c.source) == value("source", query.source.lower()))
        ))
    return where


def _newest() -> list[sa.ColumnElement[Any]]:
    # Matches the index ix_stories_newest (migration 0006) term for term.
    return [stories.c.last_published.is_(None), stories.c.last_published.desc(), stories.c.last_seq.desc(),
            stories.c.id]


#: Orders of whole filtered lists kept, each for one store version (see :func:`story_page`).
_ORDERS_KEPT = 16
_orders: OrderedDict[Hashable, tuple[str, ...]] = OrderedDict()
_orders_lock = threading.Lock()
#: A lock for each order being sorted, so that one request sorts while the others wait for it.
_sorting: dict[Hashable, threading.Lock] = {}


@functools.lru_cache(maxsize=64)
def _list_statements(dialect: str, sort: str, since: bool, until: bool, source: bool,
                     disputed: bool) -> tuple[sa.Select[Any], sa.Select[Any], sa.Select[Any], sa.Select[Any]]:
    """The statements of one shape of the stories list, built once (values are bound parameters):
    a page by LIMIT/OFFSET, the count, every matching id in order, and the rows of given ids."""
    outlets = _outlets_count(dialect).label("outlets")
    base = stories.outerjoin(story_reports, story_reports.c.story_id == stories.c.id)
    where = _story_filters(StoryQuery(
        since="since" if since else None, until="until" if until else None,
        source="source" if source else None, disputed=disputed), bound=True)
    order = {
        "newest": _newest(),
        "sources": [sa.func.coalesce(story_reports.c.independent, -1).desc(), outlets.desc(),
                    stories.c.size.desc(), *_newest()],
        "disputed": [sa.func.coalesce(story_reports.c.conflicts, -1).desc(),
                     sa.func.coalesce(story_reports.c.discrepancies, -1).desc(), *_newest()],
    }[sort]
    columns = sa.select(stories.c.id, stories.c.title, stories.c.size, stories.c.first_published,
                        stories.c.last_published, stories.c.sources, outlets, story_reports.c.independent,
                        story_reports.c.discrepancies, story_reports.c.conflicts,
                        story_reports.c.size.label("report_size"), story_reports.c.computed_at).select_from(base)
    page = columns.where(*where).order_by(*order).limit(sa.bindparam("limit")).offset(sa.bindparam("offset"))
    # Only the "has discrepancies" filter needs the reports to count the stories.
    count = sa.select(sa.func.count()).select_from(base if disputed else stories).where(*where)
    ordered = sa.select(stories.c.id).select_from(base).where(*where).order_by(*order)
    by_ids = columns.where(stories.c.id.in_(sa.bindparam("ids", expanding=True)))
    return page, count, ordered, by_ids


def _values(query: StoryQuery) -> dict[str, Any]:
    return {"since": query.since, "until": query.until, "disputed_min": 0,
            "source": query.source.lower() if query.source else None}


def story_page(engine: sa.Engine, query: StoryQuery, *,
               version: Hashable | None = None) -> tuple[list[dict[str, Any]], int]:
    """One page of the stories list and how many stories match in all.

    With the store's ``version`` (see :mod:`accord.serve.cache`), the order of the whole
    filtered list is kept for that version, so every other page of it, and its count, needs
    only the rows of that page: one sort per list and store version, not one per page.
    """
    page, count, ordered, by_ids = _list_statements(engine.dialect.name, query.sort, bool(query.since),
                                                    bool(query.until), bool(query.source), query.disputed)
    values = _values(query)
    offset = (query.page - 1) * query.per_page
    with engine.connect() as connection:
        if version is None:
            rows = [_list_row(row._mapping) for row in
                    connection.execute(page, {**values, "limit": query.per_page, "offset": offset})]
            return rows, int(connection.execute(count, values).scalar_one())
        key = (id(engine), version, query.sort, query.since, query.until, values["source"], query.disputed)
        ids = _kept_order(key, lambda: tuple(connection.execute(ordered, values).scalars()))
        wanted = ids[offset:offset + query.per_page]
        found = {row.id: row for row in connection.execute(by_ids, {"ids": list(wanted)})} if wanted else {}
    return [_list_row(found[story_id]._mapping) for story_id in wanted if story_id in found], len(ids)


def _kept_order(key: Hashable, sort: Callable[[], tuple[str, ...]]) -> tuple[str, ...]:
    """The kept order for ``key``, sorted by ``sort`` when missing: once, however many requests ask
    for it at the same time (the others wait for that sort rather than each making their own)."""
    with _orders_lock:
        ids = _orders.get(key)
        if ids is not None:
            _orders.move_to_end(key)
            return ids
        sorting = _sorting.setdefault(key, threading.Lock())
    with sorting:
        with _orders_lock:
            ids = _orders.get(key)
        if ids is None:
            ids = sort()
            with _orders_lock:
                _orders[key] = ids
                while len(_orders) > _ORDERS_KEPT:
                    _orders.popitem(last=False)
                _sorting.pop(key, None)
    return ids


def sort_lists(engine: sa.Engine, version: Hashable) -> None:
    """Sort the whole stories list in each of :data:`SORTS` for the store's ``version``, so that the
    first readers of a freshly started server find them kept (see :func:`story_page`)."""
    for sort in SORTS:
        story_page(engine, StoryQuery(sort=sort), version=version)


def _list_row(mapping: Any) -> dict[str, Any]:
    row = dict(mapping.items())
    row["sources"] = json.loads(row["sources"])
    if row["report_size"] is None:
        row["report"] = "missing"
    else:
        row["report"] = "current" if row["report_size"] == row["size"] else "outdated"
    return row


def story(engine: sa.Engine, story_id: str) -> tuple[dict[str, Any] | None, str | None]:
    """A story's row, or None and the story it was merged into (None too when it never existed)."""
    with engine.connect() as connection:
        row = connection.execute(sa.select(stories).where(stories.c.id == story_id)).first()
        if row is not None:
            found = dict(row._mapping)
            found["sources"] = json.loads(found["sources"])
            return found, None
        seen = {story_id}
        current: str | None = None
        while True:
            target = connection.execute(
                sa.select(story_merges.c.new_id).where(story_merges.c.old_id == story_id)
                .order_by(story_merges.c.id.desc()).limit(1)).scalar()
            if target is None or target in seen:
                return None, current
            current = story_id = target
            seen.add(target)


# The statements of a story page, built once (the story id is a bound parameter).
#: A story's row with its stored report's version and page (NULLs when none is stored), in one read.
_STORY_AND_PAGE = (sa.select(stories, story_reports.c.fingerprint.label("report_fingerprint"),
                             story_reports.c.computed_at.label("report_computed_at"),
                             story_reports.c.size.label("report_size"), story_reports.c.html.label("report_html"))
                   .outerjoin(story_reports, story_reports.c.story_id == stories.c.id)
                   .where(stories.c.id == sa.bindparam("story_id")))
_MEMBERS = (sa.select(articles.c.key, articles.c.seq, articles.c.copy_of, sightings.c.is_first,
                      sa.func.coalesce(sightings.c.title, articles.c.title).label("title"), sightings.c.source,
                      sightings.c.url, sightings.c.published, sightings.c.ident)
            .join(articles, sightings.c.key == articles.c.key).where(articles.c.story_id == sa.bindparam("story_id"))
            .order_by(articles.c.seq, sightings.c.is_first.desc(), sightings.c.id))
#: A stored report with the idents of its story's appearances now (comma-joined), in one read.
_REPORT_TEXT = (sa.select(story_reports.c.report, story_reports.c.fingerprint, story_reports.c.computed_at,
                          sa.select(sa.func.aggregate_strings(sightings.c.ident, ","))
                          .join(articles, sightings.c.key == articles.c.key)
                          .where(articles.c.story_id == story_reports.c.story_id).scalar_subquery().label("idents"))
                .join(stories, stories.c.id == story_reports.c.story_id)
                .where(story_reports.c.story_id == sa.bindparam("story_id")))


def _members(connection: sa.Connection, story_id: str) -> list[dict[str, Any]]:
    return [dict(row._mapping) for row in connection.execute(_MEMBERS, {"story_id": story_id})]


def story_members(engine: sa.Engine, story_id: str) -> list[dict[str, Any]]:
    """Every appearance of the story's articles (outlet, URL, date, title), in ingest order."""
    with engine.connect() as connection:
        return _members(connection, story_id)


@dataclass(frozen=True, slots=True)
class StoredPage:
    """A story's stored report as its page needs it: version, time, size, the rendered page if stored."""

    fingerprint: str
    computed_at: str
    size: int
    html: str | None
    current: bool


def story_view(engine: sa.Engine, story_id: str) -> tuple[dict[str, Any] | None, list[dict[str, Any]],
                                                          StoredPage | None]:
    """What a story page shows, read on one connection: the story's row (None: no such story), its
    appearances, and its stored report (None: none stored), marked current or outdated."""
    from accord.report_store import digest

    with engine.connect() as connection:
        row = connection.execute(_STORY_AND_PAGE, {"story_id": story_id}).first()
        if row is None:
            return None, [], None
        members = _members(connection, story_id)
    found = dict(row._mapping)
    stored = {name: found.pop(f"report_{name}") for name in ("fingerprint", "computed_at", "size", "html")}
    found["sources"] = json.loads(found["sources"])
    if stored["fingerprint"] is None:
        return found, members, None
    now = digest(m["ident"] for m in members) if members else None
    return found, members, StoredPage(**stored, current=stored["fingerprint"] == now)


def report_version(engine: sa.Engine, story_id: str) -> tuple[str, str] | None:
    """The fingerprint and time of a story's stored report, without reading the report itself."""
    with engine.connect() as connection:
        row = connection.execute(sa.select(story_reports.c.fingerprint, story_reports.c.computed_at)
                                 .where(story_reports.c.story_id == story_id)).first()
    return None if row is None else (row.fingerprint, row.computed_at)


def report_text(engine: sa.Engine, story_id: str) -> tuple[str, bool, str] | None:
    """A story's stored report as stored (the contract's JSON), whether it is current, and when it was made;
    None when the story has none or is gone (merged into another)."""
    from accord.report_store import digest

    with engine.connect() as connection:
        row = connection.execute(_REPORT_TEXT, {"story_id": story_id}).first()
    if row is None:
        return None
    return row.report, bool(row.idents) and row.fingerprint == digest(row.idents.split(",")), row.computed_at


def feed_reports(engine: sa.Engine, limit: int = 20) -> list[dict[str, Any]]:
    """The latest stored reports that found conflicting values, newest first, with their stories' titles."""
    query = (sa.select(story_reports.c.story_id, story_reports.c.computed_at, story_reports.c.report,
                       stories.c.title)
             .join(stories, stories.c.id == story_reports.c.story_id)
             .where(story_reports.c.conflicts > 0)
             .order_by(story_reports.c.computed_at.desc(), story_reports.c.story_id).limit(limit))
    with engine.connect() as connection:
        return [dict(row._mapping) for row in connection.execute(query)]


# --------------------------------------------------------------------------- articles


def article(engine: sa.Engine, key: str) -> dict[str, Any] | None:
    """One stored article body by content key, with its story's title; None when unknown."""
    columns = [c for c in articles.c if c.name not in ("minhash", "features", "vector")]
    query = (sa.select(*columns, stories.c.title.label("story_title"))
             .outerjoin(stories, stories.c.id == articles.c.story_id).where(articles.c.key == key))
    with engine.connect() as connection:
        row = connection.execute(query).first()
    if row is None:
        return None
    found = dict(row._mapping)
    found["removed"] = [{"text": text, "reason": reason} for text, reason in json.loads(found["removed"])]
    return found


def article_copies(engine: sa.Engine, key: str, copy_of: str | None) -> dict[str, list[dict[str, Any]]]:
    """Where else this body appeared, the article it copies, and the articles that copy it."""
    short = [articles.c.key, articles.c.title, articles.c.source, articles.c.published]
    with engine.connect() as connection:
        appearances = connection.execute(
            sa.select(sightings.c.source, sightings.c.url, sightings.c.published, sightings.c.title,
                      sightings.c.is_first)
            .where(sightings.c.key == key).order_by(sightings.c.is_first.desc(), sightings.c.id)).all()
        copies = connection.execute(sa.select(*short).where(articles.c.copy_of == key)
                                    .order_by(articles.c.seq).limit(200)).all()
        original = (connection.execute(sa.select(*short).where(articles.c.key == copy_of)).all()
                    if copy_of else [])
    return {"appearances": [dict(r._mapping) for r in appearances],
            "copies": [dict(r._mapping) for r in copies],
            "original": [dict(r._mapping) for r in original]}


# --------------------------------------------------------------------------- search


def query_words(text: str) -> list[str]:
    """The words of a search query (letters and digits only), at most :data:`MAX_QUERY_WORDS`."""
    return _WORD.findall(text)[:MAX_QUERY_WORDS]


@dataclass(frozen=True, slots=True)
class SearchResult:
    """A page of search hits, best first; ``capped``: more articles matched than
    :data:`RANKED_AT_MOST`, and only the most recently stored of them were ranked."""

    hits: list[dict[str, Any]]
    capped: bool


def search(engine: sa.Engine, text: str, *, limit: int = 20, offset: int = 0) -> SearchResult:
    """Articles matching every word of ``text`` (else any word), best first, with marked snippets.

    Ranked by BM25 (SQLite FTS5, title weighted 8:1 over text) or ``ts_rank_cd``
    (PostgreSQL, title weight A over text weight B). When more than :data:`RANKED_AT_MOST`
    articles match, only the most recently stored that many are ranked (ranking costs
    each match a read of its positions: a query of two common words over a large store
    would otherwise rank thousands of articles for one page). Snippets and titles carry
    :data:`MARK_OPEN`/:data:`MARK_CLOSE` around matched words; escape them before
    replacing the marks.
    """
    words = query_words(text)
    if not words:
        return SearchResult([], False)
    run = _search_postgres if engine.dialect.name == "postgresql" else _search_sqlite
    with engine.connect() as connection:
        result = run(connection, words, "and", limit, offset)
        if not result.hits and len(words) > 1 and offset == 0:
            result = run(connection, words, "or", limit, offset)
    return result


def _search_sqlite(connection: sa.Connection, words: list[str], mode: str, limit: int,
                   offset: int) -> SearchResult:
    match = (" OR " if mode == "or" else " ").join('"' + w + '"' for w in words)
    # The rowids of the RANKED_AT_MOST-th and the next newest match: FTS5 walks its doclists backwards
    # and stops there, without ranking anything.
    edge = connection.execute(_SQLITE_EDGE, {"match": match, "offset": RANKED_AT_MOST - 1}).scalars().all()
    rows = connection.execute(_SQLITE_SEARCH, {"open": MARK_OPEN, "close": MARK_CLOSE, "match": match,
                                               "rank": _SQLITE_RANK, "limit": limit, "offset": offset,
                                               "since": edge[0] if edge else 0})
    hits = [dict(row._mapping) for row in rows]
    hits.sort(key=lambda hit: (hit["score"], hit["seq"]))  # FTS5 leaves the order of equal scores open
    return SearchResult(hits, len(edge) > 1)


#: Matching articles ranked at most for one search: the most recently stored ones.
RANKED_AT_MOST = 500
#: BM25 with the title weighted 8:1 over the text, as FTS5's rank: FTS5 then sorts the hits itself
#: and stops at the page, so snippets are made for the page's hits only.
_SQLITE_RANK = "bm25(8.0, 1.0)"
_SQLITE_EDGE = sa.text("SELECT rowid FROM articles_fts WHERE articles_fts MATCH :match "
                       "ORDER BY rowid DESC LIMIT 2 OFFSET :offset")
_SQLITE_SEARCH = sa.text(
    "SELECT a.key, a.seq, a.title AS plain_title, a.source, a.published, a.url, a.story_id, "
    "s.title AS story_title, h.title, h.snippet, h.score FROM ("
    " SELECT rowid AS seq, highlight(articles_fts, 0, :open, :close) AS title, "
    " snippet(articles_fts, 1, :open, :close, '…', 24) AS snippet, rank AS score "
    " FROM articles_fts WHERE articles_fts MATCH :match AND rowid >= :since AND rank MATCH :rank "
    " ORDER BY rank LIMIT :limit OFFSET :offset) h "
    "JOIN articles a ON a.seq = h.seq LEFT JOIN stories s ON s.id = a.story_id")


def _search_postgres(connection: sa.Connection, words: list[str], mode: str, limit: int,
                     offset: int) -> SearchResult:
    query = (" | " if mode == "or" else " & ").join(words)
    options = f"StartSel={MARK_OPEN}, StopSel={MARK_CLOSE}, MaxWords=30, MinWords=12, MaxFragments=2"
    rows = connection.execute(_POSTGRES_SEARCH, {"query": query, "options": options, "limit": limit,
                                                 "offset": offset, "ranked": RANKED_AT_MOST,
                                                 "newest": RANKED_AT_MOST + 1}).all()
    capped = bool(rows) and bool(rows[0].capped)
    return SearchResult([{k: v for k, v in row._mapping.items() if k != "capped"} for row in rows], capped)


#: The newest matches (seq only, from the GIN index and the rows' headers), then ``ts_rank_cd`` over at
#: most RANKED_AT_MOST of them, then the page's articles and their headlines.
_POSTGRES_SEARCH = sa.text(
    "WITH q AS (SELECT to_tsquery('english', :query) AS query), "
    "newest AS (SELECT a.seq FROM articles a, q WHERE a.search @@ q.query ORDER BY a.seq DESC LIMIT :newest), "
    "ranked AS (SELECT seq FROM newest ORDER BY seq DESC LIMIT :ranked), "
    "hits AS (SELECT a.seq, ts_rank_cd(a.search, q.query) AS score FROM ranked JOIN articles a ON a.seq = ranked.seq, q "
    " ORDER BY score DESC, a.seq LIMIT :limit OFFSET :offset) "
    "SELECT a.key, a.title AS plain_title, a.source, a.published, a.url, a.story_id, s.title AS story_title, "
    "ts_headline('english', a.title, q.query, :options) AS title, "
    "ts_headline('english', a.text, q.query, :options) AS snippet, h.score, "
    "(SELECT count(*) FROM newest) > :ranked AS capped "
    "FROM hits h CROSS JOIN q JOIN articles a ON a.seq = h.seq LEFT JOIN stories s ON s.id = a.story_id "
    "ORDER BY h.score DESC, h.seq")
