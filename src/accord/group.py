"""Story clustering: incremental, so a new article joins a story or opens one.

Each article becomes a sparse TF-IDF vector over its words, named entities
(capitalised tokens inside sentences, and pairs of them), numbers and the calendar
days it names ("Jan 17"); entity, number and day features weigh more than plain
words, and an article without a headline has its first sentence counted as one.
A story is the centroid of its members' vectors. An article joins the most
similar story when the cosine similarity is above a threshold *and* its names
and numbers alone are similar enough to the story's: two fires in two towns on
the same days share their words, not their names, and without that gate a busy
day's stories of one kind snowball into one. A new article is compared only
with candidate stories found through an inverted index of the stories' strongest
terms (and, when dates are known, only with stories within a time window), so
the cost per article stays flat as the corpus grows: no pairwise pass, no
re-clustering. Outside the window an article joins only as a follow-up: it must
name the story's people, places and numbers (``followup_name_min``).

Document frequencies are kept online: :meth:`StoryIndex.add_batch` first counts
the batch's terms, then assigns its articles in order. The corpus store feeds each
ingest batch through it and persists the assignments (see :mod:`accord.corpus`).

``accord group`` sees its whole input at once, so for inputs of up to
``GroupOptions.batch_limit`` articles it uses :func:`cluster_batch` instead:
average-link agglomerative clustering over the same TF-IDF vectors, which does
not depend on arrival order, then splits each topic it finds with weights local
to that topic and folds loose fragments back (see bench/group_ecbplus.py and
bench/group_real.py for figures). Larger inputs go through the index in chunks.

Example::

    index = StoryIndex()
    docs = [make_doc("a1", "Fire in Arlen", "A fire in Arlen ...", published="2024-05-02")]
    index.add_batch(docs)          # -> ["story-..."]
"""

from __future__ import annotations

import hashlib
import heapq
import json
import logging
import math
import re
from collections import Counter
from collections.abc import Container, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

    from accord.models import Sentence

__all__ = [
    "Doc",
    "GroupOptions",
    "StoryIndex",
    "StoryState",
    "cluster_batch",
    "consolidation_set",
    "doc_features",
    "group_jsonl",
    "make_doc",
    "regroup",
    "title_from_text",
]

log = logging.getLogger(__name__)

_TOKEN = re.compile(r"[^\W\d_](?:[\w'’.-]*[^\W_])?|\d(?:[\d,.]*\d)?")
_SENTENCE_END = frozenset(".!?\"“”'‘’:;\n—-|([")
#: Feature prefixes: entities and numbers are kept apart from plain words.
ENTITY = "e:"
NUMBER = "n:"
#: A calendar day named in the text ("Jan 17", "17 January", "Feb. 3"), month and day: ``d:01-17``.
DATE = "d:"
#: Prefixes of the features that name an incident (who, where, how many, which day).
_NAMES = (ENTITY, NUMBER, DATE)
_JSONL_CHUNK = 5000

# English function words plus news reporting verbs and time words that every story
# shares. Written out because importing scikit-learn's list costs over a second in
# every worker process and every ``accord group`` run.
_STOP_TEXT = """
a about above across after afterwards again against all almost alone along already also although
always am among amongst an and another any anyhow anyone anything anyway anywhere are around as at
back be became because become becomes becoming been before beforehand behind being below beside
besides between beyond both but by can cannot could did do does doing done down due during each eg
either else elsewhere enough etc even ever every everyone everything everywhere except few for
former formerly from further get gets give given go had has have having he hence her here hereafter
hereby herein hereupon hers herself him himself his how however i ie if in indeed into is it its
itself just keep last latter latterly least less made make many may me meanwhile might mine more
moreover most mostly much must my myself namely neither never nevertheless next no nobody none
noone nor not nothing now nowhere of off often on once one only onto or other others otherwise our
ours ourselves out over own per perhaps please put rather re same see seem seemed seeming seems
several she should since so some somehow someone something sometime sometimes somewhere still such
than that the their theirs them themselves then thence there thereafter thereby therefore therein
thereupon these they this those though through throughout thru thus to together too toward towards
under until up upon us very via was we well were what whatever when whence whenever where
whereafter whereas whereby wherein whereupon wherever whether which while whither who whoever whole
whom whose why will with within without would yet you your yours yourself yourselves
said says say saying told tell tells according reported report reports reporting news
year years day days week weeks month months time times today yesterday tomorrow tonight
monday tuesday wednesday thursday friday saturday sunday
january february march april june july august september october november december
jan feb mar apr jun jul aug sep sept oct nov dec
mr mrs ms dr st new like two three first also including n't 's
"""


def _stop_words() -> frozenset[str]:
    return frozenset(_STOP_TEXT.split())


_STOP = _stop_words()

#: A title made from an article's text is cut at a word boundary to this many characters.
TITLE_MAX_CHARS = 90
_TITLE_MIN_WORDS = 5


def title_from_text(texts: Iterable[str], *, max_chars: int = TITLE_MAX_CHARS) -> str | None:
    """A headline for articles that have none: the most representative opening sentence.

    Each text's first sentence of at least five words is a candidate (a heading line
    such as "Harbour fire" is skipped); the one sharing the most content words with the
    others wins, ties going to the shorter, then to the first. It is cut at a word
    boundary to ``max_chars`` characters, with "…" where it was cut. None when no
    text has such a sentence.
    """
    from accord.analyze.sentences import split_sentences

    candidates = [c for c in (_opening_sentence(split_sentences(t)) for t in texts) if c]
    if not candidates:
        return None
    words = [{t.lower() for t in _TOKEN.findall(c)} - _STOP for c in candidates]
    counts = Counter(w for ws in words for w in ws)

    def support(index: int) -> tuple[int, int, int]:
        return (-sum(counts[w] - 1 for w in words[index]), len(candidates[index]), index)

    return _headline(candidates[min(range(len(candidates)), key=support)], max_chars)


