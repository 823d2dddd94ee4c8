"""accord align: statements in, one fact id a line out, in input order."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from accord.corroborate.align import AlignOptions, Statement, align_jsonl, align_rows, number_tokens


def test_number_tokens_normalise_digits_and_words() -> None:
    assert number_tokens("eight boats and 1,200 people, 2.50 each") == {"8", "1200", "2.5"}
    assert number_tokens("no numbers here") == frozenset()


def test_options_reject_nonsense() -> None:
    with pytest.raises(ValueError, match="threshold"):
        AlignOptions(threshold=3)
    with pytest.raises(ValueError):
        AlignOptions(threshold=0.5, support_threshold=0.6)


def test_bad_rows_get_an_error_not_a_crash(monkeypatch: pytest.MonkeyPatch) -> None:
    lines = "\n".join([
        json.dumps({"id": "x", "text": ""}),
        "not json at all",
        json.dumps(["a", "list"]),
        json.dumps({"text": "no id"}),
    ])
    monkeypatch.setattr("sys.stdin", io.StringIO(lines))
    rows = list(align_jsonl("-"))
    assert len(rows) == 4
    assert all(r["fact"] is None and r["error"] for r in rows)
    assert rows[0]["id"] == "x"
    assert rows[1]["error"] == "line 2, column 1: not JSON (Expecting value)"


def test_json_errors_name_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps({"id": "a", "text": "fine"}) + "\n\n" + '{"id": "b", "text": "cut' + "\n", "utf-8")
    rows = list(align_jsonl(str(path)))
    assert rows[1]["error"] == "line 3, column 21: not JSON (Unterminated string starting)"


@pytest.mark.slow
def test_align_jsonl_keeps_input_order_and_shape(tmp_path: Path) -> None:
    rows = [
        {"id": "1", "text": "to reduce traffic jams in the old town", "context": "Why did Brell close the bridge?"},
        {"id": "2", "text": "bad line", "context": 5, "source": None} | {"text": 7},
        {"id": "3", "text": "a crack was found in a pillar", "context": "Why did Brell close the bridge?"},
        {"id": "4", "text": "to cut congestion in the historic centre", "context": "Why did Brell close the bridge?"},
        {"id": "5", "text": "engineers discovered a cracked support pillar",
         "context": "Why did Brell close the bridge?", "source": "Brell Post"},
    ]
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", "utf-8")
    out = list(align_jsonl(str(path)))
    assert [r["id"] for r in out] == ["1", "2", "3", "4", "5"]
    assert "error" in out[1] and out[1]["fact"] is None
    good = [r for r in out if "error" not in r]
    assert all(set(r) == {"id", "fact"} for r in good)
    facts = {r["id"]: r["fact"] for r in good}
    assert facts["1"] == facts["4"] == "f1"
    assert facts["3"] == facts["5"] != facts["1"]


@pytest.mark.slow
def test_different_numbers_in_short_answers_are_different_statements() -> None:
    rows = [{"id": "a", "text": "two years"}, {"id": "b", "text": "three years"}, {"id": "c", "text": "3 years"}]
    out = {r["id"]: r["fact"] for r in align_rows(rows)}
    assert out["a"] != out["b"]
    assert out["b"] == out["c"]


@pytest.mark.slow
def test_one_per_source_keeps_a_source_out_of_its_own_group() -> None:
    from accord.corroborate.align import align_statements

    statements = [
        Statement("1", "The pier at Fenwick collapsed during the storm.", source="x"),
        Statement("2", "During the storm the Fenwick pier collapsed.", source="x"),
    ]
    assert align_statements(statements, AlignOptions(one_per_source=True)) == [0, 1]
    assert align_statements(statements, AlignOptions()) == [0, 0]
