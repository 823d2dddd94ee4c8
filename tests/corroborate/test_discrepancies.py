"""Discrepancies on hand-built analyses of invented events: each kind, and each trap."""

from __future__ import annotations

import math

import pytest

from accord.corroborate.discrepancies import find_discrepancies, intervals_conflict, value_interval
from tests.corroborate.builders import article


def _quantity(kind_items):
    return [d for d in kind_items if d.kind == "quantity"]


def _values(d):
    return {v.value: set(v.articles) for v in d.values}


# --------------------------------------------------------------------------- intervals (no model)


def test_value_intervals_read_qualifiers_and_vague_words() -> None:
    assert value_interval(62.0, "=") == (62.0, 62.0)
    low, high = value_interval(62.0, "~")
    assert low == pytest.approx(58.9) and high == pytest.approx(65.1)
    assert value_interval(20.0, ">") == (21.0, math.inf)
    assert value_interval(25.0, ">=") == (25.0, math.inf)
    assert value_interval(20.0, "=", 30.0) == (20.0, 30.0)
    assert value_interval("several") == (3.0, 9.0)
    assert value_interval("dozens") == (24.0, 99.0)


def test_conflict_means_no_common_point() -> None:
    assert intervals_conflict([value_interval(56.0), value_interval(62.0)])
    assert not intervals_conflict([value_interval(20.0, ">"), value_interval(25.0, ">=")])
    assert not intervals_conflict([value_interval("several"), value_interval(8.0)])
    assert not intervals_conflict([value_interval(62.0, "~"), value_interval(56.0, ">=")])
    # "approximately 62" and "roughly 70" of one count cannot both hold.
    assert intervals_conflict([value_interval(62.0, "~"), value_interval(70.0, "~")])
    assert intervals_conflict([value_interval("a few"), value_interval(40.0)])


# --------------------------------------------------------------------------- quantities


@pytest.mark.slow
def test_conflicting_counts_are_reported_with_their_sources() -> None:
    a = article("a", "The landslide near Pellam injured 56 hikers on Saturday, rangers said.",
                quantities=[dict(text="56 hikers", value=56.0, unit="hikers")])
    b = article("b", "Rangers said 62 hikers were injured in Saturday's landslide near Pellam.",
                quantities=[dict(text="62 hikers", value=62.0, unit="hikers")])
    c = article("c", "A landslide near Pellam on Saturday injured 62 hikers, according to rangers.",
                quantities=[dict(text="62 hikers", value=62.0, unit="hikers")])
    found = _quantity(find_discrepancies([a, b, c]))
    assert len(found) == 1
    d = found[0]
    assert d.conflict is True and d.update is False
    assert _values(d) == {"62": {"b", "c"}, "56": {"a"}}
    assert "hiker" in d.about and "injured" in d.about
    assert d.values[0].value == "62"  # the value more sources give comes first
    for v in d.values:
        for e in v.evidence:
            text = {"a": a, "b": b, "c": c}[e.article].article.text
            assert text[e.start:e.end] == e.sentence


@pytest.mark.slow
def test_compatible_bounds_are_reported_without_conflict() -> None:
    a = article("a", "More than 20 volunteers searched the Dunmore woods for the missing boy on Friday.",
                quantities=[dict(text="More than 20 volunteers", value=20.0, qualifier=">", unit="volunteers")])
    b = article("b", "At least 25 volunteers searched the Dunmore woods on Friday for the missing boy.",
                quantities=[dict(text="At least 25 volunteers", value=25.0, qualifier=">=", unit="volunteers")])
    found = _quantity(find_discrepancies([a, b]))
    assert len(found) == 1
    assert found[0].conflict is False
    assert {(v.value, v.qualifier) for v in found[0].values} == {("20", ">"), ("25", ">=")}


@pytest.mark.slow
def test_vague_word_against_a_number_is_reported_without_conflict() -> None:
    a = article("a", "Several fishermen were rescued from the capsized trawler off Raskel Point.",
                quantities=[dict(text="Several fishermen", value="several", qualifier="~", unit="fishermen",
                                 kind="vague")])
    b = article("b", "Eight fishermen were rescued from a capsized trawler off Rascal Point.",
                quantities=[dict(text="Eight fishermen", value=8.0, unit="fishermen")])
    found = _quantity(find_discrepancies([a, b]))
    assert len(found) == 1
    assert found[0].conflict is False
    assert _values(found[0]) == {"several": {"a"}, "8": {"b"}}
    assert dict((v.value, v.qualifier) for v in found[0].values)["several"] is None


