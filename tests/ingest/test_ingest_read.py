"""Reading inputs: every file type, directories, stdin, ids, and every kind of bad input."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from accord import ingest
from accord.errors import InputError
from accord.ingest import ReadOptions, read, read_data, read_file, reader_for
from accord.models import Article, Skipped

BODY = (
    "The Skarvik ferry left two hours late on Sunday because of thick fog, the operator said.\n\n"
    "About 180 passengers waited in the terminal, where staff handed out blankets and coffee."
)


def _write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def _reasons(result: ingest.ReadResult) -> dict[str, str]:
    return {Path(s.input).name: s.reason for s in result.skipped}


# --------------------------------------------------------------------------- readers


def test_txt_first_line_is_title_and_id_is_the_stem(tmp_path: Path) -> None:
    path = _write(tmp_path / "a" / "b" / "001_fog.txt", f"\n\nFog delays Skarvik ferry\n{BODY}\n")
    (article,) = read([path]).articles
    assert article.id == "001_fog"
    assert article.title == "Fog delays Skarvik ferry"
    assert article.text == BODY
    assert article.input == str(path)


def test_markdown_markup_is_dropped(tmp_path: Path) -> None:
    markdown = (
        "# Fog delays *Skarvik* ferry\n\n"
        "The **Skarvik** ferry left two hours late on Sunday, [the operator](https://ferry.test) said.\n\n"
        "![The terminal](terminal.jpg)\n\n"
        "- Passengers were given blankets.\n"
    )
    (article,) = read([_write(tmp_path / "fog.md", markdown)]).articles
    assert article.title == "Fog delays Skarvik ferry"
    assert article.text == (
        "The Skarvik ferry left two hours late on Sunday, the operator said.\n\n"
        "Passengers were given blankets."
    )


HTML = """<!doctype html>
<html lang="en-GB"><head><meta charset="utf-8">
<title>Fog delays Skarvik ferry | The Fjord Herald</title>
<meta property="og:title" content="Fog delays Skarvik ferry">
<meta property="og:site_name" content="The Fjord Herald">
<meta property="article:published_time" content="2024-06-02T09:30:00Z">
<link rel="canonical" href="https://www.fjordherald.test/news/fog-ferry">
</head><body>
<nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article>
<h1>Fog delays Skarvik ferry</h1>
<p>SKARVIK \u2014 The Skarvik ferry left two hours late on Sunday because of thick fog, the operator said.</p>
<p>About 180 passengers waited in the terminal, where staff handed out blankets and coffee.</p>
<p>\u201cWe will not sail blind,\u201d captain Ingrid Holm told the Herald by phone from the bridge.</p>
</article>
<section id="comments"><h3>2 comments</h3>
<div class="comment"><p>Ola B. June 2, 2024 Reply</p><p>Quite right, captain.</p></div>
</section>
<footer><p>Subscribe to our newsletter</p></footer>
</body></html>
"""


def test_markdown_setext_title(tmp_path: Path) -> None:
    (article,) = read([_write(tmp_path / "fog.md", f"Fog delays ferry\n================\n\n{BODY}")]).articles
    assert (article.title, article.text) == ("Fog delays ferry", BODY)


def test_html_goes_through_the_extractor_and_the_cleaner(tmp_path: Path) -> None:
    (article,) = read([_write(tmp_path / "fog-page.html", HTML)]).articles
    assert article.id == "fog-page"
    assert article.title == "Fog delays Skarvik ferry"
    assert article.source == "The Fjord Herald"
    assert article.url == "https://www.fjordherald.test/news/fog-ferry"
    assert (article.published, article.published_from) == ("2024-06-02", "metadata")
    assert article.dateline == "SKARVIK"
    assert article.language == "en"
    assert article.text.startswith("The Skarvik ferry left two hours late")
    assert "captain Ingrid Holm" in article.text
    assert "Quite right" not in article.text
    assert "newsletter" not in article.text
    assert {r.reason for r in article.removed} >= {"dateline"}
    (comments,) = [r.text for r in article.removed if r.reason == "comment section"]
    assert "Quite right, captain." in comments


def test_html_without_site_name_takes_the_url_domain() -> None:
    html = (
        "<html><body><article><p>The Skarvik ferry left two hours late on Sunday because of thick fog, "
        "the operator said in a short statement.</p><p>About 180 passengers waited in the terminal.</p>"
        "</article></body></html>"
    )
    article = ingest.article_from_html(html, id="x", url="https://www.ferries.example/fog")
    assert isinstance(article, Article)
    assert article.source == "ferries.example"


def test_html_with_no_text_is_skipped(tmp_path: Path) -> None:
    result = read([_write(tmp_path / "blank.html", "<html><body><div></div></body></html>")])
    assert _reasons(result) == {"blank.html": "no article text found in the HTML"}


def test_jsonl_records_with_and_without_ids_and_bad_lines(tmp_path: Path) -> None:
    lines = [
        json.dumps({"id": "r1", "title": "Fog delays ferry", "text": BODY, "url": "https://www.fjord.test/a",
                    "published": "2024-06-02T10:00:00Z"}),
        json.dumps({"title": "Second", "content": BODY, "domain": "coast.test", "date": "June 3, 2024"}),
        "{not json",
        json.dumps({"title": "No text here"}),
        "",
        json.dumps(["a", "list"]),
        json.dumps({"body": BODY, "source": "Valley News"}),
    ]
    path = _write(tmp_path / "feed.jsonl", "\n".join(lines))
    result = read([path])
    assert [a.id for a in result.articles] == ["r1", "feed:2", "feed:7"]
    first, second, third = result.articles
    assert (first.source, first.published, first.published_from) == ("fjord.test", "2024-06-02", "metadata")
    assert (second.source, second.published) == ("coast.test", "2024-06-03")
    assert third.source == "Valley News"
    assert {s.input: s.reason for s in result.skipped} == {
        f"{path}:3": "invalid JSON (Expecting property name enclosed in double quotes at column 2)",
        f"{path}:4": "no text, content or body field",
        f"{path}:6": "not a JSON object",
    }


def test_a_broken_json_file_is_named_with_line_and_column(tmp_path: Path) -> None:
    path = _write(tmp_path / "cut.json", '[{"id": "a",\n  "text": "Fog over the fjord')
    result = read([path])
    assert [(s.input, s.reason) for s in result.skipped] == [
        (str(path), "invalid JSON (Unterminated string starting at line 2, column 11)")]


def test_json_file_with_one_record_or_a_list(tmp_path: Path) -> None:
    single = _write(tmp_path / "one.json", json.dumps({"title": "Fog", "text": BODY}))
    many = _write(tmp_path / "many.json", json.dumps([{"id": "m1", "text": BODY}, {"title": "empty"}]))
    result = read([single, many])
    assert [a.id for a in result.articles] == ["one", "m1"]
    assert [(s.input, s.reason) for s in result.skipped] == [(f"{many}:item 2", "no text, content or body field")]


def test_json_that_is_not_article_records_is_reported(tmp_path: Path) -> None:
    path = _write(tmp_path / "story" / "notes.json", json.dumps({"articles": {"a": 1}, "facts": []}))
    _write(tmp_path / "story" / "a.txt", f"Fog\n{BODY}")
    result = read([tmp_path / "story"])
    assert [a.id for a in result.articles] == ["a"]
    assert result.skipped == (Skipped(input=str(path), reason="not article records (no object with a text, "
                                      "content or body field)"),)


def test_html_inside_a_record_is_extracted(tmp_path: Path) -> None:
    path = _write(tmp_path / "pages.jsonl", json.dumps({"id": "p", "url": "https://fjordherald.test/x", "html": HTML}))
    (article,) = read([path]).articles
    assert article.title == "Fog delays Skarvik ferry"
    assert "Quite right" not in article.text


def test_stdin_is_read_as_text(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(f"Fog delays ferry\n{BODY}".encode())))
    (article,) = read(["-"]).articles
    assert (article.id, article.title, article.text) == ("stdin", "Fog delays ferry", BODY)


def test_stdin_jsonl_is_recognised(monkeypatch: pytest.MonkeyPatch) -> None:
    data = json.dumps({"id": "s1", "title": "Fog", "text": BODY}).encode()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    assert [a.id for a in read(["-"]).articles] == ["s1"]


# --------------------------------------------------------------------------- directories and ids


def test_directory_is_read_recursively_in_sorted_order(tmp_path: Path) -> None:
    _write(tmp_path / "b.txt", f"B\n{BODY}")
    _write(tmp_path / "a.txt", f"A\n{BODY}")
    _write(tmp_path / "sub" / "c.md", f"# C\n{BODY}")
    _write(tmp_path / ".hidden.txt", f"H\n{BODY}")
    _write(tmp_path / ".git" / "d.txt", f"D\n{BODY}")
    _write(tmp_path / "README.md", "# About these files\nThey are invented.")
    _write(tmp_path / "scan.pdf", b"%PDF-1.4")
    result = read([tmp_path])
    assert [a.id for a in result.articles] == ["a", "b", "c"]
    assert _reasons(result) == {
        "README.md": "README.md describes the folder; not read as an article",
        "scan.pdf": "unsupported file type (.pdf)",
    }


def test_duplicate_ids_are_made_unique_deterministically(tmp_path: Path) -> None:
    first = _write(tmp_path / "one" / "fog.txt", f"A\n{BODY}")
    second = _write(tmp_path / "two" / "fog.txt", f"B\n{BODY}")
    third = _write(tmp_path / "fog-2.txt", f"C\n{BODY}")
    assert [a.id for a in read([first, second, third]).articles] == ["fog", "fog-3", "fog-2"]
    assert [a.id for a in read([first, second]).articles] == ["fog", "fog-2"]


# --------------------------------------------------------------------------- bad input


def test_missing_path_raises_input_error_naming_it(tmp_path: Path) -> None:
    good = _write(tmp_path / "good.txt", f"A\n{BODY}")
    missing = tmp_path / "nowhere.txt"
    with pytest.raises(InputError, match="nowhere.txt") as info:
        read([good, missing])
    assert info.value.exit_code == 2


def test_empty_binary_undecodable_and_unsupported_files_are_skipped(tmp_path: Path) -> None:
    _write(tmp_path / "empty.txt", "")
    _write(tmp_path / "blank.txt", "  \n\n ")
    _write(tmp_path / "image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00")
    _write(tmp_path / "noise.txt", bytes(range(128, 256)) * 4)
    _write(tmp_path / "sheet.xlsx", b"PK\x03\x04")
    _write(tmp_path / "good.txt", f"Fog\n{BODY}")
    result = read([tmp_path])
    assert [a.id for a in result.articles] == ["good"]
    assert _reasons(result) == {
        "blank.txt": "empty file",
        "empty.txt": "empty file",
        "image.txt": "binary file, not text",
        "noise.txt": "undecodable text (not UTF-8, and no other encoding fits)",
        "sheet.xlsx": "unsupported file type (.xlsx)",
    }


def test_files_over_the_size_limit_are_skipped(tmp_path: Path) -> None:
    big = _write(tmp_path / "big.txt", f"Fog\n{BODY}\n" + "More text about the fog. " * 20)
    small = _write(tmp_path / "small.txt", "Fog\nThe ferry was late.")
    result = read([big, small], ReadOptions(max_bytes=200))
    assert [a.id for a in result.articles] == ["small"]
    assert _reasons(result) == {"big.txt": "larger than the 0.000190735 MB limit (--max-size)"}
    assert isinstance(read_file(big)[0], Article)  # the default limit lets it through
    assert ingest.base.size_limit_reason(50 * 1024 * 1024) == "larger than the 50 MB limit (--max-size)"


def test_stdin_over_the_size_limit_is_skipped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"Fog\n" + b"x " * 200)))
    result = read(["-"], ReadOptions(max_bytes=100))
    assert result.articles == ()
    assert result.skipped[0].input == "-"
    assert result.skipped[0].reason.startswith("larger than")


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1"])
def test_legacy_encodings_are_decoded(tmp_path: Path, encoding: str) -> None:
    text = "Caf\u00e9 fire closes Skarvik quay\nThe caf\u00e9 on the quay will stay shut until the cr\u00e8me supplier is paid."
    if encoding == "cp1252":
        text += "\n\n\u201cWe are devastated,\u201d said the owner \u2013 again."
    (article,) = read([_write(tmp_path / f"{encoding}.txt", text.encode(encoding))]).articles
    assert article.title == "Caf\u00e9 fire closes Skarvik quay"
    assert "caf\u00e9 on the quay" in article.text
    assert "cr\u00e8me" in article.text
    if encoding == "cp1252":
        assert "\u201cWe are devastated,\u201d said the owner \u2013 again." in article.text


def test_utf8_bom_and_utf16_are_decoded(tmp_path: Path) -> None:
    bom = _write(tmp_path / "bom.txt", "\ufeffFog\nThe ferry was late.".encode())
    wide = _write(tmp_path / "wide.txt", "Fog\nThe caf\u00e9 ferry was late.".encode("utf-16"))
    first, second = read([bom, wide]).articles
    assert first.title == "Fog"
    assert second.text == "The caf\u00e9 ferry was late."


def test_one_bad_file_among_good_ones(tmp_path: Path) -> None:
    _write(tmp_path / "1.txt", f"One\n{BODY}")
    _write(tmp_path / "2.txt", b"\x00\x01\x02binary")
    _write(tmp_path / "3.jsonl", json.dumps({"id": "three", "text": BODY}))
    result = read([tmp_path])
    assert [a.id for a in result.articles] == ["1", "three"]
    assert [Path(s.input).name for s in result.skipped] == ["2.txt"]


def test_a_file_with_only_a_title_or_only_boilerplate_is_skipped(tmp_path: Path) -> None:
    only_title = _write(tmp_path / "title.txt", "Just a headline\n\n")
    only_nav = _write(tmp_path / "nav.txt", "Headline\nPrevious post Something\nNext post Other\nBack to top")
    result = read([only_title, only_nav])
    assert result.articles == ()
    reasons = _reasons(result)
    assert reasons["title.txt"] == "no article text"
    assert reasons["nav.txt"].startswith("nothing left after removing boilerplate")


# --------------------------------------------------------------------------- dispatch


def test_warc_and_feed_dispatch_when_the_reader_module_is_absent(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(ingest._READERS, ".warc", ("accord.ingest._no_such_reader", "read_warc"))
    assert reader_for(Path("crawl.warc")) == "unsupported file type (.warc)"
    skipped = read_data(Path("crawl.warc"), b"WARC/1.0\r\n")
    assert skipped == [Skipped(input="crawl.warc", reason="unsupported file type (.warc)")]


def test_suffix_dispatch_table() -> None:
    assert ingest._suffix(Path("x/crawl.WARC.GZ")) == ".warc.gz"
    assert ingest._READERS[".warc.gz"] == ("accord.ingest.warc", "read_warc")
    assert ingest._READERS[".rss"] == ("accord.ingest.feeds", "read_feed")
    assert reader_for(Path("a.txt")) is ingest.text.read_text
    assert reader_for(Path("a.xml"), b"<?xml version='1.0'?><catalog/>") == (
        "unsupported file type (.xml that is not an RSS or Atom feed)"
    )


def test_a_failing_reader_becomes_a_skip(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(path: Path, data: bytes, options: ReadOptions) -> list[Article | Skipped]:
        raise RuntimeError("reader exploded")

    monkeypatch.setattr(ingest, "reader_for", lambda path, data=b"": broken)
    assert read_data(Path("x.txt"), b"Fog\nLate.") == [
        Skipped(input="x.txt", reason="could not read (RuntimeError: reader exploded)")
    ]


def test_skips_are_logged_and_a_single_path_is_accepted(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    _write(tmp_path / "empty.txt", "")
    _write(tmp_path / "ok.txt", f"Fog\n{BODY}")
    with caplog.at_level("INFO", logger="accord.ingest"):
        result = read(str(tmp_path))
    assert [a.id for a in result.articles] == ["ok"]
    assert any("empty.txt" in r.getMessage() and "empty file" in r.getMessage() for r in caplog.records)


def test_records_with_empty_text_are_named_by_their_id(tmp_path: Path) -> None:
    lines = [
        json.dumps({"id": "a06", "url": "https://coastalpress.com/x", "text": BODY}),
        json.dumps({"id": "a07", "url": "https://coastalpress.com/y", "text": ""}),
        json.dumps({"id": "a08", "text": "   \n "}),
        json.dumps({"text": ""}),
        json.dumps({"id": "a10", "body": 42}),
    ]
    path = _write(tmp_path / "story.jsonl", "\n".join(lines))
    result = read([path])
    assert [a.id for a in result.articles] == ["a06"]
    assert [(s.input, s.reason) for s in result.skipped] == [
        (f"{path} record a07", "text is empty"),
        (f"{path} record a08", "text is empty"),
        (f"{path}:4", "text is empty"),
        (f"{path} record a10", "body is not a string"),
    ]
    many = _write(tmp_path / "many.json", json.dumps([{"id": "m1", "text": BODY}, {"id": "m2", "content": ""}]))
    assert [(s.input, s.reason) for s in read([many]).skipped] == [(f"{many} record m2", "content is empty")]


# --------------------------------------------------------------------------- metadata from real pages


@pytest.mark.parametrize(
    ("url", "source", "published"),
    [
        ("https://www.straitstimes.com/singapore/ferry-fog", "The Straits Times", None),
        ("https://tnp.straitstimes.com/news/ferry-fog", "The New Paper", None),
        ("https://news.coastalpress.com/2025/02/07/ferry-fog/", "coastalpress.com", "2025-02-07"),
        ("https://coastalpress.com/news/20250207_ferry_fog", "coastalpress.com", "2025-02-07"),
        ("https://www.harbour.com.sg/2025-02-07-ferry-fog", "harbour.com.sg", "2025-02-07"),
        ("https://coastalpress.com/2025/02/ferry-fog/", "coastalpress.com", None),
        ("https://coastalpress.com/2025/13/40/ferry-fog/", "coastalpress.com", None),
        ("https://coastalpress.com/news/42718-ferry-fog", "coastalpress.com", None),
    ],
)
def test_source_and_date_from_the_url(tmp_path: Path, url: str, source: str, published: str | None) -> None:
    path = _write(tmp_path / "s.jsonl", json.dumps({"id": "a1", "url": url, "text": BODY}))
    (article,) = read([path]).articles
    assert article.source == source
    assert article.published == published
    assert article.published_from == ("metadata" if published else None)


def test_record_fields_win_over_the_url(tmp_path: Path) -> None:
    record = {"id": "a1", "url": "https://www.straitstimes.com/2025/02/07/x", "source": "ST",
              "published": "2025-02-06", "text": BODY}
    (article,) = read([_write(tmp_path / "s.jsonl", json.dumps(record))]).articles
    assert (article.source, article.published) == ("ST", "2025-02-06")


@pytest.mark.parametrize(
    ("line", "published", "updated"),
    [
        ("Published 06 Feb 2025", "2025-02-06", None),
        ("Posted on February 6, 2025", "2025-02-06", None),
        ("Updated 7 February 2025, 10:15am", "2025-02-07", "2025-02-07"),
    ],
)
def test_date_from_a_published_line(tmp_path: Path, line: str, published: str, updated: str | None) -> None:
    path = _write(tmp_path / "s.jsonl", json.dumps({"id": "a1", "text": f"{line}\n\n{BODY}"}))
    (article,) = read([path]).articles
    assert article.text == BODY
    assert (article.published, article.published_from, article.updated) == (published, "metadata", updated)


def test_dateline_gives_the_outlet_and_its_date(tmp_path: Path) -> None:
    text = "LOWHAVEN, Feb 6, 2025 (Coastal Press) \u2013 " + BODY
    (article,) = read([_write(tmp_path / "s.jsonl", json.dumps({"id": "a1", "text": text}))]).articles
    assert (article.source, article.dateline) == ("Coastal Press", "LOWHAVEN")
    assert (article.published, article.published_from) == ("2025-02-06", "dateline")


def test_txt_source_from_the_file_name_as_the_last_resort(tmp_path: Path) -> None:
    named = _write(tmp_path / "coastalpress.com_fog.txt", f"Fog delays ferry\n{BODY}")
    plain = _write(tmp_path / "a01.txt", f"Fog delays ferry\n{BODY}")
    credited = _write(tmp_path / "straitstimes.com_2.txt", f"Fog\nLOWHAVEN (Coastal Press) \u2013 {BODY}")
    articles = {a.id: a.source for a in read([named, plain, credited]).articles}
    assert articles == {"coastalpress.com_fog": "coastalpress.com", "a01": None, "straitstimes.com_2": "Coastal Press"}
