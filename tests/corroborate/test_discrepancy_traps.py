"""The traps of real coverage, analysed for real: figures that look alike and are not the same.

Each story is a few invented articles; a report must compare like with like or say nothing.
"""

from __future__ import annotations

import pytest

from accord.analyze import analyze_story
from accord.corroborate.discrepancies import find_discrepancies, find_quantity_discrepancies
from accord.models import Article

pytestmark = pytest.mark.slow


def _story(*texts: str, published: str | tuple[str, ...] = "2025-01-18") -> list:
    dates = published if isinstance(published, tuple) else (published,) * len(texts)
    articles = [Article(id=f"a{i}", title="", text=text, published=day, published_from="metadata")
                for i, (text, day) in enumerate(zip(texts, dates, strict=True))]
    return analyze_story(articles)


def _values(d) -> dict[str, set[str]]:
    return {v.value: set(v.articles) for v in d.values}


def test_ages_beside_counts_are_never_compared_with_the_count() -> None:
    story = _story(
        "Police arrested three men, aged between 33 and 40, after a brawl outside a coffee shop in Kelso.",
        "Three men aged 33 to 40 were arrested after the coffee shop brawl in Kelso, police said.",
        "The arrested men, aged 33 to 40, were taken away after the brawl in Kelso. A 36-year-old woman "
        "was taken to hospital.",
    )
    assert find_quantity_discrepancies(story) == []


def test_a_yearly_statistic_is_not_the_incidents_figure() -> None:
    story = _story(
        "Two fires broke out in flats in Lowmoor on Monday, the fire service said. "
        "The service attended 970 fires in homes in 2024.",
        "Firefighters put out two fires in Lowmoor flats on Monday. In 2023 there were 1,054 fires in homes.",
        "Two fires broke out in Lowmoor on Monday, the fire service said.",
    )
    assert find_quantity_discrepancies(story) == []


def test_a_background_incident_is_not_compared_with_the_storys_own() -> None:
    story = _story(
        "Fourteen people were injured when a warehouse burned on Marrow Quay on Sunday.",
        "Fourteen people were injured in Sunday's warehouse fire on Marrow Quay. In a separate incident, "
        "four people were injured when a boat caught fire at Carrick.",
        "A warehouse fire on Marrow Quay injured 14 people on Sunday. The last big fire on the quay was "
        "in March 2019. It injured six people.",
        published="2024-03-05",
    )
    assert find_quantity_discrepancies(story) == []


def test_two_incidents_in_one_file_are_kept_apart() -> None:
    story = _story(
        "A Toyota van rear-ended two motorcycles on the Kestrel Expressway on Tuesday. "
        "A 38-year-old male car driver is assisting with police investigations.",
        "Two motorcycles were hit by a Toyota van on the Kestrel Expressway. "
        "A 38-year-old male driver is assisting with investigations, police said.",
        "A Mazda rear-ended a motorcycle along Brindle Road on Friday night. "
        "A 27-year-old male car driver is assisting with investigations.",
        "A motorcyclist was hurt after a Mazda hit his bike on Brindle Road. "
        "A 27-year-old male car driver is assisting with police investigations.",
    )
    assert find_quantity_discrepancies(story) == []


def test_a_count_growing_over_days_is_an_update() -> None:
    story = _story(
        "Police have recaptured 13 escaped inmates, the prison service said on Monday.",
        "Police have now recaptured 23 escaped inmates, the prison service said.",
        "Police have recaptured 34 escaped inmates, the prison service said on Wednesday.",
        published=("2025-01-13", "2025-01-14", "2025-01-15"),
    )
    found = find_quantity_discrepancies(story)
    assert len(found) == 1
    d = found[0]
    assert d.update is True and d.conflict is False
    assert {v.value: v.as_of for v in d.values} == {"13": "2025-01-13", "23": "2025-01-14", "34": "2025-01-15"}


