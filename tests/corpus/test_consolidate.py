"""Consolidation: ingest revisits the index's placements with the batch method, keeping story ids."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from accord.corpus import ingest, load_story
from accord.corroborate.copies import content_key
from accord.errors import StoreError
from accord.group import story_id_for
from accord.store import Store

from .builders import DAM, unlucky_order


def _stories(db: str) -> dict[str, set[str]]:
    with Store.open(db) as store:
        return {row["id"]: {a.title for a in store.story_articles(row["id"])} for row in store.story_rows()}


def _consistent(db_path: Path) -> None:
    """Every article's story exists, every story has articles, and sizes add up."""
    with sqlite3.connect(db_path) as connection:
        orphans = connection.execute(
            "SELECT COUNT(*) FROM articles WHERE story_id NOT IN (SELECT id FROM stories)").fetchone()[0]
        empty = connection.execute(
            "SELECT COUNT(*) FROM stories WHERE id NOT IN (SELECT story_id FROM articles)").fetchone()[0]
        sizes = connection.execute(
            "SELECT s.id, s.size, COUNT(a.key) FROM stories s JOIN articles a ON a.story_id = s.id GROUP BY s.id"
        ).fetchall()
    assert orphans == 0 and empty == 0
    assert all(size == count for _, size, count in sizes)


DAM_TITLES = {title for title, _ in DAM.values()}
FIRST_DAM_STORY = story_id_for(content_key(DAM["first"][1]))


def test_the_index_alone_splits_the_event_when_reports_arrive_in_an_unlucky_order(tmp_path: Path) -> None:
    db = str(tmp_path / "news.db")
    summary = ingest([unlucky_order(tmp_path / "in")], db_url=db, workers=1, batch_size=1, consolidate=False)
    assert summary.moved == 0
    dam = [titles for titles in _stories(db).values() if titles & DAM_TITLES]
    assert len(dam) == 2


def test_consolidation_joins_the_split_event_under_the_older_story_id(tmp_path: Path) -> None:
    db = str(tmp_path / "news.db")
    summary = ingest([unlucky_order(tmp_path / "in")], db_url=db, workers=1, batch_size=1)
    assert summary.moved >= 1 and summary.merged == 1 and summary.split == 0
    assert summary.total_stories == 2
    stories = _stories(db)
    assert stories[FIRST_DAM_STORY] == DAM_TITLES
    assert "consolidation moved" in summary.describe()
    _consistent(tmp_path / "news.db")


def test_a_merged_story_id_leads_to_the_story_that_took_its_articles(tmp_path: Path) -> None:
    db = str(tmp_path / "news.db")
    ingest([unlucky_order(tmp_path / "in")], db_url=db, workers=1, batch_size=1, consolidate=False)
    split_off = next(story_id for story_id, titles in _stories(db).items()
                     if titles & DAM_TITLES and story_id != FIRST_DAM_STORY)
    ingest([tmp_path / "in"], db_url=db, workers=1)
    with Store.open(db) as store:
        assert store.story_row(split_off) is None
        assert store.merged_into(split_off) == FIRST_DAM_STORY
    with pytest.raises(StoreError, match=f"merged into {FIRST_DAM_STORY}"):
        load_story(db, split_off)


def test_running_again_changes_nothing(tmp_path: Path) -> None:
    db = str(tmp_path / "news.db")
    ingest([unlucky_order(tmp_path / "in")], db_url=db, workers=1, batch_size=1)
    before = _stories(db)
    again = ingest([tmp_path / "in"], db_url=db, workers=1, batch_size=1)
    assert again.new == 0 and again.moved == 0
    assert _stories(db) == before


def test_an_interrupted_consolidation_leaves_the_store_as_it_was_and_the_next_run_completes_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = str(tmp_path / "news.db")
    ingest([unlucky_order(tmp_path / "in")], db_url=db, workers=1, batch_size=1, consolidate=False)
    placed = _stories(db)
    original = Store._insert
    calls = []

    def failing_insert(self: Store, table):  # type: ignore[no-untyped-def]
        # Fails once the articles have been moved, inside the consolidation's transaction.
        if table.name == "stories":
            calls.append(table.name)
            raise RuntimeError("killed mid-way")
        return original(self, table)

    monkeypatch.setattr(Store, "_insert", failing_insert)
    with pytest.raises(RuntimeError, match="killed mid-way"):
        ingest([tmp_path / "in"], db_url=db, workers=1)
    assert calls
    monkeypatch.setattr(Store, "_insert", original)
    assert _stories(db) == placed
    _consistent(tmp_path / "news.db")
    resumed = ingest([tmp_path / "in"], db_url=db, workers=1)
    assert resumed.new == 0 and resumed.merged == 1
    assert _stories(db)[FIRST_DAM_STORY] == DAM_TITLES
    _consistent(tmp_path / "news.db")


def test_long_runs_consolidate_every_few_batches(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from accord import corpus

    passes = []
    original = corpus._CorpusState.consolidate

    def counting(self, store):  # type: ignore[no-untyped-def]
        passes.append(len(self.unconsolidated))
        return original(self, store)

    monkeypatch.setattr(corpus._CorpusState, "consolidate", counting)
    monkeypatch.setattr(corpus, "_CHUNK", 1)  # one file per read task, so one article per batch
    db = str(tmp_path / "n.db")
    ingest([unlucky_order(tmp_path / "in")], db_url=db, workers=1, batch_size=1, consolidate_every=2)
    # After batches 2 and 4, each with the two stories grown since the pass before, and at the end.
    assert passes == [2, 2, 1]
    assert _stories(db)[FIRST_DAM_STORY] == DAM_TITLES
    _consistent(tmp_path / "n.db")


def test_consolidation_settings_reject_nonsense(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="consolidate_every"):
        ingest([unlucky_order(tmp_path / "in")], db_url=str(tmp_path / "n.db"), consolidate_every=0)


@pytest.mark.slow
def test_cli_no_consolidate_keeps_the_index_placements(tmp_path: Path) -> None:
    folder = unlucky_order(tmp_path / "in")
    db = str(tmp_path / "news.db")
    run = subprocess.run([sys.executable, "-m", "accord.cli", "ingest", str(folder), "--db", db,
                          "--workers", "1", "--no-consolidate"], capture_output=True, text=True, timeout=600,
                         check=False)
    assert run.returncode == 0, run.stderr
    assert len([t for t in _stories(db).values() if t & DAM_TITLES]) == 2
    assert "consolidation moved" not in run.stderr
    run = subprocess.run([sys.executable, "-m", "accord.cli", "ingest", str(folder), "--db", db,
                          "--workers", "1"], capture_output=True, text=True, timeout=600, check=False)
    assert run.returncode == 0, run.stderr
    assert len([t for t in _stories(db).values() if t & DAM_TITLES]) == 1
