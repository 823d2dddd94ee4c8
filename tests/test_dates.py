"""Date parsing, date lines, datelines and story-level dates."""

from __future__ import annotations

import pytest

from accord.dates import (
    Dateline,
    assign_story_dates,
    date_line,
    parse_date,
    parse_datetime,
    split_dateline,
)
from accord.ingest import ReadOptions, article_from_text
from accord.models import Article


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-03-14", "2024-03-14"),
        ("2024-03-14T22:30:00+02:00", "2024-03-14"),
        ("March 14, 2024", "2024-03-14"),
        ("14 Mar 2024", "2024-03-14"),
        ("Thu, 14 Mar 2024 09:30:00 GMT", "2024-03-14"),
        ("March 14", None),
        ("Harbour Road", None),
        ("", None),
    ],
)
def test_parse_date(text: str, expected: str | None) -> None:
    assert parse_date(text) == expected


def test_parse_datetime_keeps_the_time_in_utc() -> None:
    assert parse_datetime("2024-03-14T22:30:00+02:00") == "2024-03-14T20:30:00Z"
    assert parse_datetime("March 14, 2024") == "2024-03-14"


@pytest.mark.parametrize(
    ("line", "iso", "updated"),
    [
        ("June 2, 2024", "2024-06-02", False),
        ("Published: 2 June 2024 10:15 BST", "2024-06-02", False),
        ("Sunday, June 2, 2024, 6:45 PM EDT", "2024-06-02", False),
        ("Updated on 03.06.2024 at 09:00", "2024-06-03", True),
    ],
)
def test_date_line(line: str, iso: str, updated: bool) -> None:
    found = date_line(line)
    assert found is not None
    assert (found.date, found.updated) == (iso, updated)


@pytest.mark.parametrize(
    "line",
    ["Ferry service resumes in 2024", "The council met on June 2, 2024 to vote on the budget.", "June 2"],
)
def test_not_a_date_line(line: str) -> None:
    assert date_line(line) is None


@pytest.mark.parametrize(
    ("paragraph", "expected"),
    [
        ("PORT ELLIS \u2013 The ferry left late.", Dateline("PORT ELLIS \u2013", "PORT ELLIS")),
        ("OSLO (AP) \u2014 The ferry left late.", Dateline("OSLO (AP) \u2014", "OSLO", agency="AP")),
        ("OSLO, June 2 (Reuters) - The ferry left late.", Dateline("OSLO, June 2 (Reuters) -", "OSLO", agency="Reuters")),
        (
            "OSLO, June 2, 2024 (Reuters) - The ferry left late.",
            Dateline("OSLO, June 2, 2024 (Reuters) -", "OSLO", "2024-06-02", "Reuters"),
        ),
        ("Bergen, Norway \u2014 The ferry left late.", Dateline("Bergen, Norway \u2014", "Bergen, Norway")),
    ],
)
def test_split_dateline(paragraph: str, expected: Dateline) -> None:
    assert split_dateline(paragraph) == expected


@pytest.mark.parametrize(
    "paragraph",
    ["The ferry \u2014 an old one \u2014 left late.", "BREAKING \u2014 The ferry left late.", "Ferries - all of them - ran late."],
)
def test_no_dateline(paragraph: str) -> None:
    assert split_dateline(paragraph) is None


def _dated(article_id: str, published: str | None) -> Article:
    return Article(id=article_id, title="t", text="x", published=published,
                   published_from="metadata" if published else None)


def test_story_dates_take_the_most_common_date_and_keep_order() -> None:
    articles = [_dated("a", None), _dated("b", "2024-06-02"), _dated("c", "2024-06-03"),
                _dated("d", "2024-06-03"), _dated("e", None)]
    result = assign_story_dates(articles)
    assert [a.id for a in result] == ["a", "b", "c", "d", "e"]
    assert (result[0].published, result[0].published_from) == ("2024-06-03", "story")
    assert (result[4].published, result[4].published_from) == ("2024-06-03", "story")
    assert result[1] is articles[1]


def test_story_dates_tie_goes_to_the_earliest_and_none_stays_none() -> None:
    result = assign_story_dates([_dated("a", "2024-06-03"), _dated("b", "2024-06-02"), _dated("c", None)])
    assert result[2].published == "2024-06-02"
    assert assign_story_dates([_dated("a", None)])[0].published is None


BODY = "The ferry to Skarvik left two hours late on Sunday because of fog, the operator said."


def test_date_order_metadata_then_dateline_then_option() -> None:
    option = ReadOptions(published="2024-01-01")
    from_metadata = article_from_text(f"June 2, 2024\n\n{BODY}", id="a", title="t",
                                      published="2024-06-01", options=option)
    from_date_line = article_from_text(f"Published: June 2, 2024\n\n{BODY}", id="e", title="t", options=option)
    from_dateline = article_from_text(f"OSLO, June 2, 2024 \u2014 {BODY}", id="b", title="t", options=option)
    from_option = article_from_text(BODY, id="c", title="t", options=option)
    nothing = article_from_text(BODY, id="d", title="t")
    assert isinstance(from_metadata, Article) and isinstance(from_dateline, Article)
    assert isinstance(from_option, Article) and isinstance(nothing, Article)
    assert (from_metadata.published, from_metadata.published_from) == ("2024-06-01", "metadata")
    assert isinstance(from_date_line, Article)
    assert (from_date_line.published, from_date_line.published_from) == ("2024-06-02", "metadata")
    assert (from_dateline.published, from_dateline.published_from) == ("2024-06-02", "dateline")
    assert (from_option.published, from_option.published_from) == ("2024-01-01", "option")
    assert (nothing.published, nothing.published_from) == (None, None)


def test_read_options_reject_a_bad_date() -> None:
    with pytest.raises(ValueError, match="published"):
        ReadOptions(published="next tuesday-ish")
    with pytest.raises(ValueError, match="max_bytes"):
        ReadOptions(max_bytes=0)
