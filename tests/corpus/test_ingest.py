"""Corpus mode end to end: a mixed folder into a store, stories, idempotence, resumption after a kill."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from accord.corpus import ingest, load_story, print_stories
from accord.errors import InputError, StoreError
from accord.store import Store

from .builders import many_articles, mixed_folder


def _run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "accord.cli", *args], capture_output=True, text=True,
                          timeout=600, check=False, cwd=cwd)


def _stories_by_title(db: str) -> dict[str, set[str]]:
    with Store.open(db) as store:
        stories = {}
        for row in store.story_rows():
            stories[row["id"]] = {a.title for a in store.story_articles(row["id"])}
    return stories


def test_mixed_folder_ingests_into_sensible_stories(tmp_path: Path) -> None:
    folder = mixed_folder(tmp_path)
    db = f"sqlite:///{tmp_path / 'news.db'}"
    summary = ingest([folder], db_url=db, workers=2)
    assert summary.skipped == ()
    assert summary.read == summary.new == 7
    assert summary.copies == 1  # the crawled copy of a Brennick article
    stories = list(_stories_by_title(db).values())
    brennick = [s for s in stories if any("Brennick" in t for t in s)]
    tarnford = [s for s in stories if any("Tarnford" in t for t in s)]
    assert len(brennick) == 1 and len(tarnford) == 1
    assert len(tarnford[0]) == 3
    assert not any("Tarnford" in t for t in brennick[0])
    assert any("Harlow" in t for s in stories for t in s if s not in (brennick[0], tarnford[0]))
    assert "7 new" in summary.describe()


def test_reingesting_is_a_no_op(tmp_path: Path) -> None:
    folder = mixed_folder(tmp_path)
    db = str(tmp_path / "news.db")  # a bare path is a SQLite file
    ingest([folder], db_url=db, workers=1)
    before = _stories_by_title(db)
    again = ingest([folder], db_url=db, workers=1, reread=True)
    assert again.new == 0 and again.already_stored == 7 and again.stories_new == 0
    assert again.stories_grown == 0
    assert _stories_by_title(db) == before
    with Store.open(db) as store:
        assert store.count() == 7


def test_a_store_keeps_the_grouping_settings_it_was_built_with(tmp_path: Path) -> None:
    from accord.corpus import _group_options
    from accord.group import GroupOptions

    folder = mixed_folder(tmp_path)
    db = str(tmp_path / "news.db")
    ingest([folder], db_url=db, workers=1, group_options=GroupOptions(threshold=0.3, window_days=1))
    with Store.open(db) as store:
        assert _group_options(store, None) == GroupOptions(threshold=0.3, window_days=1)
        assert _group_options(store, GroupOptions()) == GroupOptions()


def test_a_later_ingest_joins_existing_stories(tmp_path: Path) -> None:
    folder = mixed_folder(tmp_path)
    first, later = tmp_path / "first", tmp_path / "later"
    first.mkdir()
    later.mkdir()
    for path in folder.iterdir():
        (later if path.name == "brennick-2.txt" else first).joinpath(path.name).write_bytes(path.read_bytes())
    db = str(tmp_path / "news.db")
    ingest([first], db_url=db, workers=1)
    summary = ingest([later], db_url=db, workers=1)
    assert summary.new == 1 and summary.stories_new == 0 and summary.stories_touched == 1
    brennick = [s for s in _stories_by_title(db).values() if any("Brennick" in t for t in s)]
    assert len(brennick) == 1 and "Three hurt as blaze guts Brennick paper store" in brennick[0]


def test_load_story_and_unknown_ids(tmp_path: Path) -> None:
    folder = mixed_folder(tmp_path)
    db = str(tmp_path / "news.db")
    ingest([folder], db_url=db, workers=1)
    with Store.open(db) as store:
        row = next(r for r in store.story_rows() if r["size"] == 3 and "Tarnford" in r["title"])
    title, articles = load_story(db, row["id"])
    assert title == row["title"] and len(articles) == 3
    assert all(a.text and a.title for a in articles)
    with pytest.raises(StoreError, match="accord stories"):
        load_story(db, "story-0000")
    with pytest.raises(StoreError, match="accord ingest"):
        load_story(str(tmp_path / "missing.db"), row["id"])


def test_standard_input_is_ingested(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    text = "Ferry to Inchmore resumes\n\nThe ferry between Portgrave and Inchmore sailed again on Saturday.\n"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode("utf-8"))))
    summary = ingest(["-"], db_url=str(tmp_path / "s.db"), workers=1)
    assert summary.new == 1
    with Store.open(str(tmp_path / "s.db")) as store:
        assert store.story_rows()[0]["title"] == "Ferry to Inchmore resumes"


def test_missing_input_raises(tmp_path: Path) -> None:
    with pytest.raises(InputError):
        ingest([tmp_path / "nowhere"], db_url=str(tmp_path / "x.db"), workers=1)


def test_print_stories_lists_newest_first(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = mixed_folder(tmp_path)
    db = str(tmp_path / "news.db")
    ingest([folder], db_url=db, workers=1)
    print_stories(db, limit=10)
    out = capsys.readouterr().out
    assert "Tarnford" in out and "Brennick" in out
    assert out.index("2024-05-07 – 2024-05-08") < out.index("Harlow")


@pytest.mark.slow
def test_cli_ingest_stories_and_report_as_a_new_user(tmp_path: Path) -> None:
    folder = mixed_folder(tmp_path)
    db = f"sqlite:///{tmp_path / 'news.db'}"
    ingested = _run("ingest", str(folder), "--db", db)
    assert ingested.returncode == 0, ingested.stderr
    assert "7 new" in ingested.stderr
    listed = _run("stories", "--db", db)
    assert listed.returncode == 0 and "Tarnford" in listed.stdout
    with Store.open(db) as store:
        story = next(r for r in store.story_rows() if "Tarnford" in r["title"])
    report = _run("report", "--db", db, "--story", story["id"], "--format", "json")
    assert report.returncode == 0, report.stderr
    import json

    data = json.loads(report.stdout)
    assert data["stories"][0]["id"] == story["id"]
    assert len(data["stories"][0]["articles"]) == 3
    unknown = _run("report", "--db", db, "--story", "story-nope")
    assert unknown.returncode == 4 and "accord stories" in unknown.stderr


@pytest.mark.slow
def test_an_ingest_killed_midway_resumes_with_nothing_lost_or_doubled(tmp_path: Path) -> None:
    count = 2500
    many_articles(tmp_path / "in", count)
    db_path = tmp_path / "kill.db"
    process = subprocess.Popen(
        [sys.executable, "-m", "accord.cli", "ingest", str(tmp_path / "in"), "--db", str(db_path)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
    )
    stored = 0
    deadline = time.monotonic() + 300
    try:
        while time.monotonic() < deadline and process.poll() is None:
            stored = _stored(db_path)
            if stored > 0:
                break
            time.sleep(0.05)
        assert process.poll() is None, "the ingest finished before it could be killed"
        os.killpg(process.pid, signal.SIGKILL)
    finally:
        process.wait(timeout=60)
    assert 0 < stored < count
    partial = _stored(db_path)
    assert 0 < partial < count
    resumed = _run("ingest", str(tmp_path / "in"), "--db", str(db_path))
    assert resumed.returncode == 0, resumed.stderr
    assert f"({partial} already ingested in full and unchanged: not read again)" in resumed.stderr
    assert f"{count - partial} new, 0 already stored" in resumed.stderr
    with sqlite3.connect(db_path) as connection:
        rows = connection.execute("SELECT input, COUNT(*) FROM articles GROUP BY input").fetchall()
        stories_size = connection.execute("SELECT SUM(size) FROM stories").fetchone()[0]
    assert len(rows) == count and all(n == 1 for _, n in rows)
    assert {Path(name).name for name, _ in rows} == {f"a{i:05d}.txt" for i in range(count)}
    assert stories_size == count


def _stored(db_path: Path) -> int:
    if not db_path.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=1) as connection:
            return int(connection.execute("SELECT COUNT(*) FROM articles").fetchone()[0])
    except sqlite3.Error:
        return 0
