"""What every view of a report shows, computed once: source numbers, labels, the matrix.

The Markdown, terminal and HTML views all number a story's articles 1..n in
report order and print references to them as those numbers, so a reader can
move between views. Everything here is a pure function of a
:class:`~accord.models.Story`; nothing here formats for one medium.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from urllib.parse import urlsplit

from accord.models import (
    Article,
    Discrepancy,
    DiscrepancyValue,
    Evidence,
    Fact,
    QuoteGroup,
    Report,
    Story,
    TimelineEntry,
)

log = logging.getLogger(__name__)

#: Words for the contract's qualifiers ("~" reads "about").
QUALIFIER_WORDS = {
    "~": "about",
    ">": "more than",
    "<": "fewer than",
    ">=": "at least",
    "<=": "at most",
    "=": "",
}

#: Longest source label before it is shortened (titles stand in for unknown outlets).
LABEL_CHARS = 36

#: Cell states of the agreement matrix.
STATES, SILENT, DIFFERS = "states", "silent", "differs"

_WORD = re.compile(r"\w+", re.UNICODE)
_SPACE = re.compile(r"\s+")
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
#: Independent sources a fact needs to be established (and to get a row in the agreement table).
ESTABLISHED_MIN = 2


@dataclass(frozen=True, slots=True)
class Established:
    """A fact as the Established section lists it: one sentence, its support and its sources."""

    fact: Fact
    sentence: str
    independent: int
    numbers: tuple[int, ...]
    outlets: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Source:
    """One article of a story as the views cite it: ``number`` is 1-based."""

    number: int
    article: Article
    label: str
    copies: tuple[int, ...]
    outlet: str | None = None


@dataclass(frozen=True, slots=True)
class Status:
    """How a discrepancy reads: ``key`` is conflict, update or compatible."""

    key: str
    label: str
    explanation: str


@dataclass(frozen=True, slots=True)
class Cell:
    """One cell of the agreement matrix: what one source says about one row."""

    state: str
    value: str | None = None
    evidence: Evidence | None = None


@dataclass(frozen=True, slots=True)
class MatrixRow:
    """A row of the agreement matrix: a fact or a discrepancy, one cell per source."""

    kind: str
    label: str
    cells: tuple[Cell, ...]
    ref: str
    #: conflict, update or compatible for a discrepancy row; None for a fact.
    status: str | None = None


_STATUSES = {
    "conflict": Status("conflict", "Conflict", "The sources give values that cannot all be true."),
    "update": Status("update", "Update", "One figure changing over time, as sources reported it."),
    "compatible": Status("compatible", "Compatible", "The values differ but can all be true at once."),
}


#: The line views print when they show only what is disputed.
DISPUTED_NOTE = ("Only what the sources dispute is shown: discrepancies, and quotes given to different "
                 "speakers (facts, summary, timeline and single-source claims are left out).")


def disputed(report: Report) -> Report:
    """The report with only what its sources dispute: discrepancies and quotes with more than one speaker."""
    from dataclasses import replace

    stories = tuple(
        replace(story, facts=(), summary=(), timeline=(), unique=(),
                quotes=tuple(q for q in story.quotes if other_speakers(q)))
        for story in report.stories
    )
    return replace(report, stories=stories)


def split_note(report: Report) -> str | None:
    """The line saying how the inputs were split into stories; None for one story or none."""
    if len(report.stories) < 2:
        return None
    articles = sum(len(s.articles) for s in report.stories)
    return (f"The {articles} articles read report {len(report.stories)} separate stories; "
            "they were grouped as accord ingest groups a corpus, and each story is cross-checked on its own.")


def story_list(report: Report) -> list[tuple[int, str, int]]:
    """(number, title, articles) of each story, in report order."""
    return [(n, one_line(s.title), len(s.articles)) for n, s in enumerate(report.stories, start=1)]


def first_sentence(text: str) -> str:
    """The first sentence of a statement (a fact may be a whole paragraph of one source), split
    as the analysis splits sentences (abbreviations and quotations kept whole)."""
    from accord.analyze.sentences import split_sentences

    flat = one_line(text)
    sentences = split_sentences(flat)
    return sentences[0].text.strip() if sentences else flat


def ranked_facts(story: Story) -> list[Fact]:
    """Facts best supported first: independent sources, then articles, then report order."""
    order = {fact.id: i for i, fact in enumerate(story.facts)}
    return sorted(story.facts, key=lambda f: (-f.independent_sources, -len(set(f.articles)), order[f.id]))


def established(story: Story, minimum: int = ESTABLISHED_MIN) -> list[Established]:
    """The facts stated by at least ``minimum`` independent sources, best supported first."""
    numbers = number_map(story)
    by_id = {a.id: a for a in story.articles}
    found = []
    for fact in ranked_facts(story):
        if fact.independent_sources < minimum:
            continue
        stating = numbers_of([*fact.articles, *(e.article for e in fact.evidence)], numbers)
        outlets: dict[str, None] = {}
        for article_id in fact.articles:
            if article_id in by_id:
                outlets[source_label(by_id[article_id])] = None
        found.append(Established(fact, first_sentence(fact.statement), fact.independent_sources,
                                 tuple(stating), tuple(outlets)))
    return found


def weakly_supported(story: Story, minimum: int = ESTABLISHED_MIN) -> int:
    """How many facts fewer than ``minimum`` independent sources state (left out of Established)."""
    return sum(1 for fact in story.facts if fact.independent_sources < minimum)


def sources(story: Story) -> tuple[Source, ...]:
    """Number the story's articles 1..n in report order, with a label and their copies."""
    numbers = {a.id: i for i, a in enumerate(story.articles, start=1)}
    return tuple(
        Source(
            number=numbers[a.id],
            article=a,
            label=source_label(a),
            copies=tuple(sorted({numbers[c] for c in a.copies if c in numbers and c != a.id})),
            outlet=outlet(a),
        )
        for a in story.articles
    )


