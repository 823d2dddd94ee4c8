"""Quotes merged across articles, and the attribution discrepancies they reveal.

Two quotes are the same when their normalised texts match closely, or when a
partial quote (five words or more) is contained in a longer one. Quotes of one
article with different speakers are never merged: an article that prints two
similar statements by two people is reporting two statements.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from accord.corroborate.facts import evidence_for, stable_id
from accord.models import (
    AnalyzedArticle,
    Discrepancy,
    DiscrepancyValue,
    Quote,
    QuoteGroup,
    QuoteVariant,
)

__all__ = ["attribution_discrepancies", "merge_quotes", "normalize_quote", "quote_similarity", "quotes_match"]

log = logging.getLogger(__name__)

#: Similarity of two whole quotes (difflib ratio over normalised words) to count as one.
SAME_QUOTE = 0.85
#: Share of a partial quote's words found in order in the longer one.
CONTAINED = 0.9
#: Partial quotes shorter than this (in words) are too common to match by containment.
MIN_CONTAINED_WORDS = 5
_NON_WORD = re.compile(r"[^\w\s]")
_SPACE = re.compile(r"\s+")


def normalize_quote(text: str) -> str:
    """Lower-case, fold accents and punctuation, collapse spaces: the form quotes are matched on."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.lower().replace("u.s.", "us").replace("-", " ")
    return _SPACE.sub(" ", _NON_WORD.sub(" ", text)).strip()


def quote_similarity(a: str, b: str) -> float:
    """How alike two quote texts are: the larger of their word-level similarity and, for a
    partial quote of five words or more, the share of its words found in order in the other."""
    wa, wb = normalize_quote(a).split(), normalize_quote(b).split()
    if not wa or not wb:
        return 0.0
    ratio = SequenceMatcher(None, wa, wb, autojunk=False).ratio()
    short, long = (wa, wb) if len(wa) <= len(wb) else (wb, wa)
    if len(short) < MIN_CONTAINED_WORDS:
        return ratio
    matcher = SequenceMatcher(None, short, long, autojunk=False)
    covered = sum(block.size for block in matcher.get_matching_blocks()) / len(short)
    return max(ratio, covered if covered >= CONTAINED else 0.0)


def quotes_match(a: str, b: str) -> bool:
    """True when two quote texts are the same quotation (fuzzy, or one contained in the other)."""
    return quote_similarity(a, b) >= min(SAME_QUOTE, CONTAINED)


@dataclass(frozen=True, slots=True)
class _Item:
    analyzed: AnalyzedArticle
    order: int
    quote: Quote


def _same_person(a: str, b: str) -> bool:
    ta, tb = set(a.lower().split()), set(b.lower().split())
    return bool(ta and tb) and (ta <= tb or tb <= ta)


def _groups(analyzed: Sequence[AnalyzedArticle]) -> list[list[_Item]]:
    items = [
        _Item(a, order, q)
        for order, a in enumerate(analyzed)
        for q in sorted(a.quotes, key=lambda q: q.start)
        if normalize_quote(q.text)
    ]
    pairs = []
    for i in range(len(items)):
        for j in range(i + 1, len(items)):
            if items[i].analyzed.article.id == items[j].analyzed.article.id:
                continue
            similarity = quote_similarity(items[i].quote.text, items[j].quote.text)
            if similarity >= min(SAME_QUOTE, CONTAINED):
                si, sj = items[i].quote.speaker, items[j].quote.speaker
                # Closest pairs merge first; of equals, those that name the same speaker.
                agree = 1 if si and sj and _same_person(si, sj) else 0
                pairs.append((-similarity, -agree, i, j))
    members: dict[int, list[int]] = {i: [i] for i in range(len(items))}
    group_of = list(range(len(items)))
    for _, _, i, j in sorted(pairs):
        gi, gj = group_of[i], group_of[j]
        if gi == gj or _cannot_merge([items[k] for k in members[gi]], [items[k] for k in members[gj]]):
            continue
        keep, drop = min(gi, gj), max(gi, gj)
        for k in members[drop]:
            group_of[k] = keep
        members[keep].extend(members.pop(drop))
    return [[items[k] for k in sorted(ks)] for _, ks in sorted(members.items())]


