"""Cross-checking the analyzed articles of one story.

:func:`corroborate` fills a :class:`~accord.models.Story` with facts (aligned
statements and the independent sources behind them), discrepancies, merged
quotes, a timeline, unique claims and a cited summary.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from accord.corroborate.copies import find_copies
from accord.corroborate.discrepancies import find_discrepancies
from accord.corroborate.facts import build_facts, drop_disputed
from accord.corroborate.quotes import merge_quotes
from accord.corroborate.summary import summarize
from accord.corroborate.timeline import build_timeline
from accord.corroborate.unique import find_unique
from accord.models import AnalyzedArticle, Story

__all__ = ["CorroborateOptions", "corroborate"]


@dataclass(frozen=True, kw_only=True, slots=True)
class CorroborateOptions:
    """Settings for :func:`corroborate`.

    Args:
        summary_sentences: how many sentences the summary has.
    """

    summary_sentences: int = 6

    def __post_init__(self) -> None:
        if self.summary_sentences < 1:
            raise ValueError("summary_sentences must be 1 or more")


def corroborate(
    story_id: str,
    title: str,
    analyzed: Sequence[AnalyzedArticle],
    options: CorroborateOptions | None = None,
) -> Story:
    """Cross-check the analyzed articles of one story and return the filled story."""
    options = options or CorroborateOptions()
    copies = find_copies([a.article for a in analyzed])
    analyzed = [
        replace(a, article=replace(a.article, copies=copies.get(a.article.id, ())))
        for a in analyzed
    ]
    discrepancies = find_discrepancies(analyzed, copies)
    facts = drop_disputed(build_facts(analyzed, copies), discrepancies, copies)
    return Story(
        id=story_id,
        title=title,
        articles=tuple(a.article for a in analyzed),
        facts=facts,
        discrepancies=discrepancies,
        quotes=merge_quotes(analyzed),
        timeline=build_timeline(analyzed),
        unique=find_unique(analyzed, facts),
        summary=summarize(facts, discrepancies, analyzed, sentences=options.summary_sentences),
    )
