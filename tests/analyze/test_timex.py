"""Time expressions on invented news copy, resolved against a given publication date."""

from __future__ import annotations

import pytest

from accord.analyze.sentences import split_sentences
from accord.analyze.timex import extract_times, parse_published
from accord.models import TimeExpression

pytestmark = pytest.mark.slow


def _times(text: str, published: str | None) -> tuple[TimeExpression, ...]:
    from accord.analyze.nlp import get_nlp

    return extract_times(get_nlp()(text), split_sentences(text), published)


def _values(text: str, published: str | None) -> dict[str, str | None]:
    return {t.text: t.value for t in _times(text, published)}


def _one(text: str, published: str | None, phrase: str) -> TimeExpression:
    found = [t for t in _times(text, published) if phrase in t.text]
    assert len(found) == 1, _times(text, published)
    return found[0]


# 2023-11-22 is a Wednesday.
WED = "2023-11-22"


def test_weekday_night_and_last_night_resolve_to_the_day_before() -> None:
    text = ("Rebels shelled the Korvan depot on Monday night, and a second salvo hit the town last night, "
            "the governor said.")
    monday = _one(text, WED, "Monday")
    assert (monday.text, monday.value, monday.precision) == ("Monday night", "2023-11-20", "time")
    last_night = _one(text, WED, "last night")
    assert (last_night.value, last_night.precision) == ("2023-11-21", "time")


def test_early_weekday_on_the_publication_day() -> None:
    t = _one("Divers recovered the second hull early Wednesday off Port Allard.", WED, "Wednesday")
    assert (t.text, t.value, t.precision) == ("early Wednesday", "2023-11-22", "time")


def test_weekday_with_future_tense_is_the_next_one() -> None:
    t = _one("The two ministers will meet on Friday in Selby to sign the grain accord.", WED, "Friday")
    assert t.value == "2023-11-24"
    past = _one("The two ministers met on Friday in Selby to sign the grain accord.", WED, "Friday")
    assert past.value == "2023-11-17"


def test_possessive_weekday_dates_its_noun() -> None:
    t = _one("Tuesday's blast at the Orwell mill injured four workers.", WED, "Tuesday")
    assert t.value == "2023-11-21"
    assert t.event is not None and "blast" in t.event


def test_last_week_and_earlier_this_month_are_ranges() -> None:
    text = "Talks over the Lindow canal collapsed last week. Earlier this month, barges stopped running."
    values = _values(text, WED)
    assert values["last week"] == "2023-11-13/2023-11-19"
    assert values["Earlier this month"] == "2023-11-01/2023-11-22"
    precisions = {t.text: t.precision for t in _times(text, WED)}
    assert precisions == {"last week": "week", "Earlier this month": "month"}


def test_since_mid_month_starts_on_the_fifteenth() -> None:
    t = _one("Drones have struck the Ostrava pipeline 14 times since mid-October.", WED, "mid-October")
    assert (t.text, t.value, t.precision) == ("since mid-October", "2023-10-15/2023-11-22", "month")


def test_absolute_dates_in_several_spellings() -> None:
    text = ("The Tamsin dam breached on Oct. 17, engineers first warned on October 3, the inquiry "
            "opened on Nov. 8, 2022, and its report is dated 2023-11-21.")
    values = _values(text, WED)
    assert values["Oct. 17"] == "2023-10-17"
    assert values["October 3"] == "2023-10-03"
    assert values["Nov. 8, 2022"] == "2022-11-08"
    assert values["2023-11-21"] == "2023-11-21"


def test_month_day_without_year_across_the_year_boundary() -> None:
    text = "The Brenner ferry sank on Dec. 29, and divers reached it on Jan. 2."
    values = _values(text, "2024-01-05")
    assert values == {"Dec. 29": "2023-12-29", "Jan. 2": "2024-01-02"}


def test_future_month_day_takes_the_coming_year() -> None:
    t = _one("The Harwick bridge reopens to traffic on Jan. 3, the council said.", "2023-12-30", "Jan. 3")
    assert t.value == "2024-01-03"


def test_ordinal_is_not_a_year_and_durations_are_not_dates() -> None:
    text = ("It was the 66th such raid on the Velmar garrison since Oct. 17. The siege has lasted "
            "two hours, and the commander, 30 years old, was wounded on Tuesday.")
    found = _times(text, WED)
    assert [t.text for t in found] == ["since Oct. 17", "Tuesday"]
    assert found[0].value == "2023-10-17/2023-11-22"
    assert all("1966" not in (t.value or "") for t in found)


def test_relative_days_and_parts_of_the_day() -> None:
    text = "Crews cleared the Ashby road yesterday, reopened it this morning and will inspect it tomorrow."
    values = _values(text, WED)
    assert values == {"yesterday": "2023-11-21", "this morning": "2023-11-22", "tomorrow": "2023-11-23"}


