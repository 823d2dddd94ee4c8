"""Article records in JSON Lines (one object a line) and JSON (one object or a list of them).

A record has ``text`` (or ``content`` / ``body``, or ``html``), and optionally ``id``,
``title``, ``url``, ``source`` (or ``domain``), ``published`` (or ``date``), ``updated``
and ``language`` (or ``lang``). A bad record is skipped on its own, named by its ``id``
when it has one (``path record a07``), else ``path:LINE`` (JSON Lines) or ``path:item N``
(a JSON list, counted from 1).
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from accord.dates import parse_date, parse_datetime
from accord.ingest.base import ReadOptions, file_id, json_error, size_limit_reason, skip
from accord.ingest.decode import NotTextError, decode_text
from accord.models import Article, Skipped

__all__ = ["article_from_record", "jsonl_line", "read_json", "read_jsonl"]

log = logging.getLogger(__name__)

_TEXT_KEYS = ("text", "content", "body")
_RECORD_KEYS = frozenset((*_TEXT_KEYS, "html", "title", "url", "source", "domain", "published", "date"))
_NO_TEXT = "no text, content or body field"
_NOT_RECORDS = "not article records (no object with a text, content or body field)"
#: The line or item number that ends a record's name ("feed.jsonl:7", "feed.json:item 3").
_PLACE_IN_FILE = re.compile(r":(?:item )?\d+$")
#: Text fields that hold an HTML page or fragment rather than plain text.
_HTML_START = re.compile(r"^\s*<(?:!doctype|html|body|article|div|p|section|main)\b", re.IGNORECASE)


def article_from_record(
    record: Mapping[str, Any],
    *,
    default_id: str,
    options: ReadOptions | None = None,
    input: str | None = None,  # noqa: A002 - as Article.input
) -> Article | Skipped:
    """Make a cleaned article from one JSON record (see the module docstring for its fields)."""
    from accord.ingest.html import article_from_html
    from accord.ingest.text import article_from_text

    options = options or ReadOptions()
    name = input or default_id
    record_id = _record_id(record)
    article_id = record_id or default_id
    text = _first_string(record, _TEXT_KEYS)
    html = _first_string(record, ("html",))
    if text is None and html is None:
        return skip(_record_name(name, record_id), _missing_text(record))
    title = _first_string(record, ("title", "headline"))
    url = _first_string(record, ("url", "link"))
    source = _first_string(record, ("source", "domain", "sitename"))
    raw_date = _first_string(record, ("published", "date", "published_at", "pubdate"))
    published = parse_date(raw_date) if raw_date else None
    if raw_date and published is None:
        log.info("%s: ignored unreadable date %r", name, raw_date)
    if text is None or _HTML_START.match(text):
        return article_from_html(
            html or text or "", id=article_id, url=url, options=options,
            title=title, source=source, published=published, input=name,
        )
    raw_updated = _first_string(record, ("updated", "modified"))
    return article_from_text(
        text,
        id=article_id,
        title=title or "",
        url=url,
        source=source,
        published=published,
        updated=parse_datetime(raw_updated) if raw_updated else None,
        language=_first_string(record, ("language", "lang")),
        options=options,
        input=name,
    )


def read_jsonl(path: Path, data: bytes, options: ReadOptions) -> list[Article | Skipped]:
    """Read a .jsonl file: one record a line; blank lines are ignored."""
    try:
        text = decode_text(data)
    except NotTextError as exc:
        return [skip(str(path), str(exc))]
    stem = file_id(path)
    results: list[Article | Skipped] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            results.append(jsonl_line(path, number, line, options, stem=stem))
    if not results:
        return [skip(str(path), "empty file")]
    return results


def jsonl_line(path: Path, number: int, line: str | bytes, options: ReadOptions, *,
               stem: str | None = None) -> Article | Skipped:
    """The article of line ``number`` (counted from 1) of the JSON Lines file ``path``.

    Bytes are decoded as UTF-8 (a BOM on the first line is dropped), else as
    :func:`~accord.ingest.decode.decode_text` finds; a line longer than ``max_bytes`` is skipped.
    """
    name = f"{path}:{number}"
    if isinstance(line, bytes):
        if len(line) > options.max_bytes:
            return skip(name, "line " + size_limit_reason(options.max_bytes))
        try:
            line = _decode_line(line, first=number == 1)
        except NotTextError as exc:
            return skip(name, str(exc))
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        return skip(name, f"invalid JSON ({exc.msg.removesuffix(' at')} at column {exc.colno})")
    if not isinstance(record, dict):
        return skip(name, "not a JSON object")
    return article_from_record(record, default_id=f"{stem or file_id(path)}:{number}", options=options, input=name)


def _decode_line(data: bytes, *, first: bool) -> str:
    """One line's text: UTF-8 (with a BOM dropped on the first line), else a legacy encoding."""
    try:
        return data.decode("utf-8-sig" if first else "utf-8")
    except UnicodeDecodeError:
        return decode_text(data)


def read_json(path: Path, data: bytes, options: ReadOptions) -> list[Article | Skipped]:
    """Read a .json file holding one record or a list of records."""
    try:
        text = decode_text(data)
    except NotTextError as exc:
        return [skip(str(path), str(exc))]
    try:
        content = json.loads(text)
    except json.JSONDecodeError as exc:
        return [skip(str(path), f"invalid JSON ({json_error(exc)})")]
    stem = file_id(path)
    if isinstance(content, dict):
        if not _RECORD_KEYS & content.keys():
            return [skip(str(path), _NOT_RECORDS)]
        return [article_from_record(content, default_id=stem, options=options, input=str(path))]
    if not isinstance(content, list) or not any(_has_text(item) for item in content):
        return [skip(str(path), _NOT_RECORDS)]
    results: list[Article | Skipped] = []
    for number, item in enumerate(content, start=1):
        name = f"{path}:item {number}"
        if not isinstance(item, dict):
            results.append(skip(name, "not a JSON object"))
            continue
        results.append(article_from_record(item, default_id=f"{stem}:{number}", options=options, input=name))
    return results


def _record_id(record: Mapping[str, Any]) -> str | None:
    raw_id = record.get("id")
    if isinstance(raw_id, bool) or not isinstance(raw_id, (str, int)):
        return None
    return str(raw_id).strip() or None


def _record_name(name: str, record_id: str | None) -> str:
    """How a skipped record is named: by its id in its file, else by its place in the file.

    "feed.jsonl:7" with id "a07" becomes "feed.jsonl record a07".
    """
    if record_id is None:
        return name
    return f"{_PLACE_IN_FILE.sub('', name)} record {record_id}"


def _missing_text(record: Mapping[str, Any]) -> str:
    """Why a record has no text: an empty field is named, a missing one too."""
    for key in (*_TEXT_KEYS, "html"):
        value = record.get(key)
        if isinstance(value, str):
            return f"{key} is empty"
        if value is not None:
            return f"{key} is not a string"
    return _NO_TEXT


def _first_string(record: Mapping[str, Any], keys: tuple[str, ...]) -> str | None:
    for key in keys:
        value = record.get(key)
        if isinstance(value, str) and value.strip():
            return value
    return None


def _has_text(item: object) -> bool:
    return isinstance(item, dict) and _first_string(item, (*_TEXT_KEYS, "html")) is not None
