"""Plain, frozen dataclasses that flow between accord's stages.

Every stage is a function from one of these to another. Offsets (``start``,
``end``) always index the cleaned ``Article.text`` of the article named beside
them, so every claim in a report can be traced back to its sentence.

``to_dict`` turns any of them into JSON-ready dicts and lists (tuples become
lists, nested dataclasses become dicts); :func:`from_dict` rebuilds them.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from dataclasses import dataclass, field
from typing import Any, TypeVar, Union

T = TypeVar("T")

#: Where an article's publication date came from (contract field ``published_from``).
PUBLISHED_FROM = ("metadata", "dateline", "option", "story")
#: Quantity qualifiers, as in the contract.
QUALIFIERS = ("=", "~", ">", "<", ">=", "<=")


# --------------------------------------------------------------------------- ingest / clean


@dataclass(frozen=True, slots=True)
class Removed:
    """A span of input text that cleaning removed, with the reason it was removed."""

    text: str
    reason: str


@dataclass(frozen=True, slots=True)
class Article:
    """One news article: read by ``accord.ingest``, cleaned by ``accord.clean``.

    ``text`` is the body. Before cleaning it is the extractor's raw text; after
    cleaning it is the cleaned body and ``removed`` lists what was taken out.
    """

    id: str
    title: str
    text: str
    source: str | None = None
    url: str | None = None
    published: str | None = None
    published_from: str | None = None
    updated: str | None = None
    language: str | None = None
    dateline: str | None = None
    copies: tuple[str, ...] = ()
    removed: tuple[Removed, ...] = ()
    #: Where the article was read from (a path, or "path:line"); not part of the report.
    input: str | None = field(default=None, metadata={"private": True})


@dataclass(frozen=True, slots=True)
class Skipped:
    """An input that could not be read, with a reason a user can act on."""

    input: str
    reason: str


# --------------------------------------------------------------------------- analyze


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence of an article's cleaned text."""

    index: int
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class EntityMention:
    """One place in the text where an entity is named (or referred to by pronoun)."""

    text: str
    start: int
    end: int
    sentence: int


@dataclass(frozen=True, slots=True)
class Entity:
    """A person, organisation, place, ... with all its variant names merged.

    ``name`` is the canonical (longest informative) name; ``key`` is a
    normalised form stable across articles, used to match entities of a story.
    ``roles`` holds titles and roles seen with a person ("press secretary").
    """

    key: str
    name: str
    label: str
    mentions: tuple[EntityMention, ...] = ()
    variants: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Quantity:
    """A number in the text and what it counts or measures.

    ``value`` is a number, or the vague word itself ("several", "dozens").
    ``upper`` is the top of a range ("between 20 and 30"). ``unit`` is the head
    noun of what is counted ("injuries", "attacks", "troops"), ``scope`` the
    modifiers that restrict it ("in Carrick", "since May 2").
    ``kind`` is one of count, percent, money, measure, vague.
    ``previous`` is the value it changed from, when the text gives both ("fell from
    80 to 62": value 62, previous 80).
    """

    text: str
    start: int
    end: int
    sentence: int
    value: float | str
    qualifier: str = "="
    upper: float | None = None
    unit: str | None = None
    scope: str | None = None
    kind: str = "count"
    previous: float | None = None


@dataclass(frozen=True, slots=True)
class TimeExpression:
    """A date or time phrase normalised against the article's publication date.

    ``value`` is an ISO date, or a range "YYYY-MM-DD/YYYY-MM-DD"; None when it
    cannot be resolved (no publication date known). ``precision`` is one of
    time, day, week, month, year. ``event`` is the clause it dates.
    """

    text: str
    start: int
    end: int
    sentence: int
    value: str | None
    precision: str = "day"
    event: str | None = None


@dataclass(frozen=True, slots=True)
class Quote:
    """A direct quotation and who said it.

    ``speaker`` is the speaker's full name when the article gives it anywhere
    (pronouns resolved), else None; ``speaker_text`` is how the sentence names
    them; ``role`` a title or role ("fire service spokesperson"). ``partial``
    marks a quoted fragment inside reported speech.
    """

    text: str
    start: int
    end: int
    sentence: int
    speaker: str | None = None
    speaker_text: str | None = None
    role: str | None = None
    cue: str | None = None
    partial: bool = False


@dataclass(frozen=True, slots=True)
class Frame:
    """What one quantity of an article is a number of (see :mod:`accord.analyze.frames`).

    ``quantity`` indexes ``AnalyzedArticle.quantities``. ``role`` is one of count, age,
    money, duration, percent, measure; ``counted`` the lemma of what is counted;
    ``predicate`` the folded lemma of the verb or event noun it belongs to; ``holder``
    whose age it is; ``period`` a year, running period or region qualifying it;
    ``incident`` None for the story's own incident, else a label of another one;
    ``as_of`` the ISO day the figure held; ``clause`` the words of the clause it stands in;
    ``subject`` the lemma (a name as written) of the subject of its predicate.
    """

    quantity: int
    role: str
    counted: str | None = None
    predicate: str | None = None
    holder: str | None = None
    period: str | None = None
    incident: str | None = None
    as_of: str | None = None
    clause: str | None = None
    subject: str | None = None