def test_months_and_years_are_ranges() -> None:
    text = "Prices rose in March 2021 and fell last month. The Kestrel line opened in 1998."
    values = _values(text, WED)
    assert values["March 2021"] == "2021-03-01/2021-03-31"
    assert values["last month"] == "2023-10-01/2023-10-31"
    assert values["1998"] == "1998-01-01/1998-12-31"


def test_without_publication_date_values_are_none_but_spans_are_found() -> None:
    text = "The Corran levee failed on Monday night, two days after inspectors passed it last week."
    found = _times(text, None)
    assert [t.text for t in found] == ["Monday night", "last week"]
    assert all(t.value is None for t in found)
    explicit = _times("The levee was built on May 4, 1961.", None)
    assert [(t.text, t.value) for t in explicit] == [("May 4, 1961", "1961-05-04")]


def test_offsets_sentence_and_event() -> None:
    text = "Firefighters reached the Dunmore warehouse late. Militants launched a rocket attack on Sunday."
    t = _one(text, WED, "Sunday")
    assert text[t.start:t.end] == t.text == "Sunday"
    assert t.sentence == 1
    assert t.event == "Militants launched a rocket attack"


def test_unreadable_publication_date_leaves_values_unresolved() -> None:
    assert parse_published("not a date") is None
    assert parse_published("2023-11-22T15:00:00Z").isoformat() == WED  # type: ignore[union-attr]
    assert all(t.value is None for t in _times("The vote took place on Tuesday.", "soon"))


def test_may_the_verb_is_not_a_month() -> None:
    assert _times("Officials said the Tarrow dam may fail in heavy rain.", WED) == ()


def test_until_a_weekday_takes_the_nearer_one() -> None:
    # 2023-11-21 is a Tuesday: the closure runs to the coming Wednesday
    t = _one("Port officials closed the Selwyn terminal to tankers until Wednesday.", "2023-11-21", "Wednesday")
    assert t.value == "2023-11-22"


def test_timetable_present_is_future_but_a_caption_present_is_not() -> None:
    assert _one("Voting in the Tarn by-election begins Monday.", WED, "Monday").value == "2023-11-27"
    assert _one("Smoke rises over the Tarn refinery on Tuesday morning.", WED, "Tuesday").value == "2023-11-21"


def test_weekday_beside_a_date_picks_the_year() -> None:
    # 2023-10-05: a strike called "for Monday, Oct. 9" is this year's, whose Oct. 9 is a Monday
    t = _one("Dock unions called a strike for Monday, Oct. 9, after talks failed.", "2023-10-05", "Oct. 9")
    assert t.value == "2023-10-09"


# --------------------------------------------------------------------------- events


def _event(text: str, phrase: str) -> str:
    event = _one(text, WED, phrase).event
    assert event is not None
    return event


def test_event_keeps_the_complement_the_verb_needs() -> None:
    led = _event("Twelve miners were led out of the flooded Garrow shaft on Tuesday night.", "Tuesday")
    assert led == "Twelve miners were led out of the flooded Garrow shaft"
    brought = _event("Firefighters brought the Velden mill blaze under control early Thursday.", "Thursday")
    assert brought == "Firefighters brought the Velden mill blaze under control"
    ashore = _event("All 40 passengers were brought ashore by 3 a.m. Monday, the coastguard said.", "Monday")
    assert "ashore" in ashore and "passengers" in ashore


def test_event_keeps_the_real_subject_of_a_relative_clause() -> None:
    text = "Nine people were hurt in the blast at a Tressel Road bakery that started on Monday night, police said."
    assert _event(text, "Monday") == "the blast at a Tressel Road bakery started"


def test_event_of_an_object_relative_names_the_object() -> None:
    text = "The Orlo dam, which engineers had inspected in March, cracked on Tuesday."
    assert _event(text, "March") == "engineers had inspected the Orlo dam"
    assert _event(text, "Tuesday") == "The Orlo dam cracked"


def test_event_of_a_reporting_verb_is_the_reported_clause() -> None:
    said = _event("The ministry said on Tuesday that the Orlo dam had cracked.", "Tuesday")
    assert said == "the Orlo dam had cracked"
    stressed = _event("Spokeswoman Lena Varga emphasized on Wednesday that the convoy had turned back.", "Wednesday")
    assert stressed == "the convoy had turned back"
    believed = _event("Monday's raid is believed to have destroyed the Kesh depot.", "Monday")
    assert "raid" in believed and "destroyed the Kesh depot" in believed


def test_event_keeps_an_expletive_subject() -> None:
    text = "As of Friday morning, there had been no response from the Drava port authority."
    assert _event(text, "Friday").startswith("there had been no response")


