"""Answers kept in memory until the store changes.

Every page the app serves is a function of the request's path and query and of the
store's contents. :class:`StoreVersion` tells cheaply whether the store changed since
(SQLite: ``PRAGMA data_version`` on a connection of its own, which changes when any
other connection, such as an ingest, commits; PostgreSQL: the current snapshot, which
changes when any transaction that wrote commits), and :class:`ResponseCache` keeps
recent answers with the version they were made at: an answer is reused only while
the version is the same, so a committed ingest batch shows on the next request.

The version is read *before* the pages' queries, so an answer is never labelled newer
than the data it was made from (at worst it is made again once more than needed).
"""

from __future__ import annotations

import itertools
import logging
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass

import sqlalchemy as sa

__all__ = ["CachedResponse", "ResponseCache", "StoreVersion", "store_version"]

log = logging.getLogger(__name__)

#: Default memory for kept answers (bytes of their bodies).
DEFAULT_CACHE_BYTES = 64 * 1024 * 1024
#: An answer bigger than this share of the cache is never kept.
_LARGEST_SHARE = 8


#: Numbers the watchers, so that versions of two stores (or of two apps over one) never compare equal.
_watchers = itertools.count()


class StoreVersion:
    """Something that changes whenever the store's contents may have changed."""

    #: Whether :meth:`current` is cheap enough to call on the event loop (no network round trip).
    inline: bool = True

    def current(self) -> Hashable:
        """The store's version now; equal values mean nothing was committed in between."""
        raise NotImplementedError

    def close(self) -> None:
        """Release what the watcher holds."""


class _Unversioned(StoreVersion):
    """A store whose version cannot be told: every call is a new version, so nothing is reused."""

    def __init__(self) -> None:
        self._watcher = next(_watchers)
        self._counter = itertools.count()

    def current(self) -> Hashable:
        return self._watcher, next(self._counter)


class _SqliteVersion(StoreVersion):
    """``PRAGMA data_version`` of a private read-only connection: it changes when another connection
    (in this process or any other) commits to the file."""

    def __init__(self, path: str) -> None:
        self._path = path  # quoted for a file: URI
        self._watcher = next(_watchers)
        self._lock = threading.Lock()
        self._connection = self._connect()

    def _connect(self) -> sqlite3.Connection:
        connection = sqlite3.connect(f"file:{self._path}?mode=ro", uri=True, check_same_thread=False,
                                     isolation_level=None)
        connection.execute("PRAGMA query_only=1")
        return connection

    def current(self) -> Hashable:
        with self._lock:
            return self._watcher, int(self._connection.execute("PRAGMA data_version").fetchone()[0])

    def close(self) -> None:
        with self._lock:
            self._connection.close()


class _PostgresVersion(StoreVersion):
    """The current snapshot (``xmin:xmax:in-progress``), read on a connection of the pool.

    A transaction that wrote is in progress in every snapshot taken before it commits
    and in none taken after, so the snapshot's text changes with every commit that wrote
    (in any database of the server: a change elsewhere only costs answers made again).

    Requests that arrive together share one read: a request waits for a read that
    *started after it arrived* (so it sees every commit made before it arrived), and
    whichever waiting request finds no such read running starts one. Under load this
    is one round trip for a burst of requests rather than one each.
    """

    inline = False

    def __init__(self, engine: sa.Engine) -> None:
        self._engine = engine
        self._watcher = next(_watchers)
        self._fallback = itertools.count()
        self._query = sa.text("SELECT pg_current_snapshot()::text")
        self._changed = threading.Condition()
        self._started = 0  # reads started so far
        self._reading = False
        self._last: tuple[int, Hashable] = (0, None)  # the newest finished read: its number and value

    def current(self) -> Hashable:
        with self._changed:
            needed = self._started + 1  # the first read to start from now on
            while self._last[0] < needed:
                if self._reading:
                    self._changed.wait()
                    continue
                self._reading = True
                self._started += 1
                number = self._started
                self._changed.release()
                try:
                    value = self._read()
                finally:
                    self._changed.acquire()
                    self._reading = False
                    self._changed.notify_all()
                if value is None:  # not readable: this answer is not kept
                    return "unversioned", self._watcher, next(self._fallback)
                self._last = (number, (self._watcher, value))
            return self._last[1]

    def _read(self) -> str | None:
        try:
            with self._engine.connect() as connection:
                return str(connection.execute(self._query).scalar_one())
        except sa.exc.SQLAlchemyError as exc:
            log.warning("cannot read the store's version (%s): this answer is not kept", exc)
            return None


def store_version(engine: sa.Engine) -> StoreVersion:
    """The version watcher for a (read-only) store engine from :func:`accord.serve.db.open_readonly`."""
    if engine.dialect.name == "sqlite":
        database = engine.url.database or ""
        path = database.removeprefix("file:").split("?", 1)[0]  # as open_readonly quoted it for a URI
        if path:
            return _SqliteVersion(path)
    if engine.dialect.name == "postgresql":
        return _PostgresVersion(engine)
    return _Unversioned()


@dataclass(frozen=True, slots=True)
class CachedResponse:
    """An answer as sent: status, body and headers (the security headers are added on the way out)."""

    status: int
    body: bytes
    headers: tuple[tuple[str, str], ...]
    media_type: str | None


class ResponseCache:
    """The most recently used answers, up to ``max_bytes`` of bodies, each kept with its store version."""

    def __init__(self, max_bytes: int = DEFAULT_CACHE_BYTES) -> None:
        self.max_bytes = max_bytes
        self._entries: OrderedDict[Hashable, tuple[Hashable, CachedResponse]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: Hashable, version: Hashable) -> CachedResponse | None:
        """The answer kept for ``key`` if it was made at ``version`` (an older one is dropped)."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None and entry[0] == version:
                self._entries.move_to_end(key)
                self.hits += 1
                return entry[1]
            if entry is not None:
                self._remove(key)
            self.misses += 1
            return None

    def put(self, key: Hashable, version: Hashable, response: CachedResponse) -> None:
        """Keep ``response`` for ``key`` at ``version``, dropping the least recently used past the limit."""
        size = len(response.body)
        if self.max_bytes <= 0 or size * _LARGEST_SHARE > self.max_bytes:
            return
        with self._lock:
            if key in self._entries:
                self._remove(key)
            self._entries[key] = (version, response)
            self._bytes += size
            while self._bytes > self.max_bytes and self._entries:
                self._remove(next(iter(self._entries)))

    def _remove(self, key: Hashable) -> None:
        _version, response = self._entries.pop(key)
        self._bytes -= len(response.body)

    def __len__(self) -> int:
        return len(self._entries)
