"""The story's timeline: dated events merged across articles, in date order.

Events come from the analysis' time expressions of day (or finer) precision
that carry a resolved ``value`` and the clause they date (``event``); clauses
that only date the reporting ("she said on Tuesday") are left out. Two entries merge when they have the
same date and their events read alike (sentence embeddings).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from accord.corroborate.discrepancies import REPORTING
from accord.models import AnalyzedArticle, TimeExpression, TimelineEntry

__all__ = ["build_timeline"]

log = logging.getLogger(__name__)

#: Cosine two event clauses of the same date need to be one entry.
SAME_EVENT = 0.55
#: Event clauses shorter than this (in words) are replaced by their sentence.
MIN_EVENT_WORDS = 4


def _date(t: TimeExpression) -> str:
    low, _, high = (t.value or "").partition("/")
    return f"{low[:10]}/{high[:10]}" if high else low[:10]


def build_timeline(analyzed: Sequence[AnalyzedArticle]) -> tuple[TimelineEntry, ...]:
    """Merge the dated events of all articles into one timeline ordered by date.

    An entry's event is the shortest clause among the merged ones (the others
    say the same with more words); ``articles`` lists every article dating it.
    Ranges are written "start/end" and sort by their start.
    """
    items: list[tuple[str, int, int, str, str]] = []
    for order, item in enumerate(analyzed):
        sentences = {s.index: s for s in item.sentences}
        for t in item.times:
            event = (t.event or "").strip()
            if not t.value or not event or t.precision not in ("day", "time"):
                continue
            if REPORTING.search(event) and len(event.split()) <= 6:
                continue  # dates the reporting of the story, not an event in it
            if len(event.split()) < MIN_EVENT_WORDS and t.sentence in sentences:
                # Too short a clause to read alone: show the sentence it comes from.
                s = sentences[t.sentence]
                event = item.article.text[s.start : s.end].strip()
            items.append((_date(t), order, t.start, event, item.article.id))
    if not items:
        return ()
    from accord.corroborate.align import average_link
    from accord.corroborate.embed import embed

    import numpy as np

    items.sort()
    by_date: dict[str, list[int]] = {}
    for index, item in enumerate(items):
        by_date.setdefault(item[0], []).append(index)
    vectors = embed([i[3] for i in items])
    entries = []
    for date, indexes in by_date.items():
        sims = vectors[indexes] @ vectors[indexes].T
        n = len(indexes)
        scores = np.where(np.eye(n, dtype=bool), -np.inf, sims)
        labels = average_link(scores, SAME_EVENT)
        groups: dict[int, list[int]] = {}
        for k, label in enumerate(labels):
            groups.setdefault(label, []).append(indexes[k])
        for members in groups.values():
            first = min(members, key=lambda m: (items[m][1], items[m][2]))
            event = min((items[m][3] for m in members), key=lambda e: (len(e.split()) < MIN_EVENT_WORDS, len(e), e))
            articles = tuple(dict.fromkeys(items[m][4] for m in sorted(members, key=lambda m: items[m][1:3])))
            entries.append(((date.split("/")[0], date, items[first][1], items[first][2]),
                            TimelineEntry(date=date, event=_clean(event), articles=articles)))
    entries.sort(key=lambda e: e[0])
    return tuple(e[1] for e in entries)


def _clean(event: str) -> str:
    event = event.strip().rstrip(",;:")
    return event[:1].upper() + event[1:]
