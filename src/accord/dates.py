"""Publication dates and datelines.

An article's ``published`` date comes, in this order, from:

1. ``"metadata"``: the page or record says it (HTML meta tags via htmldate, a JSON field);
   The page's labelled date lines at the top of the text ("Published: 3 March 2024",
   "Posted on ...") and a date in the URL's path count as metadata;
2. ``"dateline"``: a bare date line at the top of the text ("November 22, 2023" on its
   own line) or a dated dateline ("LONDON, March 3, 2024 (Reuters) -");
3. ``"option"``: the caller's fallback (``ReadOptions.published``, ``--published``);
4. ``"story"``: the date most of the story's other articles agree on
   (:func:`assign_story_dates`, called by the pipeline once a story is assembled).

Date strings are parsed with dateutil (ISO 8601) and dateparser (everything else);
nothing here keeps its own month names.

Public functions::

    parse_date(text: str, *, require_day: bool = True) -> str | None
    parse_datetime(text: str) -> str | None
    date_line(line: str) -> DateLine | None
    split_dateline(paragraph: str) -> Dateline | None
    assign_story_dates(articles: Sequence[Article]) -> list[Article]
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from functools import lru_cache
from typing import Any

from accord.models import Article

__all__ = [
    "DateLine",
    "Dateline",
    "assign_story_dates",
    "date_line",
    "parse_date",
    "parse_datetime",
    "split_dateline",
]

log = logging.getLogger(__name__)

#: A four-digit year: a cheap filter before asking dateparser about a line.
_YEAR = re.compile(r"\b(?:1[89]|2[0-9])\d\d\b")
#: Labels that introduce a date line ("Published: ...", "Updated on ...", "Posted ...").
_DATE_LABEL = re.compile(
    r"^(?P<label>(?:first\s+|last\s+)?(?:published|updated|modified|posted|date|dated)"
    r"(?:\s+(?:on|at))?)\s*[:\-–—]?\s*",
    re.IGNORECASE,
)
#: Separators and trailing words around a date ("|", "•", "at 15:04", "- 3 min read").
_DATE_NOISE = re.compile(r"\s*(?:[|•·]|\s-\s).*$")
_DOTTED = re.compile(r"\b\d{1,2}\.\d{1,2}\.\d{4}\b")
_AT_TIME = re.compile(r"\s+at\s+(?=\d)", re.IGNORECASE)
_MAX_DATE_LINE_WORDS = 10
_LABELS = frozenset(
    "breaking update updated correction exclusive analysis opinion editorial watch live "
    "note editor's note advisory".split()
) | {"editor's note", "breaking news", "live updates"}

# A dateline opens the first paragraph: a place, optionally a date and a news agency in
# brackets, then a dash. Written by hand because no maintained library parses datelines.
_AGENCY = r"\((?P<agency>[A-Z][A-Za-z.&/ ]{0,30})\)"
_UPPER_PLACE = r"[A-Z][A-Z.'’\-]+(?:\s+[A-Z][A-Z.'’\-]+){0,3}"
_TITLE_PLACE = r"[A-Z][a-zA-Z.'’\-]+(?:\s+[A-Z][a-zA-Z.'’\-]+){0,3}"
_REGION = r"(?:,\s+[A-Z][A-Za-z.'’\-]+(?:\s+[A-Z][A-Za-z.'’\-]+){0,2})?"
_DATE_PART = r"(?:,\s+(?P<date>[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:,\s+\d{4})?|\d{1,2}\s+[A-Z][a-z]{2,8}\.?(?:\s+\d{4})?))?"
_DASH = r"\s*(?:[-–—]{1,2}|:)\s+"
# Mixed-case places ("Kyiv, Ukraine —") only with a region or an agency beside them, so
# that an ordinary opening word followed by a dash is not taken for a place.
_DATELINES = (
    re.compile(rf"^(?P<place>{_UPPER_PLACE}{_REGION}){_DATE_PART}\s*(?:{_AGENCY})?{_DASH}(?=\S)"),
    re.compile(
        rf"^(?P<place>{_TITLE_PLACE},\s+[A-Z][A-Za-z.'’\-]+(?:\s+[A-Z][A-Za-z.'’\-]+){{0,2}})"
        rf"{_DATE_PART}\s*(?:{_AGENCY})?{_DASH}(?=\S)"
    ),
    re.compile(rf"^(?P<place>{_TITLE_PLACE}){_DATE_PART}\s*{_AGENCY}{_DASH}(?=\S)"),
)


@dataclass(frozen=True, slots=True)
class DateLine:
    """A line that is only a date (with an optional label such as "Updated").

    ``date`` is the ISO date; ``updated`` is True when the label says the date is a
    last update rather than the publication date; ``labelled`` is True when a label
    ("Published", "Posted on", "Updated") introduces it.
    """

    text: str
    date: str
    updated: bool = False
    labelled: bool = False


@dataclass(frozen=True, slots=True)
class Dateline:
    """The dateline that opens an article ("LONDON, March 3 (Reuters) -").

    ``text`` is the whole prefix as printed (including the dash), ``place`` the place
    named, ``date`` an ISO date when the dateline gives a full one (with a year),
    ``agency`` the outlet or agency credited in brackets ("Reuters", "Coastal Press").
    """

    text: str
    place: str
    date: str | None = None
    agency: str | None = None


def parse_date(text: str, *, require_day: bool = True) -> str | None:
    """Parse a date string into an ISO date ("2023-11-22"), or None.

    ISO 8601 goes through dateutil; anything else through dateparser, which must
    find a day, a month and a year (``require_day=False`` accepts month and year).
    """
    parsed = _parse(text, require_day=require_day)
    return parsed.date().isoformat() if parsed is not None else None


def parse_datetime(text: str) -> str | None:
    """Parse a date string into ISO form, keeping the time when it has one.

    A time zone is converted to UTC and written as "Z"; a date alone stays a date.
    """
    parsed = _parse(text, require_day=True)
    if parsed is None:
        return None
    if not _has_time(text):
        return parsed.date().isoformat()
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(timezone.utc).replace(tzinfo=None)
        return parsed.isoformat(timespec="seconds") + "Z"
    return parsed.isoformat(timespec="seconds")


def date_line(line: str) -> DateLine | None:
    """Return the date of a line that holds nothing but a date, else None.

    Accepts a label ("Published:", "Updated on") and a time after the date
    ("November 22, 2023 3:04 PM EST", "22.11.2023 at 15:04").
    """
    text = line.strip()
    if not text or not _YEAR.search(text) or len(text.split()) > _MAX_DATE_LINE_WORDS:
        return None
    updated = False
    label = _DATE_LABEL.match(text)
    candidate = text
    if label:
        updated = bool(re.search(r"updated|modified", label.group("label"), re.IGNORECASE))
        candidate = text[label.end():]
    candidate = _AT_TIME.sub(" ", _DATE_NOISE.sub("", candidate)).strip(" ,")
    iso = parse_date(candidate) if candidate else None
    if iso is None:
        return None
    return DateLine(text=text, date=iso, updated=updated, labelled=label is not None)


def split_dateline(paragraph: str) -> Dateline | None:
    """Find the dateline that opens a paragraph ("WASHINGTON –", "LONDON (AP) —").

    Returns None when the paragraph does not start with one. The date part is kept
    only when it has a year: a month and day alone cannot be dated safely.
    """
    match = next((m for m in (p.match(paragraph) for p in _DATELINES) if m), None)
    if match is None:
        return None
    place = match.group("place").strip()
    if not place or _is_label(place):
        return None
    raw_date = match.group("date")
    iso = parse_date(raw_date) if raw_date and _YEAR.search(raw_date) else None
    agency = (match.group("agency") or "").strip(" .") or None
    return Dateline(text=match.group(0).rstrip(), place=place.rstrip(","), date=iso, agency=agency)


def assign_story_dates(articles: Sequence[Article]) -> list[Article]:
    """Give undated articles the date that the story's dated articles agree on.

    The most common publication date among the dated articles (the earliest on a
    tie) goes to every article without one, with ``published_from="story"``.
    Order is kept; articles that already have a date are returned unchanged.
    """
    dates = Counter(a.published[:10] for a in articles if a.published)
    if not dates:
        return list(articles)
    best = min(dates.items(), key=lambda item: (-item[1], item[0]))[0]
    return [
        a if a.published else replace(a, published=best, published_from="story")
        for a in articles
    ]


# --------------------------------------------------------------------------- helpers


def _parse(text: str, *, require_day: bool) -> datetime | None:
    text = text.strip()
    if not text:
        return None
    iso = _parse_iso(text)
    if iso is not None:
        return iso
    # Dotted numeric dates (14.03.2024) are written day first wherever they are used.
    day_first = bool(_DOTTED.search(text))
    return _dateparser(text, require_day, day_first)


def _parse_iso(text: str) -> datetime | None:
    if not re.match(r"^\d{4}-\d{2}-\d{2}", text):
        return None
    from dateutil import parser as dateutil_parser

    try:
        return dateutil_parser.isoparse(text)
    except (ValueError, OverflowError):
        return None


@lru_cache(maxsize=4096)
def _dateparser(text: str, require_day: bool, day_first: bool) -> datetime | None:
    import dateparser

    settings: dict[str, Any] = {
        "REQUIRE_PARTS": ["day", "month", "year"] if require_day else ["month", "year"],
        "STRICT_PARSING": require_day,
        "PREFER_DAY_OF_MONTH": "first",
    }
    if day_first:
        settings["DATE_ORDER"] = "DMY"
    try:
        return dateparser.parse(text, settings=settings)
    except (ValueError, OverflowError, TypeError):  # dateparser raises on odd input
        log.debug("dateparser failed on %r", text, exc_info=True)
        return None


def _has_time(text: str) -> bool:
    return bool(re.search(r"\d{1,2}:\d{2}", text))


def _is_label(place: str) -> bool:
    # Capitalised story labels ("BREAKING —", "UPDATE:") open a paragraph like a place does.
    return place.lower().rstrip(".") in _LABELS
