"""What every reader shares: the options, the result, and the last steps for an article."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import urlsplit

from accord.clean import clean
from accord.dates import parse_date
from accord.models import Article, Skipped

__all__ = [
    "ReadOptions", "ReadResult", "file_id", "finish_article", "jsonl_lines", "skip", "size_limit_reason",
    "source_from_url",
]

log = logging.getLogger(__name__)


@dataclass(frozen=True, kw_only=True, slots=True)
class ReadOptions:
    """How inputs are read.

    Args:
        max_bytes: inputs larger than this are skipped (default 50 MB, ``--max-size``).
        published: ISO date given to articles whose metadata and text give none
            (``published_from="option"``, ``--published``).
    """

    max_bytes: int = 50 * 1024 * 1024
    published: str | None = None

    def __post_init__(self) -> None:
        if self.max_bytes <= 0:
            raise ValueError("max_bytes must be positive (the default is 50 MB: 52428800)")
        if self.published is not None and parse_date(self.published) is None:
            raise ValueError(f"published must be a date such as 2024-03-14, not {self.published!r}")


@dataclass(frozen=True, slots=True)
class ReadResult:
    """The cleaned articles read, in input order, and every input that was skipped."""

    articles: tuple[Article, ...]
    skipped: tuple[Skipped, ...]


def finish_article(article: Article, options: ReadOptions) -> Article | Skipped:
    """Clean a freshly read article and fill its source and date as far as the input allows.

    Source: the one given, else the URL's domain, else the site the text names.
    Date: the one given (metadata), else the text's date line or dateline, else
    ``options.published``. An article left with no body is skipped.
    """
    name = article.input or article.id
    if not article.text.strip():
        return skip(name, "no article text")
    if article.source is None and article.url:
        article = replace(article, source=source_from_url(article.url))
    cleaned = clean(article)
    if not cleaned.text:
        return skip(name, f"nothing left after removing boilerplate ({len(cleaned.removed)} spans)")
    if cleaned.published is None and options.published is not None:
        cleaned = replace(cleaned, published=parse_date(options.published), published_from="option")
    return cleaned


def source_from_url(url: str) -> str | None:
    """The host of a URL without "www." ("https://www.example.org/a" -> "example.org")."""
    # urllib is enough here: the host name is all accord shows, no registered-domain logic.
    try:
        host = urlsplit(url.strip()).hostname
    except ValueError:
        return None
    if not host:
        return None
    return host[4:] if host.startswith("www.") else host


def file_id(path: Path) -> str:
    """The article id of a file: its name without the extension ("a/b/001_x.txt" -> "001_x")."""
    name = path.name
    if name.endswith(".gz"):
        name = name[: -len(".gz")]
    return Path(name).stem or name


def size_limit_reason(max_bytes: int) -> str:
    """The skip reason for an input over the size limit."""
    return f"larger than the {max_bytes / (1024 * 1024):g} MB limit (--max-size)"


def skip(name: str, reason: str) -> Skipped:
    """Log and return a skipped input."""
    log.info("skipped %s: %s", name, reason)
    return Skipped(input=name, reason=reason)


def jsonl_lines(path: str) -> Iterator[tuple[int, str]]:
    """Yield ``(line number, line)`` for each non-blank line of a JSONL file, ``-`` for stdin.

    The file is read as it is consumed, so a long input is never held whole. Raises
    :class:`~accord.errors.InputError` naming the file when it cannot be opened.
    """
    if path == "-":
        handle = sys.stdin
    else:
        try:
            handle = open(path, encoding="utf-8", errors="replace")  # noqa: SIM115 - closed below
        except OSError as exc:
            from accord.errors import InputError

            raise InputError(f"cannot read {path}: {exc.strerror or exc}") from None
    try:
        for number, line in enumerate(handle, start=1):
            if line.strip():
                yield number, line
    finally:
        if handle is not sys.stdin:
            handle.close()