@pytest.mark.slow
def test_counts_in_different_places_are_not_compared() -> None:
    a = article("a", "Since March, the rebels have staged 66 raids, 32 in Norland and 34 in Sorvia.",
                quantities=[dict(text="66 raids", value=66.0, unit="raids", scope="since March"),
                            dict(text="32 in Norland", value=32.0, unit="raids", scope="in Norland"),
                            dict(text="34 in Sorvia", value=34.0, unit="raids", scope="in Sorvia")])
    b = article("b", "The rebels carried out 32 raids in Norland since March, officials said.",
                quantities=[dict(text="32 raids", value=32.0, unit="raids", scope="in Norland")])
    c = article("c", "Officials counted 34 raids by the rebels in Sorvia since March.",
                quantities=[dict(text="34 raids", value=34.0, unit="raids", scope="in Sorvia")])
    assert _quantity(find_discrepancies([a, b, c])) == []


@pytest.mark.slow
def test_different_units_are_not_compared() -> None:
    a = article("a", "The storm in Belmar toppled 30 trees and closed the coast road.",
                quantities=[dict(text="30 trees", value=30.0, unit="trees")])
    b = article("b", "The storm in Belmar toppled 45 power poles and closed the coast road.",
                quantities=[dict(text="45 power poles", value=45.0, unit="power poles")])
    assert _quantity(find_discrepancies([a, b])) == []


@pytest.mark.slow
def test_sub_counts_are_not_compared_with_the_total() -> None:
    a = article("a", "The bus crash outside Tarrow injured 40 passengers on Sunday. Nine of the injured "
                     "remain in hospital.",
                quantities=[dict(text="40 passengers", value=40.0, unit="passengers"),
                             dict(text="Nine", value=9.0, unit="injured")])
    b = article("b", "Forty passengers were injured in Sunday's bus crash outside Tarrow, including "
                     "12 children.",
                quantities=[dict(text="Forty passengers", value=40.0, unit="passengers"),
                            dict(text="12 children", value=12.0, unit="children")])
    c = article("c", "Sunday's bus crash near Tarrow injured 40 passengers, and at least 15 of them "
                     "suffered broken bones.",
                quantities=[dict(text="40 passengers", value=40.0, unit="passengers"),
                            dict(text="at least 15", value=15.0, qualifier=">=", unit="passengers")])
    assert _quantity(find_discrepancies([a, b, c])) == []


@pytest.mark.slow
def test_another_event_is_not_compared() -> None:
    a = article("a", "The chemical leak at the Harlow plant injured 14 workers on Monday.",
                quantities=[dict(text="14 workers", value=14.0, unit="workers")],
                times=[dict(text="on Monday", value="2024-04-29", event="leak injured 14 workers")])
    b = article("b", "In 2017, a chemical leak at the same Harlow plant injured 4 workers.",
                quantities=[dict(text="4 workers", value=4.0, unit="workers")],
                times=[dict(text="In 2017", value="2017", precision="year", event="a leak injured 4 workers")])
    assert _quantity(find_discrepancies([a, b])) == []


@pytest.mark.slow
def test_values_from_different_dates_are_an_update() -> None:
    a = article("a", "The wildfire near Corrow has destroyed 12 homes, firefighters said.",
                quantities=[dict(text="12 homes", value=12.0, unit="homes")], published="2024-07-01")
    b = article("b", "The wildfire near Corrow has now destroyed 19 homes, firefighters said.",
                quantities=[dict(text="19 homes", value=19.0, unit="homes")], published="2024-07-02")
    found = _quantity(find_discrepancies([a, b]))
    assert len(found) == 1
    assert found[0].update is True
    assert {v.as_of for v in found[0].values} == {"2024-07-01", "2024-07-02"}


# --------------------------------------------------------------------------- other kinds


