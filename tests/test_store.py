"""The corpus store: migrations on open, idempotent batch writes, stories newest first."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from accord.errors import StoreError
from accord.store import Store, normalize_url, sighting_ident, sighting_row, sightings


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
    assert {"articles", "sightings", "stories", "story_merges", "settings", "alembic_version"} <= tables
    assert version == "0006"
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


def _upgrade(url: str, revision: str) -> None:
    from alembic import command
    from alembic.config import Config

    import accord.store

    config = Config()
    config.set_main_option("script_location", str(Path(accord.store.__file__).parent / "migrations"))
    config.set_main_option("sqlalchemy.url", url)
    command.upgrade(config, revision)


def test_a_store_from_before_sightings_upgrades_with_each_article_as_its_first_appearance(tmp_path: Path) -> None:
    import sqlalchemy as sa

    url = f"sqlite:///{tmp_path / 'old.db'}"
    _upgrade(url, "0001")
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        assert "sightings" not in sa.inspect(connection).get_table_names()
        old = {**_article("k1", 0, "s1", title="Quarry reopens in Dunmarsh"), "url": "https://dunmarsh.example/q"}
        connection.execute(sa.table("articles", *(sa.column(name) for name in old)).insert(), [old])
        connection.execute(sa.text("INSERT INTO stories VALUES ('s1', 'Quarry', 1, NULL, NULL, '[]', '[]', 0, 0)"))
    engine.dispose()
    with Store.open(url) as store:
        assert store.count() == 1 and store.count_sightings() == 1
        with store.engine.connect() as connection:
            row = connection.execute(sa.select(sightings)).one()
        assert row.is_first and row.key == "k1" and row.source == "example.org"
        assert row.url == "https://dunmarsh.example/q" and row.title == "Quarry reopens in Dunmarsh"
        assert row.ident == sighting_ident("k1", "https://dunmarsh.example/q", "k1.txt", "a")
        assert [a.id for a in store.story_articles("s1")] == ["a"]
        # The backfilled row is the article's own appearance: writing the article again adds nothing.
        store.write_batch([old], [])
        assert store.count_sightings() == 1


def test_other_appearances_are_read_back_after_their_body(tmp_path: Path) -> None:
    from accord.models import Article

    with Store.open(str(tmp_path / "s.db")) as store:
        store.write_batch([_article("k1", 0, "s1"), _article("k2", 1, "s1")], [_story("s1", None, 1)])
        elsewhere = Article(id="a", title="Ferry strike ends", text="ignored: the stored body is used",
                            source="Harbour Gazette", url="https://gazette.example/ferry",
                            published="2024-05-09", published_from="metadata", input="gazette.json")
        rows = [sighting_row("k1", elsewhere), sighting_row("k1", Article(id="b", title="", text="", input="b.txt"))]
        store.write_batch([], [], sighting_rows=rows)
        store.write_batch([], [], sighting_rows=rows)  # written twice: nothing doubled
        assert store.count_sightings() == 4
        articles = store.story_articles("s1")
    assert [(a.id, a.source, a.input) for a in articles] == [
        ("a", "example.org", "k1.txt"),
        (f"a-{rows[0]['ident'][:8]}", "Harbour Gazette", "gazette.json"),  # the id clashed: suffixed
        ("b", None, "b.txt"),
        ("a-k2", "example.org", "k2.txt"),
    ]
    assert articles[1].text == articles[0].text == "Body k1."
    assert (articles[1].title, articles[1].url, articles[1].published) == (
        "Ferry strike ends", "https://gazette.example/ferry", "2024-05-09")
    assert articles[1].removed == () and articles[0].removed
    assert articles[2].title == "A title"  # no title of its own: the stored one


def test_an_appearance_is_identified_by_its_url_else_its_input_and_id() -> None:
    assert sighting_ident("k", "https://x.example/a", "one.warc", "p1") == sighting_ident(
        "k", "https://x.example/a", "two.warc", "p2")
    assert sighting_ident("k", "https://x.example/a", "f", "i") != sighting_ident("k", "https://x.example/b", "f", "i")
    assert sighting_ident("k", None, "f.txt", "i") != sighting_ident("k", None, "g.txt", "i")
    assert sighting_ident("k", None, "f.jsonl:1", "i") != sighting_ident("k", None, "f.jsonl:1", "j")
    assert sighting_ident("k", None, "f", "i") != sighting_ident("other", None, "f", "i")
    assert len(sighting_ident("k", None, None, "i")) == 32
