"""Discrepancies: the same quantity, date, count or attribution given differently by different sources.

Quantities are compared only when they plainly measure the same thing: the
same unit (up to a small synonym table, casualty words folded together), no
restrictive modifier on one side only ("brain injuries" is not "injuries"),
compatible place and date scope, and sentences about the same event (sentence
embeddings). Breakdowns ("66 attacks, 32 in A and 34 in B") and sub-counts
("three of the injured", "including five firefighters") are never compared
with totals. A false discrepancy costs more trust than a missed one, so every
test leans towards not reporting.

Each value is read as an interval (see :func:`value_interval`); a discrepancy
is a ``conflict`` only when the intervals of its values have no point in common.
"""

from __future__ import annotations

import logging
import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from accord.corroborate.facts import evidence_for, independent_count, stable_id
from accord.analyze.frames import EVENT_PREDICATES, MANY, ONE, basic_frame, people_kind
from accord.models import (
    AnalyzedArticle,
    Discrepancy,
    DiscrepancyValue,
    Frame,
    Quantity,
    Sentence,
    TimeExpression,
)

__all__ = [
    "REPORTING",
    "VAGUE_RANGES",
    "describe",
    "find_count_discrepancies",
    "find_date_discrepancies",
    "find_discrepancies",
    "find_quantity_discrepancies",
    "intervals_conflict",
    "value_interval",
]

log = logging.getLogger(__name__)

#: What vague count words mean, as inclusive ranges (a reading, not a dictionary's).
VAGUE_RANGES: dict[str, tuple[float, float]] = {
    "a couple": (2, 3), "a couple of": (2, 3), "couple": (2, 3),
    "a few": (2, 5), "few": (2, 5),
    "several": (3, 9),
    "a handful": (3, 7), "a handful of": (3, 7), "handful": (3, 7),
    "a number of": (2, 20), "some": (2, math.inf), "many": (5, math.inf),
    "multiple": (2, math.inf), "numerous": (5, math.inf), "countless": (50, math.inf),
    "a dozen or so": (10, 15),
    "dozens": (24, 99), "dozens of": (24, 99),
    "scores": (40, 199), "scores of": (40, 199),
    "hundreds": (200, 999), "hundreds of": (200, 999),
    "thousands": (2_000, 9_999), "thousands of": (2_000, 9_999),
    "tens of thousands": (20_000, 99_999), "tens of thousands of": (20_000, 99_999),
    "hundreds of thousands": (200_000, 999_999), "hundreds of thousands of": (200_000, 999_999),
    "millions": (2e6, 9.99e8), "millions of": (2e6, 9.99e8),
}
#: Relative tolerance of "approximately": "about 60" covers 57-63, so "approximately 62"
#: and "roughly 70" cannot both hold, while "about 60" and "62" can.
APPROX = 0.05
#: Vague plural words that say "more than one" for the single-vs-plural check.
PLURAL_WORDS = frozenset({"multiple", "several", "numerous"})

#: Same-event threshold of dates on the cosine of the two sentences.
SAME_EVENT_DATE = 0.62
#: Cosine of two whole sentences that makes them one event even when their clauses differ.
SAME_SENTENCE = 0.75

_PEOPLE = frozenset(
    "people person personnel troop soldier servicemember serviceman servicemen member civilian "
    "resident worker child adult passenger patient victim individual staffer crew sailor "
    "marine airman officer firefighter student employee".split()
)
_UNIT_SYNONYMS = {
    "injury": "injured", "injured": "injured", "wounded": "injured", "casualty": "injured",
    "death": "killed", "dead": "killed", "fatality": "killed", "killed": "killed",
    "troops": "troop", "servicemen": "serviceman", "people": "person", "men": "man", "women": "woman",
    "children": "child", "persons": "person",
}
# Modifiers that describe rather than restrict what is counted.
_NON_RESTRICTIVE = frozenset(
    "minor serious non-serious severe slight light critical additional new total other more "
    "separate further reported confirmed known estimated fresh latest recent u.s. us american "
    "different various distinct individual "
    "british local foreign military civilian first initial".split()
)
_QUANTITY_WORDS = frozenset(
    "approximately about around roughly nearly almost some more than less fewer at least most over "
    "under up to just only exactly of the and or a an those these them estimated upwards an "
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety "
    "hundred hundreds thousand thousands million millions dozen dozens several multiple numerous "
    "few handful couple number scores".split()
)
_PARTITIVE_AFTER = re.compile(r"^\s*(of|among)\s+(the|them|those|these|whom|which|its|their)\b", re.I)
_PARTITIVE_INSIDE = re.compile(r"\b(of|among)\s+(the|them|those|these|whom|which)\b", re.I)
_PARTITIVE_BEFORE = re.compile(r"\b(including|includes|included|among them|among whom|of whom|of which)\s*$", re.I)
_MONTHS = frozenset(
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday friday "
    "saturday sunday".split()
)
_WORDS = re.compile(r"[A-Za-z][A-Za-z.'-]*")
_YEAR = re.compile(r"\b(?:in|since|during|of)\s+((?:19|20)\d\d)\b", re.I)
REPORTING = re.compile(
    r"\b(said|says|say|told|tells|stated|added|reported|reports|announced|confirmed|emphasi[sz]ed|"
    r"asserted|noted|explained|disclosed|tweeted|wrote|claimed)\b", re.I)
_DEICTIC = re.compile(r"\b(last|yesterday|today|tonight|this|ago|earlier|later)\b", re.I)
#: Where a publication date must come from for "last night" or "today" to be dated.
_OWN_DATE = frozenset({"metadata", "dateline", "option"})
#: Days by which the dates of two sentences may differ and still be one event (sources
#: disagree on dates too: that is a date discrepancy, not another event).
DATE_SLACK = 7


