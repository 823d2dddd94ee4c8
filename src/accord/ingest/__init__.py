"""Reading articles: files, directories, stdin, HTML, JSON/JSONL, and (by dispatch) feeds and WARC.

Every article returned is already cleaned (:func:`accord.clean.clean`) and carries
``published``/``published_from`` from metadata, its dateline or the caller's option
where it can (story-level dates come later: :func:`accord.dates.assign_story_dates`).
Inputs that cannot be read are returned as :class:`~accord.models.Skipped` with a
reason; only a path that does not exist raises :class:`~accord.errors.InputError`.

Public API (stable; other readers rely on it)::

    ReadOptions(*, max_bytes: int = 50 * 1024 * 1024, published: str | None = None)
    ReadResult(articles: tuple[Article, ...], skipped: tuple[Skipped, ...])
    read(inputs: Sequence[str | Path] | str | Path, options: ReadOptions | None = None) -> ReadResult
    read_file(path: Path, options: ReadOptions | None = None) -> list[Article | Skipped]
    read_data(path: Path, data: bytes, options: ReadOptions | None = None) -> list[Article | Skipped]
    reader_for(path: Path, data: bytes = b"") -> Reader | str   # a reader, or why there is none

    article_from_text(text: str, *, id: str, title: str | None = None, url: str | None = None,
                      source: str | None = None, published: str | None = None,
                      updated: str | None = None, language: str | None = None,
                      options: ReadOptions | None = None, input: str | None = None)
        -> Article | Skipped        # title=None: first non-empty line is the title
    article_from_html(html: str | bytes, *, id: str, url: str | None = None,
                      options: ReadOptions | None = None, title: str | None = None,
                      source: str | None = None, published: str | None = None,
                      input: str | None = None) -> Article | Skipped
    article_from_record(record: Mapping[str, Any], *, default_id: str,
                        options: ReadOptions | None = None, input: str | None = None)
        -> Article | Skipped
    decode_text(data: bytes) -> str     # raises NotTextError(reason): empty, binary, undecodable
    file_id(path: Path) -> str          # "a/b/001_x.txt" -> "001_x"
    source_from_url(url: str) -> str | None

A reader is ``Callable[[Path, bytes, ReadOptions], list[Article | Skipped]]``. By suffix:
``.txt`` ``.text`` ``.md`` ``.markdown`` ``.html`` ``.htm`` ``.xhtml`` ``.json`` ``.jsonl``
``.ndjson`` here, each also gzip-compressed (``.html.gz``, ``.jsonl.gz``: decompressed up to
``max_bytes``); ``.warc`` ``.warc.gz`` go to ``accord.ingest.warc.read_warc`` and ``.rss``
``.atom`` (and ``.xml`` that looks like a feed) to ``accord.ingest.feeds.read_feed``, both
imported lazily with that same signature; while such a module is absent its files are
skipped as "unsupported file type". ``published`` arguments are ISO dates from metadata
(``published_from="metadata"``). Ids are made unique within one :func:`read` by adding
"-2", "-3", ... to later duplicates.
"""

from __future__ import annotations

import importlib
import logging
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path

from accord.errors import AccordError, InputError
from accord.ingest.base import (
    ReadOptions,
    ReadResult,
    file_id,
    size_limit_reason,
    skip,
    source_from_url,
)
from accord.ingest.decode import NotTextError, decode_text
from accord.ingest.html import article_from_html
from accord.ingest.records import article_from_record
from accord.ingest.text import article_from_text
from accord.models import Article, Skipped

__all__ = [
    "NotTextError",
    "ReadOptions",
    "ReadResult",
    "Reader",
    "article_from_html",
    "article_from_record",
    "article_from_text",
    "decode_text",
    "file_id",
    "read",
    "read_data",
    "read_file",
    "reader_for",
    "source_from_url",
]

log = logging.getLogger(__name__)

Reader = Callable[[Path, bytes, ReadOptions], list[Article | Skipped]]

