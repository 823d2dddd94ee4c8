"""RSS and Atom feed files (``.rss``, ``.atom``, ``.xml``): entries with text become articles.

feedparser reads the feed (RSS 0.9x-2.0, Atom, RDF; it also copes with broken XML).
Each entry's full content, else its summary, is the body: HTML through the same
extractor as an HTML page, falling back to the fragment's text when the extractor
finds too little (feed summaries are short); the entry's link, title and date are
kept. Entries with neither content nor summary are skipped with a reason.
"""

from __future__ import annotations

import hashlib
import logging
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from accord.models import Article, Skipped

if TYPE_CHECKING:
    from accord.ingest import ReadOptions

__all__ = ["read_feed"]

log = logging.getLogger(__name__)


def read_feed(path: Path, data: bytes, options: ReadOptions) -> list[Article | Skipped]:
    """Read the entries of an RSS or Atom feed file."""
    import feedparser

    parsed = feedparser.parse(data)
    name = str(path)
    if not parsed.entries:
        if not parsed.get("version"):
            reason = "not an RSS or Atom feed"
            if parsed.get("bozo"):
                reason += f" ({parsed.get('bozo_exception')})"
            return [Skipped(input=name, reason=reason)]
        return [Skipped(input=name, reason="feed has no entries")]
    stem = path.name.split(".")[0] or "feed"
    return [_entry_article(entry, index, stem, name, options) for index, entry in enumerate(parsed.entries)]


def _entry_article(entry: Any, index: int, stem: str, name: str, options: ReadOptions) -> Article | Skipped:
    from accord.ingest import article_from_html, article_from_text

    link = entry.get("link") or None
    title = (entry.get("title") or "").strip()
    key = entry.get("id") or link or title or str(index)
    article_id = f"{stem}-{hashlib.blake2b(key.encode('utf-8'), digest_size=5).hexdigest()}"
    input_name = f"{name}#{link or index + 1}"
    body, mime = _entry_body(entry)
    if not body.strip():
        return Skipped(input=input_name, reason="feed entry has no content or summary")
    published = _entry_date(entry)
    if "html" in mime or "<" in body:
        article = article_from_html(
            body, id=article_id, url=link, options=options, title=title, published=published, input=input_name
        )
        if isinstance(article, Article):
            return article
        body = _fragment_text(body)
    return article_from_text(
        body, id=article_id, title=title, url=link, published=published, options=options, input=input_name
    )


def _entry_body(entry: Any) -> tuple[str, str]:
    contents = entry.get("content") or []
    for content in contents:
        if (content.get("value") or "").strip():
            return content["value"], (content.get("type") or "text/html").lower()
    detail = entry.get("summary_detail") or {}
    return entry.get("summary") or "", (detail.get("type") or "text/html").lower()


def _entry_date(entry: Any) -> str | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if value:
            return time.strftime("%Y-%m-%d", value)
    return None


def _fragment_text(html: str) -> str:
    # A feed summary is a small fragment: lxml's text_content() is enough where trafilatura declines.
    import lxml.html

    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    except (ValueError, lxml.etree.ParserError):
        return html
    for br in root.iter("br", "p"):
        br.tail = "\n" + (br.tail or "")
    return root.text_content().strip()
