"""The whole path from inputs to a cross-checked report: read, analyze, corroborate.

Each stage lives in its own module; this one only strings them together. The per-story
report (:func:`build_report`, :func:`story_title`) is also the last stage of the corpus
pipeline (:mod:`accord.stages`), which ``accord ingest`` and ``accord spark`` run; this
module imports neither of those drivers.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from accord import __version__
from accord.ingest import ReadOptions, read
from accord.models import Article, Report, Skipped, Story

if TYPE_CHECKING:
    from accord.group import GroupOptions

__all__ = [
    "ReportOptions",
    "build_report",
    "build_story",
    "report",
    "report_from_store",
    "split_stories",
    "story_title",
]

log = logging.getLogger(__name__)

_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'-]*")
_STOPWORDS = frozenset(
    "a an the of in on at to for from by with and or after before as is are was were be "
    "has have had its it this that says say said over into against amid".split()
)


@dataclass(frozen=True, kw_only=True, slots=True)
class ReportOptions:
    """Settings for :func:`report`.

    Args:
        read: how inputs are read (size limit, fallback publication date).
        summary_sentences: how many sentences the summary has (5 to 8 reads best).
        split: group the inputs into stories first, as ``accord ingest`` does, and
            report each (False: the inputs are one story, whatever they say).
        group: the story clustering settings used to split (default ``GroupOptions()``).
    """

    read: ReadOptions = field(default_factory=ReadOptions)
    summary_sentences: int = 6
    split: bool = True
    group: GroupOptions | None = None

    def __post_init__(self) -> None:
        if self.summary_sentences < 1:
            raise ValueError("summary_sentences must be 1 or more (try 6)")


def report(inputs: Sequence[str | Path], options: ReportOptions | None = None) -> Report:
    """Read the inputs, group them into stories and cross-check each story.

    Inputs about several events are split with the batch method ``accord ingest``
    uses (:func:`split_stories`); each story is reported on its own, largest first.
    ``ReportOptions(split=False)`` takes the inputs as one story. Inputs that cannot
    be read are listed in ``Report.skipped`` with their reason; a missing path raises
    :class:`~accord.errors.InputError`.
    """
    options = options or ReportOptions()
    result = read(inputs, options.read)
    if not options.split or len(result.articles) < 2:
        return build_report(result.articles, skipped=result.skipped, options=options)
    groups = split_stories(result.articles, options.group)
    if len(groups) > 1:
        log.info("the %d articles report %d stories", len(result.articles), len(groups))
    stories = tuple(build_story(group, options=options) for group in groups)
    return Report(stories=stories, skipped=tuple(result.skipped), generated_by=f"accord {__version__}")


def split_stories(articles: Sequence[Article], options: GroupOptions | None = None) -> list[list[Article]]:
    """Group articles into stories with the method ``accord ingest`` consolidates with.

    Average-link clustering over the articles' grouping features
    (:func:`accord.group.cluster_batch`; the incremental index past
    ``GroupOptions.batch_limit`` articles). An article that copies an earlier one
    (:func:`accord.corroborate.copies.find_copies`) goes where that one goes, as in
    the store. Stories come largest first, then in order of their first article;
    articles keep their input order inside each.
    """
    from accord.corroborate.copies import find_copies
    from accord.group import GroupOptions, StoryIndex, cluster_batch, make_doc

    options = options or GroupOptions()
    if len(articles) < 2:
        return [list(articles)] if articles else []
    position = {a.id: i for i, a in enumerate(articles)}
    copies = find_copies(articles)
    follows = [min((position[c] for c in copies.get(a.id, ()) if position[c] < i), default=None)
               for i, a in enumerate(articles)]
    own = [i for i, f in enumerate(follows) if f is None]
    docs = [make_doc(articles[i].id, articles[i].title, articles[i].text,
                     published=articles[i].published, options=options) for i in own]
    if len(docs) <= options.batch_limit:
        found = cluster_batch(docs, options)
    else:
        index = StoryIndex(options)
        found = index.add_batch(docs)
    labels: list[str] = [""] * len(articles)
    for i, label in zip(own, found, strict=True):
        labels[i] = label
    for i, f in enumerate(follows):
        if f is not None:
            labels[i] = labels[f]
    groups: dict[str, list[Article]] = {}
    for label, article in zip(labels, articles, strict=True):
        groups.setdefault(label, []).append(article)
    return sorted(groups.values(), key=lambda group: (-len(group), position[group[0].id]))


def report_from_store(db_url: str, story_id: str, options: ReportOptions | None = None) -> Report:
    """Cross-check one story of a corpus store (see ``accord ingest`` and ``accord stories``)."""
    from accord.store import load_story

    title, articles = load_story(db_url, story_id)
    return build_report(articles, options=options, story_id=story_id, title=title)


def build_report(
    articles: Sequence[Article],
    *,
    skipped: Sequence[Skipped] = (),
    options: ReportOptions | None = None,
    story_id: str | None = None,
    title: str | None = None,
) -> Report:
    """Cross-check already-read articles of one story into a :class:`Report`."""
    generated_by = f"accord {__version__}"
    if not articles:
        return Report(stories=(), skipped=tuple(skipped), generated_by=generated_by)
    story = build_story(articles, options=options, story_id=story_id, title=title)
    return Report(stories=(story,), skipped=tuple(skipped), generated_by=generated_by)


def build_story(
    articles: Sequence[Article],
    *,
    options: ReportOptions | None = None,
    story_id: str | None = None,
    title: str | None = None,
) -> Story:
    """Analyze and cross-check the articles of one story (at least one article)."""
    from accord.analyze import analyze_story
    from accord.corroborate import CorroborateOptions, corroborate

    if not articles:
        raise ValueError("a story needs at least one article")
    options = options or ReportOptions()
    log.info("analyzing %d articles", len(articles))
    analyzed = analyze_story(articles)
    dated = [a.article for a in analyzed]
    return corroborate(
        story_id or _story_id(dated),
        title or story_title(dated),
        analyzed,
        CorroborateOptions(summary_sentences=options.summary_sentences),
    )


def story_title(articles: Sequence[Article]) -> str:
    """Pick the headline that shares the most content words with the other headlines.

    Ties go to the shorter headline, then to input order, so the choice is stable.
    Without headlines, the most representative opening sentence serves
    (:func:`accord.group.title_from_text`).
    """
    titles = [a.title.strip() for a in articles if a.title and a.title.strip()]
    if not titles:
        from accord.group import title_from_text

        return title_from_text(a.text for a in articles) or "Untitled story"
    words = [_content_words(t) for t in titles]
    counts = Counter(w for ws in words for w in ws)

    def support(index: int) -> tuple[int, int, int]:
        shared = sum(counts[w] - 1 for w in words[index])
        return (-shared, len(titles[index]), index)

    return titles[min(range(len(titles)), key=support)]


def _content_words(text: str) -> set[str]:
    return {w.lower() for w in _WORD.findall(text) if w.lower() not in _STOPWORDS}


def _story_id(articles: Sequence[Article]) -> str:
    digest = hashlib.blake2b(digest_size=8)
    for article_id in sorted(a.id for a in articles):
        digest.update(article_id.encode("utf-8") + b"\0")
    return "story-" + digest.hexdigest()
