"""The data model converts to JSON-ready data and back without loss."""

from __future__ import annotations

import json

from accord.models import (
    Article,
    Discrepancy,
    DiscrepancyValue,
    Evidence,
    Removed,
    Report,
    Skipped,
    Story,
    from_dict,
    to_dict,
)


def _report() -> Report:
    article = Article(
        id="a1",
        title="Ferry runs aground",
        text="The ferry ran aground on Friday.",
        source="Example Daily",
        published="2024-05-03",
        published_from="metadata",
        removed=(Removed(text="Back to top", reason="navigation"),),
        input="stories/a1.txt",
    )
    value = DiscrepancyValue(
        value="12",
        qualifier="=",
        articles=("a1",),
        evidence=(Evidence(article="a1", sentence="12 were hurt.", start=0, end=13),),
    )
    story = Story(
        id="s1",
        title="Ferry runs aground",
        articles=(article,),
        discrepancies=(
            Discrepancy(id="d1", kind="quantity", conflict=True, about="people hurt",
                        values=(value, DiscrepancyValue(value="9", articles=("a2",)))),
        ),
    )
    return Report(stories=(story,), skipped=(Skipped(input="x.bin", reason="binary file"),))


def test_to_dict_gives_plain_json_data() -> None:
    data = to_dict(_report())
    text = json.dumps(data)
    assert json.loads(text) == data
    article = data["stories"][0]["articles"][0]
    assert article["removed"] == [{"text": "Back to top", "reason": "navigation"}]
    assert isinstance(data["stories"][0]["discrepancies"][0]["values"], list)


def test_private_provenance_stays_out_of_the_report() -> None:
    article = to_dict(_report())["stories"][0]["articles"][0]
    assert "input" not in article


def test_from_dict_rebuilds_nested_dataclasses() -> None:
    original = _report()
    rebuilt = from_dict(Report, to_dict(original))
    story = rebuilt.stories[0]
    assert isinstance(story, Story)
    assert isinstance(story.discrepancies[0].values[0].evidence[0], Evidence)
    assert story.discrepancies[0].values[1].value == "9"
    assert rebuilt.skipped == original.skipped
    # Everything but the private input path survives the round trip.
    assert to_dict(rebuilt) == to_dict(original)


def test_from_dict_ignores_unknown_fields() -> None:
    data = to_dict(_report())
    data["stories"][0]["articles"][0]["a_future_field"] = 1
    rebuilt = from_dict(Report, data)
    assert rebuilt.stories[0].articles[0].id == "a1"