def outlet(article: Article) -> str | None:
    """The outlet's name, else the URL's host, else None."""
    if article.source and article.source.strip():
        return one_line(article.source)
    if article.url:
        host = urlsplit(article.url).hostname or ""
        if host:
            return host.removeprefix("www.")
    return None


def source_label(article: Article, limit: int = LABEL_CHARS) -> str:
    """A short name for a source: its outlet, else its title shortened, else its id."""
    name = outlet(article) or one_line(article.title or "") or article.id
    if len(name) <= limit:
        return name
    return name[:limit].rsplit(" ", 1)[0].rstrip(",;:-–—") + "…"


def numbers_of(article_ids: Iterable[str], numbers: dict[str, int]) -> list[int]:
    """Source numbers of the given article ids, sorted, unknown ids dropped."""
    return sorted({numbers[a] for a in article_ids if a in numbers})


def number_map(story: Story) -> dict[str, int]:
    """Article id -> 1-based source number."""
    return {a.id: i for i, a in enumerate(story.articles, start=1)}


def human_date(value: str | None) -> str:
    """"2024-05-03" -> "3 May 2024"; a range "a/b" -> "a – b"; unparsable text unchanged."""
    if not value:
        return ""
    if "/" in value:
        first, _, last = value.partition("/")
        return f"{human_date(first)} – {human_date(last)}"
    parsed = _parse_date(value)
    if parsed is None:
        return value
    return f"{parsed.day} {parsed.strftime('%B')} {parsed.year}"


def _parse_date(value: str) -> date | None:
    text = value.strip()
    try:
        if len(text) == 10:
            return date.fromisoformat(text)
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        return None


def date_span(story: Story) -> str:
    """The span of the articles' publication dates ("3 May 2024 – 5 May 2024"), or ""."""
    days = sorted({d for a in story.articles if (d := _parse_date(a.published or "")) is not None})
    if not days:
        return ""
    first, last = days[0], days[-1]
    if first == last:
        return human_date(first.isoformat())
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day}–{last.day} {last.strftime('%B')} {last.year}"
    if first.year == last.year:
        return f"{first.day} {first.strftime('%B')} – {human_date(last.isoformat())}"
    return f"{human_date(first.isoformat())} – {human_date(last.isoformat())}"


def status(discrepancy: Discrepancy) -> Status:
    """Conflict, update or compatible, with a sentence saying what that means."""
    if discrepancy.update:
        return _STATUSES["update"]
    return _STATUSES["conflict" if discrepancy.conflict else "compatible"]