#: Suffix -> (module, function) of its reader, imported when first needed.
_READERS: dict[str, tuple[str, str]] = {
    ".txt": ("accord.ingest.text", "read_text"),
    ".text": ("accord.ingest.text", "read_text"),
    ".md": ("accord.ingest.text", "read_markdown"),
    ".markdown": ("accord.ingest.text", "read_markdown"),
    ".html": ("accord.ingest.html", "read_html"),
    ".htm": ("accord.ingest.html", "read_html"),
    ".xhtml": ("accord.ingest.html", "read_html"),
    ".json": ("accord.ingest.records", "read_json"),
    ".jsonl": ("accord.ingest.records", "read_jsonl"),
    ".ndjson": ("accord.ingest.records", "read_jsonl"),
    ".warc": ("accord.ingest.warc", "read_warc"),
    ".warc.gz": ("accord.ingest.warc", "read_warc"),
    ".rss": ("accord.ingest.feeds", "read_feed"),
    ".atom": ("accord.ingest.feeds", "read_feed"),
    ".xml": ("accord.ingest.feeds", "read_feed"),
}
_FEED_MARKS = (b"<rss", b"<feed", b"<rdf:rdf")
#: Files in a directory that describe the collection rather than hold an article.
_COLLECTION_FILES = ("readme", "license", "licence", "changelog", "copying")
_STDIN = "-"


def read(inputs: Sequence[str | Path] | str | Path, options: ReadOptions | None = None) -> ReadResult:
    """Read files, directories (recursively, in sorted order) and ``-`` (stdin) into articles.

    Hidden files and directories are passed over; every other file found is either
    read or listed in ``skipped`` with the reason. Ids are unique within the result.

    Raises:
        InputError: an input path does not exist.

    Example:
        >>> result = read(["story/"], ReadOptions(published="2024-03-14"))  # doctest: +SKIP
        >>> [a.id for a in result.articles], [(s.input, s.reason) for s in result.skipped]
    """
    options = options or ReadOptions()
    if isinstance(inputs, (str, Path)):
        inputs = [inputs]
    for item in inputs:
        if str(item) != _STDIN and not Path(item).exists():
            raise InputError(f"no such file or directory: {item}")
    results: list[Article | Skipped] = []
    for item in inputs:
        if str(item) == _STDIN:
            results.extend(_read_stdin(options))
            continue
        path = Path(item)
        if path.is_dir():
            for found in _walk(path):
                results.extend(_read_found(found, options))
        else:
            results.extend(read_file(path, options))
    articles = _unique_ids([r for r in results if isinstance(r, Article)])
    skipped = tuple(r for r in results if isinstance(r, Skipped))
    log.info("read %d articles, skipped %d inputs", len(articles), len(skipped))
    return ReadResult(articles=tuple(articles), skipped=skipped)


def read_file(path: Path, options: ReadOptions | None = None) -> list[Article | Skipped]:
    """Read one file into its articles (one for most files, several for JSONL, feeds, WARC).

    Never raises for bad data: an empty, binary, undecodable, oversized or unsupported
    file (or one that vanished) comes back as a single :class:`Skipped`.
    """
    options = options or ReadOptions()
    path = Path(path)
    name = str(path)
    if _suffix(path) not in _READERS:
        return [skip(name, _unsupported(path))]
    try:
        size = path.stat().st_size
        if size > options.max_bytes:
            return [skip(name, size_limit_reason(options.max_bytes))]
        if size == 0:
            return [skip(name, "empty file")]
        if _gzipped(path):
            return _read_gzip(path, options)
        data = path.read_bytes()
    except OSError as exc:
        return [skip(name, f"cannot read file ({exc.strerror or exc})")]
    return read_data(path, data, options)


def _gzipped(path: Path) -> bool:
    """A gzip-compressed input other than WARC (whose reader takes the compressed file)."""
    name = path.name.lower()
    return name.endswith(".gz") and not name.endswith(".warc.gz")


def _read_gzip(path: Path, options: ReadOptions) -> list[Article | Skipped]:
    """Decompress a ``.html.gz``, ``.jsonl.gz``, ... file (at most ``max_bytes`` of it) and read it."""
    import gzip
    import zlib

    name = str(path)
    try:
        with gzip.open(path, "rb") as stream:
            data = stream.read(options.max_bytes + 1)
    except (gzip.BadGzipFile, zlib.error, EOFError) as exc:
        return [skip(name, f"not a readable gzip file ({exc or 'cut short'})")]
    if len(data) > options.max_bytes:
        return [skip(name, "decompressed " + size_limit_reason(options.max_bytes))]
    if not data.strip():
        return [skip(name, "empty file (once decompressed)")]
    return read_data(path, data, options)


