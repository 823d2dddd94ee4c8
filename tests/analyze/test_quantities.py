"""Quantity extraction on invented news sentences: value, qualifier, unit, scope, kind."""

from __future__ import annotations

import json

import pytest

from accord.analyze.quantities import extract_quantities, parse_number, quantities_per_line
from accord.analyze.sentences import split_sentences
from accord.models import Quantity

pytestmark = pytest.mark.slow


def _quantities(text: str) -> tuple[Quantity, ...]:
    from accord.analyze.nlp import get_nlp

    return extract_quantities(get_nlp()(text), split_sentences(text))


def _one(text: str) -> Quantity:
    found = _quantities(text)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("words", "value"),
    [
        (["eight"], 8),
        (["2,500"], 2500),
        (["1.2", "million"], 1_200_000),
        (["two", "dozen"], 24),
        (["a", "dozen"], 12),
        (["twenty", "-", "five"], 25),
        (["one", "hundred", "and", "five"], 105),
        (["three", "thousand"], 3000),
        (["5bn"], 5_000_000_000),
        (["harbour"], None),
    ],
)
def test_parse_number(words: list[str], value: float | None) -> None:
    assert parse_number(words) == value


def test_approximate_count_with_a_since_scope() -> None:
    q = _one("Since March 3, volunteers have treated approximately 41 burns at the Portvale clinic.")
    assert (q.value, q.qualifier, q.unit, q.kind) == (41, "~", "burns", "count")
    assert q.scope is not None and "Since March 3" in q.scope
    assert q.text == "approximately 41 burns"


def test_elided_list_gives_one_quantity_per_scope() -> None:
    text = "Since June 2, the ferries have been boarded 19 times - 11 in Carrow and 8 in Dunmere, the coast guard said."
    found = _quantities(text)
    assert [(q.value, q.unit) for q in found] == [(19, "boards"), (11, "boards"), (8, "boards")]
    assert found[0].scope == "Since June 2"
    assert [q.scope for q in found[1:]] == ["in Carrow", "in Dunmere"]


def test_number_word_and_vague_word() -> None:
    found = _quantities("The blast caused eight injuries. Later reports spoke of several minor injuries.")
    assert [(q.value, q.qualifier, q.unit, q.kind) for q in found] == [
        (8, "=", "injuries", "count"),
        ("several", "=", "injuries", "vague"),
    ]


def test_ordinals_dates_years_and_model_names_are_not_quantities() -> None:
    text = (
        "It was the 14th such fire and the first this year. "
        "On Oct. 26, 2019, an F-16 and a C-130 flew over Route 9; call 555-0142 before 10:30 a.m."
    )
    assert _quantities(text) == ()


@pytest.mark.parametrize(
    ("text", "qualifier", "value"),
    [
        ("More than 20 boats were damaged.", ">", 20),
        ("Over 300 residents left.", ">", 300),
        ("Fewer than 15 shops reopened.", "<", 15),
        ("At least 25 people were hurt.", ">=", 25),
        ("Up to 400 jobs are at risk.", "<=", 400),
        ("Roughly 70 firefighters responded.", "~", 70),
        ("Some 30 trucks arrived.", "~", 30),
        ("Nearly 1,200 homes lost power.", "~", 1200),
        ("Exactly 12 crew were aboard.", "=", 12),
    ],
)
def test_qualifiers(text: str, qualifier: str, value: int) -> None:
    q = _one(text)
    assert (q.value, q.qualifier) == (value, qualifier)


def test_ranges() -> None:
    found = _quantities("Between 20 and 30 homes burned, and 40-50 cars were towed.")
    assert [(q.value, q.upper, q.unit) for q in found] == [(20, 30, "homes"), (40, 50, "cars")]
    assert found[0].text.startswith("Between")


def test_range_with_units_on_both_ends() -> None:
    q = _one("Repairs will cost from $2 million to $3.5 million.")
    assert (q.value, q.upper, q.kind, q.unit) == (2_000_000, 3_500_000, "money", "USD")


