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
