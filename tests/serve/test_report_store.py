"""Stored reports: one per version of a story, outdated when the story gains an article, refreshed on demand."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import jsonschema
import sqlalchemy as sa

from accord.corpus import ingest
from accord.report_store import fingerprint, load_stored_report, refresh_reports, stale_stories
from accord.schema import load_schema
from accord.store import Store, story_reports

from .builders import QUARRY


def _quarry_story(store: Store) -> str:
    return next(row["id"] for row in store.story_rows() if "Dunmore" in row["title"])


def test_every_story_has_a_current_report_valid_against_the_contract(built_store: Path) -> None:
    with Store.open(str(built_store)) as store:
        ids = [row["id"] for row in store.story_rows()]
        with store.engine.connect() as connection:
            assert stale_stories(connection) == []
        for story_id in ids:
            stored = load_stored_report(store.engine, story_id)
            assert stored is not None and stored.current
            assert stored.report.stories[0].id == story_id
            jsonschema.validate(json.loads(_report_text(store, story_id)), load_schema())


def _report_text(store: Store, story_id: str) -> str:
    with store.engine.connect() as connection:
        return connection.execute(sa.select(story_reports.c.report)
                                  .where(story_reports.c.story_id == story_id)).scalar_one()


def test_the_counts_kept_beside_a_report_match_it(built_store: Path) -> None:
    with Store.open(str(built_store)) as store:
        story_id = _quarry_story(store)
        stored = load_stored_report(store.engine, story_id)
        with store.engine.connect() as connection:
            row = connection.execute(sa.select(story_reports).where(story_reports.c.story_id == story_id)).one()
    story = stored.report.stories[0]
    assert row.conflicts == sum(d.conflict for d in story.discrepancies) >= 1
    assert (row.size, row.independent, row.facts) == (2, 2, len(story.facts))


def test_a_story_that_gains_an_article_has_an_outdated_report_until_refreshed(store_copy: Path,
                                                                             tmp_path: Path) -> None:
    db = str(store_copy)
    with Store.open(db) as store:
        story_id = _quarry_story(store)
        with store.engine.connect() as connection:
            before = fingerprint(connection, story_id)
    title, body = QUARRY[1]
    extra = tmp_path / "more" / "quarry-2.txt"
    extra.parent.mkdir()
    extra.write_text(f"{title} update\n\n{body} Seven workers were injured, Keswick Stone said later.\n",
                     encoding="utf-8")
    ingest([extra.parent], db_url=db, workers=1)
    with Store.open(db) as store:
        assert _quarry_story(store) == story_id
        with store.engine.connect() as connection:
            assert fingerprint(connection, story_id) != before
            assert stale_stories(connection) == [story_id]
        stored = load_stored_report(store.engine, story_id)
        assert stored is not None and not stored.current and stored.size == 2
    summary = refresh_reports(db)
    assert (summary.computed, summary.failed) == (1, ())
    with Store.open(db) as store:
        stored = load_stored_report(store.engine, story_id)
        assert stored is not None and stored.current and stored.size == 3


def test_the_search_index_follows_the_articles(built_store: Path) -> None:
    with sqlite3.connect(f"file:{built_store}?mode=ro", uri=True) as connection:
        hits = connection.execute("SELECT a.title FROM articles_fts JOIN articles a ON a.seq = articles_fts.rowid "
                                  "WHERE articles_fts MATCH 'lacquered' ORDER BY bm25(articles_fts)").fetchall()
        count = connection.execute("SELECT count(*) FROM articles_fts").fetchone()[0]
        total = connection.execute("SELECT count(*) FROM articles").fetchone()[0]
    assert len(hits) == 3 and count == total