# --------------------------------------------------------------------------- intervals


def value_interval(value: float | str, qualifier: str | None = "=", upper: float | None = None) -> tuple[float, float]:
    """Read a value and its qualifier as the inclusive interval of counts it allows.

    "approximately 62" is 62 ± 10 %; "more than 20" is [21, inf) for whole
    numbers; vague words use :data:`VAGUE_RANGES`; an unknown word allows anything.
    """
    if isinstance(value, str):
        low, high = VAGUE_RANGES.get(value.lower().strip(), (1, math.inf))
        return float(low), float(high)
    number = float(value)
    top = float(upper) if upper is not None else number
    step = 1.0 if number.is_integer() else abs(number) * 1e-6
    match qualifier:
        case "~":
            return number * (1 - APPROX), top * (1 + APPROX)
        case ">":
            return number + step, math.inf
        case ">=":
            return number, math.inf
        case "<":
            return 0.0, number - step
        case "<=":
            return 0.0, top
        case _:
            return number, top


def intervals_conflict(intervals: Sequence[tuple[float, float]]) -> bool:
    """True when the intervals have no point in common (the values cannot all be true)."""
    return max(low for low, _ in intervals) > min(high for _, high in intervals)


# --------------------------------------------------------------------------- candidates


@dataclass(frozen=True, slots=True)
class _Candidate:
    article: AnalyzedArticle
    order: int
    quantity: Quantity
    frame: Frame
    sentence: Sentence
    text: str
    masked: str
    masked_clause: str
    restrictive: frozenset[str]
    places: frozenset[str]
    interval: tuple[float, float]
    times: tuple[tuple[str, str], ...]
    previous: str | None

    @property
    def value_text(self) -> str:
        return _value_text(self.quantity.value)

    @property
    def concept(self) -> str:
        return _label(self.frame)


def _value_text(value: float | str) -> str:
    if isinstance(value, str):
        return value.lower()
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _singular(word: str) -> str:
    word = word.lower().strip(".")
    if word in _UNIT_SYNONYMS:
        return _UNIT_SYNONYMS[word]
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "sses", "xes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        return word[:-1]
    return word


def _restrictive_modifiers(q: Quantity, text: str, sentence: Sentence, unit_word: str) -> set[str]:
    """Lower-case words between the number and the unit that restrict what is counted."""
    local = q.start - sentence.start
    own_end = q.end - sentence.start
    match = re.search(r"\b" + re.escape(unit_word) + r"\b", text[local:], re.I)
    if not match or (local + match.start() > own_end and local + match.start() - own_end > 40):
        return set()
    between = _WORDS.findall(text[local : local + match.start()])
    found = set()
    for word in between:
        low = word.lower()
        if word[0].isupper() or low in _NON_RESTRICTIVE or low in _QUANTITY_WORDS or low in _PEOPLE:
            continue
        if _singular(low) in _PEOPLE:
            continue
        found.add(low)
    # "four charges of falsifying accounts": a complement after the noun narrows it too.
    after = _COMPLEMENT.match(text[local + match.end():])
    if after and after.group(2).lower() not in _QUANTITY_WORDS:
        found.add(f"{after.group(1).lower()} {after.group(2).lower()}")
    return found


_COMPLEMENT = re.compile(
    r"\s+(of|for|under|involving)\s+(?!(?:the|a|an|them|those|these|which|whom|its|their|his|her|about|up|over|more|at)\b)"
    r"([a-z][a-z-]+)"
)


def _is_part(q: Quantity, text: str, sentence: Sentence, siblings: Sequence[Quantity]) -> bool:
    """True for sub-counts and breakdown parts, which are never compared with totals."""
    local_start = q.start - sentence.start
    local_end = q.end - sentence.start
    if _PARTITIVE_AFTER.search(text[local_end : local_end + 25]):
        return True
    if _PARTITIVE_INSIDE.search(q.text):
        return True
    if _PARTITIVE_BEFORE.search(text[max(0, local_start - 20) : local_start]):
        return True
    # A larger number of the same thing in the same sentence makes this one a part of it.
    for other in siblings:
        if other is q or isinstance(other.value, str) or isinstance(q.value, str):
            continue
        if other.unit == q.unit and float(other.value) > float(q.value):
            return True
    return False


_WHOLE_AFTER_PART = re.compile(
    r"\b(?:\d[\d,.]*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|all|most|many|some|half)"
    r"\s+(?:of|out of)\s+(?:the|their|its|his|her|our|[A-Z][\w.-]*(?:'s?|’s?))?(?:\s+[A-Z][\w.-]*(?:'s?|’s?|s'))?\s*$",
    re.I,
)


def _is_whole(q: Quantity, text: str, sentence: Sentence) -> bool:
    """True for the whole a part is taken from: "missing 10 of the Saints' 16 games" states the
    games of a season, not the games missed, so it meets only other such wholes."""
    local_start = q.start - sentence.start
    return bool(_WHOLE_AFTER_PART.search(text[max(0, local_start - 40) : local_start]))


_PLACE_SCOPE = re.compile(r"\b(?:in|at|across|inside|outside)\s+((?:[A-Z][\w'-]+\s*)+)")


def _places(scope: str | None) -> frozenset[str]:
    """Names right after a place preposition in the scope ("in Norland"), not "in the fire at X"."""
    if not scope:
        return frozenset()
    words = (re.sub(r"['\u2019]s$", "", w).lower() for match in _PLACE_SCOPE.finditer(scope) for w in match.group(1).split())
    return frozenset(w for w in words if w not in _MONTHS)