def read_data(path: Path, data: bytes, options: ReadOptions | None = None) -> list[Article | Skipped]:
    """Read the bytes of a file named ``path`` (the name picks the reader; nothing is opened)."""
    options = options or ReadOptions()
    name = str(path)
    if len(data) > options.max_bytes:
        return [skip(name, size_limit_reason(options.max_bytes))]
    if not data.strip():
        return [skip(name, "empty file")]
    reader = reader_for(path, data)
    if isinstance(reader, str):
        return [skip(name, reader)]
    try:
        return reader(path, data, options)
    except AccordError as exc:  # e.g. an optional component that is not installed
        return [skip(name, str(exc))]
    except Exception as exc:  # noqa: BLE001 - one bad input never stops the others
        log.debug("reader failed on %s", name, exc_info=True)
        return [skip(name, f"could not read ({type(exc).__name__}: {exc})")]


def reader_for(path: Path, data: bytes = b"") -> Reader | str:
    """The reader for a file name (and, for ``.xml``, its first bytes), or why there is none."""
    suffix = _suffix(Path(path))
    target = _READERS.get(suffix)
    if target is None:
        return _unsupported(Path(path))
    if suffix == ".xml" and data and not _looks_like_feed(data):
        return "unsupported file type (.xml that is not an RSS or Atom feed)"
    module_name, function = target
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name == module_name:
            return f"unsupported file type ({suffix})"
        return f"cannot read {suffix} files: {exc}"
    return getattr(module, function)  # type: ignore[no-any-return]


# --------------------------------------------------------------------------- helpers


def _walk(directory: Path) -> Iterator[Path]:
    """Every non-hidden file under a directory, in sorted order."""
    for root, dirs, files in os.walk(directory):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith("."):
                yield Path(root) / name


def _read_found(path: Path, options: ReadOptions) -> list[Article | Skipped]:
    """Read a file found in a directory; notes about the collection itself are not articles."""
    if path.stem.lower() in _COLLECTION_FILES:
        return [skip(str(path), f"{path.name} describes the folder; not read as an article")]
    return read_file(path, options)


def _read_stdin(options: ReadOptions) -> list[Article | Skipped]:
    data = sys.stdin.buffer.read(options.max_bytes + 1)
    if len(data) > options.max_bytes:
        return [skip(_STDIN, size_limit_reason(options.max_bytes))]
    if not data.strip():
        return [skip(_STDIN, "empty input")]
    return read_data(Path("stdin" + _sniff_suffix(data)), data, options)


def _sniff_suffix(data: bytes) -> str:
    """Standard input has no name: tell HTML and JSON from plain text by the first bytes."""
    head = data.lstrip()[:512].lower()
    if head.startswith((b"<!doctype html", b"<html")) or (head.startswith(b"<") and b"<p" in head):
        return ".html"
    if head.startswith(b"{"):
        return ".jsonl"
    if head.startswith(b"["):
        return ".json"
    return ".txt"


def _suffix(path: Path) -> str:
    """The suffix that picks the reader: ".warc.gz" whole; for other ".gz" files the one inside."""
    name = path.name.lower()
    if name.endswith(".warc.gz"):
        return ".warc.gz"
    if name.endswith(".gz") and Path(name[:-3]).suffix:
        return Path(name[:-3]).suffix
    return Path(name).suffix


def _unsupported(path: Path) -> str:
    suffix = _suffix(path)
    return f"unsupported file type ({suffix})" if suffix else "unsupported file type (no extension)"


def _looks_like_feed(data: bytes) -> bool:
    head = data[:4096].lower()
    return any(mark in head for mark in _FEED_MARKS)


def _unique_ids(articles: Sequence[Article]) -> list[Article]:
    """Give later duplicates of an id a "-2", "-3", ... suffix (stable for the same input)."""
    taken = {a.id for a in articles}
    seen: set[str] = set()
    unique: list[Article] = []
    for article in articles:
        new_id = article.id
        counter = 1
        while new_id in seen or (new_id != article.id and new_id in taken):
            counter += 1
            new_id = f"{article.id}-{counter}"
        if new_id != article.id:
            log.info("duplicate id %s renamed %s", article.id, new_id)
            article = replace(article, id=new_id)
        seen.add(new_id)
        unique.append(article)
    return unique