@pytest.mark.slow
def test_same_quote_given_to_two_speakers_is_an_attribution_discrepancy() -> None:
    quote = "\u201cThe water came faster than anyone expected,\u201d"
    a = article("a", f"{quote} said mayor Ilse Varga. The dam at Kettering failed on Tuesday.",
                quotes=[dict(text=quote, speaker="Ilse Varga")])
    b = article("b", f"{quote} police chief Omar Lind said. The Kettering dam failed on Tuesday.",
                quotes=[dict(text=quote, speaker="Omar Lind")])
    c = article("c", f"Mayor Varga said: {quote} Kettering's dam failed on Tuesday.",
                quotes=[dict(text=quote, speaker="Varga")])
    found = [d for d in find_discrepancies([a, b, c]) if d.kind == "attribution"]
    assert len(found) == 1
    assert found[0].conflict is True
    assert _values(found[0]) == {"Ilse Varga": {"a", "c"}, "Omar Lind": {"b"}}
    assert "water came faster" in found[0].about


@pytest.mark.slow
def test_same_event_dated_differently_is_a_date_discrepancy() -> None:
    a = article("a", "The Ostberg ferry ran aground on Friday night, the coastguard said.",
                times=[dict(text="on Friday night", value="2024-05-03", event="the Ostberg ferry ran aground")])
    b = article("b", "The coastguard said the Ostberg ferry ran aground on Thursday night.",
                times=[dict(text="on Thursday night", value="2024-05-02", event="the Ostberg ferry ran aground")])
    found = [d for d in find_discrepancies([a, b]) if d.kind == "date"]
    assert len(found) == 1
    assert found[0].conflict is True
    assert _values(found[0]) == {"2024-05-03": {"a"}, "2024-05-02": {"b"}}


@pytest.mark.slow
def test_different_events_on_different_days_are_not_a_date_discrepancy() -> None:
    a = article("a", "The Ostberg ferry ran aground on Friday night.",
                times=[dict(text="on Friday night", value="2024-05-03", event="the Ostberg ferry ran aground")])
    b = article("b", "Divers inspected the hull of the ship on Sunday morning.",
                times=[dict(text="on Sunday morning", value="2024-05-05", event="divers inspected the hull")])
    assert [d for d in find_discrepancies([a, b]) if d.kind == "date"] == []


@pytest.mark.slow
def test_single_against_plural_is_a_count_discrepancy() -> None:
    a = article("a", "Neighbours heard an explosion at the Brisk chemical depot before the fire spread.")
    b = article("b", "Multiple explosions were heard at the Brisk chemical depot before the fire spread.",
                quantities=[dict(text="Multiple explosions", value="multiple", qualifier="~",
                                 unit="explosions", kind="vague")])
    found = [d for d in find_discrepancies([a, b]) if d.kind == "count"]
    assert len(found) == 1
    assert _values(found[0]) == {"1": {"a"}, "multiple": {"b"}}
    assert found[0].conflict is True


@pytest.mark.slow
def test_discrepancy_ids_are_stable() -> None:
    def build():
        return [
            article("a", "The landslide near Pellam injured 56 hikers on Saturday, rangers said.",
                    quantities=[dict(text="56 hikers", value=56.0, unit="hikers")]),
            article("b", "Rangers said 62 hikers were injured in Saturday's landslide near Pellam.",
                    quantities=[dict(text="62 hikers", value=62.0, unit="hikers")]),
        ]
    assert [d.id for d in find_discrepancies(build())] == [d.id for d in find_discrepancies(build())]


def test_describe_composes_the_sentence_from_the_data() -> None:
    from accord.corroborate.discrepancies import describe
    from accord.models import Discrepancy, DiscrepancyValue

    d = Discrepancy(
        id="d", kind="quantity", conflict=True, about="hikers injured since May 2",
        values=(
            DiscrepancyValue(value="62", qualifier="~", articles=("a", "b", "c")),
            DiscrepancyValue(value="56", qualifier="=", articles=("d",)),
        ),
    )
    text = describe(d, {"a": ("b",), "b": ("a",)})
    assert text == ("Sources differ on the number of hikers injured since May 2: "
                    "about 62 (3 articles, 2 independent sources) vs 56 (1 source).")
    compatible = Discrepancy(id="e", kind="quantity", conflict=False, about="boats",
                             values=d.values)
    assert describe(compatible).startswith("Sources give different figures for the number of boats")