def ordered_discrepancies(story: Story) -> list[Discrepancy]:
    """Conflicts first, then updates, then compatible values; report order within each."""
    rank = {"conflict": 0, "update": 1, "compatible": 2}
    return sorted(story.discrepancies, key=lambda d: rank[status(d).key])


def value_text(value: DiscrepancyValue) -> str:
    """A value with its qualifier in words: "about 70", "at least 25", "Sunday 3 March 2024"."""
    word = QUALIFIER_WORDS.get(value.qualifier or "=", value.qualifier or "")
    return f"{word} {display_value(value.value)}".strip()


def display_value(value: str) -> str:
    """An ISO date as words with its weekday (articles say "Sunday night"); anything else as is."""
    parsed = _parse_date(value) if _ISO_DAY.fullmatch(value.strip()) else None
    if parsed is None:
        return value
    return f"{parsed.strftime('%A')} {human_date(parsed.isoformat())}"


def shared_as_of(discrepancy: Discrepancy) -> str | None:
    """The one ``as_of`` date all values share (then it is said once), else None."""
    dates = {v.as_of for v in discrepancy.values}
    return dates.pop() if len(dates) == 1 and discrepancy.values else None


def quotes_by_speaker(story: Story) -> list[tuple[str | None, list[QuoteGroup]]]:
    """Quotes grouped by speaker, speakers in order of first appearance, unattributed last."""
    groups: dict[str | None, list[QuoteGroup]] = {}
    for quote in story.quotes:
        groups.setdefault(quote.speaker, []).append(quote)
    named = [(k, v) for k, v in groups.items() if k is not None]
    return named + ([(None, groups[None])] if None in groups else [])


def other_speakers(quote: QuoteGroup) -> list[tuple[str, list[str]]]:
    """Speakers that some variants give instead of the group's speaker, with those articles."""
    found: dict[str, list[str]] = {}
    for variant in quote.variants:
        if variant.speaker and variant.speaker != quote.speaker:
            found.setdefault(variant.speaker, []).append(variant.article)
    return list(found.items())


def timeline(story: Story) -> list[TimelineEntry]:
    """Timeline entries in date order (ranges by their first day), report order for ties."""
    return sorted(story.timeline, key=lambda e: e.date.partition("/")[0])


# --------------------------------------------------------------------------- evidence


def valid_evidence(story: Story, evidence: Evidence) -> bool:
    """True when the evidence names an article of the story and its offsets fit its text."""
    article = next((a for a in story.articles if a.id == evidence.article), None)
    if article is None:
        return False
    return 0 <= evidence.start < evidence.end <= len(article.text)


def locate(text: str, needle: str) -> tuple[int, int] | None:
    """Find ``needle`` in ``text``: exactly, else ignoring case and runs of whitespace."""
    needle = needle.strip()
    if not needle:
        return None
    found = text.find(needle)
    if found >= 0:
        return found, found + len(needle)
    # A regex over the escaped words tolerates re-wrapped lines and case changes.
    words = [re.escape(w) for w in needle.split()]
    match = re.search(r"\s+".join(words), text, flags=re.IGNORECASE)
    return (match.start(), match.end()) if match else None


def best_span(candidates: Sequence[tuple[int, int]], text: str, sentence: str) -> tuple[int, int] | None:
    """The candidate span of ``text`` sharing the most words with ``sentence`` (half at least)."""
    wanted = {w.lower() for w in _WORD.findall(sentence)}
    if not wanted:
        return None
    best: tuple[float, tuple[int, int]] | None = None
    for start, end in candidates:
        words = {w.lower() for w in _WORD.findall(text[start:end])}
        if not words:
            continue
        score = len(wanted & words) / len(wanted | words)
        if best is None or score > best[0]:
            best = (score, (start, end))
    return best[1] if best and best[0] >= 0.5 else None


# --------------------------------------------------------------------------- matrix


