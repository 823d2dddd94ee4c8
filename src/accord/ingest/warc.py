"""WARC files (``.warc``, ``.warc.gz``): each HTML response becomes an article.

warcio reads the records (gzip per record or not); the page's HTML goes through
the same extractor as an ``.html`` file (:func:`accord.ingest.html.article_from_html`),
with the record's target URI as the article's URL. Requests, metadata, non-HTML
responses (images, scripts) and error statuses are passed over without a skip
entry, since a crawl holds many of them; an HTML page with no article text is
skipped with its reason.
"""

from __future__ import annotations

import hashlib
import io
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from accord.models import Article, Skipped

if TYPE_CHECKING:
    from accord.ingest import ReadOptions

__all__ = ["iter_warc", "iter_warc_pages", "iter_warc_pages_at", "page_article", "page_id", "read_warc"]

log = logging.getLogger(__name__)

_HTML_TYPES = ("text/html", "application/xhtml+xml")


def read_warc(path: Path, data: bytes, options: ReadOptions) -> list[Article | Skipped]:
    """Read every HTML page of a WARC file held in memory."""
    return list(iter_warc(io.BytesIO(data), name=str(path), options=options))


def iter_warc(stream: IO[bytes], *, name: str, options: ReadOptions) -> Iterator[Article | Skipped]:
    """Read the HTML pages of a WARC stream one at a time (bounded memory for large crawls)."""
    for page in iter_warc_pages(stream, name=name, max_bytes=options.max_bytes):
        yield page if isinstance(page, Skipped) else page_article(*page, options=options)


def page_article(url: str, html: bytes, input_name: str, *, options: ReadOptions) -> Article | Skipped:
    """The article of one crawled page, through the same extractor as an HTML file."""
    from accord.ingest import article_from_html

    return article_from_html(html, id=page_id(url or input_name), url=url or None, options=options,
                             input=input_name)


def iter_warc_pages(
    stream: IO[bytes], *, name: str, max_bytes: int
) -> Iterator[tuple[str, bytes, str] | Skipped]:
    """Yield ``(url, html, input name)`` for each HTML response of a WARC stream.

    A damaged archive ends the iteration with one :class:`Skipped` saying where.
    Pages larger than ``max_bytes`` are skipped.
    """
    for page, _, _ in iter_warc_pages_at(stream, name=name, max_bytes=max_bytes):
        yield page


def iter_warc_pages_at(
    stream: IO[bytes], *, name: str, max_bytes: int, start: int = 0, pages: int = 0
) -> Iterator[tuple[tuple[str, bytes, str] | Skipped, int, int]]:
    """Yield each page of :func:`iter_warc_pages` with the byte offset of the record after it
    and the number of pages up to it.

    ``start`` is the offset of a record to begin at (an offset this function yielded: a
    later read goes on from there), ``pages`` the pages before it, so that pages with no
    URL keep their names. A damaged archive's :class:`Skipped` comes with the offset of
    the last record read whole.
    """
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    count = pages
    offset = start
    if start:
        stream.seek(start)
    try:
        records = ArchiveIterator(stream)
        for record in records:
            page = _page(record, name, count + 1, max_bytes)
            records.read_to_end()
            offset = records.offset
            if page is not None:
                count += 1
                yield page, offset, count
    except (ArchiveLoadFailed, OSError, EOFError, ValueError) as exc:
        log.info("%s: damaged WARC after %d pages: %s", name, count, exc)
        yield Skipped(input=name, reason=f"damaged WARC after {count} pages: {exc}"), offset, count


def _page(record: Any, name: str, number: int, max_bytes: int) -> tuple[str, bytes, str] | Skipped | None:
    """The HTML page of one WARC record as ``(url, html, input name)``, or None for any other record."""
    if record.rec_type not in ("response", "resource"):
        return None
    url = record.rec_headers.get_header("WARC-Target-URI") or ""
    if record.rec_type == "response":
        if record.http_headers is None:
            return None
        status = record.http_headers.get_statuscode() or ""
        if not status.startswith("2"):
            log.debug("%s: passing over %s (HTTP %s)", name, url, status)
            return None
        content_type = record.http_headers.get_header("Content-Type") or ""
    else:
        content_type = record.rec_headers.get_header("Content-Type") or ""
    if content_type.lower().split(";")[0].strip() not in _HTML_TYPES:
        return None
    input_name = f"{name}#{url or number}"
    payload = record.content_stream().read(max_bytes + 1)
    if len(payload) > max_bytes:
        return Skipped(input=input_name, reason="page larger than the size limit (--max-size)")
    return (url, payload, input_name)


def page_id(url: str) -> str:
    """A stable article id for a crawled page, from its URL."""
    return "web-" + hashlib.blake2b(url.encode("utf-8"), digest_size=6).hexdigest()