def _times(item: AnalyzedArticle, sentence: Sentence) -> tuple[tuple[str, str], ...]:
    spans = []
    for t in item.times:
        if t.sentence != sentence.index or not t.value:
            continue
        low, _, high = t.value.partition("/")
        if t.text.lower().startswith("since") and item.article.published:
            high = item.article.published[:10]
        spans.append((_date_floor(low), _date_ceiling(high or low)))
    if not spans:
        # A year written in the sentence ("In 2019, a fire ...") dates its event too.
        text = item.article.text[sentence.start : sentence.end]
        spans.extend((f"{y}-01-01", f"{y}-12-31") for y in _YEAR.findall(text))
    return tuple(spans)


def _date_floor(value: str) -> str:
    value = value[:10]
    return value + "-01-01"[len(value) - 4 :] if len(value) < 10 else value


def _date_ceiling(value: str) -> str:
    value = value[:10]
    if len(value) == 4:
        return value + "-12-31"
    if len(value) == 7:
        return value + "-31"
    return value


def _times_compatible(a: Sequence[tuple[str, str]], b: Sequence[tuple[str, str]]) -> bool:
    if not a or not b:
        return True
    return any(
        _shift(x_low, -DATE_SLACK) <= y_high and _shift(y_low, -DATE_SLACK) <= x_high
        for x_low, x_high in a
        for y_low, y_high in b
    )


def _shift(day: str, days: int) -> str:
    import datetime as dt

    try:
        return (dt.date.fromisoformat(day) + dt.timedelta(days=days)).isoformat()
    except ValueError:
        return day


def _candidates(analyzed: Sequence[AnalyzedArticle]) -> list[_Candidate]:
    """Every quantity that can be compared: a frame that says what it counts, not a part of a total."""
    found = []
    dollars = _dollar_currencies(analyzed)
    for order, item in enumerate(analyzed):
        sentences = {s.index: s for s in item.sentences}
        by_sentence: dict[int, list[Quantity]] = {}
        for q in item.quantities:
            by_sentence.setdefault(q.sentence, []).append(q)
        frames = item.frames or tuple(
            replace(basic_frame(i, q), as_of=item.article.published[:10] if item.article.published else None)
            for i, q in enumerate(item.quantities)
        )
        for frame in frames:
            q = item.quantities[frame.quantity]
            sentence = sentences.get(q.sentence)
            if sentence is None or frame.counted is None or frame.incident is not None and frame.incident.startswith("other"):
                continue
            text = item.article.text[sentence.start : sentence.end]
            if frame.role == "count" and _is_part(q, text, sentence, by_sentence[q.sentence]):
                continue
            restrictive = frozenset()
            if frame.role == "count" and q.unit:
                words = _WORDS.findall(q.unit)
                restrictive = frozenset(_restrictive_modifiers(q, text, sentence, words[-1])) if words else frozenset()
            if frame.role == "count" and _is_whole(q, text, sentence):
                restrictive |= {"<whole>"}
            if frame.role == "money" and frame.counted == "$" and dollars.get(item.article.id):
                frame = replace(frame, counted=dollars[item.article.id])
            before = sentences.get(sentence.index - 1)
            previous = item.article.text[before.start : before.end] if before else None
            found.append(_Candidate(
                article=item,
                order=order,
                quantity=q,
                frame=frame,
                sentence=sentence,
                text=text,
                masked=mask_numbers(text),
                masked_clause=mask_numbers(frame.clause or text),
                restrictive=restrictive,
                places=_places(q.scope),
                interval=value_interval(q.value, q.qualifier, q.upper),
                times=_times(item, sentence),
                previous=previous,
            ))
    return found


def _dollar_currencies(analyzed: Sequence[AnalyzedArticle]) -> dict[str, str]:
    """Which dollar a bare "$" means in each article, where the articles say.

    Singapore papers write "$1,120" for Singapore dollars and "S$" only now and then; a
    wire story writes "S$3 billion ($2.25 billion)", a conversion that frames leave out.
    A bare "$" is the one dollar the article itself names elsewhere, or, when it names
    none, the dollar the story's articles name most; with two named, it stays unknown.
    """
    named: dict[str, set[str]] = {}
    for item in analyzed:
        named[item.article.id] = {
            f.counted for f in item.frames
            if f.role == "money" and f.counted in _DOLLARS
        }
    counts = Counter(c for currencies in named.values() for c in currencies)
    story = counts.most_common(1)[0][0] if counts and (len(counts) == 1 or counts.most_common(2)[1][1] < counts.most_common(1)[0][1]) else None
    chosen = {}
    for article, currencies in named.items():
        if len(currencies) == 1:
            chosen[article] = next(iter(currencies))
        elif not currencies and story:
            chosen[article] = story
    return chosen


_DOLLARS = frozenset({"sgd", "usd", "aud", "cad", "nzd", "hkd"})


_NUMBER_TEXT = re.compile(
    r"\$?\b\d[\d,.]*\b(?:-year-old)?|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    r"thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|"
    r"seventy|eighty|ninety|hundred|thousand|million|billion|several|dozens?|a few|some|many|multiple|"
    r"numerous|a handful of)\b",
    re.I,
)


def mask_numbers(text: str) -> str:
    """The sentence with every number and vague amount replaced by "#": what it says, not how much."""
    return _NUMBER_TEXT.sub("#", text)


# --------------------------------------------------------------------------- quantities


def find_quantity_discrepancies(analyzed: Sequence[AnalyzedArticle]) -> list[Discrepancy]:
    """Compare the figures that measure the same attribute of the same incident across articles.

    Two figures are compared only when their frames match (role, what is counted, the
    predicate, whose age, period, incident, a range against a range) and their sentences,
    numbers masked, say the same thing. The figures that agree are left to the facts;
    values that differ are a discrepancy whose relation is ``conflict``, ``update`` (a
    later figure of a count that changes) or compatible (``conflict`` false).
    """
    return [d for d in (_quantity_discrepancy(group) for group in quantity_groups(analyzed)) if d is not None]


