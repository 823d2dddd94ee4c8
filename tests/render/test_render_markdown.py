"""The Markdown view: same content as the report, footnotes that resolve, text that cannot break it."""

from __future__ import annotations

import re

from markdown_it import MarkdownIt

from accord.models import Report
from accord.render.markdown import escape, to_markdown


def _gfm_html(text: str) -> str:
    # CommonMark with raw HTML allowed (as GitHub parses it, before sanitizing) plus tables.
    return MarkdownIt("commonmark").enable("table").render(text)


def test_discrepancy_values_are_listed_with_their_sources(report: Report) -> None:
    text = to_markdown(report)
    assert "### 1. passengers injured in the ferry collision" in text
    assert "**Conflict** (count)" in text
    assert "| **14** | [^1] |" in text
    assert "| **at least 11** | [^2][^3] |" in text
    assert "| **about 20** | [^4] |" in text
    # the compatible attribution comes after the conflict even though the report lists it first
    assert text.index("**Compatible** (attribution)") > text.index("**Conflict** (count)")


def test_every_footnote_reference_resolves_to_an_article(report: Report) -> None:
    text = to_markdown(report)
    defined = dict(re.findall(r"^\[\^(\d+)\]: (.*)$", text, flags=re.MULTILINE))
    used = set(re.findall(r"\[\^(\d+)\](?!:)", text))
    assert used == set(defined) == {"1", "2", "3", "4"}
    assert defined["1"].startswith("**Ferry strikes Tollan pier** — Coast Herald — 4 April 2031")
    assert "<https://herald.example/ferry>" in defined["1"]
    assert "shares copied text with source 3" in defined["2"]
    assert "comment section" in defined["1"]


def test_summary_sentences_carry_their_sources(report: Report) -> None:
    text = to_markdown(report)
    assert "A cable ferry struck the pier at Tollan Quay on Friday evening. [^1][^2][^3][^4]" in text


def test_article_text_cannot_break_tables_or_inject_html(report: Report) -> None:
    text = to_markdown(report)
    html = _gfm_html(text)
    assert "<script>" not in html and "<img" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    # every row of every table has as many cells as its header
    for table in re.findall(r"<table>.*?</table>", html, flags=re.DOTALL):
        rows = re.findall(r"<tr>(.*?)</tr>", table, flags=re.DOTALL)
        widths = {len(re.findall(r"<t[hd][ >]", row)) for row in rows}
        assert len(widths) == 1, widths
    # the pipe inside the discrepancy's "about" and in the hostile fact stays text
    assert "who promised to rebuild | the &lt;landing&gt;" in html


def test_escape_neutralises_block_syntax_and_keeps_words() -> None:
    assert escape("# not a heading") == "\\# not a heading"
    assert escape("1. not a list") == "1\\. not a list"
    assert escape("a | b\nc") == "a \\| b c"
    assert escape("[link](javascript:x)") == "\\[link\\](javascript:x)"
    assert escape("&amp; stays literal") == "\\&amp; stays literal"
    rendered = _gfm_html(escape("- *x* `y` <i>z</i> &copy;"))
    assert "<ul>" not in rendered and "<em>" not in rendered and "<code>" not in rendered
    assert "- *x* `y` &lt;i&gt;z&lt;/i&gt; &amp;copy;" in rendered


def test_agreement_matrix_marks_states_silent_and_differs(report: Report) -> None:
    text = to_markdown(report)
    row = next(line for line in text.splitlines() if line.startswith("| *passengers injured"))
    assert row == "| *passengers injured in the ferry collision* | ≠ 14 | ✓ at least 11 | ✓ at least 11 | ≠ about 20 |"
    compatible = next(line for line in text.splitlines() if line.startswith("| *who promised"))
    assert compatible.endswith("| ✓ Ines Kallio | ≈ Arno Pell | · | · |")  # different, not contradicting
    fact = next(line for line in text.splitlines() if line.startswith("| The ferry hit the quay"))
    assert fact.endswith("| ✓ | ✓ | ✓ | ✓ |")


def test_quotes_show_the_other_speaker(report: Report) -> None:
    text = to_markdown(report)
    assert "### Ines Kallio" in text
    assert "attributed to **Arno Pell** by [^2]" in text


def test_empty_sections_render_with_a_note(empty_report: Report) -> None:
    text = to_markdown(empty_report)
    assert "No discrepancies found" in text
    assert "No facts or discrepancies to compare" in text
    assert "## Summary" not in text
    assert "## Skipped inputs" in text


def test_no_story_at_all() -> None:
    text = to_markdown(Report(stories=(), generated_by="accord 0"))
    assert "No story" in text


def test_established_facts_come_first_best_supported_one_sentence_each(report: Report) -> None:
    from dataclasses import replace

    from accord.models import Fact

    story = report.stories[0]
    longer = Fact(id="f-long", statement="The quay was closed. Divers checked the hull on Saturday.",
                  articles=("herald", "post"), independent_sources=2)
    text = to_markdown(replace(report, stories=(replace(story, facts=(longer, *story.facts)),)))
    established = text.split("## Established\n", 1)[1].split("\n## ", 1)[0]
    assert text.index("## Established") < text.index("## Discrepancies")
    lines = [line for line in established.splitlines() if line[:2] in ("1.", "2.", "3.")]
    assert lines[0].startswith("1. The ferry hit the quay at Tollan on Friday evening. — **3 independent sources**")
    assert "Coast Herald, Tollan Post, Wire Service" in lines[0] and lines[0].endswith("[^1][^2][^3][^4]")
    assert lines[2].startswith("3. The quay was closed. — **2 independent sources**")  # first sentence only
    assert "Divers" not in established
    assert "1 other statement comes from one source" in established
    # the agreement table lists facts of two or more independent sources only
    agreement = text.split("## Agreement\n", 1)[1].split("\n## ", 1)[0]
    assert "alert(1)" not in agreement and "The quay was closed." in agreement


def test_disputed_only_shows_the_discrepancies_and_no_facts(report: Report) -> None:
    text = to_markdown(report, disputed_only=True)
    assert "Only what the sources dispute is shown" in text
    assert "## Established" not in text and "## Summary" not in text and "## Timeline" not in text
    assert "## Discrepancies" in text and "passengers injured" in text
    assert "The ferry hit the quay at Tollan" not in text