def matrix(story: Story, minimum: int = ESTABLISHED_MIN) -> list[MatrixRow]:
    """Rows of discrepancies and facts by sources: each cell states, silent or differs.

    Facts get a row when at least ``minimum`` independent sources state them (a statement
    of one source and its copies is no agreement); their label is their first sentence.

    A discrepancy row shows the value each source gives; sources giving the
    best-supported value "state" it, the others "differ" (``status`` says
    whether that is a conflict). A fact row marks its articles as stating it,
    except those whose evidence sentence carries a minority value of an
    overlapping conflicting discrepancy ("differs"); sources that give another
    value of that discrepancy without stating the fact differ too.
    """
    numbers = number_map(story)
    ordered = ordered_discrepancies(story)
    rows = [_discrepancy_row(story, d, numbers) for d in ordered]
    facts = [fact for fact in ranked_facts(story) if fact.independent_sources >= minimum]
    rows += [_fact_row(story, fact, ordered, numbers) for fact in facts]
    return rows


#: Marks of the matrix cells; "≈" is a different value that does not contradict.
MARKS = {STATES: "✓", SILENT: "·", DIFFERS: "≠", "compatible": "≈"}
#: What each mark means, for legends.
LEGEND = (("✓", "states it"), ("·", "silent"), ("≠", "gives a conflicting value"),
          ("≈", "gives a different but compatible value"))


def mark(row: MatrixRow, cell: Cell) -> str:
    """The mark of a cell: a difference in a compatible or update row reads "≈"."""
    if cell.state == DIFFERS and row.status in ("compatible", "update"):
        return MARKS["compatible"]
    return MARKS[cell.state]


def _article_values(discrepancy: Discrepancy) -> dict[str, DiscrepancyValue]:
    values: dict[str, DiscrepancyValue] = {}
    for value in discrepancy.values:
        for article in (*value.articles, *(e.article for e in value.evidence)):
            values.setdefault(article, value)
    return values


def _majority(discrepancy: Discrepancy, among: set[str] | None = None) -> DiscrepancyValue | None:
    counts: Counter[int] = Counter()
    for index, value in enumerate(discrepancy.values):
        articles = set(value.articles) | {e.article for e in value.evidence}
        counts[index] = len(articles if among is None else articles & among)
    if not counts or max(counts.values()) == 0:
        return None
    top = max(counts.values())
    return discrepancy.values[min(i for i, c in counts.items() if c == top)]


def _evidence_for(value: DiscrepancyValue, article: str) -> Evidence | None:
    return next((e for e in value.evidence if e.article == article), None)


def _discrepancy_row(story: Story, discrepancy: Discrepancy, numbers: dict[str, int]) -> MatrixRow:
    by_article = _article_values(discrepancy)
    top = _majority(discrepancy)
    cells = []
    for article in story.articles:
        value = by_article.get(article.id)
        if value is None:
            cells.append(Cell(SILENT))
            continue
        state = STATES if value is top else DIFFERS
        cells.append(Cell(state, value_text(value), _evidence_for(value, article.id)))
    return MatrixRow("discrepancy", discrepancy.about, tuple(cells), discrepancy.id, status(discrepancy).key)


def _overlaps(a: Evidence, b: Evidence) -> bool:
    return a.article == b.article and a.start < b.end and b.start < a.end


def _fact_row(
    story: Story, fact: Fact, discrepancies: Sequence[Discrepancy], numbers: dict[str, int]
) -> MatrixRow:
    stating = set(fact.articles) | {e.article for e in fact.evidence}
    differing: dict[str, DiscrepancyValue] = {}
    for discrepancy in discrepancies:
        if status(discrepancy).key != "conflict":
            continue  # values that can all be true do not make a source disagree
        linked = any(
            _overlaps(fe, ve) for fe in fact.evidence for v in discrepancy.values for ve in v.evidence
        )
        if not linked:
            continue
        top = _majority(discrepancy, among=stating)
        for article, value in _article_values(discrepancy).items():
            if top is not None and value is not top:
                differing.setdefault(article, value)
    cells = []
    for article in story.articles:
        evidence = next((e for e in fact.evidence if e.article == article.id), None)
        if article.id in differing:
            value = differing[article.id]
            cells.append(Cell(DIFFERS, value_text(value), _evidence_for(value, article.id) or evidence))
        elif article.id in stating:
            cells.append(Cell(STATES, None, evidence))
        else:
            cells.append(Cell(SILENT))
    return MatrixRow("fact", first_sentence(fact.statement), tuple(cells), fact.id)


def one_line(text: str) -> str:
    """Collapse runs of whitespace (newlines included) into single spaces."""
    return _SPACE.sub(" ", text).strip()