def quantity_groups(analyzed: Sequence[AnalyzedArticle]) -> list[list[_Candidate]]:
    """Group the figures of different articles that state the same attribute (agreeing or not)."""
    import numpy as np

    from accord.corroborate.align import average_link
    from accord.corroborate.embed import embed

    candidates = _candidates(analyzed)
    blocks: dict[tuple[object, ...], list[_Candidate]] = {}
    for c in candidates:
        f = c.frame
        blocks.setdefault((f.role, f.incident, c.quantity.upper is not None), []).append(c)
    stated = _stated_together(candidates)
    groups = []
    for _, block in sorted(blocks.items(), key=lambda kv: str(kv[0])):
        if len({c.article.article.id for c in block}) < 2:
            continue
        masked = sorted({c.masked for c in block} | {c.masked_clause for c in block})
        vectors = dict(zip(masked, embed(masked), strict=True))
        n = len(block)
        scores = np.full((n, n), -np.inf)
        for i in range(n):
            for j in range(i + 1, n):
                # The two sentences, or the two clauses that hold the figures, say the same thing.
                sentence_sim = float(vectors[block[i].masked] @ vectors[block[j].masked])
                sim = max(sentence_sim, float(vectors[block[i].masked_clause] @ vectors[block[j].masked_clause]))
                if _comparable(block[i], block[j], sim, sentence_sim):
                    scores[i, j] = scores[j, i] = sim
        labels = average_link(scores, SAME_STATEMENT)
        clusters: dict[int, list[_Candidate]] = {}
        for c, label in zip(block, labels, strict=True):
            clusters.setdefault(label, []).append(c)
        for members in clusters.values():
            if len({c.article.article.id for c in members}) >= 2 and not _values_stated_together(members, stated):
                groups.append(members)
    return groups


def _kind(c: _Candidate) -> tuple[object, ...]:
    f = c.frame
    return (f.role, f.holder if f.role == "age" else _singular(f.counted or ""), f.predicate)


def _stated_together(candidates: Sequence[_Candidate]) -> dict[tuple[object, ...], list[set[str]]]:
    """For each kind of figure, the sets of values single articles give for it."""
    by_article: dict[tuple[tuple[object, ...], str], set[str]] = {}
    for c in candidates:
        by_article.setdefault((_kind(c), c.article.article.id), set()).add(c.value_text)
        # One sentence giving two figures of one thing ("revised to 10 minutes, then reduced
        # to five") names two moments or two parts, whatever verbs carry them.
        sentence = (c.article.article.id, c.sentence.index)
        by_article.setdefault((_kind(c)[:2], f"{sentence}"), set()).add(c.value_text)
        if c.frame.role == "measure":
            # An article giving two magnitudes or two lengths measures two things (a quake and
            # its aftershock), whatever verbs carry them.
            by_article.setdefault((_kind(c)[:2], c.article.article.id), set()).add(c.value_text)
    found: dict[tuple[object, ...], list[set[str]]] = {}
    for (kind, _), values in by_article.items():
        if len(values) > 1:
            found.setdefault(kind, []).append(values)
    return found


def _values_stated_together(members: Sequence[_Candidate], stated: Mapping[tuple[object, ...], list[set[str]]]) -> bool:
    """True when one article gives two of the group's values for the same kind of figure.

    "A fine of up to $10,000 for a first offence and up to $20,000 for a repeat one": a
    source that states both numbers says they are two things, so two sources that each
    state one of them are not disagreeing.
    """
    values = {c.value_text for c in members}
    if len(values) < 2:
        return False
    return any(
        len(values & together) >= 2
        for c in members
        for kind in (_kind(c), _kind(c)[:2])
        for together in stated.get(kind, ())
    )


#: Cosine of two sentences, numbers masked, that makes "an explosion" and "multiple
#: explosions" one statement: "a car" in one sentence and "several cars" in another
#: are usually two different sets of cars.
SAME_COUNT = 0.7
#: Cosine of two sentences, numbers masked, above which they state the same thing.
SAME_STATEMENT = 0.6
#: The cosine of the two sentences needed when the figures have no predicate to match.
SAME_STATEMENT_UNANCHORED = 0.8


def _comparable(a: _Candidate, b: _Candidate, sim: float, sentence_sim: float) -> bool:
    """True when two figures are the same attribute of the same incident (precision first)."""
    fa, fb = a.frame, b.frame
    if a.article.article.id == b.article.article.id:
        # One article giving two values counts two things; the same value twice is one.
        return a.value_text == b.value_text and a.quantity.start != b.quantity.start
    if (fa.role, fa.incident) != (fb.role, fb.incident) or not _same_period(fa.period, fb.period):
        return False
    if not _same_counted(fa.counted, fb.counted) or a.restrictive != b.restrictive:
        return False
    if fa.role in ("money", "measure") and fa.holder and fb.holder and fa.holder != fb.holder:
        return False  # the value or size of two different things (a quake and its aftershock)
    if fa.role in ("money", "duration") and _subjects_differ(fa.subject, fb.subject):
        return False  # what two different people paid, forfeited or served
    if fa.role == "age" and fa.holder != fb.holder and not (_same_counted(fa.holder, fb.holder) and None not in (fa.holder, fb.holder)):
        return False
    named = fa.role == "age" and bool(fa.holder) and fa.holder == fb.holder and fa.holder[:1].isupper()
    if fa.role == "age" and not named and sentence_sim < SAME_STATEMENT_UNANCHORED:
        return False  # "a 28-year-old man" and "a 30-year-old man" are often two men
    if named:
        pass  # the age of one named person, whatever the sentence says they did
    elif fa.predicate and fa.predicate == fb.predicate:
        pass
    elif fa.predicate in EVENT_PREDICATES and fb.predicate in EVENT_PREDICATES:
        return False  # "arrested" against "injured": two attributes
    elif sentence_sim < SAME_STATEMENT_UNANCHORED:
        return False  # nothing anchors the figures: their whole sentences must say the same
    if a.places != b.places and not (a.places and b.places and a.places & b.places):
        return False  # another place, or a count in one place against a wider one
    return (named or sim >= SAME_STATEMENT) and _times_compatible(a.times, b.times)


