"""What every reader shares: the options, the result, and the last steps for an article."""

from __future__ import annotations

import json
import logging
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

from accord.clean import clean
from accord.dates import parse_date
from accord.models import Article, Skipped

__all__ = [
    "ReadOptions", "ReadResult", "date_from_url", "file_id", "finish_article", "json_error", "jsonl_lines",
    "outlet_name", "skip", "size_limit_reason", "source_from_url", "stdin_lines",
]

log = logging.getLogger(__name__)

#: Readable names of outlets, by host or registrable domain (the most specific host wins).
#: Hand-kept: no maintained package maps news domains to the names readers know.
OUTLETS: dict[str, str] = {
    "apnews.com": "AP News",
    "asiaone.com": "AsiaOne",
    "bbc.co.uk": "BBC",
    "bbc.com": "BBC",
    "bloomberg.com": "Bloomberg",
    "businesstimes.com.sg": "The Business Times",
    "channelnewsasia.com": "CNA",
    "cnn.com": "CNN",
    "ft.com": "Financial Times",
    "malaymail.com": "Malay Mail",
    "mothership.sg": "Mothership",
    "mustsharenews.com": "MustShareNews",
    "news.yahoo.com": "Yahoo News",
    "nytimes.com": "The New York Times",
    "reuters.com": "Reuters",
    "stomp.straitstimes.com": "Stomp",
    "straitstimes.com": "The Straits Times",
    "theguardian.com": "The Guardian",
    "theindependent.sg": "The Independent Singapore",
    "theonlinecitizen.com": "The Online Citizen",
    "thestar.com.my": "The Star",
    "tnp.sg": "The New Paper",
    "tnp.straitstimes.com": "The New Paper",
    "todayonline.com": "TODAY",
    "washingtonpost.com": "The Washington Post",
    "zaobao.com.sg": "Lianhe Zaobao",
}

# A date in a URL path: /2025/02/07/, /2025-02-07-slug, /20250207_slug.
_URL_DATE = re.compile(
    r"/(?P<year>(?:19|20)\d\d)(?P<sep>[/-]?)(?P<month>[01]\d)(?P=sep)(?P<day>[0-3]\d)(?=[/_.-]|$)"
)
# A domain written in a file name: "straitstimes.com_fire.txt", "coastalpress.com.txt".
_FILE_DOMAIN = re.compile(r"(?<![a-z0-9.-])(?:[a-z0-9-]+\.)+[a-z]{2,6}(?![a-z0-9])", re.IGNORECASE)


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

    Source: the one given, else the outlet of the URL's host, else the credit of the
    dateline or the site the text names. Date: the one given (metadata), else the
    URL's date (metadata), else the text's date line (metadata) or dateline, else
    ``options.published``. An article left with no body is skipped.
    """
    name = article.input or article.id
    if not article.text.strip():
        return skip(name, "no article text")
    if article.source is None and article.url:
        article = replace(article, source=source_from_url(article.url))
    if article.published is None and article.url:
        found = date_from_url(article.url)
        if found is not None:
            article = replace(article, published=found, published_from="metadata")
    cleaned = clean(article)
    if not cleaned.text:
        return skip(name, f"nothing left after removing boilerplate ({len(cleaned.removed)} spans)")
    if cleaned.published is None and options.published is not None:
        cleaned = replace(cleaned, published=parse_date(options.published), published_from="option")
    return cleaned


def source_from_url(url: str) -> str | None:
    """The outlet of a URL: its readable name where known, else its registrable domain.

    "https://www.straitstimes.com/a" -> "The Straits Times";
    "https://news.coastalpress.com/a" -> "coastalpress.com".
    """
    try:
        host = urlsplit(url.strip()).hostname
    except ValueError:
        return None
    if not host:
        return None
    return outlet_name(host)


def outlet_name(host: str) -> str:
    """The readable name of the outlet at ``host``, else its registrable domain."""
    host = host.lower().strip(".")
    host = host[4:] if host.startswith("www.") else host
    domain = _registrable_domain(host)
    for candidate in _parent_hosts(host):
        if candidate in OUTLETS:
            return OUTLETS[candidate]
        if candidate == domain:
            break
    return domain


def date_from_url(url: str) -> str | None:
    """The ISO date a URL's path gives ("/2025/02/07/", "/20250207_x", "/2025-02-07-x"), or None."""
    try:
        path = urlsplit(url.strip()).path
    except ValueError:
        return None
    for match in _URL_DATE.finditer(path):
        try:
            return date(int(match["year"]), int(match["month"]), int(match["day"])).isoformat()
        except ValueError:  # "/2025/13/40/" is not a date
            continue
    return None


def source_from_file_name(path: Path) -> str | None:
    """The outlet a file's name names by its domain ("straitstimes.com_fire.txt"), or None."""
    for match in _FILE_DOMAIN.finditer(file_id(path)):
        # Only a name under a public suffix: "fire.report_2" is no site.
        if _public_domain(match.group(0).lower()) is not None:
            return outlet_name(match.group(0))
    return None


def _registrable_domain(host: str) -> str:
    # Hosts under no public suffix (test and local domains) are kept as they are.
    return _public_domain(host) or host


def _public_domain(host: str) -> str | None:
    # courlan (trafilatura's URL library) knows the public suffixes ("com.sg", "co.uk").
    from courlan import extract_domain

    try:
        return extract_domain(f"https://{host}/")
    except (ValueError, TypeError):
        return None


def _parent_hosts(host: str) -> Iterator[str]:
    """The host, then each shorter host above it ("a.b.example.com", "b.example.com", ...)."""
    parts = host.split(".")
    for start in range(len(parts) - 1):
        yield ".".join(parts[start:])


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
        yield from ((number, line) for number, line in enumerate(stdin_lines(), start=1) if line.strip())
        return
    try:
        handle = open(path, encoding="utf-8", errors="replace")  # noqa: SIM115 - closed below
    except OSError as exc:
        from accord.errors import InputError

        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from None
    with handle:
        for number, line in enumerate(handle, start=1):
            if line.strip():
                yield number, line


def stdin_lines() -> Iterator[str]:
    """The lines of standard input as UTF-8, read as they come.

    Bytes that are not UTF-8 are replaced with U+FFFD, and the first line holding
    any is named in a warning: one bad byte never stops a run.
    """
    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:  # a text stream already (a caller's replacement of sys.stdin)
        yield from sys.stdin
        return
    warned = False
    for number, raw in enumerate(stream, start=1):
        try:
            yield raw.decode("utf-8")
        except UnicodeDecodeError:
            if not warned:
                log.warning("standard input is not valid UTF-8 (first at line %d): undecodable bytes "
                            "were replaced with \N{REPLACEMENT CHARACTER}; convert it with iconv if the "
                            "text looks wrong", number)
                warned = True
            yield raw.decode("utf-8", errors="replace")


def json_error(exc: json.JSONDecodeError) -> str:
    """A JSON parse error with its line and column ("Unterminated string starting at line 3, column 9")."""
    joint = " " if exc.msg.endswith(" at") else " at "
    return f"{exc.msg}{joint}line {exc.lineno}, column {exc.colno}"
