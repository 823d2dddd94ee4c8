"""One body, several outlets: every appearance is kept, listed and reported, and counted once."""

from __future__ import annotations

from pathlib import Path

import pytest

from accord.corpus import ingest, load_story, print_stories
from accord.store import Store

from .builders import WIRE_BODY, WIRE_OUTLETS, wire_copies

COURIER, ALPINE = WIRE_OUTLETS


def _only_story(db: str) -> dict:
    with Store.open(db) as store:
        rows = store.story_rows()
    assert len(rows) == 1
    return rows[0]


def _assert_both_outlets_kept(db: str) -> None:
    with Store.open(db) as store:
        assert store.count() == 1
        assert store.count_sightings() == 2
    story = _only_story(db)
    assert story["size"] == 2
    assert set(story["sources"]) == {COURIER["source"], ALPINE["source"]}
    assert (story["first_published"], story["last_published"]) == ("2024-09-12", "2024-09-13")
    _, articles = load_story(db, story["id"])
    assert [(a.id, a.source, a.url, a.published) for a in articles] == [
        (o["id"], o["source"], o["url"], o["published"]) for o in WIRE_OUTLETS
    ]
    assert [a.title for a in articles] == [o["title"] for o in WIRE_OUTLETS]
    assert articles[0].text == articles[1].text
    assert "Talia Brenk" in articles[1].text


def test_identical_bodies_from_two_outlets_in_one_run_are_both_kept(tmp_path: Path) -> None:
    wire_copies(tmp_path / "in")
    db = str(tmp_path / "s.db")
    summary = ingest([tmp_path / "in"], db_url=db, workers=1)
    # Files are read in name order: the Alpine Daily copy comes first.
    assert (summary.read, summary.new, summary.already_stored, summary.other_outlets) == (2, 1, 1, 1)
    assert summary.total_appearances == 2
    assert "1 new, 1 already stored (1 of them from another outlet), 0 copying another" in summary.describe()
    assert "the store holds 1 article (2 appearances) in 1 story" in summary.describe()
    with Store.open(db) as store:
        sources = [a.source for a in store.story_articles(_only_story(db)["id"])]
    assert sources == [ALPINE["source"], COURIER["source"]]


def test_identical_bodies_from_two_outlets_in_two_runs_are_both_kept(tmp_path: Path) -> None:
    courier, alpine = wire_copies(tmp_path / "in")
    db = str(tmp_path / "s.db")
    first = ingest([courier], db_url=db, workers=1)
    assert first.new == 1 and first.other_outlets == 0
    assert "from another outlet" not in first.describe() and "appearances" not in first.describe()
    story_before = _only_story(db)
    assert story_before["size"] == 1 and story_before["sources"] == [COURIER["source"]]
    second = ingest([alpine], db_url=db, workers=1)
    assert (second.new, second.already_stored, second.other_outlets) == (0, 1, 1)
    assert (second.stories_new, second.stories_touched) == (0, 1)
    assert "1 grown" in second.describe()
    assert _only_story(db)["id"] == story_before["id"]
    _assert_both_outlets_kept(db)


def test_reingesting_the_same_appearances_adds_nothing(tmp_path: Path) -> None:
    courier, alpine = wire_copies(tmp_path / "in")
    db = str(tmp_path / "s.db")
    ingest([courier], db_url=db, workers=1)
    ingest([alpine], db_url=db, workers=1)
    before = _only_story(db)
    # The folder, and one file named twice in the same run.
    again = ingest([tmp_path / "in", alpine], db_url=db, workers=1, reread=True)
    assert (again.read, again.new, again.already_stored, again.other_outlets) == (3, 0, 3, 0)
    assert again.stories_touched == 0
    assert _only_story(db) == before
    _assert_both_outlets_kept(db)


def test_the_same_file_named_twice_in_a_first_run_is_one_appearance(tmp_path: Path) -> None:
    courier, _ = wire_copies(tmp_path / "in")
    db = str(tmp_path / "s.db")
    summary = ingest([courier, courier], db_url=db, workers=1)
    assert (summary.new, summary.already_stored, summary.other_outlets) == (1, 1, 0)
    with Store.open(db) as store:
        assert store.count_sightings() == 1
    assert _only_story(db)["size"] == 1


def test_stories_list_every_outlet(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    wire_copies(tmp_path / "in")
    db = str(tmp_path / "s.db")
    ingest([tmp_path / "in"], db_url=db, workers=1)
    print_stories(db)
    out = capsys.readouterr().out
    assert COURIER["source"] in out and ALPINE["source"] in out
    assert "(1 article, 2 appearances in the store)" in out


def test_appearances_of_an_original_and_of_its_syndicated_copy_land_in_one_story(tmp_path: Path) -> None:
    wire_copies(tmp_path / "in")
    edited = tmp_path / "in" / "zz-gazette.txt"  # a lightly edited copy, a near-duplicate not an identical body
    edited.write_text(f"Pellmar Pass closed\n\n{WIRE_BODY} Buses will run over the Harn saddle instead.\n",
                      encoding="utf-8")
    db = str(tmp_path / "s.db")
    summary = ingest([tmp_path / "in"], db_url=db, workers=1)
    assert (summary.new, summary.copies, summary.other_outlets) == (2, 1, 1)
    story = _only_story(db)
    assert story["size"] == 3
    assert len(load_story(db, story["id"])[1]) == 3


@pytest.mark.slow
def test_the_report_shows_both_outlets_and_counts_them_as_one_source(tmp_path: Path) -> None:
    from accord.pipeline import report_from_store

    courier, alpine = wire_copies(tmp_path / "in")
    db = str(tmp_path / "s.db")
    ingest([courier], db_url=db, workers=1)
    ingest([alpine], db_url=db, workers=1)
    report = report_from_store(db, _only_story(db)["id"])
    story = report.stories[0]
    assert {a.source for a in story.articles} == {COURIER["source"], ALPINE["source"]}
    by_id = {a.id: a for a in story.articles}
    assert by_id[COURIER["id"]].copies == (ALPINE["id"],)
    assert by_id[ALPINE["id"]].copies == (COURIER["id"],)
    shared = [f for f in story.facts if set(f.articles) == {COURIER["id"], ALPINE["id"]}]
    assert shared, [f.statement for f in story.facts]
    assert all(f.independent_sources == 1 for f in shared)