def _same_period(a: str | None, b: str | None) -> bool:
    """The same period; a running tally "since" a day may also be stated with no period at all
    ("have been injured in the attacks"), but never against a year or another period."""
    if a == b:
        return True
    return {a, b} == {"since", None}


def _subjects_differ(a: str | None, b: str | None) -> bool:
    """True when two subjects are plainly different: two names, a name and "both men", ..."""
    if a is None or b is None or a == b:
        return False
    if ONE in (a, b):
        return MANY in (a, b)  # "he" is anyone singular
    return True


def _same_counted(a: str | None, b: str | None) -> bool:
    """The same counted noun, "person" standing for any narrower people noun ("men", "suspects")."""
    if a is None or b is None:
        return a == b
    a, b = _singular(a), _singular(b)
    if a == b:
        return True
    return "person" in (a, b) and people_kind(a if b == "person" else b)


def _label(frame: Frame) -> str:
    """A short name of what a frame measures, for ``about``."""
    casualty = {"injure": "injured", "kill": "killed", "arrest": "arrested"}
    if frame.predicate in casualty:
        return casualty[frame.predicate]
    return frame.counted or "figure"


def _quantity_discrepancy(members: list[_Candidate]) -> Discrepancy | None:
    values: dict[str, list[_Candidate]] = {}
    for c in sorted(members, key=lambda c: (c.order, c.quantity.start)):
        values.setdefault(c.value_text, []).append(c)
    articles = {c.article.article.id for c in members}
    if len(values) < 2 or len(articles) < 2:
        return None
    built = []
    for value, items in values.items():
        qualifiers = Counter(None if isinstance(c.quantity.value, str) else c.quantity.qualifier for c in items)
        built.append(_value(value, qualifiers.most_common(1)[0][0], items))
    intervals = [value_interval(_number_or_word(v.value), v.qualifier, _upper(values[v.value])) for v in built]
    built.sort(key=lambda v: (-len(v.articles), v.value))
    about = _describe_frame(members)
    compatible = not intervals_conflict(intervals) or _rounded(built)
    if not compatible and _separate_incidents(values):
        return None
    update = not compatible and _is_update(values)
    if not update and _far_apart(built):
        return None
    return Discrepancy(
        id=stable_id("disc", "quantity", about, *(v.value for v in built)),
        kind="quantity",
        conflict=not compatible and not update,
        about=about,
        values=tuple(built),
        update=update,
    )


#: How many times larger one figure may be than another and still be a reading of the same
#: one: outlets that disagree give 12 and 18 injured, S$199 million and S$266 million; 55
#: and 918 yards, or 5 and 50 injured, are two different figures that look alike.
SAME_FIGURE_RATIO = 4.0


def _far_apart(values: Sequence[DiscrepancyValue]) -> bool:
    """True when the exact figures are too far apart to be one figure told two ways."""
    numbers = [n for n in (_number_or_word(v.value) for v in values) if isinstance(n, float)]
    if len(numbers) < 2 or min(numbers) <= 0:
        return False
    return max(numbers) / min(numbers) >= SAME_FIGURE_RATIO


#: Sentences at the top of an article that name its incident.
LEAD_SENTENCES = 3
_INCIDENT_LABELS = frozenset({"GPE", "LOC", "FAC", "ORG", "PRODUCT", "PERSON", "NORP", "EVENT"})


def _separate_incidents(values: Mapping[str, Sequence[_Candidate]]) -> bool:
    """True when the values come from articles about two incidents that a file holds together.

    Two crashes on one road give "a 38-year-old driver" and "a 27-year-old driver" in
    sentences that read alike. The articles of each value then name, at their top, a
    place or thing that the articles of the other value never name ("BKE" against
    "Bukit Timah Road"). One outlier article naming something the others do not is
    common in one incident too, so each side needs two articles.
    """
    camps = []
    for items in values.values():
        articles = {c.article.article.id: c.article for c in items}
        if len(articles) >= 2:
            camps.append(articles)
    if len(camps) < 2:
        return False
    distinct = 0
    for camp in camps:
        others = [a for other in camps if other is not camp for a in other.values()]
        named_elsewhere = set().union(*(_named(a, None) for a in others))
        leads = [_named(a, LEAD_SENTENCES) for a in camp.values()]
        shared = Counter(key for lead in leads for key in lead)
        if any(n * 3 >= len(leads) * 2 and key not in named_elsewhere for key, n in shared.items()):
            distinct += 1
    return distinct >= 2


def _named(item: AnalyzedArticle, lead: int | None) -> set[str]:
    """Keys of the named things an article mentions (in its first ``lead`` sentences, if given)."""
    return {
        e.key for e in item.entities
        if e.label in _INCIDENT_LABELS and any(lead is None or m.sentence < lead for m in e.mentions)
    }