def test_a_real_conflict_is_still_found() -> None:
    story = _story(
        "The landslide near Pellam injured 56 hikers on Saturday, rangers said.",
        "Rangers said 62 hikers were injured in Saturday's landslide near Pellam.",
        "A landslide near Pellam on Saturday injured 62 hikers, according to rangers.",
    )
    found = find_quantity_discrepancies(story)
    assert len(found) == 1
    assert _values(found[0]) == {"62": {"a1", "a2"}, "56": {"a0"}}
    assert found[0].conflict is True


def test_bounds_that_can_both_hold_are_compatible() -> None:
    story = _story(
        "More than 20 volunteers searched the Dunmore woods for the missing boy on Friday.",
        "At least 25 volunteers searched the Dunmore woods on Friday for the missing boy.",
    )
    found = find_quantity_discrepancies(story)
    assert len(found) == 1
    assert found[0].conflict is False and found[0].update is False
    assert set(_values(found[0])) == {"20", "25"}


def test_a_vague_word_and_a_number_it_covers_are_compatible() -> None:
    story = _story(
        "Eight fishermen were rescued from the capsized trawler off Raskel Point on Sunday.",
        "Several fishermen were rescued from a capsized trawler off Raskel Point on Sunday.",
    )
    found = find_quantity_discrepancies(story)
    assert len(found) == 1
    assert found[0].conflict is False
    assert _values(found[0]) == {"8": {"a0"}, "several": {"a1"}}


def test_two_figures_one_article_gives_for_two_things_are_not_a_conflict() -> None:
    story = _story(
        "Offenders face a fine of up to $10,000 for a first offence and up to $20,000 for a repeat offence.",
        "First-time offenders face a fine of up to $10,000, the authority said.",
        "Repeat offenders face a fine of up to $20,000, the authority said.",
    )
    assert find_quantity_discrepancies(story) == []


def test_an_amount_and_its_conversion_are_not_a_conflict() -> None:
    story = _story(
        "Wang forfeited S$240 million (US$180 million) of his assets to the state.",
        "Wang forfeited S$240 million of his assets to the state, the court heard.",
    )
    assert [d for d in find_discrepancies(story) if d.kind == "quantity"] == []


def test_figures_an_order_of_magnitude_apart_are_two_figures_not_one_disputed() -> None:
    story = _story(
        "The storm in Wexley injured five people on Tuesday, the council said.",
        "Fifty people were injured in the Wexley storm on Tuesday, the council said.",
    )
    assert find_quantity_discrepancies(story) == []


def test_the_whole_a_part_is_taken_from_is_not_the_part() -> None:
    story = _story(
        "Okafor missed nine games this season because of the knee injury, the Harriers said.",
        "Okafor missed 10 of the Harriers' 16 games this season with the knee injury.",
        "Okafor missed nine games this season with a knee injury.",
    )
    found = find_quantity_discrepancies(story)
    assert all("16" not in _values(d) for d in found)


def test_outlets_that_disagree_on_the_day_still_state_one_event() -> None:
    story = _story(
        "Eleven people were injured in the fire at the Tarn Street depot that started on Saturday night.",
        "Fourteen people were injured when a fire tore through the Tarn Street depot on Sunday night.",
    )
    found = find_quantity_discrepancies(story)
    assert [sorted(_values(d)) for d in found] == [["11", "14"]]


def test_one_article_giving_two_magnitudes_measures_two_quakes() -> None:
    story = _story(
        "A magnitude 6.2 earthquake struck Varo on Sunday. An aftershock measuring 4.4 followed, "
        "the observatory said.",
        "An earthquake measuring 4.4 shook Varo, the observatory said.",
        "The earthquake measuring 6.2 shook Varo, the observatory said.",
    )
    assert find_quantity_discrepancies(story) == []


def test_an_age_belongs_to_the_name_that_follows_it() -> None:
    story = _story(
        "After Hale's fall another climber, 36-year-old Duncan Reyes, died on the ridge.",
        "Tom Hale, 31, fell 200 metres on the ridge.",
        "Tom Hale, 32, fell while climbing the ridge.",
    )
    found = find_quantity_discrepancies(story)
    assert [sorted(_values(d)) for d in found] == [["31", "32"]]
