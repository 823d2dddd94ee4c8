"""WARC reader: HTML responses become articles through the HTML extractor; the rest is passed over."""

from __future__ import annotations

import io
from pathlib import Path

from accord.ingest import ReadOptions, read_file
from accord.ingest.warc import iter_warc, page_id, read_warc
from accord.models import Article, Skipped

from .builders import BRENNICK, TARNFORD, html_page, warc_bytes

PAGES = [
    ("https://dailyledger.example/tarnford-depot", html_page(*TARNFORD[1], site="Daily Ledger")),
    ("https://northpost.example/brennick", html_page(*BRENNICK[0], published="2024-05-08")),
]


def test_each_html_response_becomes_an_article() -> None:
    items = read_warc(Path("crawl.warc.gz"), warc_bytes(PAGES), ReadOptions())
    assert all(isinstance(i, Article) for i in items)
    articles = [i for i in items if isinstance(i, Article)]
    assert [a.url for a in articles] == [url for url, _ in PAGES]
    assert [a.id for a in articles] == [page_id(url) for url, _ in PAGES]
    first = articles[0]
    assert first.title == TARNFORD[1][0]
    assert "Halberg Furnishings depot" in first.text
    assert "Home" not in first.text.split("\n")[0]
    assert first.source == "dailyledger.example" or first.source == "Daily Ledger"
    assert articles[1].published == "2024-05-08"
    assert first.input == "crawl.warc.gz#https://dailyledger.example/tarnford-depot"


def test_suffix_dispatch_reads_uncompressed_warc_files(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc"
    import gzip

    path.write_bytes(gzip.decompress(warc_bytes(PAGES[:1])))
    items = read_file(path, ReadOptions())
    assert len(items) == 1 and isinstance(items[0], Article)


def test_page_without_article_text_is_skipped_with_a_reason() -> None:
    pages = [("https://example.org/empty", "<html><body><nav>Home</nav></body></html>")]
    items = read_warc(Path("c.warc.gz"), warc_bytes(pages, with_noise=False), ReadOptions())
    assert len(items) == 1 and isinstance(items[0], Skipped)
    assert items[0].input.endswith("#https://example.org/empty")


def test_a_damaged_archive_ends_with_one_skip_entry() -> None:
    from warcio.archiveiterator import ArchiveIterator

    data = warc_bytes(PAGES, with_noise=False)
    records = ArchiveIterator(io.BytesIO(data))
    offsets = []
    for _record in records:
        offsets.append(records.get_record_offset())
    damaged = data[: offsets[1]] + b"this is not a WARC record\r\n\r\n" + data[offsets[1]:]
    items = list(iter_warc(io.BytesIO(damaged), name="bad.warc.gz", options=ReadOptions()))
    assert [type(i) for i in items] == [Article, Skipped]
    assert items[-1].input == "bad.warc.gz"
    assert "damaged WARC after 1 pages" in items[-1].reason


def test_oversized_pages_are_skipped() -> None:
    items = read_warc(Path("c.warc.gz"), warc_bytes(PAGES[:1], with_noise=False), ReadOptions(max_bytes=200))
    assert len(items) == 1 and isinstance(items[0], Skipped)
    assert "size limit" in items[0].reason