def _opening_sentence(sentences: Iterable[Sentence]) -> str | None:
    for sentence in sentences:
        text = " ".join(sentence.text.split())
        if len(text.split()) >= _TITLE_MIN_WORDS:
            return text
    return None


def _headline(sentence: str, max_chars: int) -> str:
    """The sentence without its final stop, cut at the last word that fits."""
    text = sentence.rstrip(" .")
    if len(text) <= max_chars:
        return text
    cut = text[: max_chars + 1].rsplit(" ", 1)[0].rstrip(" ,;:–—-")
    return f"{cut}…"


@dataclass(frozen=True, kw_only=True, slots=True)
class GroupOptions:
    """Settings for story clustering.

    Args:
        threshold: cosine similarity to a story's centroid needed to join it (0.1 lies between
            the thresholds tuned on the two halves of ECB+, see bench/group_ecbplus.py).
        window_days: an article joins only stories whose dates lie within this many
            days of its publication date (when both are known).
        entity_weight: how much more an entity feature weighs than a word.
        number_weight: how much more a number weighs than a word.
        title_weight: how many times the title's words count.
        doc_terms: strongest terms kept per article vector.
        centroid_terms: strongest terms kept per story centroid.
        index_terms: strongest centroid terms of each story put in the inverted index.
        query_terms: strongest article terms looked up in the inverted index.
        candidates: stories compared in full with each article.
        max_postings: index entries longer than this (terms shared by very many
            stories) are not used to find candidates.
        term_cap: no term may carry more than this share of an article vector's length
            (before normalising), so one town or person named throughout does not decide
            alone which story an article joins.
        name_min: cosine similarity over names and numbers alone (entity and number
            features) that an article needs with a story to join it, whatever its words
            share: two fires in two towns share their words, not their names. 0 turns
            the gate off.
        date_weight: how much more a named calendar day ("Jan 17", "3 February": the day an
            incident happened or was reported) weighs than a word: two incidents of one kind on
            different days name different days, a follow-up names the day of its incident (2, as
            an entity; 4 split a story of the real-news tune half in the index).
        followup_name_min: two dated articles further apart than ``window_days`` (but at most
            ``followup_days``) can still be one story when the cosine of their names, numbers and
            days alone is at least this (the batch method), or the article's with the story's
            (the index, which must also pass ``name_min``): a follow-up days later names the
            incident's people and places, another incident of its kind does not (0.5: 28-43% of
            same-story pairs of ECB+ and the real stories reach it, under 0.1% of other pairs;
            at 0.3, 70-83% and 0.1-0.5%, bench/group_scale.py's stories of one kind in one town
            a few weeks apart merged: B-cubed F1 0.999 -> 0.995 at 30,000 articles).
            0 keeps dated articles further apart than ``window_days`` apart.
        followup_days: the longest gap between two articles that ``followup_name_min`` can bridge.
        followup_candidates: stories outside the time window compared in full with each article
            (the best of the candidates found outside it), for follow-ups.
        batch_threshold: first stage of :func:`cluster_batch`: mean cosine similarity between
            two groups needed to merge them into one topic (0.1, tuned on either half of ECB+
            together with the split and merge settings; see bench/group_ecbplus.py).
        split_threshold: second stage of :func:`cluster_batch`: mean similarity, under
            weights local to the topic, needed to keep two parts of a topic together
            (0.09, tuned on either half of ECB+ with fragment merging on).
        merge_threshold: after the split, a part of at most ``merge_size`` members is folded
            into the part of its topic it is most similar to (mean similarity under the topic's
            weights) when that similarity is at least this: a report that names few of its
            event's details is not left alone as a story of its own. 0 turns it off (0.02: best or
            tied on either tuning half of ECB+; see bench/group_ecbplus.py).
        merge_size: largest part folded back by ``merge_threshold`` (5: the best summed F1 over
            the two tuning halves of ECB+ among 1, 2, 3, 5, 8 and 12).
        merge_cohesion: a part of two or more members is folded back only when its similarity to
            the other part is at least this share of the mean similarity among its own members: a
            close-knit small story (five reports of a brawl, 0.6 among themselves, 0.05 to a fire
            of the same week) is a story of its own, while the fragments of ECB+'s events are
            loose (at least 0.3 of their own similarity to the part they belong to). 0.2 lies
            in that gap on the tune halves of bench/group_real.py; 0 turns it off.
        batch_number_weight: ``number_weight`` in :func:`cluster_batch` (counts, tolls and
            scores tell two events of one kind apart; 4 tuned better than 1 on the odd half of
            ECB+ and as well on the even half).
        batch_date_weight: ``date_weight`` in :func:`cluster_batch` (4, as numbers there: on
            the tune half of bench/group_real.py's real stories 2 left the five reports of a
            brawl in one story with a fire of another week; ECB+ unchanged).
        batch_doc_terms: ``doc_terms`` in :func:`cluster_batch` (no index to keep small there).
        batch_limit: ``accord group`` clusters inputs of up to this many articles in one
            batch with :func:`cluster_batch` (quadratic: 5000 articles take about 4 s and
            450 MB at peak); larger inputs go through the incremental index. 0 turns batch mode off.
        consolidate_limit: most articles a consolidation pass of ``accord ingest`` re-clusters
            with :func:`cluster_batch` at once (see :func:`consolidation_set`); stories beyond it
            keep the index's placement. 0 turns consolidation off.
        consolidate_merge_threshold: ``merge_threshold`` in a consolidation pass (see
            :meth:`consolidation`). A live feed is full of stories of two or three reports, which
            ``merge_threshold`` would fold into another story of their kind: 0.05 keeps them apart
            on bench/ingest_consolidation.py's generated feed (B-cubed F1 0.993 against 0.953 at
            0.02) and costs under 0.01 F1 on either half of ECB+ (bench/group_ecbplus.py).
    """

    threshold: float = 0.1
    window_days: int = 3
    entity_weight: float = 2.0
    number_weight: float = 1.0
    title_weight: int = 2
    doc_terms: int = 80
    centroid_terms: int = 200
    index_terms: int = 30
    query_terms: int = 25
    candidates: int = 30
    max_postings: int = 5000
    name_min: float = 0.3
    date_weight: float = 2.0
    term_cap: float = 0.3
    batch_threshold: float = 0.1
    split_threshold: float = 0.09
    batch_number_weight: float = 4.0
    batch_date_weight: float = 4.0
    batch_doc_terms: int = 200
    batch_limit: int = 5000
    merge_threshold: float = 0.02
    merge_size: int = 5
    merge_cohesion: float = 0.2
    followup_name_min: float = 0.5
    followup_days: int = 30
    followup_candidates: int = 5
    consolidate_limit: int = 4000
    consolidate_merge_threshold: float = 0.05

    def consolidation(self) -> GroupOptions:
        """The options a consolidation pass clusters with (``consolidate_merge_threshold`` as ``merge_threshold``)."""
        return replace(self, merge_threshold=self.consolidate_merge_threshold)

    def __post_init__(self) -> None:
        if not 0.0 < self.term_cap <= 1.0:
            raise ValueError("term_cap must be above 0 and at most 1 (1 turns it off; try 0.3)")
        if not 0.0 < self.threshold < 1.0:
            raise ValueError("threshold must be between 0 and 1 (try 0.1)")
        if not 0.0 < self.batch_threshold < 1.0:
            raise ValueError("batch_threshold must be between 0 and 1 (try 0.1)")
        if not 0.0 < self.split_threshold < 1.0:
            raise ValueError("split_threshold must be between 0 and 1 (try 0.09)")
        if not 0.0 <= self.merge_threshold < 1.0:
            raise ValueError("merge_threshold must be at least 0 and below 1 (0 turns merging off; try 0.02)")
        if self.merge_size < 1:
            raise ValueError("merge_size must be 1 or more (try 5)")
        if self.batch_limit < 0:
            raise ValueError("batch_limit must be 0 or more (0 turns batch mode off; try 5000)")
        if self.window_days < 0:
            raise ValueError("window_days must be 0 or more (try 3)")
        if not 0.0 <= self.followup_name_min <= 1.0:
            raise ValueError("followup_name_min must be between 0 and 1 (0 turns follow-ups off; try 0.5)")
        if self.followup_days < 0 or self.followup_candidates < 0:
            raise ValueError("followup_days and followup_candidates must be 0 or more (try 30 and 5)")
        if self.merge_cohesion < 0:
            raise ValueError("merge_cohesion must be 0 or more (0 turns it off; try 0.2)")
        if self.date_weight < 0 or self.batch_date_weight < 0:
            raise ValueError("date_weight and batch_date_weight must be 0 or more (try 2 and 4)")
        if not 0.0 <= self.consolidate_merge_threshold < 1.0:
            raise ValueError("consolidate_merge_threshold must be at least 0 and below 1 (try 0.05)")
        if self.consolidate_limit < 0:
            raise ValueError("consolidate_limit must be 0 or more (0 turns consolidation off; try 4000)")
        for name in ("doc_terms", "batch_doc_terms", "centroid_terms", "index_terms", "query_terms", "candidates"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be 1 or more")


@dataclass(frozen=True, slots=True)
class Doc:
    """The grouping features of one article.

    ``key`` is unique per article (a content hash in the store); ``counts`` holds
    term frequencies of words, entities (``e:``) and numbers (``n:``); ``day`` is
    the publication date as a proleptic ordinal, or None.
    """

    key: str
    counts: dict[str, int]
    day: int | None = None


@dataclass(slots=True)
class StoryState:
    """A story as the index sees it: centroid, members, dates and entity counts."""

    id: str
    seq: int
    centroid: dict[str, float] = field(default_factory=dict)
    norm: float = 0.0
    name_norm: float = 0.0
    size: int = 0
    first_day: int | None = None
    last_day: int | None = None
    entities: Counter[str] = field(default_factory=Counter)
    indexed: frozenset[str] = frozenset()

    def top_entities(self, n: int = 5) -> list[str]:
        """The story's most frequent names, lower-cased; a two-word name stands for its parts."""
        ranked = sorted(self.entities.items(), key=lambda kv: (-kv[1], -kv[0].count("_"), kv[0]))
        chosen: list[str] = []
        for key, _ in ranked:
            name = key[len(ENTITY):].replace("_", " ")
            words = set(name.split())
            if any(words <= set(other.split()) for other in chosen):
                continue
            chosen = [other for other in chosen if not set(other.split()) <= words]
            chosen.append(name)
            if len(chosen) >= n:
                break
        return chosen


def doc_features(title: str, text: str, *, title_weight: int = 2) -> dict[str, int]:
    """Count the words, entities and numbers of an article (title counted ``title_weight`` times)."""
    counts: Counter[str] = Counter()
    _count_features(text or "", counts)
    if title:
        title_counts: Counter[str] = Counter()
        _count_features(title, title_counts)
        for key, value in title_counts.items():
            counts[key] += value * title_weight
    elif text and title_weight > 1:
        # No headline: the lead names the incident as a headline would.
        lead: Counter[str] = Counter()
        _count_features(_lead(text), lead)
        for key, value in lead.items():
            counts[key] += value * (title_weight - 1)
    return dict(counts)


_LEAD_END = re.compile(r"[.!?](?=[\s\"”’']|[A-Z])|\n")
_LEAD_MAX_CHARS = 300


def _lead(text: str) -> str:
    """The text's first sentence (or first line), at most ``_LEAD_MAX_CHARS`` characters."""
    head = text.lstrip()[:_LEAD_MAX_CHARS]
    end = _LEAD_END.search(head, 20)
    return head[:end.start() + 1] if end else head


def make_doc(key: str, title: str, text: str, *, published: str | None = None,
             options: GroupOptions | None = None) -> Doc:
    """Build the :class:`Doc` of one article (``published`` is an ISO date or datetime)."""
    options = options or GroupOptions()
    return Doc(key, doc_features(title, text, title_weight=options.title_weight), parse_day(published))


def parse_day(published: str | None) -> int | None:
    """The proleptic ordinal of an ISO date or datetime string; None when absent or unreadable."""
    if not published:
        return None
    try:
        return date.fromisoformat(str(published)[:10]).toordinal()
    except ValueError:
        return None


_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTH = (r"(?P<{0}>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
          r"|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)")
_DAY = r"(?P<{0}>[0-3]?\d)(?:st|nd|rd|th)?"
# "Jan 17", "January 17th", "Feb. 3" or "17 Jan", "3rd of February"; the day not part of a longer
# number or a clock time ("Jan 2025", "Feb 3.5", "May 10:30" are not days).
_DAY_MENTION = re.compile(
    r"\b(?:" + _MONTH.format("m1") + r"\.?\s+" + _DAY.format("d1") + r"(?![\d:]|[.,]\d)"
    + r"|" + _DAY.format("d2") + r"\s+(?:of\s+)?" + _MONTH.format("m2") + r"\b)")


def _day_mentions(text: str) -> dict[int, str]:
    """The calendar days the text names, as ``{start of the day's digits: "d:MM-DD"}``."""
    found = {}
    for match in _DAY_MENTION.finditer(text):
        day_group, month_group = ("d1", "m1") if match.group("d1") else ("d2", "m2")
        day = int(match.group(day_group))
        if 1 <= day <= 31:
            month = _MONTHS.index(match.group(month_group)[:3].lower()) + 1
            found[match.start(day_group)] = f"{DATE}{month:02d}-{day:02d}"
    return found


def _count_features(text: str, counts: Counter[str]) -> None:
    days = _day_mentions(text) if any(c.isdigit() for c in text) else {}
    previous_entity: str | None = None
    start_word: str | None = None  # a capitalised sentence opener: a name only if a name follows
    last_end = 0
    for match in _TOKEN.finditer(text):
        token = match.group()
        adjacent = text[last_end:match.start()].strip() == ""
        last_end = match.end()
        at_start = match.start() == 0 or _starts_sentence(text, match.start())
        if token[0].isdigit():
            previous_entity = start_word = None
            if match.start() in days:
                counts[days[match.start()]] += 1
                continue
            number = token.replace(",", "").rstrip(".")
            if len(number) > 1 or number != "0":
                counts[NUMBER + number] += 1
            continue
        lower = token.lower().replace("’", "'")
        if lower.endswith("'s"):
            lower = lower[:-2]
        if lower in _STOP or len(lower) < 2:
            previous_entity = start_word = None
            continue
        counts[_stem(lower)] += 1
        if token[0].isupper() and at_start:
            previous_entity, start_word = None, lower
        elif token[0].isupper():
            entity = ENTITY + lower
            counts[entity] += 1
            if start_word is not None and adjacent:
                previous_entity = ENTITY + start_word
                counts[previous_entity] += 1
            if previous_entity is not None and adjacent:
                counts[f"{previous_entity}_{lower}"] += 1
            previous_entity, start_word = entity, None
        else:
            previous_entity = start_word = None


def _starts_sentence(text: str, start: int) -> bool:
    index = start - 1
    while index >= 0 and text[index] in " \t\r":
        index -= 1
    return index < 0 or text[index] in _SENTENCE_END


def _stem(word: str) -> str:
    # A light plural fold ("fires" -> "fire") is enough for matching; a full stemmer adds nothing here.
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


class StoryIndex:
    """An incremental story clusterer over :class:`Doc` features.

    Not thread-safe; one index per process. State can be rebuilt without
    re-clustering by :meth:`restore` (members with their known stories).
    """

    def __init__(self, options: GroupOptions | None = None) -> None:
        self.options = options or GroupOptions()
        self.df: Counter[str] = Counter()
        self.n_docs = 0
        self.stories: dict[str, StoryState] = {}
        self._postings: dict[str, set[str]] = {}
        self._next_seq = 0

    # ------------------------------------------------------------------ public

    def count(self, docs: Iterable[Doc]) -> None:
        """Add the documents' terms to the document frequencies (call once per document)."""
        for doc in docs:
            self.df.update(doc.counts.keys())
            self.n_docs += 1

    def add_batch(self, docs: Sequence[Doc]) -> list[str]:
        """Count a batch's terms, then assign each document in order; return their story ids."""
        self.count(docs)
        return [self.assign(doc) for doc in docs]

    def assign(self, doc: Doc) -> str:
        """Put one (already counted) document into its best story or a new one; return the story id."""
        return self.place(doc)[0]

    def place(self, doc: Doc) -> tuple[str, dict[str, float]]:
        """As :meth:`assign`, also returning the document's vector (to persist it)."""
        vector = self.vectorize(doc)
        best = self._best_story(vector, doc.day)
        story = best if best is not None else self._new_story(doc.key)
        self._add_member(story, vector, doc)
        return story.id, vector

    def restore(self, doc: Doc, story_id: str, vector: dict[str, float] | None = None) -> None:
        """Re-add a document whose story is already known (rebuilding state, no clustering)."""
        story = self.stories.get(story_id)
        if story is None:
            story = self._open(story_id)
        self._add_member(story, vector if vector is not None else self.vectorize(doc), doc)

    def neighbours(self, story_id: str) -> list[str]:
        """Stories an article of this story could have joined instead: the index's candidates for
        the story's centroid (shared strong terms, dates within the window of its span), best first."""
        story = self.stories[story_id]
        if story.norm == 0.0:
            return []
        vector = {t: w / story.norm for t, w in story.centroid.items()}
        found = []
        for day in dict.fromkeys((story.first_day, story.last_day)):
            found.extend(s.id for s in self._candidates(vector, day) if s.id != story_id)
        return list(dict.fromkeys(found))

    def rebuild(self, members: dict[str, Sequence[tuple[Doc, dict[str, float]]]]) -> None:
        """Replace the named stories by these members (each with its stored vector), in order.

        A story mapped to no members is dropped; one not yet known is opened. Document
        frequencies are left as they are: the documents were counted when they arrived.
        """
        for story_id, docs in members.items():
            old = self.stories.pop(story_id, None)
            if old is not None:
                for term in old.indexed:
                    posting = self._postings.get(term)
                    if posting is not None:
                        posting.discard(story_id)
                        if not posting:
                            del self._postings[term]
            if not docs:
                continue
            story = self._open(story_id) if old is None else StoryState(id=story_id, seq=old.seq)
            self.stories[story_id] = story
            for doc, vector in docs:
                self._add_member(story, vector, doc)

    def vectorize(self, doc: Doc) -> dict[str, float]:
        """The document's L2-normalised TF-IDF vector, cut to its strongest terms."""
        options = self.options
        n = self.n_docs
        weights: dict[str, float] = {}
        for term, tf in doc.counts.items():
            idf = math.log((1 + n) / (1 + self.df.get(term, 0))) + 1.0
            weight = (1.0 + math.log(tf)) * idf
            if term.startswith(ENTITY):
                weight *= options.entity_weight
            elif term.startswith(NUMBER):
                weight *= options.number_weight
            elif term.startswith(DATE):
                weight *= options.date_weight
            weights[term] = weight
        if len(weights) > options.doc_terms:
            weights = dict(heapq.nlargest(options.doc_terms, weights.items(), key=lambda kv: (kv[1], kv[0])))
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        if options.term_cap < 1.0:
            # One capping pass; the renormalised vector may exceed the cap slightly.
            cap = options.term_cap * norm
            weights = {t: min(w, cap) for t, w in weights.items()}
            norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        return {term: w / norm for term, w in weights.items()}

    def similarity(self, vector: dict[str, float], story: StoryState) -> float:
        """Cosine similarity of a normalised vector with a story's centroid."""
        if story.norm == 0.0:
            return 0.0
        centroid = story.centroid
        # Intersecting the key views runs in C; the shared terms are few.
        return sum(vector[t] * centroid[t] for t in vector.keys() & centroid.keys()) / story.norm

    # ------------------------------------------------------------------ internals

    def _candidates(self, vector: dict[str, float], day: int | None) -> list[StoryState]:
        """Stories sharing the vector's strongest terms, best first: up to ``candidates`` within the
        time window of ``day``, then up to ``followup_candidates`` outside it."""
        options = self.options
        scores: dict[str, float] = {}
        query = heapq.nlargest(options.query_terms, vector.items(), key=lambda kv: (kv[1], kv[0]))
        for term, weight in query:
            posting = self._postings.get(term)
            if not posting or len(posting) > options.max_postings:
                continue
            for story_id in posting:
                scores[story_id] = scores.get(story_id, 0.0) + weight
        ranked = sorted(scores.items(), key=lambda kv: (-kv[1], self.stories[kv[0]].seq))
        near: list[StoryState] = []
        far: list[StoryState] = []
        follow_ups = options.followup_name_min > 0 and options.followup_days > options.window_days
        far_limit = options.followup_candidates if follow_ups else 0
        for story_id, _ in ranked:
            story = self.stories[story_id]
            if self._in_window(story, day):
                if len(near) < options.candidates:
                    near.append(story)
            elif len(far) < far_limit and self._in_window(story, day, options.followup_days):
                far.append(story)
            if len(near) >= options.candidates and len(far) >= far_limit:
                break
        return near + far

    def _in_window(self, story: StoryState, day: int | None, window: int | None = None) -> bool:
        if day is None or story.first_day is None or story.last_day is None:
            return True
        window = self.options.window_days if window is None else window
        return story.first_day - window <= day <= story.last_day + window

    def _best_story(self, vector: dict[str, float], day: int | None) -> StoryState | None:
        best: StoryState | None = None
        best_score = self.options.threshold
        names = {t: w for t, w in vector.items() if t[:2] in _NAMES}
        followup = max(self.options.name_min, self.options.followup_name_min)
        for story in self._candidates(vector, day):
            score = self.similarity(vector, story)
            if score < best_score or (best is not None and score <= best_score):
                continue
            # Outside the time window only a follow-up joins: it names the story's people and places.
            minimum = None if self._in_window(story, day) else followup
            if self._names_agree(names, story, minimum):
                best, best_score = story, score
        return best

    def _names_agree(self, names: dict[str, float], story: StoryState, minimum: float | None = None) -> bool:
        """Whether the article's names and numbers are close enough to the story's (see ``name_min``;
        ``minimum`` instead when given).

        An article or story without any name gives no evidence either way and passes, except
        against a ``minimum`` (a follow-up must name something).
        """
        strict = minimum is not None
        minimum = self.options.name_min if minimum is None else minimum
        if minimum <= 0:
            return True
        if not names or story.name_norm == 0.0:
            return not strict
        centroid = story.centroid
        shared = sum(names[t] * centroid[t] for t in names.keys() & centroid.keys())
        norm = math.sqrt(sum(w * w for w in names.values()))
        return shared / (norm * story.name_norm) >= minimum

    def _new_story(self, key: str) -> StoryState:
        return self._open(story_id_for(key))

    def _open(self, story_id: str) -> StoryState:
        story = StoryState(id=story_id, seq=self._next_seq)
        self._next_seq += 1
        self.stories[story_id] = story
        return story

    def _add_member(self, story: StoryState, vector: dict[str, float], doc: Doc) -> None:
        options = self.options
        centroid = story.centroid
        for term, weight in vector.items():
            centroid[term] = centroid.get(term, 0.0) + weight
        if len(centroid) > options.centroid_terms:
            kept = heapq.nlargest(options.centroid_terms, centroid.items(), key=lambda kv: (kv[1], kv[0]))
            story.centroid = centroid = dict(kept)
        story.norm = math.sqrt(sum(w * w for w in centroid.values()))
        story.name_norm = math.sqrt(sum(w * w for t, w in centroid.items() if t[:2] in _NAMES))
        story.size += 1
        if doc.day is not None:
            story.first_day = doc.day if story.first_day is None else min(story.first_day, doc.day)
            story.last_day = doc.day if story.last_day is None else max(story.last_day, doc.day)
        story.entities.update(t for t in vector if t.startswith(ENTITY))
        top = frozenset(t for t, _ in heapq.nlargest(options.index_terms, centroid.items(), key=lambda kv: (kv[1], kv[0])))
        for term in story.indexed - top:
            posting = self._postings.get(term)
            if posting is not None:
                posting.discard(story.id)
                if not posting:
                    del self._postings[term]
        for term in top - story.indexed:
            self._postings.setdefault(term, set()).add(story.id)
        story.indexed = top


def story_id_for(key: str) -> str:
    """The id of a story opened by the article with this key (stable across runs)."""
    return "story-" + hashlib.blake2b(key.encode("utf-8"), digest_size=8).hexdigest()


# --------------------------------------------------------------------------- batch clustering


def cluster_batch(docs: Sequence[Doc], options: GroupOptions | None = None) -> list[str]:
    """Group a whole batch at once; return each document's story id, in input order.

    Two stages of average-link clustering over the vectors of
    :meth:`StoryIndex.vectorize` (document frequencies from this batch alone,
    numbers weighted by ``options.batch_number_weight``):

    1. groups merge while the mean cosine similarity over all their cross pairs is
       at least ``options.batch_threshold``; this finds topics (say, earthquakes);
    2. inside each group of three or more, every term is weighted again by its
       inverse frequency *within the group*, so the words every member shares (the
       topic's own vocabulary) fade and what tells two events of one kind apart
       (places, names, numbers) decides; the group splits where the mean similarity
       falls below ``options.split_threshold``; parts of at most ``options.merge_size``
       members then fold into their nearest part of the same topic when their mean
       similarity to it is at least ``options.merge_threshold``.

    Two dated documents further apart than ``options.window_days`` count as
    dissimilar unless they share enough names to be a follow-up (``followup_name_min``,
    within ``followup_days``); a part of two or more folds back only when it is loose
    (``merge_cohesion``). A story's id is :func:`story_id_for` its first document in input
    order, as in the incremental index. Time and memory grow with the square of
    the batch size: use :class:`StoryIndex` for large inputs.
    """
    options = options or GroupOptions()
    if not docs:
        return []
    index = StoryIndex(replace(options, number_weight=options.batch_number_weight, date_weight=options.batch_date_weight,
                               doc_terms=options.batch_doc_terms))
    index.count(docs)
    vectors = [index.vectorize(doc) for doc in docs]
    days = [doc.day for doc in docs]
    labels = [0] * len(docs)
    followup = (options.followup_name_min, options.followup_days)
    groups = _average_link(vectors, days, options.batch_threshold, options.window_days, followup)
    for number, members in enumerate(groups):
        parts = [members]
        if len(members) >= 3:
            local = _local_weights([vectors[i] for i in members])
            local_days = [days[i] for i in members]
            found = _average_link(local, local_days, options.split_threshold, options.window_days, followup)
            if options.merge_threshold > 0 and len(found) > 1:
                found = _merge_fragments(found, _similarities(local, local_days, options.window_days, *followup),
                                         options.merge_threshold, options.merge_size, options.merge_cohesion)
            parts = [[members[j] for j in part] for part in found]
        for part_number, part in enumerate(parts):
            for i in part:
                labels[i] = number * len(docs) + part_number
    first: dict[int, str] = {}
    return [first.setdefault(label, story_id_for(doc.key)) for label, doc in zip(labels, docs, strict=True)]


def consolidation_set(index: StoryIndex, touched: Sequence[str], limit: int) -> tuple[list[str], list[str]]:
    """The stories a consolidation pass re-clusters, and the touched ones it leaves out.

    ``touched`` lists the stories that grew since the last pass, most recent first. Each
    is taken with its :meth:`StoryIndex.neighbours` (the stories its articles could have
    joined) while the chosen stories hold at most ``limit`` articles in all: first the
    touched stories, then their neighbours, so the newest decisions are revisited first.
    A touched story that does not fit is left as the index placed it.
    """
    chosen: dict[str, None] = {}
    total = 0
    left_out = []
    for story_id in touched:
        story = index.stories.get(story_id)
        if story is None or story_id in chosen:
            continue
        if total + story.size > limit:
            left_out.append(story_id)
            continue
        chosen[story_id] = None
        total += story.size
    for story_id in list(chosen):
        for other in index.neighbours(story_id):
            size = index.stories[other].size
            if other not in chosen and total + size <= limit:
                chosen[other] = None
                total += size
    return list(chosen), left_out


def regroup(docs: Sequence[Doc], current: Sequence[str], options: GroupOptions | None = None, *,
            follows: Sequence[int | None] | None = None, taken: Container[str] = ()) -> list[str]:
    """Re-cluster documents with :func:`cluster_batch`, keeping the story ids they have where it can.

    ``docs`` come in arrival order with their ``current`` story ids; ``follows[i]``, when
    given and not None, is the position of the document that document ``i`` copies: it goes
    wherever that one goes. Each new cluster takes the current id it shares the most
    documents with (ties: the story that came first, then the smaller id), each id going to
    one cluster at most, larger overlaps first; a cluster left without one (a new split) gets
    :func:`story_id_for` its first document, made unique against ``taken`` and the ids in use.
    Returns each document's story id, in input order.
    """
    if len(docs) != len(current):
        raise ValueError("regroup needs one current story id per document")
    follows = follows if follows is not None else [None] * len(docs)
    own = [i for i, f in enumerate(follows) if f is None]
    labels: list[str] = [""] * len(docs)
    for i, label in zip(own, cluster_batch([docs[i] for i in own], options), strict=True):
        labels[i] = label
    for i, f in enumerate(follows):
        if f is not None:
            labels[i] = labels[f]
    current_ids = set(current)
    first_seen: dict[str, int] = {}
    for i, (label, old) in enumerate(zip(labels, current, strict=True)):
        first_seen.setdefault(label, i)
        first_seen.setdefault(old, i)
    overlap = Counter(zip(labels, current, strict=True))
    pairs = sorted(overlap.items(), key=lambda kv: (-kv[1], first_seen[kv[0][1]], kv[0][1], first_seen[kv[0][0]]))
    mapped: dict[str, str] = {}
    used: set[str] = set()
    for (label, old), _ in pairs:
        if label not in mapped and old not in used:
            mapped[label] = old
            used.add(old)
    for label in sorted(set(labels) - mapped.keys(), key=first_seen.__getitem__):
        key = docs[first_seen[label]].key
        story_id, n = story_id_for(key), 0
        while story_id in used or story_id in taken or story_id in current_ids:
            n += 1
            story_id = story_id_for(f"{key}\x1f{n}")
        mapped[label] = story_id
        used.add(story_id)
    return [mapped[label] for label in labels]


def _merge_fragments(parts: list[list[int]], similarity: "np.ndarray", threshold: float,
                     max_size: int, cohesion: float = 0.0) -> list[list[int]]:
    """Fold each part of at most ``max_size`` members into the part it is most similar to (mean
    similarity over cross pairs), when that similarity is at least ``threshold`` and, for a part of
    two or more, at least ``cohesion`` times the mean similarity among its own members; best pair first."""
    import numpy as np

    parts = [list(part) for part in parts]
    membership = np.zeros((len(parts), similarity.shape[0]))
    for number, part in enumerate(parts):
        membership[number, part] = 1.0
    # Sums of similarities between parts, updated as parts merge (average link over the parts).
    sums = membership @ similarity @ membership.T
    sizes = membership.sum(axis=1)
    selves = membership @ np.diag(similarity)  # each part's members' similarity with themselves
    alive = np.ones(len(parts), dtype=bool)
    while True:
        means = sums / np.outer(sizes, sizes)
        small = alive & (sizes <= max_size)
        means[~small, :] = -np.inf
        means[:, ~alive] = -np.inf
        np.fill_diagonal(means, -np.inf)
        if cohesion > 0:
            # Mean similarity between two different members of each part (a one-member part: 0).
            pairs = np.maximum(sizes * (sizes - 1), 1.0)
            within = np.where(sizes > 1, (np.diag(sums) - selves) / pairs, 0.0)
            means[means < cohesion * within[:, None]] = -np.inf
        a, b = np.unravel_index(int(np.argmax(means)), means.shape)
        if means[a, b] < threshold:
            break
        parts[b] = sorted(parts[b] + parts[a])
        sums[b, :] += sums[a, :]
        sums[:, b] += sums[:, a]
        sizes[b] += sizes[a]
        selves[b] += selves[a]
        alive[a] = False
    return sorted((part for part, keep in zip(parts, alive, strict=True) if keep), key=min)


def _local_weights(vectors: list[dict[str, float]]) -> list[dict[str, float]]:
    """Re-weight each vector by its terms' inverse document frequency within these vectors; renormalise."""
    df = Counter(term for vector in vectors for term in vector)
    n = len(vectors)
    out = []
    for vector in vectors:
        weighted = {t: w * (math.log((1 + n) / (1 + df[t])) + 1.0) for t, w in vector.items()}
        norm = math.sqrt(sum(w * w for w in weighted.values())) or 1.0
        out.append({t: w / norm for t, w in weighted.items()})
    return out


def _average_link(vectors: Sequence[dict[str, float]], days: Sequence[int | None], threshold: float,
                  window_days: int, followup: tuple[float, int] = (0.0, 0)) -> list[list[int]]:
    """Average-link clusters (lists of positions, in first-member order) of normalised sparse vectors."""
    if len(vectors) == 1:
        return [[0]]
    # scipy's hierarchy module does the linkage; building the matrix is all that is ours.
    import numpy as np
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import squareform

    distance = _similarities(vectors, days, window_days, *followup)
    np.subtract(1.0, distance, out=distance)
    np.clip(distance, 0.0, None, out=distance)
    np.fill_diagonal(distance, 0.0)
    condensed = squareform(distance, checks=False).astype(np.float64)
    del distance
    labels = fcluster(linkage(condensed, method="average"), t=1.0 - threshold, criterion="distance")
    clusters: dict[int, list[int]] = {}
    for position, label in enumerate(labels):
        clusters.setdefault(int(label), []).append(position)
    return list(clusters.values())


def _similarities(vectors: Sequence[dict[str, float]], days: Sequence[int | None], window_days: int,
                  followup_name_min: float = 0.0, followup_days: int = 0) -> "np.ndarray":
    """The dense cosine similarity matrix of normalised sparse vectors.

    Two dated documents further apart than ``window_days`` keep their similarity only when
    they are at most ``followup_days`` apart and the cosine of their names, numbers and days
    alone is at least ``followup_name_min`` (a follow-up names the incident's people and
    places); otherwise theirs is 0.
    """
    import numpy as np

    distance = _gram(vectors)
    if any(d is not None for d in days):
        day = np.array([np.nan if d is None else float(d) for d in days], dtype=np.float32)
        apart = np.abs(day[:, None] - day[None, :])  # NaN compares False: undated pairs pass
        far = apart > window_days
        if followup_name_min > 0 and followup_days > window_days and far.any():
            names = []
            for vector in vectors:
                kept = {t: w for t, w in vector.items() if t[:2] in _NAMES}
                norm = math.sqrt(sum(w * w for w in kept.values())) or 1.0
                names.append({t: w / norm for t, w in kept.items()})
            far &= (apart > followup_days) | (_gram(names) < followup_name_min)
        distance[far] = 0.0
    return distance


def _gram(vectors: Sequence[dict[str, float]]) -> "np.ndarray":
    """The dense matrix of dot products of sparse vectors."""
    import numpy as np
    from scipy.sparse import csr_matrix

    columns: dict[str, int] = {}
    indptr, indices, values = [0], [], []
    for vector in vectors:
        for term, weight in vector.items():
            indices.append(columns.setdefault(term, len(columns)))
            values.append(weight)
        indptr.append(len(indices))
    matrix = csr_matrix((np.asarray(values, dtype=np.float32), indices, indptr),
                        shape=(len(vectors), max(len(columns), 1)))
    return (matrix @ matrix.T).toarray()


# --------------------------------------------------------------------------- accord group


def group_jsonl(path: str, options: GroupOptions | None = None) -> Iterator[dict[str, object]]:
    """Group a JSONL file of ``{"id","title","text"[,"published"]}`` lines into stories.

    Yields one ``{"id","story"}`` row per line in input order; a line that is not
    a JSON object with a string ``id`` and some text yields ``{"line", "error"}``
    (plus ``id`` when known) instead. ``path`` may be ``"-"`` for stdin. Inputs of
    up to ``options.batch_limit`` articles are clustered in one batch
    (:func:`cluster_batch`), larger ones incrementally.
    """
    from accord.ingest.base import jsonl_lines

    yield from _group_lines(jsonl_lines(path), StoryIndex(options))


def _group_lines(numbered: Iterator[tuple[int, str]], index: StoryIndex) -> Iterator[dict[str, object]]:
    options = index.options
    head: list[dict[str, object] | Doc] = []
    n_docs = 0
    for number, line in numbered:
        head.append(_parse_line(number, line, options))
        n_docs += isinstance(head[-1], Doc)
        if n_docs > options.batch_limit:
            break
    else:
        # The whole input fits the batch limit: cluster it at once.
        docs = [item for item in head if isinstance(item, Doc)]
        stories = iter(cluster_batch(docs, options))
        for item in head:
            yield {"id": item.key.split(":", 1)[1], "story": next(stories)} if isinstance(item, Doc) else item
        return
    log.info("more than %d articles: grouping incrementally", options.batch_limit)
    yield from _group_parsed(head, index)
    chunk: list[dict[str, object] | Doc] = []
    for number, line in numbered:
        chunk.append(_parse_line(number, line, options))
        if len(chunk) >= _JSONL_CHUNK:
            yield from _group_parsed(chunk, index)
            chunk = []
    if chunk:
        yield from _group_parsed(chunk, index)


def _group_parsed(parsed: list[dict[str, object] | Doc], index: StoryIndex) -> Iterator[dict[str, object]]:
    index.count(d for d in parsed if isinstance(d, Doc))
    for item in parsed:
        if isinstance(item, Doc):
            yield {"id": item.key.split(":", 1)[1], "story": index.assign(item)}
        else:
            yield item


def _parse_line(number: int, line: str, options: GroupOptions) -> dict[str, object] | Doc:
    try:
        row = json.loads(line)
    except json.JSONDecodeError as exc:
        return {"line": number, "error": f"not JSON: {exc.msg.removesuffix(' at')} at column {exc.colno}"}
    if not isinstance(row, dict):
        return {"line": number, "error": "not a JSON object"}
    article_id = row.get("id")
    if not isinstance(article_id, (str, int)) or isinstance(article_id, bool) or str(article_id) == "":
        return {"line": number, "error": 'missing "id" (a string)'}
    title = row.get("title") if isinstance(row.get("title"), str) else ""
    text = row.get("text") if isinstance(row.get("text"), str) else ""
    if not (title or text).strip():
        return {"line": number, "id": str(article_id), "error": 'no "title" or "text" to group'}
    published = row.get("published")
    published = published if isinstance(published, str) else None
    # The line number makes keys unique even when ids repeat.
    return make_doc(f"{number}:{article_id}", str(title), str(text), published=published, options=options)
