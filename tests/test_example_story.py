"""End to end on the bundled example story: the report validates and is reproducible."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from accord.schema import validate_report

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "harbour-fire"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def report_json(tmp_path_factory: pytest.TempPathFactory) -> dict:
    out = tmp_path_factory.mktemp("report") / "report.json"
    result = subprocess.run(
        [sys.executable, "-m", "accord.cli", "report", str(EXAMPLE), "--format", "json", "-o", str(out)],
        capture_output=True, text=True, timeout=900, check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return json.loads(out.read_text("utf-8"))


def test_real_report_validates_against_the_schema(report_json: dict) -> None:
    assert validate_report(report_json) == []


def test_schema_rejects_a_broken_report(report_json: dict) -> None:
    broken = json.loads(json.dumps(report_json))
    del broken["stories"][0]["articles"][0]["text"]
    broken["stories"][0]["discrepancies"] = [{"id": "x", "kind": "guess"}]
    errors = validate_report(broken)
    assert any("text" in e for e in errors)
    assert any("kind" in e or "conflict" in e for e in errors)


def test_every_example_article_is_reported(report_json: dict) -> None:
    expected = json.loads((EXAMPLE.parent / "harbour-fire.expected.json").read_text("utf-8"))
    reported = {a["id"] for a in report_json["stories"][0]["articles"]}
    expected_ids = set(expected["articles"]) if isinstance(expected.get("articles"), dict) else {
        a["id"] for a in expected["articles"]
    }
    assert reported == expected_ids


def test_every_summary_sentence_cites_sources(report_json: dict) -> None:
    story = report_json["stories"][0]
    ids = {a["id"] for a in story["articles"]}
    assert 1 <= len(story["summary"]) <= 8
    for sentence in story["summary"]:
        assert sentence["articles"], sentence
        assert set(sentence["articles"]) <= ids


def test_evidence_offsets_point_into_the_cleaned_text(report_json: dict) -> None:
    story = report_json["stories"][0]
    texts = {a["id"]: a["text"] for a in story["articles"]}
    evidence = [e for f in story["facts"] for e in f["evidence"]]
    evidence += [e for d in story["discrepancies"] for v in d["values"] for e in v["evidence"]]
    assert evidence
    for item in evidence:
        assert texts[item["article"]][item["start"]:item["end"]] == item["sentence"]


def test_same_input_gives_byte_identical_json(tmp_path: Path, report_json: dict) -> None:
    out = tmp_path / "again.json"
    subprocess.run(
        [sys.executable, "-m", "accord.cli", "report", str(EXAMPLE), "--format", "json", "-o", str(out)],
        capture_output=True, text=True, timeout=900, check=True,
    )
    assert json.loads(out.read_text("utf-8")) == report_json
    first = json.dumps(report_json, ensure_ascii=False, indent=2) + "\n"
    assert out.read_text("utf-8") == first