def _cannot_merge(a: Sequence[_Item], b: Sequence[_Item]) -> bool:
    for x in a:
        for y in b:
            if x.analyzed.article.id != y.analyzed.article.id:
                continue
            sx, sy = x.quote.speaker, y.quote.speaker
            if sx and sy and not _same_person(sx, sy):
                return True
    return False


def _full_name(names: Sequence[str]) -> str | None:
    """The fullest spelling among names of one person (most words, then most frequent)."""
    if not names:
        return None
    counts = Counter(names)
    return max(counts, key=lambda n: (len(n.split()), counts[n], n))


def _people(names: Sequence[str]) -> list[list[str]]:
    """Cluster speaker names that name the same person ("Okafor", "Dana Okafor")."""
    people: list[list[str]] = []
    for name in sorted(names, key=lambda n: (-len(n.split()), n)):
        for person in people:
            if _same_person(person[0], name):
                person.append(name)
                break
        else:
            people.append([name])
    return people


def merge_quotes(analyzed: Sequence[AnalyzedArticle]) -> tuple[QuoteGroup, ...]:
    """Merge the quotes of all articles: one group per quotation, with every variant printed.

    The group's text is the fullest variant; its speaker the full name the
    sources give most (None when no source names one). Groups are ordered by
    how many articles print them, then by first appearance.
    """
    result = []
    for group in _groups(analyzed):
        variants = tuple(
            QuoteVariant(article=i.analyzed.article.id, text=i.quote.text.strip(), speaker=i.quote.speaker)
            for i in group
        )
        speakers = [i.quote.speaker for i in group if i.quote.speaker]
        people = _people(speakers)
        speaker = None
        if people:
            best = max(people, key=lambda p: (len(p), -speakers.index(p[-1])))
            speaker = _full_name(best)
        text = max((i.quote.text.strip() for i in group), key=lambda t: (len(t.split()), -len(t)))
        articles = tuple(dict.fromkeys(i.analyzed.article.id for i in group))
        result.append((-len(articles), group[0].order, group[0].quote.start,
                       QuoteGroup(speaker=speaker, text=text, articles=articles, variants=variants)))
    result.sort(key=lambda r: r[:3])
    return tuple(r[3] for r in result)


def attribution_discrepancies(analyzed: Sequence[AnalyzedArticle]) -> list[Discrepancy]:
    """The same quotation given to different speakers by different articles (kind ``attribution``)."""
    found = []
    for group in _groups(analyzed):
        named = [i for i in group if i.quote.speaker]
        people = _people([i.quote.speaker or "" for i in named])
        if len(people) < 2:
            continue
        values = []
        for person in people:
            items = [i for i in named if any(_same_person(i.quote.speaker or "", n) for n in person[:1])]
            by_article = {i.analyzed.article.id: i for i in items}
            values.append(DiscrepancyValue(
                value=_full_name(person) or person[0],
                qualifier=None,
                articles=tuple(by_article),
                evidence=tuple(dict.fromkeys(
                    evidence_for(i.analyzed, s)
                    for i in items
                    for s in i.analyzed.sentences
                    if s.start <= i.quote.start < s.end or i.quote.start <= s.start < i.quote.end
                )),
            ))
        articles = {a for v in values for a in v.articles}
        if len(articles) < 2:
            continue
        values.sort(key=lambda v: (-len(v.articles), v.value))
        text = max((i.quote.text.strip() for i in group), key=lambda t: (len(t.split()), -len(t)))
        about = _strip_quote(text)
        found.append(Discrepancy(
            id=stable_id("disc", "attribution", about, *(v.value for v in values)),
            kind="attribution",
            conflict=True,
            about=about,
            values=tuple(values),
        ))
    return found


def _strip_quote(text: str) -> str:
    return text.strip().strip("\"'\u201c\u201d\u2018\u2019 ").rstrip(",")