def _describe_frame(members: Sequence[_Candidate]) -> str:
    """What the values measure, in words: "age of the driver", "value of the items (SGD)"."""
    frame = Counter(c.frame for c in members).most_common(1)[0][0]
    holders = Counter(c.frame.holder for c in members if c.frame.holder)
    holder = holders.most_common(1)[0][0] if holders else None
    if frame.role == "age":
        return f"age of the {holder}" if holder else "age"
    if frame.role == "money":
        currency = (frame.counted or "").upper()
        currency = "dollars" if currency == "$" else currency
        what = f"value of the {holder}" if holder else f"amount{' ' + _verb_phrase(frame.predicate) if frame.predicate else ''}"
        return f"{what} ({currency})" if currency else what
    if frame.role == "duration":
        unit = Counter(c.quantity.unit.lower() for c in members if c.quantity.unit).most_common(1)
        base = unit[0][0] if unit else f"{frame.counted}s"
        return f"{base} {_verb_phrase(frame.predicate)}" if frame.predicate else base
    return _about(_label(frame), members)


def _verb_phrase(predicate: str | None) -> str:
    return f"({predicate})" if predicate else ""


def _number_or_word(value: str) -> float | str:
    try:
        return float(value)
    except ValueError:
        return value


def _upper(items: Sequence[_Candidate]) -> float | None:
    return items[0].quantity.upper


def _value(value: str, qualifier: str | None, items: Sequence[_Candidate]) -> DiscrepancyValue:
    evidence = tuple(dict.fromkeys(evidence_for(c.article, c.sentence) for c in items))
    as_of = sorted({c.frame.as_of for c in items if c.frame.as_of})
    return DiscrepancyValue(
        value=value,
        qualifier=qualifier,
        as_of=as_of[-1] if as_of else None,
        articles=tuple(dict.fromkeys(c.article.article.id for c in items)),
        evidence=evidence,
    )


def _rounded(values: Sequence[DiscrepancyValue]) -> bool:
    """True when large amounts differ only by rounding ("S$1.1 million" and "S$1,121,600")."""
    numbers = [_number_or_word(v.value) for v in values]
    if any(isinstance(n, str) for n in numbers) or len(numbers) != 2:
        return False
    a, b = sorted(numbers, key=_significant)  # type: ignore[arg-type]
    if min(a, b) < 1000 or _significant(a) >= _significant(b):
        return False
    digits = _significant(a)
    return _round_to(b, digits) == a


def _significant(value: float) -> int:
    digits = f"{abs(value):.10g}".replace(".", "").lstrip("0").rstrip("0")
    return max(1, len(digits))


def _round_to(value: float, digits: int) -> float:
    if value == 0:
        return 0.0
    return float(f"{value:.{digits}g}")


def _is_update(values: Mapping[str, Sequence[_Candidate]]) -> bool:
    """True when each value holds on its own day and the values follow each other in time."""
    days = []
    for items in values.values():
        own = {c.frame.as_of for c in items}
        if None in own or len(own) != 1:
            return False
        days.append(own.pop())
    return len(set(days)) == len(days) > 1


def _about(concept: str, members: Sequence[_Candidate]) -> str:
    units = Counter(c.quantity.unit.lower() for c in members if c.quantity.unit)
    unit = units.most_common(1)[0][0] if units else concept
    words = concept.split()
    head = words[-1]
    label = unit
    casualty = {"injured", "killed", "missing", "arrested"}
    if head in casualty and _UNIT_SYNONYMS.get(_singular(unit), _singular(unit)) not in casualty:
        label = f"{unit} {head}"
    elif head not in casualty:
        # What happened to what is counted, when the sources say it the same way ("were evacuated").
        verbs = {_passive_verb(c) for c in members} - {None}
        if len(verbs) == 1:
            label = f"{unit} {verbs.pop()}"
    scopes = Counter(c.quantity.scope.strip() for c in members if c.quantity.scope)
    if scopes:
        scope, count = scopes.most_common(1)[0]
        if count * 2 > len(members):
            return f"{label} {scope}"
    # A "since" date in the sentence or the one before it, shared by most members.
    since = [found for found in (_since(c) for c in members) if found]
    values = Counter(value for value, _ in since)
    if values:
        value, count = values.most_common(1)[0]
        if count * 2 > len(members):
            text = Counter(t for v, t in since if v == value).most_common(1)[0][0]
            return f"{label} {text}"
    return label


_PASSIVE = re.compile(r"^[^,;.]{0,30}?\b(?:were|was|have been|has been|had been|are|is)\s+([a-z]+ed)\b")


def _passive_verb(c: _Candidate) -> str | None:
    match = _PASSIVE.search(c.text[c.quantity.end - c.sentence.start :])
    return match.group(1) if match else None


def _since(c: _Candidate) -> tuple[str, str] | None:
    """The value and words of a "since ..." expression in the sentence or the one before."""
    start = c.sentence.start - (len(c.previous) + 1 if c.previous else 0)
    for t in c.article.times:
        if start <= t.start < c.sentence.end and t.value and t.text.lower().startswith("since "):
            return t.value.split("/")[0], "since " + t.text.split(None, 1)[1]
    return None


# --------------------------------------------------------------------------- single vs plural


