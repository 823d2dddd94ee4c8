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


@pytest.fixture(scope="module")
def expected() -> dict:
    return json.loads((EXAMPLE.parent / "harbour-fire.expected.json").read_text("utf-8"))


def _articles(report_json: dict) -> dict[str, dict]:
    return {a["id"]: a for a in report_json["stories"][0]["articles"]}


def test_dates_sources_and_copies_are_as_expected(report_json: dict, expected: dict) -> None:
    articles = _articles(report_json)
    for want in expected["articles"]:
        got = articles[want["id"]]
        for field in ("published", "published_from", "source", "copies"):
            if field in want:
                assert got[field] == want[field], (want["id"], field)


def test_boilerplate_is_removed_and_body_kept(report_json: dict, expected: dict) -> None:
    articles = _articles(report_json)
    for article_id, snippets in expected["removed"].items():
        removed = " ".join(r["text"] for r in articles[article_id]["removed"])
        for snippet in snippets:
            assert snippet in removed, (article_id, snippet)
            assert snippet not in articles[article_id]["text"], (article_id, snippet)
    for article_id, snippets in expected["kept"].items():
        for snippet in snippets:
            assert snippet in articles[article_id]["text"], (article_id, snippet)


def test_every_planted_discrepancy_is_found_with_its_sources(report_json: dict, expected: dict) -> None:
    found = report_json["stories"][0]["discrepancies"]
    for want in expected["discrepancies"]:
        matches = [
            d for d in found
            if d["kind"] == want["kind"] and {v["value"] for v in d["values"]} == set(want["values"])
        ]
        assert len(matches) == 1, want["about"]
        (got,) = matches
        assert got["conflict"] is want["conflict"], want["about"]
        for value in got["values"]:
            assert set(value["articles"]) <= set(want["values"][value["value"]]), want["about"]


def test_no_trap_is_reported_as_a_discrepancy(report_json: dict, expected: dict) -> None:
    planted = [set(d["values"]) for d in expected["discrepancies"]]
    for d in report_json["stories"][0]["discrepancies"]:
        assert {v["value"] for v in d["values"]} in planted, d["about"]


def test_quotes_carry_their_speakers(report_json: dict, expected: dict) -> None:
    quotes = report_json["stories"][0]["quotes"]
    for want in expected["quotes"]:
        assert any(want["contains"] in q["text"] and q["speaker"] == want["speaker"] for q in quotes), want


def test_timeline_and_unique_claims(report_json: dict, expected: dict) -> None:
    story = report_json["stories"][0]
    for want in expected["timeline"]:
        assert any(t["date"] == want["date"] and want["contains"] in t["event"].lower()
                   for t in story["timeline"]), want
    for want in expected["unique"]:
        assert any(u["article"] == want["article"] and want["contains"] in u["statement"]
                   for u in story["unique"]), want
