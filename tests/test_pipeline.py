"""The pipeline helpers that do not need the models."""

from __future__ import annotations

import pytest

from accord.models import Article
from accord.pipeline import ReportOptions, build_report, story_title


def _article(article_id: str, title: str) -> Article:
    return Article(id=article_id, title=title, text="Body.")


def test_story_title_prefers_the_headline_sharing_most_words() -> None:
    articles = [
        _article("a", "Mayor opens festival"),
        _article("b", "Fire at Lowhaven warehouse injures workers"),
        _article("c", "Warehouse fire in Lowhaven injures 14 workers"),
        _article("d", "Lowhaven warehouse fire: what we know"),
    ]
    assert story_title(articles) == "Fire at Lowhaven warehouse injures workers"


def test_story_title_without_titles() -> None:
    assert story_title([_article("a", "  ")]) == "Untitled story"


def test_build_report_with_no_articles_keeps_skipped() -> None:
    from accord.models import Skipped

    report = build_report([], skipped=[Skipped(input="empty.txt", reason="empty file")])
    assert report.stories == ()
    assert report.skipped[0].reason == "empty file"
    assert report.generated_by.startswith("accord ")


def test_options_reject_a_summary_of_no_sentences() -> None:
    with pytest.raises(ValueError, match="summary_sentences"):
        ReportOptions(summary_sentences=0)


# --------------------------------------------------------------------------- several stories


def _mixed_articles(tmp_path):  # type: ignore[no-untyped-def]
    from mixed_stories import write_mixed

    from accord.ingest import read

    return read([write_mixed(tmp_path / "mixed")]).articles


def test_split_stories_finds_the_four_stories_of_a_mixed_folder(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from mixed_stories import story_of

    from accord.pipeline import split_stories

    groups = split_stories(_mixed_articles(tmp_path))
    assert len(groups) == 4
    assert [len(g) for g in groups] == [3, 3, 2, 2]  # largest first
    for group in groups:
        assert len({story_of(a.id) for a in group}) == 1


def test_split_stories_keeps_a_copy_with_its_original() -> None:
    from accord.pipeline import split_stories

    body = ("Fourteen people were injured when a fire tore through a warehouse on Marrow Quay in Lowhaven "
            "on Sunday night, the fire service said. More than 60 firefighters fought the blaze.")
    articles = [
        Article(id="fire", title="Fire on Marrow Quay", text=body),
        Article(id="budget", title="Council passes budget",
                text="Lowhaven council passed a budget of 48 million pounds on Wednesday by 21 votes to 9."),
        Article(id="copy", title="Council budget and harbour news", text=body + " Parking fees rise."),
    ]
    groups = split_stories(articles)
    assert sorted(sorted(a.id for a in g) for g in groups) == [["budget"], ["copy", "fire"]]


def test_split_stories_of_one_or_no_article() -> None:
    from accord.pipeline import split_stories

    assert split_stories([]) == []
    only = Article(id="a", title="T", text="Body.")
    assert split_stories([only]) == [[only]]


@pytest.mark.slow
def test_report_of_a_mixed_folder_reports_each_story(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from mixed_stories import story_of, write_mixed

    from accord.pipeline import report

    folder = write_mixed(tmp_path / "mixed")
    result = report([folder])
    assert len(result.stories) == 4
    for story in result.stories:
        assert len({story_of(a.id) for a in story.articles}) == 1
        cited = {a for s in story.summary for a in s.articles}
        assert cited <= {a.id for a in story.articles}
    fire = next(s for s in result.stories if story_of(s.articles[0].id) == "fire")
    assert not any("diesel" in s.text or "Kestrel" in s.text for s in fire.summary)
    one = report([folder], ReportOptions(split=False))
    assert len(one.stories) == 1 and len(one.stories[0].articles) == 10