def test_percent_money_and_measures() -> None:
    found = _quantities(
        "The council lost about 15% of its budget, or $1.2 million, and the smoke drifted 30 kilometers."
    )
    assert [(q.value, q.qualifier, q.kind, q.unit) for q in found] == [
        (15, "~", "percent", "percent"),
        (1_200_000, "=", "money", "USD"),
        (30, "=", "measure", "kilometers"),
    ]
    assert found[0].scope == "of its budget"


def test_counted_noun_is_the_head_not_its_modifiers() -> None:
    q = _one("Officials reported 41 U.K. lifeboat rescues last week.")
    assert (q.value, q.unit) == (41, "rescues")


def test_ages_are_measures_in_years_old() -> None:
    q = _one("A 45-year-old fisherman was rescued.")
    assert (q.value, q.kind, q.unit) == (45, "measure", "years old")


def test_vague_quantities_need_a_counted_noun() -> None:
    found = _quantities("Dozens of volunteers came, a handful of boats stayed and some residents left.")
    assert [(q.value, q.unit) for q in found] == [("dozens", "volunteers"), ("a handful", "boats"), ("some", "residents")]
    assert _quantities("Some said the fire was over.") == ()


def test_offsets_and_sentence_index() -> None:
    text = "The fire started at night. Crews saved 14 boats."
    q = _one(text)
    assert text[q.start:q.end] == q.text == "14 boats"
    assert q.sentence == 1


def test_quantities_per_line_is_json_ready() -> None:
    lines = ["About 48 people were evacuated.", "", "No numbers here."]
    results = list(quantities_per_line(lines))
    assert len(results) == 3
    first = results[0]["quantities"][0]
    assert first["value"] == 48 and isinstance(first["value"], int)
    assert first["qualifier"] == "~" and first["unit"] == "people" and first["kind"] == "count"
    assert lines[0][first["start"]:first["end"]] == first["text"]
    assert results[1] == {"quantities": []} and results[2] == {"quantities": []}
    json.dumps(results)


def test_fractions_negative_values_and_south_asian_scales() -> None:
    found = _quantities("Two-thirds of the 90 boats sank as it fell to minus 12 degrees; repairs cost Rs 40 crore.")
    assert [(q.value, q.kind, q.unit) for q in found] == [
        (0.6667, "measure", "fraction"),
        (90, "count", "boats"),
        (-12, "measure", "degrees"),
        (400_000_000, "money", "INR"),
    ]


def test_age_set_off_by_commas_after_a_person() -> None:
    q = _one("Harbour master Ola Brenner, 58, raised the alarm.")
    assert (q.value, q.kind, q.unit) == (58, "measure", "years old")


def test_names_with_numbers_and_scores_are_not_counts() -> None:
    assert _quantities("Crews with 5G radios watched Game 7, which ended 3-1, on Pier 4.") == ()


def test_a_phrase_holding_another_number_is_not_a_scope() -> None:
    found = _quantities("About 51 people were hurt since Friday, 29 in Carrow and 22 in Dunmere.")
    assert [q.scope for q in found] == ["since Friday", "in Carrow", "in Dunmere"]
    assert {q.unit for q in found} == {"people"}


def test_half_a_scale() -> None:
    found = _quantities("Half a million people and half a dozen boats were affected.")
    assert [(q.value, q.unit) for q in found] == [(500_000, "people"), (6, "boats")]


def test_temperatures_and_hyphenated_scales() -> None:
    found = _quantities("The warehouse reached 40C, about 104F, and losses hit $1.5-billion.")
    assert [(q.value, q.qualifier, q.kind, q.unit) for q in found] == [
        (40, "=", "measure", "\u00b0C"),
        (104, "~", "measure", "\u00b0F"),
        (1_500_000_000, "=", "money", "USD"),
    ]


def test_count_after_a_weekday_is_kept() -> None:
    q = _one("Officials said Tuesday 14 boats were damaged.")
    assert (q.value, q.unit) == (14, "boats")


