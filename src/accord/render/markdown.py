"""The report as GitHub-flavoured Markdown, with footnote references to its sources.

Every source is a footnote ``[^N]`` (N is the article's number in the story);
the definitions at the end list title, outlet, date, copies and URL. Text from
articles is escaped so that it cannot open a table cell, a link, a heading or
raw HTML: it always reads as the words the article printed.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

from accord.models import Report, Story
from accord.render import _view as view

__all__ = ["escape", "to_markdown"]

log = logging.getLogger(__name__)

# Inline Markdown syntax characters; CommonMark lets any ASCII punctuation be
# backslash-escaped, so escaping these keeps article text literal (incl. "|" in tables).
_INLINE = re.compile(r"([\\`*_\[\]<>|~])")
# "&" only needs it where it would start a character reference ("&amp;", "&#38;").
_ENTITY = re.compile(r"&(?=#?\w+;)")
# What opens a block when it starts a line: heading, list, quote, rule, ordered list.
_LINE_START = re.compile(r"^(\s*)(?:([#>+=-])|(\d+)([.)]))")
# A footnote reference or definition written here (article text has its brackets escaped).
_OUR_FOOTNOTE = re.compile(r"(?<!\\)\[\^(\d+)\]")


def escape(text: str) -> str:
    """Escape article text for one line of Markdown (table cells included)."""
    flat = view.one_line(text)
    flat = _ENTITY.sub(r"\\&", _INLINE.sub(r"\\\1", flat))
    return _LINE_START.sub(_escape_line_start, flat, count=1)


def _escape_line_start(match: re.Match[str]) -> str:
    if match.group(2):
        return f"{match.group(1)}\\{match.group(2)}"
    return f"{match.group(1)}{match.group(3)}\\{match.group(4)}"


def to_markdown(report: Report, *, disputed_only: bool = False) -> str:
    """The whole report as Markdown: each story, then the inputs that were skipped.

    ``disputed_only`` shows only what the sources dispute (see :func:`accord.render._view.disputed`).
    """
    parts: list[str] = []
    if disputed_only:
        report = view.disputed(report)
        parts.append(f"*{escape(view.DISPUTED_NOTE)}*")
    if note := view.split_note(report):
        lines = [f"# accord report: {len(report.stories)} stories", "", escape(note), ""]
        lines += [f"{n}. {escape(title)} ({_plural(count, 'article')})" for n, title, count in view.story_list(report)]
        parts.append("\n".join(lines))
    for number, story in enumerate(report.stories, start=1):
        text = _story(story, disputed_only=disputed_only)
        if len(report.stories) > 1:
            # One document, several source lists: footnote labels name their story ("[^2-1]").
            text = _OUR_FOOTNOTE.sub(lambda m, n=number: f"[^{n}-{m.group(1)}]", text)
        parts.append(text)
    if not report.stories:
        parts.append("# accord report\n\nNo story: none of the inputs could be used.")
    if report.skipped:
        lines = ["## Skipped inputs", ""]
        lines += [f"- `{_code(s.input)}`: {escape(s.reason)}" for s in report.skipped]
        parts.append("\n".join(lines))
    footer = f"*{escape(report.generated_by or 'accord')}, report schema {escape(report.schema_version)}*"
    parts.append(footer)
    return "\n\n".join(parts).rstrip() + "\n"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _refs(numbers: Iterable[int]) -> str:
    return "".join(f"[^{n}]" for n in numbers)


def _code(text: str) -> str:
    """Text for an inline code span: backticks and newlines cannot end it early."""
    return view.one_line(text).replace("`", "'")


def _story(story: Story, *, disputed_only: bool = False) -> str:
    numbers = view.number_map(story)
    sources = view.sources(story)
    out: list[str] = [f"# {escape(story.title)}"]
    facts = [f"{len(story.articles)} article{'s' if len(story.articles) != 1 else ''}"]
    span = view.date_span(story)
    if span:
        facts.append(span)
    conflicts = sum(1 for d in story.discrepancies if view.status(d).key == "conflict")
    facts.append(f"{len(story.discrepancies)} discrepancies ({conflicts} in conflict)")
    out.append(" · ".join(facts) + "  \nSources: " + " ".join(f"[^{s.number}]" for s in sources))

    if not disputed_only:
        out.append(_established(story))
    out.append(_discrepancies(story, numbers))
    if story.summary:
        lines = ["## Summary", ""]
        for sentence in story.summary:
            lines.append(f"{escape(sentence.text)} {_refs(view.numbers_of(sentence.articles, numbers))}".rstrip())
            lines.append("")
        out.append("\n".join(lines).rstrip())
    out.append(_matrix(story, sources))
    if story.quotes:
        out.append(_quotes(story, numbers))
    if story.timeline:
        lines = ["## Timeline", "", "| Date | Event | Sources |", "|---|---|---|"]
        for entry in view.timeline(story):
            refs = _refs(view.numbers_of(entry.articles, numbers))
            lines.append(f"| {escape(view.human_date(entry.date))} | {escape(entry.event)} | {refs} |")
        out.append("\n".join(lines))
    if story.unique:
        lines = ["## Reported by one source only", ""]
        for claim in story.unique:
            lines.append(f"- {escape(claim.statement)} {_refs(view.numbers_of([claim.article], numbers))}".rstrip())
        out.append("\n".join(lines))
    out.append(_sources(sources))
    return "\n\n".join(out)


def _established(story: Story) -> str:
    facts = view.established(story)
    lines = ["## Established", ""]
    if not facts:
        lines.append("No fact is stated by two or more independent sources yet.")
    else:
        lines += ["Stated by two or more independent sources (copies of one text count once), "
                  "best supported first.", ""]
    for number, item in enumerate(facts, start=1):
        lines.append(f"{number}. {escape(item.sentence)} — **{_plural(item.independent, 'independent source')}**: "
                     f"{escape(', '.join(item.outlets))} {_refs(item.numbers)}".rstrip())
    if weak := view.weakly_supported(story):
        lines += ["", f"*{_plural(weak, 'other statement')} {'comes' if weak == 1 else 'come'} from one source "
                      "(or copies of it) only.*"]
    return "\n".join(lines)


def _discrepancies(story: Story, numbers: dict[str, int]) -> str:
    if not story.discrepancies:
        return "## Discrepancies\n\nNo discrepancies found: the sources do not give different values for the same thing."
    lines = ["## Discrepancies", ""]
    for index, discrepancy in enumerate(view.ordered_discrepancies(story), start=1):
        status = view.status(discrepancy)
        shared = view.shared_as_of(discrepancy)
        dated = not shared and any(v.as_of for v in discrepancy.values)
        lines += [
            f"### {index}. {escape(discrepancy.about)}",
            "",
            f"**{status.label}** ({escape(discrepancy.kind)}"
            + (f", as of {escape(view.human_date(shared))}" if shared else "")
            + f"): {status.explanation}",
            "",
            "| Value |" + (" As of |" if dated else "") + " Sources | Evidence |",
            "|---|" + ("---|" if dated else "") + "---|---|",
        ]
        for value in discrepancy.values:
            # Copies print the same sentence: quote it once with all its sources.
            sentences: dict[str, list[str]] = {}
            for item in value.evidence:
                sentences.setdefault(view.one_line(item.sentence), []).append(item.article)
            evidence = " / ".join(
                f"{escape(sentence)} {_refs(view.numbers_of(articles, numbers))}"
                for sentence, articles in sentences.items()
            )
            as_of = f" {escape(view.human_date(value.as_of))} |" if dated else ""
            lines.append(
                f"| **{escape(view.value_text(value))}** |{as_of} "
                f"{_refs(view.numbers_of([*value.articles, *(e.article for e in value.evidence)], numbers))} "
                f"| {evidence} |"
            )
        lines.append("")
    return "\n".join(lines).rstrip()


def _matrix(story: Story, sources: tuple[view.Source, ...]) -> str:
    rows = view.matrix(story)
    if not rows:
        return "## Agreement\n\nNo facts or discrepancies to compare across sources yet."
    header = "| | " + " | ".join(f"[^{s.number}]" for s in sources) + " |"
    lines = [
        "## Agreement",
        "",
        ", ".join(f"{m} {meaning}" for m, meaning in view.LEGEND),
        "",
        header,
        "|---|" + "---|" * len(sources),
    ]
    for row in rows:
        label = f"*{escape(row.label)}*" if row.kind == "discrepancy" else escape(row.label)
        cells = [f"{view.mark(row, c)} {escape(c.value)}" if c.value else view.mark(row, c) for c in row.cells]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _quotes(story: Story, numbers: dict[str, int]) -> str:
    lines = ["## Quotes", ""]
    for speaker, quotes in view.quotes_by_speaker(story):
        lines += [f"### {escape(speaker) if speaker else 'Speaker not given'}", ""]
        for quote in quotes:
            lines.append(f"- “{escape(quote.text)}” {_refs(view.numbers_of(quote.articles, numbers))}".rstrip())
            for other, articles in view.other_speakers(quote):
                lines.append(f"  - attributed to **{escape(other)}** by {_refs(view.numbers_of(articles, numbers))}")
            for variant in quote.variants:
                if view.one_line(variant.text) != view.one_line(quote.text):
                    refs = _refs(view.numbers_of([variant.article], numbers))
                    lines.append(f"  - variant: “{escape(variant.text)}” {refs}")
        lines.append("")
    return "\n".join(lines).rstrip()


def _sources(sources: tuple[view.Source, ...]) -> str:
    lines = ["## Sources", ""]
    for source in sources:
        article = source.article
        parts = [f"**{escape(article.title or article.id)}**"]
        if source.outlet:
            parts.append(escape(source.outlet))
        if article.published:
            parts.append(escape(view.human_date(article.published)))
        if source.copies:
            parts.append("shares copied text with " + ", ".join(f"source {n}" for n in source.copies))
        if article.removed:
            reasons = sorted({r.reason for r in article.removed})
            count = len(article.removed)
            parts.append(f"{count} boilerplate passage{'s' if count != 1 else ''} removed ({escape(', '.join(reasons))})")
        if article.url:
            parts.append(_url(article.url))
        lines.append(f"[^{source.number}]: " + " — ".join(parts))
    return "\n".join(lines)


def _url(url: str) -> str:
    """An http(s) URL as an autolink (characters that would end it percent-encoded), else text."""
    if not re.match(r"https?://", url, flags=re.IGNORECASE):
        return escape(url)
    return "<" + re.sub(r"[\s<>`|]", lambda m: f"%{ord(m.group()):02X}", url) + ">"
