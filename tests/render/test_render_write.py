"""write_report and to_json: formats, destinations and file names, as ``accord report`` uses them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from accord.errors import UsageError
from accord.models import Report, from_dict, to_dict
from accord.render import story_name, to_json, write_report


def test_to_json_is_the_contract_and_stable(report: Report) -> None:
    text = to_json(report)
    assert text.endswith("}\n")
    data = json.loads(text)
    assert data["schema_version"] == "1"
    assert data["stories"][0]["discrepancies"][1]["values"][1]["qualifier"] == ">="
    assert "input" not in data["stories"][0]["articles"][0]  # private field stays out
    assert "<script>alert(1)</script>" in text  # JSON keeps the text; ensure_ascii off
    assert to_json(from_dict(Report, data)) == text
    assert text == json.dumps(to_dict(report), ensure_ascii=False, indent=2) + "\n"


def test_directory_output_is_named_after_the_single_input_directory(report: Report, tmp_path: Path) -> None:
    story_dir = tmp_path / "ferry-crash"
    story_dir.mkdir()
    out = tmp_path / "build"
    out.mkdir()
    written = write_report(report, fmt="html", output=out, inputs=[str(story_dir)])
    assert written == out / "ferry-crash.html"
    assert written.read_text("utf-8").startswith("<!DOCTYPE html>")


def test_directory_output_from_files_and_from_stdin(report: Report, tmp_path: Path) -> None:
    first = tmp_path / "monday-update.txt"
    first.write_text("x", "utf-8")
    assert story_name(report, [str(first), str(tmp_path / "other.html")]) == "monday-update"
    assert story_name(report, ["-"]) == "story-ferry"
    assert story_name(Report(stories=()), ["-"]) == "report"


def test_trailing_slash_creates_the_directory(report: Report, tmp_path: Path) -> None:
    written = write_report(report, fmt="json", output=f"{tmp_path}/new/", inputs=["-"])
    assert written == tmp_path / "new" / "story-ferry.json"
    assert json.loads(written.read_text("utf-8"))["stories"][0]["id"] == "story-ferry"


def test_format_follows_the_file_suffix_when_not_given(report: Report, tmp_path: Path) -> None:
    page = write_report(report, fmt=None, output=tmp_path / "story.html", inputs=[])
    assert page.read_text("utf-8").startswith("<!DOCTYPE html>")
    notes = write_report(report, fmt=None, output=tmp_path / "story.notes", inputs=[])
    assert notes.read_text("utf-8").startswith("# Ferry strikes the pier")


def test_terminal_format_to_a_file_is_plain_text(report: Report, tmp_path: Path) -> None:
    written = write_report(report, fmt="terminal", output=tmp_path, inputs=["-"])
    assert written.suffix == ".txt"
    text = written.read_text("utf-8")
    assert "\x1b[" not in text and "at least 11 [2][3]" in text


def test_stdout_defaults_to_markdown(report: Report, capsys: pytest.CaptureFixture[str]) -> None:
    assert write_report(report, fmt=None, output=None, inputs=[]) is None
    out = capsys.readouterr().out
    assert out.startswith("# Ferry strikes the pier at Tollan Quay")
    assert "[^1]:" in out


def test_misuse_is_reported(report: Report, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown format"):
        write_report(report, fmt="pdf", output=None, inputs=[])
    with pytest.raises(UsageError, match="does not exist"):
        write_report(report, fmt="json", output=tmp_path / "missing" / "r.json", inputs=[])


def _two_stories(report: Report) -> Report:
    from dataclasses import replace

    first = report.stories[0]
    second = replace(first, id="story-other", title="Café opens on Brindle Street")
    return replace(report, stories=(first, second))


def test_a_directory_gets_one_file_per_story(report: Report, tmp_path: Path) -> None:
    from accord.render import write_reports

    written = write_reports(_two_stories(report), fmt="json", output=f"{tmp_path}/out/", inputs=["-"])
    assert [p.name for p in written] == ["story-ferry-1-ferry-strikes-the-pier-at-tollan-quay.json",
                                         "story-ferry-2-cafe-opens-on-brindle-street.json"]
    for path in written:
        assert len(json.loads(path.read_text("utf-8"))["stories"]) == 1
    single = write_reports(report, fmt="json", output=tmp_path, inputs=["-"])
    assert single == [tmp_path / "story-ferry.json"]


def test_several_stories_in_one_document_say_how_the_inputs_were_split(report: Report) -> None:
    from accord.render import to_markdown, to_text

    both = _two_stories(report)
    markdown = to_markdown(both)
    assert markdown.startswith("# accord report: 2 stories")
    assert "report 2 separate stories" in markdown
    assert "1. Ferry strikes the pier" in markdown and "2. Café opens on Brindle Street" in markdown
    # Footnotes stay distinct per story in one document.
    assert "[^1-1]:" in markdown and "[^2-1]:" in markdown and "[^1]:" not in markdown
    text = to_text(both)
    assert "report 2 separate stories" in text and "Story 2 of 2" in text
    assert "separate stories" not in to_markdown(report)