def test_each_date_of_a_list_gets_its_own_phrase() -> None:
    text = "Inspectors visited the Lund plant on May 3, the Orsa depot on May 9 and the Kiel yard on May 12."
    events = [t.event for t in _times(text, WED)]
    assert events == ["Inspectors visited the Lund plant", "Inspectors visited the Orsa depot",
                      "Inspectors visited the Kiel yard"]
    raids = [t.event for t in _times("The rebels have staged three raids — on March 2, March 9 and March 14.", WED)]
    assert len(raids) == 3 and all(e is not None and "raids" in e and "three" not in e for e in raids)


def test_event_falls_back_to_the_sentence_without_its_attribution() -> None:
    text = "Contractors have until Friday to file the Merle report, the mayor said."
    assert _event(text, "Friday") == "Contractors have until Friday to file the Merle report"


def test_long_event_is_cut_at_a_phrase_boundary() -> None:
    text = ("A water main burst under Calder Street late Friday, flooding the basements of three shops, cutting "
            "supply to 2,000 homes and forcing the closure of the Arnley primary school for the rest of the week, "
            "the utility said.")
    event = _event(text, "Friday")
    assert event == "A water main burst under Calder Street late Friday"
    assert len(event.split()) <= 20


def test_event_does_not_borrow_the_subject_of_another_clause() -> None:
    text = "The navy sank two trawlers after several drones were fired at the Pelk frigate on Sunday."
    assert _event(text, "Sunday") == "several drones were fired at the Pelk frigate"


@pytest.mark.parametrize(
    ("published", "text", "phrase", "value"),
    [
        ("2024-02-29", "The clerk's office will be closed Monday for staff training.", "Monday", "2024-03-04"),
        ("2025-07-22", "A candidate forum is planned for Sept. 9 at the library.", "Sept. 9", "2025-09-09"),
        ("2025-07-22", "She will not run in the November election.", "November", "2025-11-01/2025-11-30"),
        ("2025-03-12", "A court overturned the 2019 conviction of Ned Farrier.", "2019", "2019-01-01/2019-12-31"),
        ("2023-05-19", "In 2022, the budget was not signed until July 12, forcing a shutdown.", "July 12", "2022-07-12"),
        ("2026-01-05", "The work may not be finished until spring break in March.", "March", "2026-03-01/2026-03-31"),
        ("2025-09-14", "The winger will see a specialist Tues. before the derby.", "Tues.", "2025-09-16"),
        ("2024-01-15", "The winter months, from June to August, will strain the grid.", "June to August", "2024-06-01/2024-08-31"),
        ("2024-03-01", "A free clinic will run from Monday through Wednesday in Ardmore.", "Monday through Wednesday", "2024-03-04/2024-03-06"),
        ("2023-06-08", "The monsoon was expected to reach the coast by the 14th.", "the 14th", "2023-06-14"),
        ("2025-03-12", "The judge ordered both sides back to court March 24.", "March 24", "2025-03-24"),
        ("2026-10-07", "Last year's prize was presented in Oslo on Dec. 10.", "Dec. 10", "2025-12-10"),
        ("2025-12-31", "Hot, dry weather is likely to return by mid-January.", "mid-January", "2026-01-11/2026-01-20"),
        ("2021-09-30", "The tally since August 1 rose to 1,312, officials said.", "since August 1", "2021-08-01/2021-09-30"),
        ("2021-08-31", "Coach Ana Reel says her side is ready for Saturday's final.", "Saturday's", "2021-09-04"),
        ("2021-08-31", "He hurt his hamstring a fortnight ago.", "a fortnight ago", "2021-08-17"),
        ("2023-04-30", "Polling is scheduled for May 10 and counting on May 13.", "May 13", "2023-05-13"),
        ("2025-12-31", "The retailer warned that fourth-quarter sales would miss forecasts.", "fourth-quarter", "2025-10-01/2025-12-31"),
        ("2023-09-04", "Payments for the 2022-23 season will begin soon.", "2022-23", "2022-01-01/2023-12-31"),
        ("2021-03-15", "Parents can attend sessions between March 22 and March 26.", "between March 22 and March 26", "2021-03-22/2021-03-26"),
        ("2025-06-06", "Residents had been told to expect fogging from Monday.", "Monday", "2025-06-09"),
        ("2025-12-31", "The new chief said 2026 would be a year of rebuilding.", "2026", "2026-01-01/2026-12-31"),
        ("2025-03-12", "The map was approved by commissioners in November 2023.", "November 2023", "2023-11-01/2023-11-30"),
    ],
)
def test_dates_read_in_context_of_tense_ranges_and_abbreviations(published: str, text: str, phrase: str, value: str) -> None:
    found = {t.text: t.value for t in _times(text, published)}
    assert found.get(phrase) == value, found


def test_a_weekday_with_a_or_every_is_no_particular_day() -> None:
    assert _times("Couples may marry on a Thursday, and the market opens every Monday.", "2024-02-29") == ()