def find_count_discrepancies(analyzed: Sequence[AnalyzedArticle]) -> list[Discrepancy]:
    """One source says "an explosion", another "multiple explosions": kind ``count``."""
    from accord.corroborate.embed import embed

    found = []
    seen: set[tuple[str, str]] = set()
    for item in analyzed:
        sentences = {s.index: s for s in item.sentences}
        for q in item.quantities:
            if not isinstance(q.value, str) or q.value.lower() not in PLURAL_WORDS or not q.unit:
                continue
            sentence = sentences.get(q.sentence)
            if sentence is None:
                continue
            plural_word = _WORDS.findall(q.unit)[-1].lower()
            singular = _singular(plural_word)
            if singular == plural_word or (item.article.id, singular) in seen:
                continue
            pattern = re.compile(
                r"\b(an?|one|a single|single)\s+(?:[\w-]+\s+){0,2}?" + re.escape(singular) + r"\b", re.I
            )
            plural_text = item.article.text[sentence.start : sentence.end]
            singles = []
            for other in analyzed:
                if other.article.id == item.article.id:
                    continue
                for s in other.sentences:
                    text = other.article.text[s.start : s.end]
                    if pattern.search(text) and not re.search(r"\b" + re.escape(plural_word) + r"\b", text, re.I):
                        singles.append((other, s, text))
            if not singles:
                continue
            vectors = embed([mask_numbers(plural_text)] + [mask_numbers(t) for _, _, t in singles])
            sims = vectors[1:] @ vectors[0]
            close = [single for single, sim in zip(singles, sims, strict=True) if sim >= SAME_COUNT]
            if not close:
                continue
            seen.add((item.article.id, singular))
            one = DiscrepancyValue(
                value="1",
                qualifier="=",
                articles=tuple(dict.fromkeys(o.article.id for o, _, _ in close)),
                evidence=tuple(evidence_for(o, s) for o, s, _ in close),
            )
            many = DiscrepancyValue(
                value=q.value.lower(),
                qualifier=None,
                articles=(item.article.id,),
                evidence=(evidence_for(item, sentence),),
            )
            about = plural_word
            found.append(Discrepancy(
                id=stable_id("disc", "count", about, item.article.id, *one.articles),
                kind="count",
                conflict=True,
                about=about,
                values=(one, many),
            ))
    return _merge_count(found)


def _merge_count(found: list[Discrepancy]) -> list[Discrepancy]:
    """Merge count discrepancies about the same thing from several plural-saying articles."""
    merged: dict[str, Discrepancy] = {}
    for d in found:
        if d.about not in merged:
            merged[d.about] = d
            continue
        old = merged[d.about]
        by_value: dict[str, DiscrepancyValue] = {v.value: v for v in old.values}
        for v in d.values:
            if v.value in by_value:
                prev = by_value[v.value]
                by_value[v.value] = DiscrepancyValue(
                    value=v.value, qualifier=v.qualifier, as_of=v.as_of,
                    articles=tuple(dict.fromkeys(prev.articles + v.articles)),
                    evidence=tuple(dict.fromkeys(prev.evidence + v.evidence)),
                )
            else:
                by_value[v.value] = v
        values = tuple(by_value.values())
        merged[d.about] = Discrepancy(
            id=stable_id("disc", "count", d.about, *(a for v in values for a in v.articles)),
            kind="count", conflict=True, about=d.about, values=values,
        )
    return list(merged.values())


# --------------------------------------------------------------------------- dates


def find_date_discrepancies(analyzed: Sequence[AnalyzedArticle]) -> list[Discrepancy]:
    """The same event dated differently (day precision) by different articles: kind ``date``."""
    import numpy as np

    from accord.corroborate.embed import embed

    items: list[tuple[AnalyzedArticle, int, TimeExpression, Sentence]] = []
    for order, item in enumerate(analyzed):
        sentences = {s.index: s for s in item.sentences}
        for t in item.times:
            if not (t.value and t.event and t.precision in ("day", "time") and t.sentence in sentences):
                continue
            if REPORTING.search(t.event) and len(t.event.split()) <= 6:
                continue  # dates the reporting ("she said on Tuesday"), not the event
            if _DEICTIC.search(t.text) and item.article.published_from not in _OWN_DATE:
                continue  # "last night" in an article whose own date is unknown
            items.append((item, order, t, sentences[t.sentence]))
    if len({i[0].article.id for i in items}) < 2:
        return []
    vectors = embed([t.event or "" for _, _, t, _ in items])
    sims = vectors @ vectors.T
    sentence_vectors = embed([item.article.text[s.start : s.end] for item, _, _, s in items])
    sentence_sims = sentence_vectors @ sentence_vectors.T
    alone = [sum(1 for t in item.times if t.sentence == s.index and t.value) == 1 for item, _, _, s in items]
    n = len(items)
    scores = np.full((n, n), -np.inf)
    for i in range(n):
        for j in range(i + 1, n):
            ti, tj = items[i][2], items[j][2]
            if items[i][0].article.id == items[j][0].article.id and ti.value != tj.value:
                continue
            if ti.value != tj.value and _wording(ti.text) == _wording(tj.text):
                continue  # same words read two ways ("until Wednesday"): not the sources' disagreement
            if _days_apart(ti.value or "", tj.value or "") > DATE_SLACK:
                continue  # weeks apart: another event, far likelier than a misdated one
            # Event clauses and their sentences must both read alike; near-paraphrased
            # sentences that each date only one thing date the same event.
            score = min(float(sims[i, j]), float(sentence_sims[i, j]))
            if alone[i] and alone[j] and sentence_sims[i, j] >= SAME_SENTENCE:
                score = max(score, float(sentence_sims[i, j]))
            scores[i, j] = scores[j, i] = score
    labels = _single_link(scores, SAME_EVENT_DATE, [item[0].article.id for item in items],
                          [items[k][2].value for k in range(n)])
    clusters: dict[int, list[int]] = {}
    for index, label in enumerate(labels):
        clusters.setdefault(label, []).append(index)
    found = []
    for members in clusters.values():
        by_value: dict[str, list[int]] = {}
        for i in members:
            by_value.setdefault(_day(items[i][2].value or ""), []).append(i)
        articles = {items[i][0].article.id for i in members}
        if len(by_value) < 2 or len(articles) < 2:
            continue
        values = []
        for value, idx in sorted(by_value.items(), key=lambda kv: (-len(kv[1]), kv[0])):
            values.append(DiscrepancyValue(
                value=value,
                qualifier=None,
                articles=tuple(dict.fromkeys(items[i][0].article.id for i in idx)),
                evidence=tuple(dict.fromkeys(evidence_for(items[i][0], items[i][3]) for i in idx)),
            ))
        central = max(members, key=lambda i: (float(sims[i, members].sum()), -i))
        about = "when " + (items[central][2].event or "").strip().rstrip(",")
        found.append(Discrepancy(
            id=stable_id("disc", "date", about, *(v.value for v in values)),
            kind="date",
            conflict=_dates_conflict([v.value for v in values]),
            about=about,
            values=tuple(values),
        ))
    return found


