"""A short, faithful summary in which every sentence cites the articles that support it.

Extractive: the best-supported facts first, picked by maximal marginal
relevance (MMR) over sentence embeddings so that no two say the same thing,
then the conflicting discrepancies (and compatible figures that three or more
sources give differently), each composed from its data ("Sources
differ on the number of ...: 62 (3 sources) vs 56 (1 source).").
An article is cited for a fact only when its own sentence gives no other
number than the statement does, so a summary never credits a source with a
figure it disputes.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence

from accord.corroborate.align import number_tokens
from accord.corroborate.discrepancies import describe
from accord.corroborate.facts import independent_count, sentence_refs
from accord.models import AnalyzedArticle, Discrepancy, Fact, SummarySentence

__all__ = ["summarize"]

log = logging.getLogger(__name__)

#: MMR trade-off between relevance and novelty.
MMR_LAMBDA = 0.7
#: Two summary sentences closer than this say the same thing.
REPEAT = 0.8


def summarize(
    facts: Sequence[Fact],
    discrepancies: Sequence[Discrepancy],
    analyzed: Sequence[AnalyzedArticle],
    sentences: int = 6,
) -> tuple[SummarySentence, ...]:
    """Compose a summary of at most ``sentences`` sentences, each citing its articles.

    Conflicting discrepancies take up to a third of the sentences (at least one
    when there is any and ``sentences`` > 1); facts ranked by independent
    support fill the rest, topped up with the lead sentences of the articles
    when there are too few facts.
    """
    if sentences < 1:
        raise ValueError("sentences must be 1 or more (try 6)")
    if not analyzed:
        return ()
    copies = {a.article.id: a.article.copies for a in analyzed}
    conflicts = [d for d in discrepancies if d.conflict and len(d.values) >= 2]
    # Compatible figures are worth a sentence too when many sources give them.
    conflicts += [
        d for d in discrepancies
        if not d.conflict and d.kind == "quantity"
        and independent_count({a for v in d.values for a in v.articles}, copies) >= 3
    ]
    reserved = min(len(conflicts), max(1, sentences // 3)) if sentences > 1 else 0
    candidates = _fact_candidates(facts, copies, discrepancies) + _lead_candidates(analyzed, copies)
    chosen = _mmr(candidates, sentences - reserved)
    out = [SummarySentence(text=text, articles=articles) for text, articles, _ in chosen]
    for d in conflicts[:reserved]:
        articles = tuple(dict.fromkeys(a for v in d.values for a in v.articles))
        out.append(SummarySentence(text=describe(d, copies), articles=articles))
    return tuple(out)


def _supporting(fact: Fact, sides: Mapping[tuple[str, int], set[tuple[str, str]]]) -> tuple[str, ...]:
    """Articles whose own sentence agrees with the statement: same numbers, same side of any discrepancy."""
    wanted = number_tokens(fact.statement)
    stated = next((e for e in fact.evidence if e.sentence.strip() == fact.statement), None)
    statement_sides = sides.get((stated.article, stated.start), set()) if stated else set()
    articles = []
    for e in fact.evidence:
        theirs = number_tokens(e.sentence)
        if wanted and theirs and not wanted & theirs:
            continue
        their_sides = sides.get((e.article, e.start), set())
        if any(d == d2 and v != v2 for d, v in statement_sides for d2, v2 in their_sides):
            continue
        articles.append(e.article)
    return tuple(dict.fromkeys(articles))


def _fact_candidates(
    facts: Sequence[Fact],
    copies: Mapping[str, Sequence[str]],
    discrepancies: Sequence[Discrepancy] = (),
) -> list[tuple[str, tuple[str, ...], float]]:
    sides: dict[tuple[str, int], set[tuple[str, str]]] = {}
    for d in discrepancies:
        for v in d.values:
            for e in v.evidence:
                sides.setdefault((e.article, e.start), set()).add((d.id, v.value))
    result = []
    for fact in facts:
        articles = _supporting(fact, sides)
        if not articles:
            continue
        result.append((fact.statement, articles, float(independent_count(articles, copies))))
    return result


def _lead_candidates(
    analyzed: Sequence[AnalyzedArticle], copies: Mapping[str, Sequence[str]]
) -> list[tuple[str, tuple[str, ...], float]]:
    """The first claim-sized sentence of each article, cited to it (and copies printing it)."""
    texts = {a.article.id: a.article.text for a in analyzed}
    seen = set()
    result = []
    for ref in sentence_refs(analyzed, min_words=8):
        if ref.article in seen:
            continue
        seen.add(ref.article)
        articles = (ref.article,) + tuple(
            c for c in copies.get(ref.article, ()) if c in texts and ref.text in texts[c]
        )
        # Below any fact: a lead sentence only fills slots facts leave empty.
        result.append((ref.text.strip(), articles, 0.5))
    return result


def _mmr(
    candidates: Sequence[tuple[str, tuple[str, ...], float]], k: int
) -> list[tuple[str, tuple[str, ...], float]]:
    if k <= 0 or not candidates:
        return []
    from accord.corroborate.embed import embed

    vectors = embed([c[0] for c in candidates])
    sims = vectors @ vectors.T
    top = max(c[2] for c in candidates)
    centrality = sims.mean(axis=1)
    relevance = [0.8 * c[2] / top + 0.2 * float(centrality[i]) for i, c in enumerate(candidates)]
    chosen: list[int] = []
    while len(chosen) < k:
        best, best_score = None, -1e9
        for i in range(len(candidates)):
            if i in chosen:
                continue
            redundancy = max((float(sims[i, j]) for j in chosen), default=0.0)
            if redundancy >= REPEAT:
                continue
            score = MMR_LAMBDA * relevance[i] - (1 - MMR_LAMBDA) * redundancy
            if score > best_score:
                best, best_score = i, score
        if best is None:
            break
        chosen.append(best)
    return [candidates[i] for i in chosen]
