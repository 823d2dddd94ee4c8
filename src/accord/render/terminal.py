"""The report as a rich terminal view: summary, discrepancies, agreement matrix, quotes, timeline.

Sources are cited as ``[1]``, ``[3]``: the numbers of the sources table at the
top. Article text is always passed to rich as :class:`rich.text.Text`, never as
markup, so a "[bold]" in an article prints as written.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterable

from rich import box
from rich.console import Console, Group
from rich.padding import Padding
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from accord.models import Report, Story
from accord.render import _view as view

__all__ = ["print_terminal", "to_ansi", "to_text"]

log = logging.getLogger(__name__)

_STATUS_STYLE = {"conflict": "bold red", "update": "bold yellow", "compatible": "bold green"}
#: Rows of the agreement matrix shown before "... more" (the other views show all).
MAX_MATRIX_ROWS = 20


def print_terminal(report: Report, console: Console | None = None, *, disputed_only: bool = False) -> None:
    """Print the report's terminal view (to stdout unless a console is given); ``disputed_only``
    shows only what the sources dispute."""
    console = console or Console(highlight=False)
    for renderable in _renderables(report, console.width, disputed_only=disputed_only):
        console.print(renderable)


def to_text(report: Report, width: int = 100, *, disputed_only: bool = False) -> str:
    """The terminal view as plain text (what ``--format terminal`` writes to a file)."""
    console = Console(file=io.StringIO(), record=True, width=width, color_system=None, highlight=False)
    print_terminal(report, console, disputed_only=disputed_only)
    return console.export_text()


def to_ansi(report: Report, width: int, *, disputed_only: bool = False) -> str:
    """The terminal view with its colours as ANSI escapes (what goes through a pager)."""
    console = Console(file=io.StringIO(), force_terminal=True, width=width, highlight=False)
    print_terminal(report, console, disputed_only=disputed_only)
    return console.file.getvalue()  # type: ignore[attr-defined, no-any-return]


def _refs(numbers: Iterable[int]) -> Text:
    return Text("".join(f"[{n}]" for n in numbers), style="cyan")


def _heading(title: str) -> Text:
    return Text(f"\n{title}", style="bold underline")


def _renderables(report: Report, width: int, *, disputed_only: bool = False) -> list:
    items: list = []
    if disputed_only:
        report = view.disputed(report)
        items.append(Text(view.DISPUTED_NOTE, style="italic"))
    if note := view.split_note(report):
        items.append(Text(note, style="bold"))
        for number, title, count in view.story_list(report):
            items.append(Text(f"  {number}. ") + Text(title) + Text(f" ({count} article{'s' if count != 1 else ''})",
                                                                     style="dim"))
    for number, story in enumerate(report.stories, start=1):
        if len(report.stories) > 1:
            items.append(Text(f"\nStory {number} of {len(report.stories)}", style="bold reverse"))
        items += _story(story, width, disputed_only=disputed_only)
    if not report.stories:
        items.append(Text("No story: none of the inputs could be used.", style="bold"))
    if report.skipped:
        items.append(_heading("Skipped inputs"))
        table = Table(box=box.SIMPLE, show_header=True, header_style="bold")
        table.add_column("input")
        table.add_column("reason")
        for skipped in report.skipped:
            table.add_row(Text(skipped.input), Text(skipped.reason))
        items.append(table)
    items.append(Text(f"{report.generated_by or 'accord'}", style="dim"))
    return items


def _story(story: Story, width: int, *, disputed_only: bool = False) -> list:
    numbers = view.number_map(story)
    sources = view.sources(story)
    items: list = []
    meta = [f"{len(story.articles)} articles"]
    if span := view.date_span(story):
        meta.append(span)
    conflicts = sum(1 for d in story.discrepancies if view.status(d).key == "conflict")
    meta.append(f"{len(story.discrepancies)} discrepancies, {conflicts} in conflict")
    items.append(Panel(Text(" · ".join(meta)), title=Text(story.title, style="bold"), title_align="left"))

    table = Table(box=box.SIMPLE, header_style="bold", pad_edge=False)
    for name in ("", "source", "title", "published", "copies"):
        table.add_column(name)
    for source in sources:
        table.add_row(
            Text(f"[{source.number}]", style="cyan"),
            Text(source.outlet or "unknown"),
            Text(view.one_line(source.article.title or source.article.id)),
            Text(view.human_date(source.article.published) or "unknown"),
            Text(", ".join(f"[{n}]" for n in source.copies), style="cyan"),
        )
    items.append(table)

    if not disputed_only:
        items += _established(story)
    if story.summary:
        items.append(_heading("Summary"))
        for sentence in story.summary:
            line = Text("• ") + Text(view.one_line(sentence.text)) + Text(" ")
            items.append(line + _refs(view.numbers_of(sentence.articles, numbers)))
    items += _discrepancies(story, numbers)
    items += _matrix(story, sources, width)
    if story.quotes:
        items += _quotes(story, numbers)
    if story.timeline:
        items.append(_heading("Timeline"))
        table = Table(box=box.SIMPLE, show_header=False, pad_edge=False)
        table.add_column(style="bold", no_wrap=True)
        table.add_column()
        table.add_column()
        for entry in view.timeline(story):
            table.add_row(Text(view.human_date(entry.date)), Text(view.one_line(entry.event)),
                          _refs(view.numbers_of(entry.articles, numbers)))
        items.append(table)
    if story.unique:
        items.append(_heading("Reported by one source only"))
        for claim in story.unique:
            items.append(Text("• ") + Text(view.one_line(claim.statement) + " ")
                         + _refs(view.numbers_of([claim.article], numbers)))
    return items


def _established(story: Story) -> list:
    items: list = [_heading("Established")]
    facts = view.established(story)
    if not facts:
        items.append(Text("No fact is stated by two or more independent sources yet."))
    for item in facts:
        count = f"{item.independent} independent source{'s' if item.independent != 1 else ''}"
        line = Text("• ") + Text(item.sentence) + Text("  ") + Text(count, style="bold green")
        line += Text(": " + ", ".join(item.outlets) + " ", style="dim") + _refs(item.numbers)
        items.append(line)
    if weak := view.weakly_supported(story):
        items.append(Text(f"{weak} other statement{'s come' if weak != 1 else ' comes'} from one source "
                          "(or copies of it) only.", style="dim"))
    return items


def _discrepancies(story: Story, numbers: dict[str, int]) -> list:
    items: list = [_heading("Discrepancies")]
    if not story.discrepancies:
        items.append(Text("None found: no two sources give different values for the same thing."))
        return items
    table = Table(box=box.ROUNDED, header_style="bold", show_lines=True, expand=True)
    table.add_column("what", ratio=3)
    table.add_column("values and sources", ratio=4)
    table.add_column("status", ratio=2)
    for discrepancy in view.ordered_discrepancies(story):
        status = view.status(discrepancy)
        shared = view.shared_as_of(discrepancy)
        values = Text()
        for index, value in enumerate(discrepancy.values):
            if index:
                values.append("\n")
            values.append(view.value_text(value), style="bold")
            if value.as_of and not shared:
                values.append(f" (as of {view.human_date(value.as_of)})", style="dim")
            values.append(" ")
            values.append_text(_refs(view.numbers_of(value.articles, numbers)))
        what = Text(view.one_line(discrepancy.about)) + Text(f"\n{discrepancy.kind}", style="dim")
        if shared:
            what.append(f", as of {view.human_date(shared)}", style="dim")
        label = Text(status.label.lower(), style=_STATUS_STYLE[status.key])
        table.add_row(what, values, label + Text("\n" + status.explanation, style="dim"))
    items.append(table)
    return items


def _matrix(story: Story, sources: tuple[view.Source, ...], width: int) -> list:
    rows = view.matrix(story)
    items: list = [_heading("Agreement")]
    if not rows:
        items.append(Text("No facts or discrepancies to compare across sources yet."))
        return items
    legend = Text()
    styles = {"✓": "green", "·": "dim", "≠": "bold red", "≈": "bold yellow"}
    for symbol, meaning in view.LEGEND:
        legend.append(f"{symbol} ", style=styles[symbol])
        legend.append(f"{meaning}   ")
    items.append(legend)
    table = Table(box=box.SIMPLE_HEAD, header_style="bold", pad_edge=False)
    table.add_column("fact or disputed value", min_width=max(16, width - 6 * len(sources) - 2))
    for source in sources:
        table.add_column(f"[{source.number}]", justify="center", no_wrap=True, min_width=3)
    for row in rows[:MAX_MATRIX_ROWS]:
        label = Text(view.one_line(row.label), style="italic" if row.kind == "discrepancy" else "")
        cells = []
        for cell in row.cells:
            symbol = view.mark(row, cell)
            # Marks only: the values are in the discrepancy table, and columns stay narrow.
            cells.append(Text(symbol, style=styles[symbol]))
        table.add_row(label, *cells)
    items.append(table)
    if len(rows) > MAX_MATRIX_ROWS:
        items.append(Text(f"… {len(rows) - MAX_MATRIX_ROWS} more rows (see --format markdown or html)",
                          style="dim"))
    return items


def _quotes(story: Story, numbers: dict[str, int]) -> list:
    items: list = [_heading("Quotes")]
    for speaker, quotes in view.quotes_by_speaker(story):
        lines: list = []
        for quote in quotes:
            line = Text("“" + view.one_line(quote.text) + "” ") + _refs(view.numbers_of(quote.articles, numbers))
            lines.append(line)
            for other, articles in view.other_speakers(quote):
                note = Text("  also attributed to ", style="yellow") + Text(other, style="bold yellow")
                lines.append(note + Text(" by ") + _refs(view.numbers_of(articles, numbers)))
            for variant in quote.variants:
                if view.one_line(variant.text) != view.one_line(quote.text):
                    lines.append(Text("  variant: “" + view.one_line(variant.text) + "” ", style="dim")
                                 + _refs(view.numbers_of([variant.article], numbers)))
        items.append(Text(speaker or "Speaker not given", style="bold"))
        items.append(Padding(Group(*lines), (0, 0, 0, 2)))
    return items
