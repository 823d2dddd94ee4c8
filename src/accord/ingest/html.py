"""HTML pages: body, title, site name and URL through trafilatura, dates through htmldate.

trafilatura runs with ``include_comments=False`` and ``favor_precision=True`` (and falls
back to its default mode only when precision finds no text at all); since comment
trees can still leak into its output, accord's plain-text cleaner runs on it too. The
reader comments of the page are listed in ``removed`` ("comment section"), so that what
was taken out stays visible.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path
from typing import Any

from accord.ingest.base import ReadOptions, file_id, skip
from accord.ingest.decode import NotTextError, decode_text
from accord.ingest.text import article_from_text
from accord.clean import COMMENTS, normalize_whitespace
from accord.models import Article, Removed, Skipped

__all__ = ["article_from_html", "read_html"]

log = logging.getLogger(__name__)


def article_from_html(
    html: str | bytes,
    *,
    id: str,  # noqa: A002 - the field is called id everywhere in accord
    url: str | None = None,
    options: ReadOptions | None = None,
    title: str | None = None,
    source: str | None = None,
    published: str | None = None,
    input: str | None = None,  # noqa: A002 - as Article.input
) -> Article | Skipped:
    """Extract and clean the article of an HTML page (or an HTML fragment, e.g. a feed entry).

    ``title``, ``source`` and ``published`` override what the page's metadata says
    (give them when the caller knows better, e.g. from a feed); ``url`` is the page's
    address, used for the source's domain and relative links.
    """
    from trafilatura import load_html

    name = input or id
    tree = load_html(html)
    if tree is None:
        return skip(name, "not an HTML page")
    page_published, page_updated = _page_dates(tree, url)
    document = _extract(tree, url, favor_precision=True)
    if document is None or not (document.text or "").strip():
        retry = load_html(html)
        document = _extract(retry, url, favor_precision=False) if retry is not None else None
    if document is None or not (document.text or "").strip():
        return skip(name, "no article text found in the HTML")
    language = tree.get("lang") or document.language
    article = article_from_text(
        document.text,
        id=id,
        title=title or document.title or "",
        url=url or document.url,
        source=source or document.sitename or None,
        published=published or page_published,
        updated=page_updated,
        language=language.split("-")[0].lower() if language else None,
        options=options,
        input=name,
    )
    if isinstance(article, Article):
        article = replace(article, removed=article.removed + _comments(html, url))
    return article


def read_html(path: Path, data: bytes, options: ReadOptions) -> list[Article | Skipped]:
    """Read a .html/.htm file."""
    try:
        html = decode_text(data)
    except NotTextError as exc:
        return [skip(str(path), str(exc))]
    return [article_from_html(html, id=file_id(path), options=options, input=str(path))]


def _extract(tree: Any, url: str | None, *, favor_precision: bool) -> Any:
    from trafilatura import bare_extraction

    return bare_extraction(
        tree,
        url=url,
        include_comments=False,
        favor_precision=favor_precision,
        with_metadata=True,
        include_tables=True,
    )


def _comments(html: str | bytes, url: str | None) -> tuple[Removed, ...]:
    """The reader comments the body extraction left out, to list them as removed."""
    from trafilatura import bare_extraction, load_html

    tree = load_html(html)
    document = bare_extraction(tree, url=url, include_comments=True, favor_precision=True) if tree is not None else None
    comments = normalize_whitespace(getattr(document, "comments", None) or "").strip()
    return (Removed(text=comments, reason=COMMENTS),) if comments else ()


def _page_dates(tree: Any, url: str | None) -> tuple[str | None, str | None]:
    """Publication and last-update dates from the page's markup (not its free text)."""
    from htmldate import find_date

    try:
        original = find_date(tree, original_date=True, extensive_search=False, url=url)
        latest = find_date(tree, original_date=False, extensive_search=False, url=url)
    except (ValueError, TypeError):  # htmldate can trip over odd markup
        log.debug("htmldate failed", exc_info=True)
        return None, None
    return original, latest if latest and latest != original else None
