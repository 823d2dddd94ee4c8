"""Summary sentences cite their sources; unique claims are what one source alone says."""

from __future__ import annotations

import pytest

from accord.corroborate.discrepancies import find_discrepancies
from accord.corroborate.facts import build_facts
from accord.corroborate.summary import summarize
from accord.corroborate.unique import find_unique
from tests.corroborate.builders import article


def _story():
    a = article("a", "A fire destroyed the Orvel sawmill on Friday night. Fire crews said 56 workers were "
                     "evacuated from the sawmill. The owner, Mika Renn, said the mill would be rebuilt.",
                quantities=[dict(text="56 workers", value=56.0, unit="workers")],
                entities=[("Orvel", "GPE"), ("Mika Renn", "PERSON")])
    b = article("b", "The Orvel sawmill was destroyed by fire on Friday night. Fire crews said 62 workers "
                     "were evacuated from the sawmill. Smoke from the blaze could be seen in Tarrow, 20 "
                     "kilometres away.",
                quantities=[dict(text="62 workers", value=62.0, unit="workers")],
                entities=[("Orvel", "GPE"), ("Tarrow", "GPE")])
    c = article("c", "Fire destroyed the sawmill in Orvel late on Friday. The crews said 62 workers were "
                     "evacuated from the burning sawmill.",
                quantities=[dict(text="62 workers", value=62.0, unit="workers")],
                entities=[("Orvel", "GPE")])
    return [a, b, c]


@pytest.mark.slow
def test_summary_cites_sources_and_states_the_conflict() -> None:
    story = _story()
    facts = build_facts(story, {})
    discrepancies = find_discrepancies(story)
    assert any(d.conflict for d in discrepancies)
    summary = summarize(facts, discrepancies, story, sentences=4)
    assert 1 <= len(summary) <= 4
    ids = {"a", "b", "c"}
    for sentence in summary:
        assert sentence.articles and set(sentence.articles) <= ids
    conflict = [s for s in summary if s.text.startswith("Sources differ")]
    assert len(conflict) == 1
    assert "62 (2 sources)" in conflict[0].text and "56 (1 source)" in conflict[0].text
    assert set(conflict[0].articles) == ids
    # An article is never cited for a figure it disputes.
    for sentence in summary:
        if "62 workers" in sentence.text:
            assert "a" not in sentence.articles
    texts = [s.text for s in summary]
    assert len(set(texts)) == len(texts)


@pytest.mark.slow
def test_summary_respects_its_length() -> None:
    story = _story()
    summary = summarize(build_facts(story, {}), (), story, sentences=1)
    assert len(summary) == 1


def test_summary_rejects_a_length_below_one() -> None:
    with pytest.raises(ValueError, match="1 or more"):
        summarize((), (), _story(), sentences=0)


@pytest.mark.slow
def test_unique_claims_are_informative_and_from_one_source() -> None:
    story = _story()
    unique = find_unique(story, build_facts(story, {}))
    by_article = {(u.article, u.statement) for u in unique}
    assert any(a == "b" and "Tarrow" in s for a, s in by_article)
    assert any(a == "a" and "Mika Renn" in s for a, s in by_article)
    assert not any("destroyed" in s for _, s in by_article)
