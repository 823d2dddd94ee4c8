"""The whole pipeline on a small invented story written to files: corroboration end to end."""

from __future__ import annotations

from pathlib import Path

import pytest

from accord.pipeline import ReportOptions, report

pytestmark = pytest.mark.slow

STORY = {
    "a_valley-post.txt": (
        "Flood closes Brannock bridge\n\n"
        "March 12, 2025\n\n"
        "Floodwater closed the old bridge at Brannock on Tuesday night, the county council said. "
        "Forty-two residents were evacuated from houses along the river, officials said.\n\n"
        "\u201cThe water rose faster than at any time since records began,\u201d said council leader "
        "Maren Holt.\n\n"
        "Engineers will inspect the bridge on Thursday.\n"
    ),
    "b_river-times.txt": (
        "Brannock bridge shut as river floods\n\n"
        "March 12, 2025\n\n"
        "The county council said floodwater shut the old Brannock bridge on Tuesday night. "
        "Officials said 35 residents were evacuated from riverside houses.\n\n"
        "\u201cThe water rose faster than at any time since records began,\u201d police chief Tobias "
        "Wren said.\n\n"
        "The Crooked Loaf bakery on Mill Street handed out free bread to 60 volunteers.\n"
    ),
    "c_county-news.txt": (
        "Old bridge closed after flood\n\n"
        "March 12, 2025\n\n"
        "The old bridge at Brannock was closed by floodwater on Tuesday night, according to the "
        "county council. Forty-two residents left their riverside homes, officials said.\n\n"
        "Council leader Maren Holt said: \u201cThe water rose faster than at any time since records "
        "began.\u201d\n"
    ),
}


@pytest.fixture(scope="module")
def story(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("story")
    for name, text in STORY.items():
        (folder / name).write_text(text, "utf-8")
    result = report([folder], ReportOptions(summary_sentences=4))
    assert len(result.stories) == 1
    return result.stories[0]


def test_the_differing_count_is_a_conflict_with_the_right_sources(story) -> None:
    quantity = [d for d in story.discrepancies if d.kind == "quantity"]
    assert len(quantity) == 1
    values = {v.value: set(v.articles) for v in quantity[0].values}
    assert values == {"42": {"a_valley-post", "c_county-news"}, "35": {"b_river-times"}}
    assert quantity[0].conflict is True


def test_the_facts_count_independent_sources(story) -> None:
    bridge = [f for f in story.facts if "bridge" in f.statement.lower()]
    assert bridge and bridge[0].independent_sources == 3
    texts = {a.id: a.text for a in story.articles}
    for fact in story.facts:
        for e in fact.evidence:
            assert texts[e.article][e.start:e.end] == e.sentence


def test_every_summary_sentence_cites_sources(story) -> None:
    ids = {a.id for a in story.articles}
    assert 1 <= len(story.summary) <= 4
    for sentence in story.summary:
        assert sentence.articles and set(sentence.articles) <= ids
    assert any(s.text.startswith("Sources differ") for s in story.summary)


def test_the_unique_claim_is_found(story) -> None:
    assert any(u.article == "b_river-times" and "bakery" in u.statement for u in story.unique)


def test_the_quote_given_to_two_speakers_is_an_attribution_discrepancy(story) -> None:
    attribution = [d for d in story.discrepancies if d.kind == "attribution"]
    assert len(attribution) == 1
    values = {v.value: set(v.articles) for v in attribution[0].values}
    assert values == {"Maren Holt": {"a_valley-post", "c_county-news"}, "Tobias Wren": {"b_river-times"}}
    quote = [q for q in story.quotes if "water rose faster" in q.text]
    assert len(quote) == 1 and quote[0].speaker == "Maren Holt"
    assert len(quote[0].articles) == 3
