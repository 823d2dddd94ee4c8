"""Facts: aligned sentences, independent support, evidence offsets, stable ids."""

from __future__ import annotations

import pytest

from accord.corroborate.facts import build_facts, independent_count, stable_id
from tests.corroborate.builders import article

WIRE = "Heavy snow closed the Tarn mountain pass on Wednesday, stranding forty trucks. Police expect it to reopen on Friday."


def test_copies_collapse_into_one_independent_source() -> None:
    copies = {"a": ("b",), "b": ("a",)}
    assert independent_count(["a", "b"], copies) == 1
    assert independent_count(["a", "b", "c"], copies) == 2
    assert independent_count(["c"], {}) == 1


def test_stable_id_depends_on_content_only() -> None:
    assert stable_id("fact", "x", 1) == stable_id("fact", "x", 1)
    assert stable_id("fact", "x", 1) != stable_id("fact", "x", 2)


@pytest.mark.slow
def test_facts_group_paraphrases_and_count_copies_once() -> None:
    a = article("a", WIRE, copies=("b",))
    b = article("b", WIRE, copies=("a",))
    c = article("c", "On Wednesday heavy snowfall shut the Tarn mountain pass and left forty trucks stranded. "
                     "A bakery in the valley gave drivers free bread.")
    facts = build_facts([a, b, c], {"a": ("b",), "b": ("a",)})
    snow = [f for f in facts if "snow" in f.statement.lower()]
    assert len(snow) == 1
    fact = snow[0]
    assert set(fact.articles) == {"a", "b", "c"}
    assert fact.independent_sources == 2
    texts = {x.article.id: x.article.text for x in (a, b, c)}
    for e in fact.evidence:
        assert texts[e.article][e.start:e.end] == e.sentence
    assert fact.statement in {e.sentence for e in fact.evidence}
    # The copied second sentence is stated by two articles but one source.
    reopen = [f for f in facts if "reopen" in f.statement]
    assert reopen and reopen[0].independent_sources == 1
    assert facts.index(fact) < facts.index(reopen[0])  # better supported first
    assert not any("bakery" in f.statement for f in facts)


@pytest.mark.slow
def test_unrelated_sentences_make_no_fact() -> None:
    a = article("a", "The council of Wendle approved a new budget for its libraries on Monday night.")
    b = article("b", "A rare owl was spotted nesting in the bell tower of Wendle church this spring.")
    assert build_facts([a, b], {}) == ()


@pytest.mark.slow
def test_facts_are_deterministic() -> None:
    a = article("a", WIRE)
    c = article("c", "Heavy snowfall shut the Tarn mountain pass on Wednesday, stranding forty trucks.")
    assert build_facts([a, c], {}) == build_facts([a, c], {})


def test_an_article_giving_a_conflicting_value_does_not_state_the_fact() -> None:
    from accord.corroborate.facts import drop_disputed
    from accord.models import Discrepancy, DiscrepancyValue, Evidence, Fact

    said_12 = Evidence("a", "Twelve crew were rescued.", 0, 25)
    said_12_too = Evidence("b", "Rescuers saved 12 crew members.", 40, 71)
    said_9 = Evidence("c", "Nine crew were rescued.", 10, 33)
    fact = Fact(
        id="f1", statement="Twelve crew were rescued.", articles=("a", "b", "c"),
        independent_sources=3, evidence=(said_12, said_12_too, said_9),
    )
    discrepancy = Discrepancy(
        id="d1", kind="quantity", conflict=True, about="crew rescued",
        values=(
            DiscrepancyValue("12", "=", articles=("a", "b"), evidence=(said_12, said_12_too)),
            DiscrepancyValue("9", "=", articles=("c",), evidence=(said_9,)),
        ),
    )
    (kept,) = drop_disputed([fact], [discrepancy], copies={"a": ("b",), "b": ("a",)})
    assert kept.articles == ("a", "b")
    assert kept.evidence == (said_12, said_12_too)
    assert kept.independent_sources == 1
    # Compatible values ("several" vs "eight") dispute nothing: the fact is unchanged.
    compatible = Discrepancy(id="d2", kind="quantity", conflict=False, about="crew rescued",
                             values=discrepancy.values)
    assert drop_disputed([fact], [compatible], copies={}) == (fact,)
    # A fact left with one article is no longer a fact.
    lone = Fact(id="f2", statement="Twelve crew were rescued.", articles=("a", "c"),
                independent_sources=2, evidence=(said_12, said_9))
    assert drop_disputed([lone], [discrepancy], copies={}) == ()