def test_counted_noun_from_the_parse_past_names_and_hyphens() -> None:
    found = _quantities("She sang at four All-Star galas and mended dozens of Vela and Norra boats.")
    assert [(q.value, q.unit) for q in found] == [(4, "galas"), ("dozens", "boats")]


def test_measures_glued_or_after_a_name_and_signed_words() -> None:
    found = _quantities("The Marlo's 410bhp engine has 64GB of memory; nights fall to minus-40 degrees.")
    assert [(q.value, q.kind, q.unit) for q in found] == [
        (410, "measure", "bhp"),
        (64, "measure", "gb"),
        (-40, "measure", "degrees"),
    ]


def test_scale_suffix_at_a_sentence_end() -> None:
    q = _one("The chief's package was worth up to PS3.4m.")
    assert (q.value, q.qualifier, q.unit) == (3_400_000, "<=", "GBP")


def test_degree_words_before_a_qualifier_and_a_conversion_in_brackets() -> None:
    found = _quantities("Slightly more than 40 boats sank, in water well over 9 miles (14 km) from shore.")
    assert found[0].text == "Slightly more than 40 boats" and found[0].qualifier == ">"
    assert [(q.value, q.qualifier) for q in found[1:]] == [(9, ">"), (14, ">")]


@pytest.mark.parametrize(
    ("text", "unit"),
    [
        ("Most of the burns were mild, though more than 12 have needed skin grafts.", "burns"),
        ("The crews treated burns, and more than 12 have caused deep burns.", "burns"),
        ("The burns were mild, though more than 12 have needed skin grafts.", None),
        ("Many of the fishermen left the quay, but 40 stayed behind.", "fishermen"),
        ("Of the ferries in the port, 7 were damaged.", "ferries"),
        ("Crews fought the blaze while 30 watched from the hill.", None),
        ("The board met on Friday and 9 voted for the plan.", None),
    ],
)
def test_a_bare_count_takes_its_noun_only_from_a_clear_antecedent(text: str, unit: str | None) -> None:
    q = _one(text)
    assert q.unit == unit


@pytest.mark.parametrize(
    ("text", "qualifier", "value", "unit"),
    [
        ("It cost more than US $2.4 million.", ">", 2_400_000, "USD"),
        ("About ~30 boats and >50 cars were hit.", "~", 30, "boats"),
        ("Some 40-odd trawlers were moored.", "~", 40, "trawlers"),
        ("We expect 20 volunteers or more.", ">=", 20, "volunteers"),
        ("Sales were in the region of 500 crates.", "~", 500, "crates"),
        ("Residents aged 18 and older may vote.", ">=", 18, "years old"),
        ("The yard hired 30-plus welders.", ">", 30, "welders"),
    ],
)
def test_qualifiers_in_more_positions(text: str, qualifier: str, value: int, unit: str) -> None:
    q = _quantities(text)[0]
    assert (q.qualifier, q.value, q.unit) == (qualifier, value, unit)


def test_an_interval_opened_by_from_and_closed_by_to() -> None:
    q = _one("Fuel use fell, as range grew from 21 miles per gallon in town to 26 overall.")
    assert (q.value, q.upper) == (21, 26)
    found = _quantities("The fund rose to $9 million from $7 million.")
    assert [q.upper for q in found] == [None, None]


def test_marks_fractions_ratios_and_glued_scales() -> None:
    found = _quantities("The mast is 31.5\u2033 thick; the sail took 2\u00bd hours; one in four sailors and 40m passengers.")
    assert [(q.value, q.unit) for q in found] == [(31.5, "\u2033"), (2.5, "hours"), (1, None), (4, "sailors"), (40_000_000, "passengers")]


def test_a_change_to_a_new_value_is_not_a_range() -> None:
    found = _quantities("Shares of Norvik rose $2.10 to $48.30 on Monday.")
    assert [(q.value, q.upper) for q in found] == [(2.1, None), (48.3, None)]


