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
from dataclasses import dataclass
from typing import Any

from accord.corroborate.facts import evidence_for, independent_count, stable_id
from accord.models import (
    AnalyzedArticle,
    Discrepancy,
    DiscrepancyValue,
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

#: Same-event thresholds on the cosine of the two sentences.
SAME_EVENT = 0.55
SAME_EVENT_DATE = 0.62
#: Cosine of two whole sentences that makes them one event even when their clauses differ.
SAME_SENTENCE = 0.75

_PEOPLE = frozenset(
    "people person personnel troop soldier servicemember serviceman servicemen member civilian "
    "resident worker child adult passenger patient victim individual staffer crew sailor "
    "marine airman officer firefighter student employee".split()
)
_CASUALTY = (
    ("injured", re.compile(r"\b(injur\w*|hurt|wound\w*)\b", re.I)),
    ("killed", re.compile(r"\b(kill\w*|dead|died|death\w*|fatalit\w*|perish\w*)\b", re.I)),
    ("missing", re.compile(r"\bmissing\b", re.I)),
    ("arrested", re.compile(r"\b(arrest\w*|detain\w*)\b", re.I)),
)
_NOT_CASUALTY = frozenset("time day week month year hour minute attack strike raid home house building vehicle car".split())
_UNIT_SYNONYMS = {
    "injury": "injured", "injured": "injured", "wounded": "injured", "casualty": "injured",
    "death": "killed", "dead": "killed", "fatality": "killed", "killed": "killed",
    "troops": "troop", "servicemen": "serviceman", "people": "people",
}
# Modifiers that describe rather than restrict what is counted.
_NON_RESTRICTIVE = frozenset(
    "minor serious non-serious severe slight light critical additional new total other more "
    "separate further reported confirmed known estimated fresh latest recent u.s. us american "
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
    sentence: Sentence
    text: str
    concept: str
    places: frozenset[str]
    interval: tuple[float, float]
    times: tuple[tuple[str, str], ...]
    previous: str | None

    @property
    def value_text(self) -> str:
        return _value_text(self.quantity.value)


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


def _concept(q: Quantity, text: str, sentence: Sentence) -> str | None:
    """Name what a quantity counts, folding people + casualty verb into the casualty."""
    if not q.unit:
        return None
    words = _WORDS.findall(q.unit)
    if not words:
        return None
    head = _singular(words[-1])
    head = _UNIT_SYNONYMS.get(head, head)
    restrictive = _restrictive_modifiers(q, text, sentence, words[-1])
    # Casualty words fold whatever noun they govern into the casualty ("62 troops were
    # injured" and "62 injuries" count the same thing); other verbs keep the noun.
    if head not in _NOT_CASUALTY:
        start = max(0, q.start - sentence.start - 40)
        end = min(len(text), q.end - sentence.start + 60)
        window = text[start:end]
        for name, pattern in _CASUALTY:
            if head == name or pattern.search(window):
                head = name
                break
    if restrictive:
        return " ".join(sorted(restrictive)) + " " + head
    return head


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
    return found


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


_PLACE_SCOPE = re.compile(r"\b(?:in|at|across|inside|outside)\s+((?:[A-Z][\w'-]+\s*)+)")


def _places(scope: str | None) -> frozenset[str]:
    """Names right after a place preposition in the scope ("in Norland"), not "in the fire at X"."""
    if not scope:
        return frozenset()
    return frozenset(
        w.lower()
        for match in _PLACE_SCOPE.finditer(scope)
        for w in match.group(1).split()
        if w.lower() not in _MONTHS
    )


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
    found = []
    for order, item in enumerate(analyzed):
        sentences = {s.index: s for s in item.sentences}
        by_sentence: dict[int, list[Quantity]] = {}
        for q in item.quantities:
            by_sentence.setdefault(q.sentence, []).append(q)
        for q in item.quantities:
            if q.kind not in ("count", "vague"):
                continue
            sentence = sentences.get(q.sentence)
            if sentence is None:
                continue
            text = item.article.text[sentence.start : sentence.end]
            if _is_part(q, text, sentence, by_sentence[q.sentence]):
                continue
            concept = _concept(q, text, sentence)
            if concept is None:
                continue
            before = sentences.get(sentence.index - 1)
            previous = item.article.text[before.start : before.end] if before else None
            found.append(_Candidate(
                article=item,
                order=order,
                quantity=q,
                sentence=sentence,
                text=text,
                concept=concept,
                places=_places(q.scope),
                interval=value_interval(q.value, q.qualifier, q.upper),
                times=_times(item, sentence),
                previous=previous,
            ))
    return found


# --------------------------------------------------------------------------- quantities


def find_quantity_discrepancies(analyzed: Sequence[AnalyzedArticle]) -> list[Discrepancy]:
    """Compare quantities that measure the same thing in the same scope across articles."""
    import numpy as np

    from accord.corroborate.align import average_link
    from accord.corroborate.embed import embed

    candidates = _candidates(analyzed)
    by_concept: dict[str, list[_Candidate]] = {}
    for c in candidates:
        by_concept.setdefault(c.concept, []).append(c)
    found = []
    for concept, group in sorted(by_concept.items()):
        if len({c.article.article.id for c in group}) < 2:
            continue
        vectors = embed([c.text for c in group])
        # The sentence before often carries the scope ("Since May 2, ... . Of those, 62 ...");
        # the mean of the two sentence vectors stands in for encoding them together.
        contexts = vectors + embed([c.previous or c.text for c in group])
        contexts /= np.linalg.norm(contexts, axis=1, keepdims=True)
        sims = np.maximum(vectors @ vectors.T, contexts @ contexts.T)
        n = len(group)
        scores = np.full((n, n), -np.inf)
        for i in range(n):
            for j in range(i + 1, n):
                if _comparable(group[i], group[j]):
                    scores[i, j] = scores[j, i] = sims[i, j]
        labels = average_link(scores, SAME_EVENT)
        clusters: dict[int, list[_Candidate]] = {}
        for c, label in zip(group, labels, strict=True):
            clusters.setdefault(label, []).append(c)
        for members in clusters.values():
            discrepancy = _quantity_discrepancy(concept, members)
            if discrepancy is not None:
                found.append(discrepancy)
    return found


def _comparable(a: _Candidate, b: _Candidate) -> bool:
    same_article = a.article.article.id == b.article.article.id
    if same_article and intervals_conflict([a.interval, b.interval]):
        return False  # one article giving two different values is counting two things
    if a.places != b.places and not (a.places and b.places and a.places & b.places):
        return False  # another place, or a count in one place against a wider one
    return _times_compatible(a.times, b.times)


def _quantity_discrepancy(concept: str, members: list[_Candidate]) -> Discrepancy | None:
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
    about = _about(concept, members)
    conflict = intervals_conflict(intervals)
    return Discrepancy(
        id=stable_id("disc", "quantity", about, *(v.value for v in built)),
        kind="quantity",
        conflict=conflict,
        about=about,
        values=tuple(built),
        update=_is_update(built),
    )


def _number_or_word(value: str) -> float | str:
    try:
        return float(value)
    except ValueError:
        return value


def _upper(items: Sequence[_Candidate]) -> float | None:
    return items[0].quantity.upper


def _value(value: str, qualifier: str | None, items: Sequence[_Candidate]) -> DiscrepancyValue:
    evidence = tuple(dict.fromkeys(evidence_for(c.article, c.sentence) for c in items))
    as_of = sorted({c.article.article.published[:10] for c in items if c.article.article.published})
    return DiscrepancyValue(
        value=value,
        qualifier=qualifier,
        as_of=as_of[-1] if as_of else None,
        articles=tuple(dict.fromkeys(c.article.article.id for c in items)),
        evidence=evidence,
    )


def _is_update(values: Sequence[DiscrepancyValue]) -> bool:
    """True when each value holds on its own date: one count reported at different times."""
    dates = [v.as_of for v in values]
    return all(dates) and len(set(dates)) == len(dates) and len(dates) > 1


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
            vectors = embed([plural_text] + [t for _, _, t in singles])
            sims = vectors[1:] @ vectors[0]
            close = [single for single, sim in zip(singles, sims, strict=True) if sim >= SAME_EVENT]
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
