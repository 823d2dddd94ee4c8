"""A JSON Lines or WARC file an ingest stopped part way through is read on from where it stopped."""

from __future__ import annotations

import json
import os
import random
import sqlite3
from collections import Counter
from pathlib import Path

import pytest

from accord import corpus
from accord.corpus import IngestInterrupted, ingest
from accord.ingest import records

from .builders import html_page, warc_bytes

_WORDS = ("harbour council river station bridge school market railway hospital library factory museum "
          "festival election budget tunnel airport ferry stadium orchard quarry mill theatre garden").split()


def _records(count: int, *, seed: int = 11) -> list[dict[str, str]]:
    rng = random.Random(seed)
    rows = []
    for index in range(count):
        words = [rng.choice(_WORDS) for _ in range(40)]
        rows.append({"title": f"Record {index} on the {words[0]}",
                     "text": f"Item {index}: the {' '.join(words[:20])}.\n\nThen {' '.join(words[20:])} ({index}).",
                     "published": "2024-05-07"})
    return rows


def _jsonl(path: Path, count: int) -> Path:
    path.write_text("".join(json.dumps(row) + "\n" for row in _records(count)), encoding="utf-8")
    return path


def _stop_after(monkeypatch: pytest.MonkeyPatch, batches: int) -> None:
    """Make the ingest stop as Ctrl-C would, right after its ``batches``-th batch is written."""
    original = corpus._CorpusState.commit
    written = Counter[str]()

    def commit(self: corpus._CorpusState, *args: object, **kwargs: object) -> Counter[str]:
        result = original(self, *args, **kwargs)  # type: ignore[arg-type]
        written["batches"] += 1
        if written["batches"] == batches:
            raise KeyboardInterrupt
        return result

    monkeypatch.setattr(corpus._CorpusState, "commit", commit)


def _count_parsed(monkeypatch: pytest.MonkeyPatch) -> Counter[int]:
    """Count the JSON Lines lines parsed, by line number."""
    parsed: Counter[int] = Counter()
    original = records.jsonl_line

    def counting(path: Path, number: int, *args: object, **kwargs: object) -> object:
        parsed[number] += 1
        return original(path, number, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(records, "jsonl_line", counting)
    return parsed


def _article_ids(db_path: Path) -> list[str]:
    with sqlite3.connect(db_path) as connection:
        return [row[0] for row in connection.execute("SELECT article_id FROM articles")]


def test_an_interrupted_jsonl_goes_on_from_the_last_line_stored(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    count = 300
    path = _jsonl(tmp_path / "wire.jsonl", count)
    db_path = tmp_path / "r.db"
    _stop_after(monkeypatch, 2)
    with pytest.raises(IngestInterrupted, match="goes on from where it stopped"):
        ingest([path], db_url=str(db_path), workers=1, batch_size=100, consolidate=False)
    saved = len(_article_ids(db_path))
    assert 0 < saved < count
    monkeypatch.undo()
    parsed = _count_parsed(monkeypatch)
    summary = ingest([path], db_url=str(db_path), workers=1, batch_size=100)
    assert (summary.new, summary.already_stored, summary.resumed) == (count - saved, 0, 1)
    assert sorted(parsed) == list(range(saved + 1, count + 1)), "lines before the offset were parsed again"
    assert set(parsed.values()) == {1}
    assert "(1 resumed where an earlier run stopped)" in summary.describe()
    ids = _article_ids(db_path)
    assert len(ids) == len(set(ids)) == count
    assert set(ids) == {f"wire:{n}" for n in range(1, count + 1)}
    again = ingest([path], db_url=str(db_path), workers=1)
    assert (again.read, again.unchanged, again.resumed) == (0, 1, 0)


def test_a_file_changed_since_the_interruption_is_read_from_the_start(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    path = _jsonl(tmp_path / "wire.jsonl", 200)
    db_path = tmp_path / "r.db"
    _stop_after(monkeypatch, 1)
    with pytest.raises(IngestInterrupted):
        ingest([path], db_url=str(db_path), workers=1, batch_size=50, consolidate=False)
    saved = len(_article_ids(db_path))
    monkeypatch.undo()
    with path.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps({"title": "A late line", "text": "A late line about the Arlen ferry, added."}) + "\n")
    summary = ingest([path], db_url=str(db_path), workers=1, batch_size=50)
    assert (summary.resumed, summary.already_stored, summary.new) == (0, saved, 201 - saved)


def test_reread_reads_a_part_read_file_from_the_start(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _jsonl(tmp_path / "wire.jsonl", 150)
    db_path = tmp_path / "r.db"
    _stop_after(monkeypatch, 1)
    with pytest.raises(IngestInterrupted):
        ingest([path], db_url=str(db_path), workers=1, batch_size=50, consolidate=False)
    monkeypatch.undo()
    summary = ingest([path], db_url=str(db_path), workers=1, reread=True)
    assert (summary.read, summary.resumed) == (150, 0)


def test_an_interrupted_warc_goes_on_from_the_next_record(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pages = [(f"https://news.example/{n}", html_page(row["title"], row["text"]))
             for n, row in enumerate(_records(40))]
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(warc_bytes(pages))
    db_path = tmp_path / "w.db"
    monkeypatch.setattr(corpus, "_CHUNK", 4)
    _stop_after(monkeypatch, 2)
    with pytest.raises(IngestInterrupted):
        ingest([path], db_url=str(db_path), workers=1, batch_size=8, consolidate=False)
    saved = len(_article_ids(db_path))
    assert 0 < saved < len(pages)
    monkeypatch.undo()
    summary = ingest([path], db_url=str(db_path), workers=1, batch_size=8)
    assert (summary.new, summary.already_stored, summary.resumed) == (len(pages) - saved, 0, 1)
    assert len(_article_ids(db_path)) == len(pages)


def test_progress_advances_inside_one_big_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _jsonl(tmp_path / "wire.jsonl", 300)
    steps: list[tuple[int, int]] = []
    original = corpus._Progress.advance

    def recording(self: corpus._Progress, done: int, count: int) -> None:
        steps.append((done, count))
        original(self, done, count)

    monkeypatch.setattr(corpus._Progress, "advance", recording)
    ingest([path], db_url=str(tmp_path / "p.db"), workers=1, batch_size=100)
    moving = [step for step in steps if step[0] > 0]
    assert len(moving) >= 300 // corpus._LINES, "the bar moved only when the whole file was read"
    assert sum(done for done, _ in steps) == os.path.getsize(path)
    assert [count for _, count in moving] == sorted(count for _, count in moving)
    assert moving[0][1] == corpus._LINES  # articles read so far, shown beside the bar
