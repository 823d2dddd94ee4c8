"""The whole path from inputs to a cross-checked report: read, analyze, corroborate.

Each stage lives in its own module; this one only strings them together.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from accord import __version__
from accord.ingest import ReadOptions, read
from accord.models import Article, Report, Skipped

__all__ = ["ReportOptions", "build_report", "report", "report_from_store", "story_title"]

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
    """

    read: ReadOptions = field(default_factory=ReadOptions)
    summary_sentences: int = 6

    def __post_init__(self) -> None:
        if self.summary_sentences < 1:
            raise ValueError("summary_sentences must be 1 or more (try 6)")


def report(inputs: Sequence[str | Path], options: ReportOptions | None = None) -> Report:
    """Read the inputs as the articles of one story and cross-check them.

    Inputs that cannot be read are listed in ``Report.skipped`` with their reason;
    a missing path raises :class:`~accord.errors.InputError`.
    """
    options = options or ReportOptions()
    result = read(inputs, options.read)
    return build_report(result.articles, skipped=result.skipped, options=options)


def report_from_store(db_url: str, story_id: str, options: ReportOptions | None = None) -> Report:
    """Cross-check one story of a corpus store (see ``accord ingest`` and ``accord stories``)."""
    from accord.corpus import load_story

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
    from accord.analyze import analyze_story
    from accord.corroborate import CorroborateOptions, corroborate

    options = options or ReportOptions()
    generated_by = f"accord {__version__}"
    if not articles:
        return Report(stories=(), skipped=tuple(skipped), generated_by=generated_by)
    log.info("analyzing %d articles", len(articles))
    analyzed = analyze_story(articles)
    dated = [a.article for a in analyzed]
    story = corroborate(
        story_id or _story_id(dated),
        title or story_title(dated),
        analyzed,
        CorroborateOptions(summary_sentences=options.summary_sentences),
    )
    return Report(stories=(story,), skipped=tuple(skipped), generated_by=generated_by)


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