@dataclass(frozen=True, slots=True)
class AnalyzedArticle:
    """An article with its offset-anchored mentions."""

    article: Article
    sentences: tuple[Sentence, ...] = ()
    entities: tuple[Entity, ...] = ()
    quantities: tuple[Quantity, ...] = ()
    times: tuple[TimeExpression, ...] = ()
    quotes: tuple[Quote, ...] = ()
    frames: tuple[Frame, ...] = ()


# --------------------------------------------------------------------------- corroborate


@dataclass(frozen=True, slots=True)
class Evidence:
    """A sentence of an article that supports a fact or a value."""

    article: str
    sentence: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Fact:
    """A statement and every article that makes it."""

    id: str
    statement: str
    articles: tuple[str, ...]
    independent_sources: int
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True, slots=True)
class DiscrepancyValue:
    """One of the values that sources give for the same thing."""

    value: str
    qualifier: str | None = None
    as_of: str | None = None
    articles: tuple[str, ...] = ()
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True, slots=True)
class Discrepancy:
    """The same quantity, date or attribution given differently by different sources.

    ``kind`` is one of quantity, date, attribution, count, other. ``conflict``
    is False when all values can be true at once; ``update`` is True when the
    values are one count changing over time.
    """

    id: str
    kind: str
    conflict: bool
    about: str
    values: tuple[DiscrepancyValue, ...]
    update: bool = False


@dataclass(frozen=True, slots=True)
class QuoteVariant:
    """A quote as one article printed it."""

    article: str
    text: str
    speaker: str | None = None


@dataclass(frozen=True, slots=True)
class QuoteGroup:
    """One quotation merged across articles."""

    speaker: str | None
    text: str
    articles: tuple[str, ...]
    variants: tuple[QuoteVariant, ...] = ()


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    """A dated event, merged across articles. ``date`` may be a range "a/b"."""

    date: str
    event: str
    articles: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class UniqueClaim:
    """An informative claim that exactly one source makes."""

    article: str
    statement: str


@dataclass(frozen=True, slots=True)
class SummarySentence:
    """A summary sentence and the articles that support it."""

    text: str
    articles: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Story:
    """One story: its articles and what cross-checking them found."""

    id: str
    title: str
    articles: tuple[Article, ...]
    facts: tuple[Fact, ...] = ()
    discrepancies: tuple[Discrepancy, ...] = ()
    quotes: tuple[QuoteGroup, ...] = ()
    timeline: tuple[TimelineEntry, ...] = ()
    unique: tuple[UniqueClaim, ...] = ()
    summary: tuple[SummarySentence, ...] = ()


@dataclass(frozen=True, slots=True)
class Report:
    """The whole report: the public JSON contract (see ``accord.schema``)."""

    stories: tuple[Story, ...]
    skipped: tuple[Skipped, ...] = ()
    schema_version: str = "1"
    generated_by: str = field(default="")


# --------------------------------------------------------------------------- conversion

def to_dict(obj: Any) -> Any:
    """Convert a dataclass (or list/tuple/dict of them) into JSON-ready data."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {
            f.name: to_dict(getattr(obj, f.name))
            for f in dataclasses.fields(obj)
            if not f.metadata.get("private")
        }
    if isinstance(obj, (list, tuple)):
        return [to_dict(item) for item in obj]
    if isinstance(obj, dict):
        return {key: to_dict(value) for key, value in obj.items()}
    return obj


def from_dict(cls: type[T], data: dict[str, Any]) -> T:
    """Rebuild a dataclass of type ``cls`` from the output of :func:`to_dict`.

    Unknown keys are ignored so that newer reports can be read by older code.
    """
    hints = typing.get_type_hints(cls)
    kwargs = {}
    for f in dataclasses.fields(cls):  # type: ignore[arg-type]
        if f.name in data:
            kwargs[f.name] = _convert(hints[f.name], data[f.name])
    return cls(**kwargs)


def _convert(hint: Any, value: Any) -> Any:
    if value is None:
        return None
    origin = typing.get_origin(hint)
    if origin in (Union, types.UnionType):
        for arg in typing.get_args(hint):
            if arg is type(None):
                continue
            if dataclasses.is_dataclass(arg) and isinstance(value, dict):
                return from_dict(arg, value)
        return value
    if origin is tuple:
        (item_hint, *_rest) = typing.get_args(hint)
        return tuple(_convert(item_hint, item) for item in value)
    if dataclasses.is_dataclass(hint) and isinstance(value, dict):
        return from_dict(hint, value)
    return value
