"""accord stories and accord export for scripts: formats, filters, limits, clean names, resumable export."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from accord.corpus import StoryFilter, clean_entities, export_reports, ingest, list_stories, print_stories


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> str:
    from mixed_stories import write_mixed

    root = tmp_path_factory.mktemp("stories")
    folder = write_mixed(root / "mixed")
    # Two of them as dated records of named outlets.
    records = [
        {"id": "fire-web", "title": "Marrow Quay warehouse fire injures fourteen", "source": "Coastal Press",
         "published": "2024-03-04", "text": "Fourteen people were injured when a fire destroyed a cold-storage "
         "warehouse on Marrow Quay in Lowhaven on Sunday night. Fire chief Dana Okafor said the roof fell in."},
        {"id": "budget-web", "title": "Lowhaven budget passes 21 to 9", "source": "Civic Record",
         "published": "2024-03-07", "text": "Lowhaven council passed a budget of 48 million pounds by 21 votes "
         "to 9 on Wednesday, raising parking fees. Council leader Graham Pike defended the sea wall repairs."},
    ]
    (folder / "web.jsonl").write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
    db = str(root / "s.db")
    ingest([folder], db_url=db, workers=1)
    return db


def test_formats_for_scripts(store: str, capsys: pytest.CaptureFixture[str]) -> None:
    print_stories(store, limit=0, fmt="json")
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == 4 and set(rows[0]) == {"id", "title", "size", "first_published", "last_published",
                                               "sources", "entities"}
    print_stories(store, limit=0, fmt="jsonl")
    lines = capsys.readouterr().out.splitlines()
    assert [json.loads(line)["id"] for line in lines] == [row["id"] for row in rows]
    print_stories(store, limit=2, fmt="tsv")
    table = list(csv.reader(io.StringIO(capsys.readouterr().out), delimiter="\t"))
    assert table[0][:3] == ["id", "title", "size"] and len(table) == 3
    assert rows[0]["last_published"] == "2024-03-07"  # newest first


def test_filters(store: str) -> None:
    def titles(**given: object) -> list[str]:
        rows, _, _ = list_stories(store, StoryFilter(**given))  # type: ignore[arg-type]
        return [row["title"] for row in rows]

    assert len(titles()) == 4
    assert len(titles(search="marrow quay")) == 1 and "Marrow Quay" in titles(search="marrow quay")[0]
    assert len(titles(source="civic")) == 1 and "budget" in titles(source="civic")[0].lower()
    assert len(titles(since="2024-03-05")) == 1
    assert len(titles(until="2024-03-05")) == 1
    assert titles(min_sources=2) == []
    assert len(titles(limit=1)) == 1 and len(titles(limit=0)) == 4


def test_limit_zero_lists_every_story_and_a_negative_limit_is_refused(store: str) -> None:
    run = subprocess.run([sys.executable, "-m", "accord.cli", "stories", "--db", store, "--limit", "0",
                          "--format", "jsonl"], capture_output=True, text=True, timeout=300, check=False)
    assert run.returncode == 0, run.stderr
    assert len(run.stdout.splitlines()) == 4
    with pytest.raises(ValueError, match="limit"):
        StoryFilter(limit=-1)


def test_entity_fragments_are_cleaned() -> None:
    assert clean_entities(["chief fire", "brands unveil", "dana okafor", "owner marta", "marta velasquez",
                           "lowhaven", "dana okafor"]) == ["brands", "dana okafor", "marta", "marta velasquez",
                                                           "lowhaven"]


def test_export_writes_every_story_and_a_rerun_writes_nothing_again(store: str, tmp_path: Path) -> None:
    out = tmp_path / "reports"
    first = export_reports(store, out, fmt="json")
    assert (first.written, first.unchanged, first.failed) == (4, 0, ())
    files = sorted(out.glob("story-*.json"))
    assert len(files) == 4
    for file in files:
        data = json.loads(file.read_text("utf-8"))
        assert data["stories"][0]["id"] == file.stem
    files[0].unlink()  # as if an earlier run stopped before it
    again = export_reports(store, out, fmt="json")
    assert (again.written, again.unchanged) == (1, 3)
    assert "3 unchanged" in again.describe(out)
