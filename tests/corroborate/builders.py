"""Build AnalyzedArticle fixtures by hand: text plus the mentions an analysis would find."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from accord.models import (
    AnalyzedArticle,
    Article,
    Entity,
    EntityMention,
    Quantity,
    Quote,
    Sentence,
    TimeExpression,
)

_SPLIT = re.compile(r"(?<=[.!?\u201d\"])\s+(?=[A-Z\u201c\"])")


def sentences_of(text: str) -> tuple[Sentence, ...]:
    """Split on sentence-final punctuation followed by a capital (good enough for fixtures)."""
    out = []
    start = 0
    for match in _SPLIT.finditer(text):
        out.append(Sentence(len(out), start, match.start(), text[start : match.start()]))
        start = match.end()
    if text[start:].strip():
        out.append(Sentence(len(out), start, len(text.rstrip()), text[start:].rstrip()))
    return tuple(out)


def _locate(text: str, phrase: str, sentences: Sequence[Sentence], nth: int = 0) -> tuple[int, int, int]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(phrase, start + 1)
    end = start + len(phrase)
    sentence = next(s.index for s in sentences if s.start <= start < s.end)
    return start, end, sentence


def article(
    article_id: str,
    text: str,
    *,
    quantities: Sequence[dict[str, Any]] = (),
    times: Sequence[dict[str, Any]] = (),
    quotes: Sequence[dict[str, Any]] = (),
    entities: Sequence[tuple[str, str]] = (),
    published: str | None = "2024-05-02",
    copies: Sequence[str] = (),
) -> AnalyzedArticle:
    """Return an analyzed article; each mention is given by its phrase, found in the text."""
    sentences = sentences_of(text)
    qs = []
    for spec in quantities:
        spec = dict(spec)
        phrase = spec.pop("text")
        start, end, sentence = _locate(text, phrase, sentences, spec.pop("nth", 0))
        qs.append(Quantity(text=phrase, start=start, end=end, sentence=sentence, **spec))
    ts = []
    for spec in times:
        spec = dict(spec)
        phrase = spec.pop("text")
        start, end, sentence = _locate(text, phrase, sentences)
        ts.append(TimeExpression(text=phrase, start=start, end=end, sentence=sentence, **spec))
    quote_list = []
    for spec in quotes:
        spec = dict(spec)
        phrase = spec.pop("text")
        start, end, sentence = _locate(text, phrase, sentences)
        quote_list.append(Quote(text=phrase, start=start, end=end, sentence=sentence, **spec))
    ents = []
    for name, label in entities:
        mentions = []
        for match in re.finditer(re.escape(name), text):
            sentence = next(s.index for s in sentences if s.start <= match.start() < s.end)
            mentions.append(EntityMention(name, match.start(), match.end(), sentence))
        ents.append(Entity(key=name.lower(), name=name, label=label, mentions=tuple(mentions)))
    return AnalyzedArticle(
        article=Article(id=article_id, title=article_id, text=text, published=published,
                        copies=tuple(copies)),
        sentences=sentences,
        entities=tuple(ents),
        quantities=tuple(qs),
        times=tuple(ts),
        quotes=tuple(quote_list),
    )