def _single_link(scores: Any, threshold: float, articles: Sequence[str], values: Sequence[Any]) -> list[int]:
    """Join pairs above the threshold, strongest first, never two values of one article."""
    n = len(articles)
    group = list(range(n))
    members = {i: {i} for i in range(n)}
    pairs = sorted((-float(scores[i, j]), i, j) for i in range(n) for j in range(i + 1, n)
                   if scores[i, j] >= threshold)
    for _, i, j in pairs:
        gi, gj = group[i], group[j]
        if gi == gj:
            continue
        if any(articles[a] == articles[b] and values[a] != values[b] for a in members[gi] for b in members[gj]):
            continue
        keep, drop = min(gi, gj), max(gi, gj)
        for k in members[drop]:
            group[k] = keep
        members[keep] |= members.pop(drop)
    order = {g: number for number, g in enumerate(sorted(set(group)))}
    return [order[g] for g in group]


def _days_apart(a: str, b: str) -> int:
    import datetime as dt

    try:
        return abs((dt.date.fromisoformat(a[:10]) - dt.date.fromisoformat(b[:10])).days)
    except ValueError:
        return 10**6


def _wording(text: str) -> str:
    words = re.findall(r"[a-z0-9]+", text.lower())
    return " ".join(w for w in words if w not in {"on", "the", "in", "at", "late", "early", "last"})


def _day(value: str) -> str:
    low, _, high = value.partition("/")
    return f"{low[:10]}/{high[:10]}" if high else low[:10]


def _dates_conflict(values: Sequence[str]) -> bool:
    spans = []
    for v in values:
        low, _, high = v.partition("/")
        spans.append((low, high or low))
    return max(s[0] for s in spans) > min(s[1] for s in spans)


# --------------------------------------------------------------------------- all


def find_discrepancies(
    analyzed: Sequence[AnalyzedArticle],
    copies: Mapping[str, Sequence[str]] | None = None,
) -> tuple[Discrepancy, ...]:
    """Find every discrepancy between the articles of one story.

    Quantities, single-vs-plural counts, dates and attributions (from the
    merged quotes). Ordered by independent support (copies collapse when
    ``copies`` is given), then by kind and first appearance; ids are stable.
    """
    from accord.corroborate.quotes import attribution_discrepancies

    copies = copies or {a.article.id: a.article.copies for a in analyzed}
    found: list[Discrepancy] = []
    for finder in (find_quantity_discrepancies, find_count_discrepancies, find_date_discrepancies):
        try:
            found.extend(finder(analyzed))
        except (ValueError, IndexError, KeyError) as exc:  # bad data never stops the report
            log.warning("skipped %s: %s", finder.__name__, exc)
    found.extend(attribution_discrepancies(analyzed))
    order = {a.article.id: i for i, a in enumerate(analyzed)}
    kinds = {"quantity": 0, "attribution": 1, "date": 2, "count": 3, "other": 4}

    def key(d: Discrepancy) -> tuple[int, int, int, int, str]:
        articles = {a for v in d.values for a in v.articles}
        first = min((order.get(e.article, 0), e.start) for v in d.values for e in v.evidence) if any(
            v.evidence for v in d.values) else (0, 0)
        return (-independent_count(articles, copies), kinds.get(d.kind, 9), first[0], first[1], d.id)

    return tuple(sorted(found, key=key))


def _support(articles: int, independent: int) -> str:
    """ "3 sources", or "4 articles, 3 independent sources" when some copy each other."""
    sources = f"{independent} source{'s' if independent != 1 else ''}"
    if articles == independent:
        return sources
    return f"{articles} articles, {independent} independent {sources.split(' ', 1)[1]}"


def describe(discrepancy: Discrepancy, copies: Mapping[str, Sequence[str]] | None = None) -> str:
    """A sentence stating a discrepancy: "Sources differ on X: 62 (3 sources) vs 56 (1 source)."""
    copies = copies or {}
    parts = []
    for v in discrepancy.values:
        n = independent_count(v.articles, copies)
        shown = v.value if not v.qualifier or v.qualifier == "=" else f"{_QUALIFIER_WORDS.get(v.qualifier, v.qualifier)} {v.value}"
        parts.append(f"{shown} ({_support(len(set(v.articles)), n)})")
    verb = "differ on" if discrepancy.conflict else "give different figures for"
    if discrepancy.kind == "attribution":
        return f"Sources attribute \u201c{discrepancy.about}\u201d to different speakers: {' vs '.join(parts)}."
    if discrepancy.kind == "date":
        return f"Sources differ on {discrepancy.about}: {' vs '.join(parts)}."
    return f"Sources {verb} the number of {discrepancy.about}: {' vs '.join(parts)}."


_QUALIFIER_WORDS = {"~": "about", ">": "more than", "<": "fewer than", ">=": "at least", "<=": "at most"}
