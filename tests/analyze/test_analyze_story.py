"""Analyzing the articles of one story together: shared entity keys, shared dates."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from accord.analyze import analyze_many, analyze_story
from accord.cli import main
from accord.models import Article

pytestmark = pytest.mark.slow

_DATED = Article(
    id="a",
    title="Dock fire",
    text=(
        "Harbour Commissioner Lena Varga said the fire at the Pellow Quay depot was out. "
        "\u201cThe crews worked all night,\u201d Varga said."
    ),
    source="Coast Daily",
    published="2025-06-04",
)
_UNDATED = Article(
    id="b",
    title="Depot blaze",
    text="Varga told reporters the Pellow Quay blaze began last night and spread to two sheds.",
    source="Bay Wire",
)


def _keys(article_entities: object, word: str) -> set[str]:
    return {e.key for e in article_entities if word in e.name}  # type: ignore[attr-defined]


def test_one_person_has_one_key_across_the_story_and_undated_articles_take_its_date() -> None:
    apart = list(analyze_many([_DATED, _UNDATED]))
    together = analyze_story([_DATED, _UNDATED])
    assert _keys(apart[0].entities, "Varga") != _keys(apart[1].entities, "Varga")
    assert _keys(together[0].entities, "Varga") == _keys(together[1].entities, "Varga") == {"person:lena-varga"}
    assert together[1].article.published == "2025-06-04"
    last_night = [t for t in together[1].times if t.text == "last night"]
    assert [t.value for t in last_night] == ["2025-06-03"]


def test_analyze_story_flag_on_the_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "a.json").write_text(json.dumps({"title": _DATED.title, "text": _DATED.text, "source": _DATED.source,
                                                 "published": _DATED.published}), "utf-8")
    (tmp_path / "b.txt").write_text(f"{_UNDATED.title}\n\n{_UNDATED.text}\n", "utf-8")
    assert main(["analyze", str(tmp_path), "--story"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line["article"]["published"][:10] for line in lines] == ["2025-06-04", "2025-06-04"]
    keys = [{e["key"] for e in line["entities"] if "Varga" in e["name"]} for line in lines]
    assert keys[0] == keys[1] == {"person:lena-varga"}