def test_percent_ranges_written_with_two_signs() -> None:
    found = _quantities("Rates moved within 3.25%-3.5% and then 10%\u201312%.")
    assert [(q.value, q.upper, q.unit) for q in found] == [(3.25, 3.5, "percent"), (10, 12, "percent")]


def test_money_ranges_with_two_signs_and_national_currencies() -> None:
    found = _quantities("Repairs cost $4 million-$6 million, or 9 million Canadian dollars and 2,000 Swiss francs.")
    assert [(q.value, q.upper, q.kind, q.unit) for q in found] == [
        (4_000_000, 6_000_000, "money", "USD"),
        (9_000_000, None, "money", "CAD"),
        (2000, None, "money", "CHF"),
    ]


def test_far_off_years_and_names_written_with_a_spaced_dash_are_not_values() -> None:
    found = _quantities("Seas could rise 2 feet by 2140, while MH -21 crews saw -12 degrees.")
    assert [(q.value, q.unit) for q in found] == [(2, "feet"), (-12, "degrees")]


def test_glued_units_of_devices_and_science() -> None:
    found = _quantities("The drone carries a 48MP camera, a 4nm chip and films at 60fps.")
    assert [(q.value, q.kind, q.unit) for q in found] == [(48, "measure", "mp"), (4, "measure", "nm"), (60, "measure", "fps")]


def test_multipliers_and_percentage_points_glued() -> None:
    found = _quantities("The lens has a 12x zoom, and turnout rose 3pp to 61%.")
    assert [(q.value, q.upper, q.unit) for q in found] == [(12, None, "times"), (3, None, "percentage points"), (61, None, "percent")]


def test_adjectives_standing_for_people_are_the_unit() -> None:
    found = _quantities("The storm left 6 dead and 41 injured; 20 were hurt by glass.")
    assert [(q.value, q.unit) for q in found][:2] == [(6, "dead"), (41, "injured")]


def test_a_measure_after_another_measure_is_not_a_model_number() -> None:
    found = _quantities("The scout timed her at 5.1 second 60 metre sprint in the trial.")
    assert [q.value for q in found] == [5.1, 60]
    assert found[1].unit == "metre"


def test_a_plural_scale_standing_alone_is_a_vague_count() -> None:
    found = _quantities("Hundreds were evacuated from the valley, and the repairs will cost millions.")
    assert [(q.value, q.kind) for q in found] == [("hundreds", "vague"), ("millions", "vague")]
    assert _quantities("The choir scores well every year.") == ()


def test_numbers_glued_to_words_or_brackets_by_the_tokenizer() -> None:
    found = _quantities("The 12m (39ft)-long hull drew crowds.")
    assert [(q.value, q.unit) for q in found] == [(12, "m"), (39, "ft")]
    assert [(q.value, q.unit) for q in _quantities("The father of her now-18 month-old daughter arrived.")] == [(18, "month")]
    assert _quantities("By mid-2030 the B-52 fleet will be retired.") == ()


def test_a_count_the_tagger_puts_inside_a_name_still_counts_its_noun() -> None:
    from spacy.tokens import Span

    from accord.analyze.nlp import get_nlp

    text = "Orla Systems said 20 servers failed."
    doc = get_nlp()(text)
    doc.ents = [Span(doc, 0, 6, label="ORG")]  # the tagger running the name on over the count
    found = extract_quantities(doc, split_sentences(text))
    assert [(q.value, q.unit) for q in found] == [(20, "servers")]


def test_a_fraction_written_after_a_whole_number_is_added() -> None:
    found = _quantities("The dig took two and a half years and cost one and a half million dollars.")
    assert [(q.value, q.unit) for q in found] == [(2.5, "years"), (1_500_000, "USD")]
    assert _one("The trail runs 4 1/2 miles along the cliff.").value == 4.5


def test_any_comparative_before_than_is_a_bound() -> None:
    found = _quantities("The new span is longer than 400 metres and cheaper than $90 million.")
    assert [(q.value, q.qualifier) for q in found] == [(400, ">"), (90_000_000, "<")]


