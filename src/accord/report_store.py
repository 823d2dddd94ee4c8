"""Stored reports: each story's report, computed once per version of the story and kept in the store.

A story's *version* is its :func:`fingerprint`: a hash of every appearance of its
articles (the ``sightings`` of the bodies it holds). A story that gains an article, or
an outlet running one of its bodies, gets a new fingerprint, and its stored report is
then *outdated* until :func:`refresh_reports` computes it again. Reading a stored report
never runs the pipeline, so a web page or an API call answers in milliseconds;
``accord ingest --reports`` refreshes them after an ingest.

Example::

    summary = refresh_reports("sqlite:///accord.db")       # every missing or outdated report
    with Store.open("sqlite:///accord.db") as store:
        stored = load_stored_report(store.engine, "story-1a2b3c4d5e6f7a8b")
        if stored is not None and stored.current:
            print(stored.report.stories[0].title)
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from accord.models import Report, Story, from_dict
from accord.store import Store, articles, sightings, stories, story_reports

__all__ = ["RefreshSummary", "StoredReport", "digest", "fingerprint", "fingerprints", "independent_sources",
           "load_stored_report", "refresh_reports", "save_report", "stale_stories"]

log = logging.getLogger(__name__)

#: Story ids per ``IN (...)`` list.
_IN_CHUNK = 500


@dataclass(frozen=True, slots=True)
class StoredReport:
    """A report read from the store, with whether it still matches the story's articles."""

    story_id: str
    report: Report
    fingerprint: str
    current: bool
    size: int
    computed_at: str
    generated_by: str


@dataclass(frozen=True, slots=True)
class RefreshSummary:
    """What :func:`refresh_reports` did: reports computed, already current, and failed (with reasons)."""

    computed: int
    current: int
    seconds: float
    failed: tuple[tuple[str, str], ...] = ()

    def describe(self) -> str:
        """One line for the terminal."""
        line = (f"accord: computed {self.computed} report{'s' if self.computed != 1 else ''} in "
                f"{self.seconds:.1f} s; {self.current} already current")
        return line + (f"; {len(self.failed)} failed" if self.failed else "")


# --------------------------------------------------------------------------- versions


def digest(idents: Iterable[str]) -> str:
    """The version of a story from the idents of its articles' appearances (see :func:`fingerprint`)."""
    return _digest(idents)


def _digest(idents: Iterable[str]) -> str:
    digest = hashlib.blake2b(digest_size=16)
    for ident in sorted(idents):
        digest.update(ident.encode("ascii") + b"\0")
    return digest.hexdigest()


def fingerprint(connection: sa.Connection, story_id: str) -> str | None:
    """The version of one story: a hash of the appearances of its articles (None: no such story)."""
    idents = connection.execute(
        sa.select(sightings.c.ident).join(articles, sightings.c.key == articles.c.key)
        .where(articles.c.story_id == story_id)
    ).scalars().all()
    return _digest(idents) if idents else None


def fingerprints(connection: sa.Connection, story_ids: Sequence[str] | None = None) -> dict[str, str]:
    """The version of each story (of ``story_ids``, or of every story when None), in one pass."""
    query = sa.select(articles.c.story_id, sightings.c.ident).join(articles, sightings.c.key == articles.c.key)
    groups: dict[str, list[str]] = {}
    if story_ids is None:
        rows: Iterable[Any] = connection.execute(query)
    else:
        wanted = sorted(set(story_ids))
        rows = [row for start in range(0, len(wanted), _IN_CHUNK)
                for row in connection.execute(query.where(articles.c.story_id.in_(wanted[start:start + _IN_CHUNK])))]
    for story_id, ident in rows:
        groups.setdefault(story_id, []).append(ident)
    return {story_id: _digest(idents) for story_id, idents in groups.items()}


def stale_stories(connection: sa.Connection) -> list[str]:
    """Stories with no stored report or one made from an older version, newest first."""
    current = fingerprints(connection)
    stored = dict(connection.execute(sa.select(story_reports.c.story_id, story_reports.c.fingerprint)).all())
    order = connection.execute(
        sa.select(stories.c.id).order_by(stories.c.last_published.is_(None), stories.c.last_published.desc(),
                                         stories.c.last_seq.desc(), stories.c.id)
    ).scalars().all()
    return [story_id for story_id in order if story_id in current and stored.get(story_id) != current[story_id]]


