"""RSS/Atom reader: entries with content or summary become articles with link, title and date."""

from __future__ import annotations

from pathlib import Path

from accord.ingest import ReadOptions, read_file
from accord.ingest.feeds import read_feed
from accord.models import Article, Skipped

from .builders import BUDGET, TARNFORD, paragraphs_html, rss_feed

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Coast Desk</title>
<entry><title>Ferry service to Inchmore resumes</title>
<link href="https://coastdesk.example/ferry"/><id>tag:coastdesk.example,2024:ferry</id>
<updated>2024-06-02T07:30:00Z</updated><published>2024-06-01T19:00:00Z</published>
<summary>The ferry between Portgrave and Inchmore sailed again on Saturday after a two-week
stoppage caused by a damaged ramp. The operator said all six daily crossings would run from Monday.</summary>
</entry></feed>"""


def _rss() -> bytes:
    return rss_feed([
        {"title": TARNFORD[2][0], "link": "https://valleywire.example/tarnford",
         "pubDate": "Wed, 08 May 2024 09:00:00 GMT", "content": paragraphs_html(TARNFORD[2][1])},
        {"title": BUDGET[0], "link": "https://valleywire.example/harlow-budget",
         "pubDate": "Tue, 07 May 2024 18:00:00 GMT", "description": BUDGET[1]},
        {"title": "Empty entry", "link": "https://valleywire.example/empty"},
    ]).encode("utf-8")


def test_rss_entries_become_articles_with_link_title_and_date() -> None:
    items = read_feed(Path("valley.rss"), _rss(), ReadOptions())
    assert len(items) == 3
    content, summary, empty = items
    assert isinstance(content, Article) and isinstance(summary, Article)
    assert content.title == TARNFORD[2][0]
    assert content.url == "https://valleywire.example/tarnford"
    assert content.published == "2024-05-08"
    assert "lacquered timber" in content.text
    assert summary.title == BUDGET[0]
    assert "Imogen Tate" in summary.text
    assert summary.published == "2024-05-07"
    assert summary.source == "valleywire.example"
    assert content.id != summary.id and content.id.startswith("valley-")
    assert isinstance(empty, Skipped) and "no content or summary" in empty.reason


def test_atom_summary_entry_and_suffix_dispatch(tmp_path: Path) -> None:
    path = tmp_path / "coast.atom"
    path.write_text(ATOM, encoding="utf-8")
    items = read_file(path, ReadOptions())
    assert len(items) == 1 and isinstance(items[0], Article)
    article = items[0]
    assert article.title == "Ferry service to Inchmore resumes"
    assert article.url == "https://coastdesk.example/ferry"
    assert article.published == "2024-06-01"
    assert "six daily crossings" in article.text


def test_ids_are_stable_across_reads() -> None:
    first = [i.id for i in read_feed(Path("valley.rss"), _rss(), ReadOptions()) if isinstance(i, Article)]
    second = [i.id for i in read_feed(Path("valley.rss"), _rss(), ReadOptions()) if isinstance(i, Article)]
    assert first == second


def test_xml_that_is_not_a_feed_is_skipped() -> None:
    items = read_feed(Path("data.xml"), b"<?xml version='1.0'?><catalog><book>x</book></catalog>", ReadOptions())
    assert len(items) == 1 and isinstance(items[0], Skipped)
    assert "not an RSS or Atom feed" in items[0].reason
