"""Unique claims: informative sentences that exactly one source makes.

A sentence is a unique claim when no other source says anything close to it
(no sentence of another, independent article within :data:`PARAPHRASE` cosine),
it is not part of a fact, and it carries something checkable: a named entity,
a number or a quotation. Copies of one article count as the same source.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence

from accord.corroborate.facts import independent_count, sentence_refs
from accord.models import AnalyzedArticle, Fact, UniqueClaim

__all__ = ["find_unique"]

log = logging.getLogger(__name__)

#: A sentence this close to one in another source is background others paraphrase.
PARAPHRASE = 0.6
#: Sentences shorter than this (in words) are rarely a claim.
MIN_WORDS = 8
_WORD = re.compile(r"\w+")
_QUOTE_MARK = re.compile("[\"\u201c\u201d]")


def find_unique(analyzed: Sequence[AnalyzedArticle], facts: Sequence[Fact]) -> tuple[UniqueClaim, ...]:
    """List the informative claims only one source makes, in article order."""
    refs = sentence_refs(analyzed, min_words=MIN_WORDS)
    if len(analyzed) < 2 or not refs:
        return ()
    in_facts = {(e.article, e.start) for f in facts if len(f.articles) >= 2 for e in f.evidence}
    copies = {a.article.id: a.article.copies for a in analyzed}
    informative = []
    for position, ref in enumerate(refs):
        if (ref.article, ref.sentence.start) in in_facts:
            continue
        quoted = any(q.sentence == ref.sentence.index for a in analyzed if a.article.id == ref.article
                     for q in a.quotes)
        if ref.names or ref.numbers or quoted or _QUOTE_MARK.search(ref.text):
            informative.append((position, ref))
    if not informative:
        return ()
    from accord.corroborate.embed import embed

    all_vectors = embed([r.text for r in refs])
    sims = all_vectors[[position for position, _ in informative]] @ all_vectors.T
    result = []
    for k, (_, ref) in enumerate(informative):
        close = {
            refs[j].article for j in range(len(refs))
            if sims[k, j] >= PARAPHRASE and refs[j].article != ref.article
        }
        if close and independent_count(close | {ref.article}, copies) > 1:
            continue
        result.append(UniqueClaim(article=ref.article, statement=ref.text.strip()))
    return tuple(result)