# --------------------------------------------------------------------------- reading


def load_stored_report(engine: sa.Engine, story_id: str) -> StoredReport | None:
    """The stored report of a story, marked current or outdated; None when none was computed."""
    with engine.connect() as connection:
        row = connection.execute(sa.select(story_reports).where(story_reports.c.story_id == story_id)).first()
        if row is None:
            return None
        now = fingerprint(connection, story_id)
    report = from_dict(Report, json.loads(row.report))
    return StoredReport(story_id=story_id, report=report, fingerprint=row.fingerprint,
                        current=row.fingerprint == now, size=row.size, computed_at=row.computed_at,
                        generated_by=row.generated_by)


def independent_sources(story: Story) -> int:
    """Articles left after collapsing those that share copied text (connected by ``copies``)."""
    parent = {a.id: a.id for a in story.articles}

    def find(item: str) -> str:
        while parent[item] != item:
            parent[item] = parent[parent[item]]
            item = parent[item]
        return item

    for article in story.articles:
        for other in article.copies:
            if other in parent:
                parent[find(other)] = find(article.id)
    return len({find(a) for a in parent})


# --------------------------------------------------------------------------- writing


def save_report(store: Store, story_id: str, version: str, report: Report) -> None:
    """Keep ``report`` as the report of ``story_id`` at version ``version`` (replacing an older one),
    with its HTML page rendered once here, so serving it never renders it again."""
    from accord.render import to_html, to_json

    story = report.stories[0] if report.stories else Story(id=story_id, title="", articles=())
    row = {
        "story_id": story_id, "fingerprint": version, "size": len(story.articles),
        "computed_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "generated_by": report.generated_by, "facts": len(story.facts),
        "discrepancies": len(story.discrepancies),
        "conflicts": sum(1 for d in story.discrepancies if d.conflict),
        "independent": independent_sources(story), "report": to_json(report),
        "html": to_html(report) if report.stories else None,
    }
    statement = store._insert(story_reports)  # noqa: SLF001 - the store's dialect-aware upsert
    statement = statement.on_conflict_do_update(
        index_elements=["story_id"], set_={c.name: statement.excluded[c.name] for c in story_reports.c
                                           if c.name != "story_id"})
    with store.engine.begin() as connection:
        connection.execute(statement, [row])


def refresh_reports(
    db_url: str,
    *,
    story_ids: Sequence[str] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> RefreshSummary:
    """Compute the report of every story (or of ``story_ids``) whose stored one is missing or outdated.

    Each report is written as soon as it is computed, so an interrupted run keeps what it
    finished. A story that fails is named in ``failed`` with its reason; the rest go on.
    ``progress(done, total)`` is called after each story.
    """
    from accord.pipeline import build_report

    started = time.perf_counter()
    failed: list[tuple[str, str]] = []
    with Store.open(db_url) as store:
        with store.engine.connect() as connection:
            stale = stale_stories(connection)
            total = int(connection.execute(sa.select(sa.func.count()).select_from(stories)).scalar_one())
        if story_ids is not None:
            wanted = set(story_ids)
            stale = [story_id for story_id in stale if story_id in wanted]
        computed = 0
        for done, story_id in enumerate(stale, 1):
            try:
                computed += _refresh_one(store, story_id, build_report)
            except Exception as exc:  # noqa: BLE001 - one bad story never halts the rest
                log.warning("story %s: report failed: %s: %s", story_id, type(exc).__name__, exc)
                failed.append((story_id, f"{type(exc).__name__}: {exc}"))
            if progress is not None:
                progress(done, len(stale))
    return RefreshSummary(computed=computed, current=total - len(stale), seconds=time.perf_counter() - started,
                          failed=tuple(failed))


def _refresh_one(store: Store, story_id: str, build: Callable[..., Report]) -> int:
    """Compute and keep one story's report; 0 when the story is gone or empty."""
    with store.engine.connect() as connection:
        version = fingerprint(connection, story_id)
    row = store.story_row(story_id)
    if version is None or row is None:
        return 0
    report = build(store.story_articles(story_id), story_id=story_id, title=row["title"])
    save_report(store, story_id, version, report)
    log.info("story %s: report computed (%d articles)", story_id, row["size"])
    return 1
