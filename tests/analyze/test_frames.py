"""Quantity frames on short invented sentences: what each number is a number of."""

from __future__ import annotations

import pytest

from accord.analyze import analyze
from accord.analyze.frames import basic_frame, predicate_key
from accord.models import Article, Quantity

pytestmark = pytest.mark.slow


def _frames(text: str, published: str | None = "2025-01-20") -> dict[str, object]:
    item = analyze(Article(id="x", title="", text=text, published=published))
    assert len(item.frames) == len(item.quantities)
    return {item.quantities[f.quantity].text: f for f in item.frames}


def _frame(frames: dict[str, object], contains: str) -> object:
    if contains in frames:
        return frames[contains]
    matches = [f for text, f in frames.items() if contains in text]
    assert len(matches) == 1, (contains, list(frames))
    return matches[0]


def test_an_age_range_beside_a_count_is_one_age_not_a_count() -> None:
    frames = _frames("Police arrested 16 men, aged 24 to 43, after the raid in Dunmore.")
    count = _frame(frames, "16")
    assert (count.role, count.counted, count.predicate) == ("count", "man", "arrest")
    age = _frame(frames, "24")
    assert age.role == "age" and age.counted == "age"


def test_an_age_after_a_comma_belongs_to_the_person_before_it() -> None:
    frames = _frames("A woman, 36, and a 40-year-old man were taken to Harlow General Hospital.")
    woman = _frame(frames, "36")
    man = _frame(frames, "40")
    assert (woman.role, woman.holder) == ("age", "woman")
    assert (man.role, man.holder) == ("age", "man")
    assert man.predicate == "hospitalise"


def test_a_named_persons_age_keeps_the_name() -> None:
    frames = _frames("Marta Quill, 52, was charged on Monday.")
    assert _frame(frames, "52").holder == "Quill"


def test_a_yearly_statistic_has_its_period() -> None:
    frames = _frames("Two fires broke out in Lowmoor on Monday. The county recorded 970 fires in 2024.")
    assert _frame(frames, "970").period == "2024"
    assert _frame(frames, "Two").period is None


def test_running_periods_and_regions_are_periods() -> None:
    frames = _frames("So far this year, 41 drivers have been caught nationwide.")
    assert _frame(frames, "41").period == "nationwide so far this year"


def test_a_separate_incident_is_marked_and_never_the_storys_own() -> None:
    text = ("Three workers were hurt in the blast at the Pellow plant on Sunday.\n\n"
            "In a separate incident, five workers were hurt at a depot in Carrick.")
    frames = _frames(text, published="2025-01-20")
    assert _frame(frames, "Three").incident is None
    assert _frame(frames, "five").incident.startswith("other")


def test_a_sentence_dated_long_before_the_article_is_an_earlier_incident() -> None:
    text = ("A fire at the harbour injured 14 people on Sunday. The last big fire there was in March 2019. "
            "It injured four people.")
    frames = _frames(text, published="2024-03-05")
    assert _frame(frames, "14").incident is None
    assert _frame(frames, "four").incident == "past-2019-03"


def test_money_keeps_its_currency_and_a_conversion_is_not_a_second_amount() -> None:
    frames = _frames("He forfeited S$240 million (US$180 million) in assets, and paid a $5,000 fine.")
    assert _frame(frames, "240").counted == "sgd"
    assert _frame(frames, "180").counted is None
    assert _frame(frames, "5,000").counted == "$"


def test_model_numbers_and_parts_of_a_length_are_not_compared() -> None:
    frames = _frames("The navy seized six AK 47 rifles. He was jailed for one year and 15 months.")
    assert _frame(frames, "47 rifles").counted is None
    assert _frame(frames, "15 months").counted is None


def test_an_amount_per_unit_is_not_a_total() -> None:
    frames = _frames("Three tickets shared the jackpot, each winning $4.2 million.")
    assert "each" in _frame(frames, "4.2").period


def test_predicates_fold_synonyms() -> None:
    assert predicate_key("hurt") == predicate_key("wound") == "injure"
    assert predicate_key("detain") == "arrest"
    assert predicate_key(None) is None
    frames = _frames("Eight workers were led out of the warehouse. Forty residents left their homes.")
    assert _frame(frames, "Eight").predicate == "evacuate"
    assert _frame(frames, "Forty").predicate == "evacuate"


def test_a_clock_time_in_the_sentence_dates_the_figure() -> None:
    frames = _frames("At 6.08am on Jan 20, the wait was cut to 10 minutes.")
    assert _frame(frames, "10").as_of.startswith("2025-01-20")


def test_basic_frames_need_no_parse() -> None:
    frame = basic_frame(0, Quantity(text="12 homes", start=0, end=8, sentence=0, value=12, unit="homes"))
    assert (frame.role, frame.counted, frame.predicate) == ("count", "homes", None)
    age = basic_frame(1, Quantity(text="40-year-old", start=0, end=11, sentence=0, value=40, unit="years old",
                                  kind="measure"))
    assert age.role == "age"


def test_casualty_nouns_and_bodies_of_people_count_the_same_casualties() -> None:
    frames = _frames("Troops have sustained approximately 62 injuries. At least 56 personnel were injured. "
                     "The blast killed 10 and injured dozens more.")
    injuries = _frame(frames, "62")
    personnel = _frame(frames, "56")
    assert (injuries.counted, injuries.predicate) == ("person", "injure")
    assert (personnel.counted, personnel.predicate) == ("person", "injure")
    assert _frame(frames, "dozens").counted == "person"
