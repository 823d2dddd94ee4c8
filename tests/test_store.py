"""The corpus store: migrations on open, idempotent batch writes, stories newest first."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from accord.errors import StoreError
from accord.store import Store, normalize_url


def _article(key: str, seq: int, story: str, *, title: str = "A title", article_id: str = "a") -> dict:
    return {
        "key": key, "seq": seq, "article_id": article_id, "title": title, "text": f"Body {key}.",
        "source": "example.org", "url": None, "published": "2024-05-07", "published_from": "metadata",
        "updated": None, "language": "en", "dateline": None,
        "removed": json.dumps([["Read more", "navigation"]]), "input": f"{key}.txt",
        "story_id": story, "copy_of": None, "minhash": b"\x00" * 8, "features": "{}", "vector": "{}",
    }


def _story(story_id: str, last: str | None, last_seq: int, size: int = 1) -> dict:
    return {"id": story_id, "title": f"Story {story_id}", "size": size, "first_published": last,
            "last_published": last, "sources": ["example.org"], "entities": ["arlen"],
            "first_seq": 0, "last_seq": last_seq}


def test_opening_runs_the_migrations(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    Store.open(str(path)).close()
    with sqlite3.connect(path) as connection:
        tables = {r[0] for r in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        version = connection.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    assert {"articles", "stories", "settings", "alembic_version"} <= tables
    assert version == "0001"
    Store.open(str(path)).close()  # a second open finds the schema up to date


def test_writing_a_batch_twice_changes_nothing(tmp_path: Path) -> None:
    with Store.open(f"sqlite:///{tmp_path / 's.db'}") as store:
        rows = [_article("k1", 0, "s1"), _article("k2", 1, "s1")]
        store.write_batch(rows, [_story("s1", "2024-05-07", 1, size=2)])
        store.write_batch(rows, [_story("s1", "2024-05-07", 1, size=2)])
        assert store.count() == 2
        assert store.next_seq() == 2
        assert [r.key for r in store.iter_state(batch_size=1)] == ["k1", "k2"]
        assert store.story_row("s1")["size"] == 2


def test_story_articles_rebuild_articles_with_unique_ids(tmp_path: Path) -> None:
    with Store.open(str(tmp_path / "s.db")) as store:
        store.write_batch([_article("k1", 0, "s1"), _article("k2", 1, "s1")], [_story("s1", None, 1)])
        articles = store.story_articles("s1")
    assert [a.id for a in articles] == ["a", "a-k2"]
    assert articles[0].removed[0].reason == "navigation"
    assert articles[0].published == "2024-05-07"


def test_stories_come_newest_first_then_undated(tmp_path: Path) -> None:
    with Store.open(str(tmp_path / "s.db")) as store:
        store.write_batch([], [_story("old", "2024-05-01", 5), _story("new", "2024-05-09", 1),
                               _story("undated", None, 9), _story("new-later", "2024-05-09", 3)])
        assert [r["id"] for r in store.story_rows()] == ["new-later", "new", "old", "undated"]
        assert [r["id"] for r in store.story_rows(limit=1)] == ["new-later"]
        assert store.story_row("old")["entities"] == ["arlen"]
        assert store.story_row("missing") is None


def test_urls_and_bad_stores() -> None:
    assert normalize_url("news.db") == "sqlite:///news.db"
    # Plain PostgreSQL URLs go through psycopg 3 (the postgres extra); an explicit driver stays.
    assert normalize_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalize_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalize_url("postgresql+psycopg2://u@h/db") == "postgresql+psycopg2://u@h/db"
    with pytest.raises(StoreError):
        Store.open("nosuchdialect://x")
    with pytest.raises(StoreError, match="cannot open"):
        Store.open("sqlite:////nonexistent-dir/sub/s.db")
