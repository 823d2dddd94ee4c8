"""Facts: sentences of different articles that say the same thing, with their independent support.

Every sentence of every article is a statement; :mod:`accord.corroborate.align`
groups them (one sentence per article per group), and each group stated by two
or more articles becomes a :class:`~accord.models.Fact`. Articles that copy each
other count once in ``independent_sources``.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from accord.corroborate.align import SENTENCE_OPTIONS, AlignOptions, Statement, align_statements
from accord.models import AnalyzedArticle, Discrepancy, Evidence, Fact, Sentence

__all__ = [
    "SentenceRef",
    "build_facts",
    "drop_disputed",
    "evidence_for",
    "independent_count",
    "sentence_refs",
    "stable_id",
]

log = logging.getLogger(__name__)

#: Sentences with fewer words than this carry no claim of their own ("Read more.").
MIN_WORDS = 5
_WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class SentenceRef:
    """A sentence of one article, with the names and numbers the analysis found in it."""

    article: str
    order: int
    sentence: Sentence
    text: str
    names: frozenset[str]
    numbers: frozenset[str]


def stable_id(prefix: str, *parts: object) -> str:
    """Return ``prefix-<16 hex>``: a blake2b digest of the parts, stable across runs."""
    digest = hashlib.blake2b(digest_size=8)
    for part in parts:
        digest.update(str(part).encode("utf-8") + b"\x1f")
    return f"{prefix}-{digest.hexdigest()}"


def evidence_for(analyzed: AnalyzedArticle, sentence: Sentence) -> Evidence:
    """Return the evidence for one sentence, its text cut from the article at its offsets."""
    text = analyzed.article.text
    return Evidence(
        article=analyzed.article.id,
        sentence=text[sentence.start : sentence.end],
        start=sentence.start,
        end=sentence.end,
    )


def independent_count(articles: Iterable[str], copies: Mapping[str, Sequence[str]]) -> int:
    """Count the articles that copy none of the others counted: the most mutually independent.

    Copies are pairs, not chains: with A~C and C~B but not A~B, A and B are two
    sources. Greedy, fewest copies first (ties by id); exact when copies form groups
    that all copy each other, as syndicated copies do.
    """
    ids = set(articles)
    links = {a: set(copies.get(a, ())) & ids - {a} for a in ids}
    for a in ids:
        for b in links[a]:
            links[b].add(a)
    left = set(ids)
    count = 0
    while left:
        chosen = min(left, key=lambda a: (len(links[a] & left), a))
        left -= links[chosen] | {chosen}
        count += 1
    return count


def sentence_refs(analyzed: Sequence[AnalyzedArticle], *, min_words: int = MIN_WORDS) -> list[SentenceRef]:
    """List the claim-sized sentences of every article, with their entity keys and numbers."""
    refs = []
    for order, item in enumerate(analyzed):
        names: dict[int, set[str]] = {}
        for entity in item.entities:
            for mention in entity.mentions:
                names.setdefault(mention.sentence, set()).add(entity.key)
        numbers: dict[int, set[str]] = {}
        for quantity in item.quantities:
            if not isinstance(quantity.value, str):
                numbers.setdefault(quantity.sentence, set()).add(_number_text(quantity.value))
        for sentence in item.sentences:
            text = item.article.text[sentence.start : sentence.end]
            if len(_WORD.findall(text)) < min_words:
                continue
            refs.append(SentenceRef(
                article=item.article.id,
                order=order,
                sentence=sentence,
                text=text,
                names=frozenset(names.get(sentence.index, ())),
                numbers=frozenset(numbers.get(sentence.index, ())),
            ))
    return refs


def _number_text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def build_facts(
    analyzed: Sequence[AnalyzedArticle],
    copies: Mapping[str, Sequence[str]],
    options: AlignOptions = SENTENCE_OPTIONS,
) -> tuple[Fact, ...]:
    """Group sentences of different articles that say the same thing into facts.

    Only groups stated by two or more articles are facts (what one article alone
    says is a unique claim). Facts are ordered by independent support, then by
    first appearance.
    """
    refs = sentence_refs(analyzed)
    if len({r.article for r in refs}) < 2:
        return ()
    statements = [
        Statement(id=str(i), text=r.text, source=r.article, names=r.names, numbers=r.numbers)
        for i, r in enumerate(refs)
    ]
    labels = align_statements(statements, options)
    groups: dict[int, list[int]] = {}
    for index, label in enumerate(labels):
        groups.setdefault(label, []).append(index)
    by_id = {a.article.id: a for a in analyzed}
    facts = []
    for members in groups.values():
        articles = {refs[i].article for i in members}
        if len(articles) < 2:
            continue
        chosen = _statement_index(members, refs, statements, copies)
        ordered = sorted(members, key=lambda i: (refs[i].order, refs[i].sentence.start))
        evidence = tuple(evidence_for(by_id[refs[i].article], refs[i].sentence) for i in ordered)
        article_ids = tuple(dict.fromkeys(refs[i].article for i in ordered))
        statement = refs[chosen].text.strip()
        first = (refs[ordered[0]].order, refs[ordered[0]].sentence.start)
        facts.append((
            -independent_count(article_ids, copies),
            first,
            Fact(
                id=stable_id("fact", statement, *(f"{e.article}:{e.start}" for e in evidence)),
                statement=statement,
                articles=article_ids,
                independent_sources=independent_count(article_ids, copies),
                evidence=evidence,
            ),
        ))
    facts.sort(key=lambda item: (item[0], item[1]))
    log.info("aligned %d sentences into %d facts", len(refs), len(facts))
    return tuple(fact for _, _, fact in facts)


def _statement_index(
    members: list[int],
    refs: Sequence[SentenceRef],
    statements: Sequence[Statement],
    copies: Mapping[str, Sequence[str]],
) -> int:
    """Pick the clearest sentence: the medoid, preferring shorter ones and articles that copy no one."""
    from accord.corroborate.embed import embed

    vectors = embed([statements[i].text for i in members])
    sims = vectors @ vectors.T
    longest = max(len(refs[i].text) for i in members)

    def score(k: int) -> tuple[float, int]:
        i = members[k]
        centrality = (float(sims[k].sum()) - 1.0) / max(len(members) - 1, 1)
        brevity = 0.15 * len(refs[i].text) / longest
        original = 0.0 if copies.get(refs[i].article) else 0.02
        return (centrality - brevity + original, -i)

    return members[max(range(len(members)), key=score)]


def drop_disputed(
    facts: Sequence[Fact],
    discrepancies: Sequence[Discrepancy],
    copies: Mapping[str, Sequence[str]],
) -> tuple[Fact, ...]:
    """Take out of each fact the articles that give a conflicting value of what it states.

    Alignment groups "14 people were injured" with "Eleven people were injured":
    the sentences are about the same thing, but the second article does not state
    the fact's statement, it disputes it (and the discrepancy says so). A fact
    left with fewer than two articles is dropped.
    """
    value_at: dict[tuple[str, int], list[tuple[str, str]]] = {}
    for discrepancy in discrepancies:
        if not discrepancy.conflict:
            continue
        for value in discrepancy.values:
            for item in value.evidence:
                value_at.setdefault((item.article, item.start), []).append(
                    (discrepancy.id, value.value)
                )
    kept = []
    for fact in facts:
        own = next((e for e in fact.evidence if e.sentence.strip() == fact.statement), None)
        stated = dict(value_at.get((own.article, own.start), ())) if own else {}
        evidence = tuple(
            e for e in fact.evidence
            if not any(
                stated.get(d_id, value) != value
                for d_id, value in value_at.get((e.article, e.start), ())
            )
        )
        if len(evidence) == len(fact.evidence):
            kept.append(fact)
            continue
        articles = tuple(dict.fromkeys(e.article for e in evidence))
        if len(articles) < 2:
            continue
        kept.append(replace(
            fact,
            articles=articles,
            independent_sources=independent_count(articles, copies),
            evidence=evidence,
        ))
    return tuple(sorted(kept, key=lambda f: -f.independent_sources))
