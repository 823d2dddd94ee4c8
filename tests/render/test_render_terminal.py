"""The terminal view, recorded with rich's Console: real content, markup in articles shown as text."""

from __future__ import annotations

import io

from rich.console import Console

from accord.models import Report
from accord.render.terminal import print_terminal, to_text


def _record(report: Report) -> str:
    console = Console(record=True, width=100, file=io.StringIO(), color_system="truecolor")
    print_terminal(report, console)
    return console.export_text()


def _line_with(text: str, needle: str) -> str:
    return next(line for line in text.splitlines() if needle in line)


def test_summary_cites_sources_with_markers(report: Report) -> None:
    text = _record(report)
    assert "A cable ferry struck the pier at Tollan Quay on Friday evening. [1][2][3][4]" in text


def test_discrepancy_table_lists_values_with_sources_and_status(report: Report) -> None:
    text = _record(report)
    injured = _line_with(text, "│ passengers injured in the")
    assert "14 [1]" in injured and "conflict" in injured
    assert "at least 11 [2][3]" in text
    assert "about 20 [4]" in text
    attribution = _line_with(text, "who promised to rebuild")
    assert "Ines Kallio [1]" in attribution and "compatible" in attribution
    # conflicts are listed before compatible values
    assert text.index("│ passengers injured in the") < text.index("│ who promised to rebuild")


def test_sources_table_names_outlets_dates_and_copies(report: Report) -> None:
    text = _record(report)
    post = _line_with(text, "Tollan Post")
    assert "[2]" in post and "5 April 2031" in post and post.rstrip().endswith("[3]")
    blog = _line_with(text, "Photos: ferry crash")
    assert "[4]" in blog and "unknown" in blog  # no outlet and no URL: the title stands in


def test_agreement_matrix_shows_states_silent_and_differs(report: Report) -> None:
    matrix = _record(report).split("\nAgreement\n", 1)[1].split("\nQuotes\n", 1)[0]
    fact = _line_with(matrix, "The ferry hit the quay at Tollan")
    assert fact.count("✓") == 4
    # A statement of one source is no agreement: it has no row.
    assert "<script>alert(1)</script>" not in matrix
    injured = _line_with(matrix, "passengers injured")
    assert injured.split()[-4:] == ["≠", "✓", "✓", "≠"]
    compatible = _line_with(matrix, "who promised to rebuild")
    assert compatible.split()[-4:] == ["✓", "≈", "·", "·"]


def test_markup_in_articles_is_printed_literally(report: Report) -> None:
    text = _record(report)
    assert "[bold]x[/bold] **y**" in text


def test_quotes_timeline_unique_and_skipped(report: Report) -> None:
    text = _record(report)
    assert "“We will rebuild the landing stage,” [1][2]" in text
    assert "also attributed to Arno Pell by [2]" in text
    assert text.index("4 April 2031   The ferry hit the quay.") < text.index("6 April 2031   Services resumed.")
    assert "Repairs are expected to take three weeks. [2]" in text
    assert "photos/empty | <b>.txt" in _line_with(text, "empty file")


def test_empty_sections_say_so(empty_report: Report) -> None:
    text = _record(empty_report)
    assert "None found" in text
    assert "No facts or discrepancies to compare" in text
    assert "Summary" not in text


def test_plain_text_export_has_no_escape_codes(report: Report) -> None:
    text = to_text(report)
    assert "\x1b[" not in text
    assert "at least 11 [2][3]" in text


def test_established_section_comes_before_the_discrepancies(report: Report) -> None:
    text = _record(report)
    assert text.index("\nEstablished\n") < text.index("\nDiscrepancies\n")
    line = _line_with(text, "The ferry hit the quay at Tollan")
    assert "3 independent sources: Coast Herald" in line
    section = text.split("\nEstablished\n", 1)[1].split("\nSummary\n", 1)[0]
    assert section.count("[1][2][3][4]") == 2
    assert "alert(1)" not in section


def test_disputed_only_terminal_view(report: Report) -> None:
    from accord.render import to_text

    text = to_text(report, disputed_only=True)
    assert "Only what the sources dispute" in text
    assert "\nEstablished\n" not in text and "\nSummary\n" not in text
    assert "passengers injured" in text
