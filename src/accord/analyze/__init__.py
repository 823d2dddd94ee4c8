"""Per-article analysis: sentences, entities, quantities, time expressions and quotes.

One spaCy pipeline per process (see :mod:`accord.analyze.nlp`); every mention
carries character offsets into the article's cleaned text.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator

from accord.analyze.entities import extract_entities
from accord.analyze.frames import extract_frames
from accord.analyze.nlp import get_nlp
from accord.analyze.quantities import extract_quantities
from accord.analyze.quotes import extract_quotes
from accord.analyze.sentences import split_sentences
from accord.analyze.timex import extract_times
from accord.models import AnalyzedArticle, Article

__all__ = ["analyze", "analyze_many", "analyze_story"]

log = logging.getLogger(__name__)


def analyze(article: Article) -> AnalyzedArticle:
    """Analyze one cleaned article into offset-anchored mentions."""
    return _analyze_doc(article, get_nlp()(article.text))


def analyze_many(articles: Iterable[Article], *, batch_size: int = 16) -> Iterator[AnalyzedArticle]:
    """Analyze articles in order, parsing them in batches with ``nlp.pipe``."""
    items = list(articles)
    docs = get_nlp().pipe((a.text for a in items), batch_size=batch_size)
    for article, doc in zip(items, docs, strict=True):
        yield _analyze_doc(article, doc)


def analyze_story(articles: Iterable[Article]) -> list[AnalyzedArticle]:
    """Analyze the articles of one story as one: entities merged across them, dates shared.

    An article with no date of its own takes the story's (see
    :func:`accord.dates.assign_story_dates`), so its "last night" resolves; the same
    person or place gets one ``key`` and canonical name in every article.
    """
    from accord.analyze.entities import merge_story_entities
    from accord.dates import assign_story_dates

    return merge_story_entities(list(analyze_many(assign_story_dates(list(articles)))))


def _analyze_doc(article: Article, doc: object) -> AnalyzedArticle:
    sentences = split_sentences(article.text)
    entities = extract_entities(doc, sentences)
    quantities = extract_quantities(doc, sentences)
    times = extract_times(doc, sentences, article.published)
    return AnalyzedArticle(
        article=article,
        sentences=sentences,
        entities=entities,
        quantities=quantities,
        times=times,
        quotes=extract_quotes(doc, sentences, entities),
        frames=extract_frames(doc, sentences, quantities, times, article.published),
    )