def test_half_before_a_determiner_is_a_fraction() -> None:
    found = _quantities("Half the crew stayed ashore.")
    assert [(q.value, q.unit) for q in found] == [(0.5, "fraction")]
    assert _quantities("The ferry left in half an hour.") == ()


def test_indian_digit_grouping() -> None:
    assert parse_number(["2,50,000"]) == 250_000
    assert parse_number(["1,23,45,678"]) == 12_345_678


def test_an_average_of_states_the_figure_while_averaging_approximates() -> None:
    assert _one("Flats in the old town sold after an average of 40 days.").qualifier == "="
    assert _one("The striker is averaging 21 points a game.").qualifier == "~"


def test_as_many_as_bounds_the_count_from_above() -> None:
    quantity = _one("As many as 300 volunteers searched the dunes.")
    assert (quantity.value, quantity.qualifier, quantity.text) == (300, "<=", "As many as 300 volunteers")
    assert _one("Rents fell to as low as 3% of income.").qualifier == ">="


def test_street_numbers_are_not_quantities() -> None:
    found = _quantities("The firm leased 12-14 Quarry Avenue and 9 W 52nd St, and hired 40 workers.")
    assert [(q.value, q.unit) for q in found] == [(40, "workers")]


@pytest.mark.parametrize(
    ("text", "value", "previous"),
    [
        ("Ticket sales at the Ormsby depot fell from 4,200 to 3,900 last month.", 3900, 4200),
        ("The toll was cut from $12 to $9 after the protest.", 9, 12),
        ("Membership jumped from 240 to 273 over the winter.", 273, 240),
        ("The guild went from 1000 to 2000 members in a year.", 2000, 1000),
    ],
)
def test_a_change_from_one_value_to_another_keeps_both(text: str, value: int, previous: int) -> None:
    q = _one(text)
    assert (q.value, q.previous, q.upper) == (value, previous, None)
    assert q.text.startswith("from ")


def test_from_to_without_a_change_is_still_a_range() -> None:
    q = _one("Tickets cost from 20 to 30 dollars at the door.")
    assert (q.value, q.upper, q.previous) == (20, 30, None)


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("The Dorvale mill reported revenue of EUR50m for the year.", 50_000_000, "EUR"),
        ("The Tanhill plot sold for AUD1.5m on Friday.", 1_500_000, "AUD"),
        ("Rooms in Kelmar start at RM79 a night.", 79, "MYR"),
        ("Rent at the Brisk tower is now Rs500 a week.", 500, "INR"),
        ("The fraud moved RM3.06mil through a shell firm.", 3_060_000, "MYR"),
    ],
)
def test_currency_codes_written_against_the_digits(text: str, value: int, unit: str) -> None:
    q = _one(text)
    assert (q.value, q.unit, q.kind) == (value, unit, "money")


def test_a_three_letter_code_that_is_no_currency_is_an_identifier() -> None:
    assert _quantities("The QRX450 unit failed its test.") == ()


def test_ascii_degrees_and_units_glued_to_both_ends_of_a_range() -> None:
    found = _quantities("Readings rose 2.14degF (1.19deg C) above normal; the hum sat between 15kHz and 17kHz.")
    assert [(q.value, q.upper, q.unit) for q in found] == [(2.14, None, "\u00b0F"), (1.19, None, "\u00b0C"), (15, 17, "khz")]


def test_numbers_written_in_one_unusual_token() -> None:
    found = _quantities(
        "Demand for sub-300 sq m units grew more than sixfold, a 10-fold jump in two years. "
        "The grain weighs about 2.5\u00d710\u22128 kilograms. Add 1/2 pound of oats to the 7- or 8-inch tins."
    )
    got = [(q.value, q.qualifier, q.unit) for q in found]
    assert (300, "<", "sq m") in got
    assert (6, ">", "fold") in got and (10, "=", "fold") in got
    assert any(abs(q.value - 2.5e-8) < 1e-12 and q.qualifier == "~" for q in found)
    assert (0.5, "=", "pound") in got
    assert (7, "=", "inch") in got and (8, "=", "inch") in got


