"""Story grouping at the level of incidents: similar incidents apart, follow-ups joined."""

from __future__ import annotations

import pytest

from accord.group import Doc, GroupOptions, StoryIndex, cluster_batch, doc_features, make_doc, regroup

# Two crashes of the same kind on the same day in two towns: the reports share their words
# (motorcyclist, car, hospital, police), not their names, places or numbers. No headlines:
# local news often comes with the headline run into the first sentence.
ARLEN = [
    "Motorcyclist hurt after car hits bike on Ferris Road in Arlen. A 28-year-old motorcyclist was "
    "taken to Arlen General Hospital after a car hit his motorcycle on Ferris Road on Jan 14. The "
    "police said a 41-year-old driver, Tomas Keel, is helping with investigations.",
    "Car rear-ends motorcycle on Arlen's Ferris Road. Police said they were alerted to the accident "
    "on Ferris Road at 8.10am on Jan 14. The 28-year-old rider was conscious when taken to Arlen "
    "General Hospital; the driver, Tomas Keel, 41, stayed at the scene.",
    "Arlen rider, 28, in hospital after Ferris Road collision. Dashcam footage shared online shows a "
    "grey car striking the motorcycle on Ferris Road. Tomas Keel, the 41-year-old driver, is "
    "assisting police, who said the rider was taken to Arlen General Hospital.",
]
DUNMORE = [
    "Motorcyclist injured after collision with lorry in Dunmore. A 35-year-old motorcyclist was "
    "taken to St Bride's Hospital after his bike collided with a lorry on Quarry Lane in Dunmore on "
    "Jan 14. The lorry driver, Wendell Oyelaran, 52, is helping police.",
    "Lorry and motorcycle collide on Dunmore's Quarry Lane. The police said they were alerted at "
    "5.40pm on Jan 14 to the crash on Quarry Lane. The 35-year-old rider was conscious when taken to "
    "St Bride's Hospital; the 52-year-old lorry driver, Wendell Oyelaran, stayed at the scene.",
]
# The Arlen crash days later: the driver charged, naming the same people, road and day.
ARLEN_FOLLOW_UP = (
    "Driver charged over Ferris Road crash that injured Arlen motorcyclist. Tomas Keel, 41, was "
    "charged in Arlen District Court on Jan 21 with causing grievous hurt by a negligent act. The "
    "28-year-old motorcyclist he hit on Ferris Road on Jan 14 is still at Arlen General Hospital."
)
# A different crash of the same kind in Arlen a week later, sharing only the town.
ARLEN_OTHER = (
    "Cyclist hurt after van hits bicycle near Arlen station. A 63-year-old cyclist, Imelda Varga, was "
    "taken to hospital after a van hit her bicycle on Station Parade on Jan 21. The 30-year-old van "
    "driver, Bastian Kroll, is helping police with investigations."
)


def _docs(texts: list[str], day: str) -> list[Doc]:
    return [make_doc(f"{day}:{text[:40]}", "", text, published=day) for text in texts]


def test_the_lead_counts_as_the_headline_when_there_is_none() -> None:
    without = doc_features("", "Fire guts Arlen depot. Crews fought the fire all night.")
    assert without["e:arlen"] == 2  # the lead counted again, as a headline would be
    with_title = doc_features("Fire guts Arlen depot", "Crews fought the fire all night.")
    assert with_title["e:arlen"] == 2
    assert doc_features("", "") == {}


def test_named_calendar_days_are_features_of_their_own() -> None:
    counts = doc_features("Warehouse blaze", "The fire broke out on Jan 14 and again on 3 February. "
                          "On Feb. 21, 2025 crews came back; 14 were hurt at 10:30.")
    assert counts["d:01-14"] == 1
    assert counts["d:02-03"] == 1
    assert counts["d:02-21"] == 1
    assert counts["n:14"] == 1  # the count, not the day
    assert "n:3" not in counts and "n:21" not in counts
    assert counts["n:2025"] == 1


@pytest.mark.parametrize("mode", ["batch", "index"])
def test_two_similar_crashes_in_two_towns_on_one_day_stay_apart(mode: str) -> None:
    docs = _docs(ARLEN, "2025-01-14") + _docs(DUNMORE, "2025-01-14")
    if mode == "batch":
        labels = cluster_batch(docs)
    else:
        labels = StoryIndex().add_batch(docs)
    assert len(set(labels[:3])) == 1
    assert len(set(labels[3:])) == 1
    assert labels[0] != labels[3]


@pytest.mark.parametrize("mode", ["batch", "index"])
def test_a_follow_up_days_later_naming_the_same_people_and_place_joins(mode: str) -> None:
    docs = _docs(ARLEN, "2025-01-14") + _docs(DUNMORE, "2025-01-14")
    follow_up = make_doc("follow-up", "", ARLEN_FOLLOW_UP, published="2025-01-21")
    if mode == "batch":
        labels = cluster_batch([*docs, follow_up])
    else:
        index = StoryIndex()
        labels = index.add_batch(docs) + index.add_batch([follow_up])
    assert labels[5] == labels[0]
    assert labels[5] != labels[3]


@pytest.mark.parametrize("mode", ["batch", "index"])
def test_a_different_incident_of_the_same_kind_days_later_stays_apart(mode: str) -> None:
    docs = _docs(ARLEN, "2025-01-14")
    other = make_doc("other", "", ARLEN_OTHER, published="2025-01-21")
    if mode == "batch":
        labels = cluster_batch([*docs, other])
    else:
        index = StoryIndex()
        labels = index.add_batch(docs) + index.add_batch([other])
    assert labels[3] != labels[0]


def test_follow_ups_further_apart_than_followup_days_open_a_story() -> None:
    docs = _docs(ARLEN, "2025-01-14")
    late = make_doc("late", "", ARLEN_FOLLOW_UP, published="2025-04-21")
    labels = cluster_batch([*docs, late], GroupOptions(followup_days=30))
    assert labels[3] != labels[0]
    index = StoryIndex(GroupOptions(followup_days=30))
    assert index.add_batch(docs)[0] != index.add_batch([late])[0]


def test_without_follow_ups_the_time_window_alone_decides() -> None:
    docs = _docs(ARLEN, "2025-01-14")
    follow_up = make_doc("follow-up", "", ARLEN_FOLLOW_UP, published="2025-01-21")
    options = GroupOptions(followup_name_min=0.0)
    assert len(set(cluster_batch([*docs, follow_up], options))) == 2
    index = StoryIndex(options)
    assert index.add_batch(docs)[0] != index.add_batch([follow_up])[0]


def test_a_small_close_knit_story_is_not_folded_into_a_larger_one_of_its_kind() -> None:
    # Consolidation folds small parts back into their topic's nearest part; a part whose
    # members are far closer to each other than to that part is a story of its own.
    docs = _docs(ARLEN, "2025-01-14") + _docs(DUNMORE, "2025-01-14")
    options = GroupOptions().consolidation()
    labels = regroup(docs, ["s"] * len(docs), options)
    assert labels[0] != labels[3]