def test_index_names_per_million_and_halves_of_a_game_are_not_quantities() -> None:
    found = _quantities(
        "The S&P 500 rose 0.4% and the FTSE 100 fell 1.1%. Ozone reached 80 parts per million "
        "in the second half of the match. FTSE -0.6% CAC -1.2%."
    )
    assert [q.value for q in found] == [0.4, 1.1, 80, -0.6, -1.2]


def test_an_age_limit_and_a_fraction_in_fourths() -> None:
    found = _quantities("One fourth of the pupils under the age of 12 walk to school.")
    assert [(q.value, q.qualifier) for q in found] == [(0.25, "="), (12, "<")]


def test_ranges_with_the_scale_or_a_qualifier_on_the_upper_end_only() -> None:
    found = _quantities(
        "The plan needs from $10 to $15 billion. Flats run from 450 sq ft up to 900 sq ft. "
        "Grants range from $200,000 to $4 million."
    )
    assert [(q.value, q.upper, q.qualifier) for q in found] == [
        (10_000_000_000, 15_000_000_000, "="),
        (450, 900, "="),
        (200_000, 4_000_000, "="),
    ]


def test_a_scale_suffix_counts_a_noun_past_coordinated_adjectives() -> None:
    q = _one("The album sold 2.7m combined digital and physical copies.")
    assert (q.value, q.unit) == (2_700_000, "copies")


def test_alternatives_given_respectively_are_two_amounts() -> None:
    found = _quantities("The bids from Orla and Brenn came in $30 or $45 under the reserve, respectively.")
    assert [(q.value, q.upper) for q in found] == [(30, None), (45, None)]
    assert _one("The trip takes three or four hours.").upper == 4


def test_a_running_since_period_carries_into_the_next_two_sentences() -> None:
    text = (
        "Since June 2, crews in Tarrow have answered 40 calls. They have treated approximately "
        "12 burns, officials said. Medics flew 4 patients to Carrick. The service has 300 staff."
    )
    found = _quantities(text)
    assert [(q.value, q.scope) for q in found] == [
        (40, "Since June 2"),
        (12, "Since June 2"),
        (4, "Since June 2"),
        (300, None),
    ]


def test_phone_words_clock_times_addresses_and_decades_are_not_counts() -> None:
    text = (
        "Call 800-DOCK-24-7 with tips. The tremor struck at 1412 (1042 GMT) near the 2200 block "
        "of Keel Street. The pier was built in the nineteen fifties."
    )
    assert _quantities(text) == ()


def test_magnitude_and_an_age_given_as_the_age_of() -> None:
    found = _quantities("A 5.8-magnitude quake shook Orrin. The skipper died at the age of 88.")
    assert [(q.value, q.unit, q.kind) for q in found] == [(5.8, "magnitude", "measure"), (88, "years old", "measure")]


@pytest.mark.parametrize(
    "text",
    ["Brannagh, 49, took the guards' keys.", "The actress, 26, checked in late.", "Police found Ilse Marten, 59, of Oxley."],
)
def test_an_age_set_off_by_commas_after_a_name_or_a_person_word(text: str) -> None:
    q = _one(text)
    assert q.unit == "years old"


def test_magnitudes_calibres_and_vague_scales_in_more_forms() -> None:
    found = _quantities(
        "A magnitude 5.1 quake hit Dunmore; a magnitude-4.4 aftershock and a tremor measuring 3.2 on "
        "the Richter scale followed. Police found a .38 caliber pistol. Its users number several hundred million."
    )
    assert [(q.value, q.unit) for q in found] == [
        (5.1, "magnitude"), (4.4, "magnitude"), (3.2, "magnitude"), (0.38, "caliber"), ("several hundred million", None),
    ]
    assert found[0].text == "magnitude 5.1"


def test_the_emergency_number_is_not_a_count() -> None:
    assert _quantities("A neighbour made the 911 call just after dawn.") == ()
