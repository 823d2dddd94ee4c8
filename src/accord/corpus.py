"""Corpus mode: ingest a day of news into a store, mark copies, group articles into stories.

This is the single-machine driver of the corpus pipeline; ``accord spark``
(:mod:`accord.spark`) is the other, and both call the stage functions of
:mod:`accord.stages`. :func:`ingest` reads inputs (everything ``accord report`` reads,
plus WARC and RSS/Atom files) in worker processes, which also compute each article's
content key, grouping features and MinHash signature (:func:`accord.stages.prepare`);
the parent process alone writes to the store, one transaction per batch. Per batch it marks near-duplicates
(:class:`~accord.corroborate.copies.CopyIndex`) and places each new article in a
story (:class:`~accord.group.StoryIndex`): an article joins an existing story or
opens one. Both indexes are rebuilt from the store when an
ingest starts, so a second run continues where the first stopped. JSON Lines and WARC
files are read a chunk of lines or pages at a time, and each batch's transaction also
records how far into its file reading had got (byte offset, with the file's size and
modification time): a rerun goes on from there in a file that has not changed.

The index never revisits a placement, so an event whose first reports happen to
share few names can end up as two stories. A consolidation pass, at the end of each
run and every ``consolidate_every`` batches, takes the stories that grew since the
last pass with the stories their articles could have joined
(:func:`~accord.group.consolidation_set`, at most ``GroupOptions.consolidate_limit``
articles) and clusters their articles again with the batch method
(:func:`~accord.group.regroup`); each story keeps its id where it keeps most of its
articles. A story emptied this way is deleted and recorded in ``story_merges``, so
its old id still leads to the story that took its articles. The last article a pass
covered is stored with the pass in one transaction: a run killed before or during a
pass leaves the store as the batches left it, and the next run does the pass.

A body already stored (same content key) is not stored again, but where it was
read this time is: another outlet running the same wire story is recorded as
another appearance of that body (its source, URL, date and input), and
:func:`~accord.store.load_story` returns one article per appearance.

Example::

    summary = ingest(["crawl/"], db_url="sqlite:///accord.db", workers=None)
    print(summary.describe())
    title, articles = load_story("sqlite:///accord.db", "story-1a2b3c4d5e6f7a8b")
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import logging
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections import Counter, deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from sqlalchemy.exc import IntegrityError

from accord.corroborate.copies import CopyIndex, minhash_from_bytes
from accord.errors import AccordError, StoreError
from accord.group import Doc, GroupOptions, StoryIndex, consolidation_set, parse_day, regroup
from accord.models import Article, Skipped
from accord.stages import Prepared, article_columns, expand_inputs, prepare, read_prepared
from accord.store import (
    CONSOLIDATED_SETTING,
    GROUP_OPTIONS_SETTING,
    Store,
    load_story,
    normalize_url,
    open_existing,
    sighting_ident,
    sighting_row,
)

if TYPE_CHECKING:
    from accord.ingest import ReadOptions

__all__ = [
    "ExportSummary",
    "IngestInterrupted",
    "IngestSummary",
    "StoryFilter",
    "check_db_url",
    "clean_entities",
    "export_reports",
    "format_stories",
    "ingest",
    "list_stories",
    "load_story",
    "print_stories",
]

log = logging.getLogger(__name__)

#: Articles written per transaction.
BATCH_SIZE = 500
#: Batches between two consolidation passes during a long ingest (4,000 articles at the default
#: batch size: a pass re-clusters up to ``GroupOptions.consolidate_limit`` articles, a few seconds).
CONSOLIDATE_EVERY = 8
#: Files (or WARC pages) handed to a worker at a time.
_CHUNK = 8
_WARC = (".warc", ".warc.gz")


@dataclass(frozen=True, slots=True)
class IngestSummary:
    """What an ingest did: counts, the time it took, and the inputs it skipped.

    ``other_outlets`` counts the already-stored articles read where they had not been
    seen before (another URL or input: another outlet running the same body);
    ``total_appearances`` counts every recorded appearance of a stored body.
    ``moved`` counts articles consolidation moved to another story, ``merged`` the
    stories it emptied (their ids lead on through ``story_merges``) and ``split`` the
    stories it opened; ``consolidation_seconds`` is the time its passes took, and
    ``left_as_placed`` counts grown stories a pass left alone (beyond its article cap).
    ``unchanged`` counts inputs not read because an earlier run read them in full and
    they have not changed since (same size and modification time), ``resumed`` the JSON
    Lines and WARC files an earlier run stopped part way through, read on from where it stopped.
    """

    inputs: int
    read: int
    new: int
    already_stored: int
    copies: int
    stories_touched: int
    stories_new: int
    total_articles: int
    total_stories: int
    seconds: float
    skipped: tuple[Skipped, ...] = ()
    other_outlets: int = 0
    total_appearances: int = 0
    moved: int = 0
    merged: int = 0
    split: int = 0
    consolidation_seconds: float = 0.0
    left_as_placed: int = 0
    unchanged: int = 0
    resumed: int = 0

    @property
    def stories_grown(self) -> int:
        """Stories that existed before the run and gained articles (never negative)."""
        return max(0, self.stories_touched - self.stories_new)

    def describe(self) -> str:
        """One line for the terminal."""
        rate = self.read / self.seconds if self.seconds > 0 else 0.0
        unchanged = (f" ({self.unchanged} already ingested in full and unchanged: not read again)"
                     if self.unchanged else "")
        resumed = (f" ({self.resumed} resumed where an earlier run stopped)" if self.resumed else "")
        return (
            f"accord: read {_n(self.read, 'article')} from {_n(self.inputs, 'input')}{unchanged}{resumed} in "
            f"{self.seconds:.1f} s ({rate:.0f}/s): {self.new} new, {self.already_stored} already stored"
            + (f" ({self.other_outlets} of them from another outlet)" if self.other_outlets else "")
            + f", {self.copies} copying another; {_n(self.stories_new, 'new story', 'new stories')}, "
            f"{self.stories_grown} grown; the store holds "
            f"{_n(self.total_articles, 'article')}"
            + (f" ({self.total_appearances} appearances)" if self.total_appearances > self.total_articles else "")
            + f" in {_n(self.total_stories, 'story', 'stories')}"
            + (f"; consolidation moved {_n(self.moved, 'article')} ({self.merged} stories merged, "
               f"{self.split} split off)" if self.moved else "")
            + (f"; {_n(len(self.skipped), 'input')} skipped" if self.skipped else "")
        )


class IngestInterrupted(AccordError):
    """An ingest stopped by Ctrl-C; the message says what was saved (exit status 130)."""

    exit_code = 130


def _n(count: int, singular: str, plural: str | None = None) -> str:
    return f"{count} {singular if count == 1 else plural or singular + 's'}"


@dataclass(slots=True)
class _StoryMeta:
    titles: list[str] = field(default_factory=list)
    sources: Counter[str] = field(default_factory=Counter)
    first_seq: int = 0
    last_seq: int = 0
    #: Appearances of the story's bodies other than their first, and the days they span.
    others: int = 0
    others_first_day: int | None = None
    others_last_day: int | None = None


# --------------------------------------------------------------------------- ingest


def ingest(
    inputs: Sequence[str | Path],
    *,
    db_url: str,
    workers: int | None = None,
    read_options: ReadOptions | None = None,
    group_options: GroupOptions | None = None,
    batch_size: int = BATCH_SIZE,
    consolidate: bool = True,
    consolidate_every: int = CONSOLIDATE_EVERY,
    reread: bool = False,
) -> IngestSummary:
    """Read inputs into the store at ``db_url``, mark copies and group new articles into stories.

    Args:
        inputs: files and directories (read recursively); WARC and RSS/Atom files too.
        db_url: a SQLAlchemy URL (``sqlite:///accord.db``, ``postgresql+psycopg://...``)
            or a path to a SQLite file.
        workers: reading processes (default: all cores; 1 reads in this process).
        read_options: size limit and fallback publication date.
        group_options: story clustering settings; the first ingest records them in the
            store and later ingests use the recorded ones unless given others.
        batch_size: articles per transaction.
        consolidate: revisit the stories that grew with the batch method at the end of the
            run and every ``consolidate_every`` batches (see the module docstring); False
            keeps the index's placements (a later run with it on revisits them).
        consolidate_every: batches between two consolidation passes.
        reread: read every input, even those an earlier run read in full and that have
            not changed since (by default they are passed over; stdin is always read).

    Re-ingesting the same content changes nothing; a killed ingest run again
    completes with nothing lost or doubled. A missing input raises
    :class:`~accord.errors.InputError`.
    """
    from accord.ingest import ReadOptions

    if workers is not None and workers < 1:
        raise ValueError("workers must be 1 or more (or None for all cores)")
    if batch_size < 1:
        raise ValueError("batch_size must be 1 or more")
    if consolidate_every < 1:
        raise ValueError("consolidate_every must be 1 or more (batches between consolidation passes)")
    started = time.perf_counter()
    read_options = read_options or ReadOptions()
    stdin = [item for item in inputs if str(item) == "-"]
    paths, skipped = expand_inputs([item for item in inputs if str(item) != "-"])
    workers = workers or os.cpu_count() or 1
    counts: Counter[str] = Counter()
    with Store.open(db_url) as store:
        options = _group_options(store, group_options)
        state = _CorpusState.load(store, options)
        before = set(state.index.stories)
        paths, unchanged = (paths, []) if reread else _not_done(store, paths)
        if unchanged:
            log.info("%s already ingested in full and unchanged since: not read again",
                     _n(len(unchanged), "input"))
        starts = {} if reread else _starts(store, paths)
        pending: list[Prepared] = []
        finished: list[dict[str, str]] = []  # inputs read in full whose articles are in ``pending``
        positions: dict[str, dict[str, str]] = {}  # where reading stopped in a file, as of ``pending``
        done_inputs = 0
        batches = 0
        passes = 0.0  # seconds spent consolidating
        try:
            with _Progress(sum(_size(p) - starts.get(str(p), (0, 0))[0] for p in paths)) as progress:
                if stdin:
                    from accord.ingest import read

                    pending.extend(prepare(a) for a in read(["-"], read_options).articles)
                for done, results in _run(_tasks(paths, read_options, starts), read_options, workers, set(starts)):
                    for item in results:
                        if isinstance(item, Skipped):
                            skipped.append(item)
                        else:
                            pending.append(item)
                    finished += [_done_row(Path(name)) for name in done.produced]
                    if done.position is not None:
                        positions[done.position[0]] = _position_row(*done.position)
                    done_inputs += len(done.paths)
                    if len(pending) >= batch_size:
                        with _uninterrupted():
                            counts.update(state.commit(store, pending, [*finished, *positions.values()]))
                        pending, finished, positions = [], [], {}
                        batches += 1
                        if consolidate and batches % consolidate_every == 0:
                            progress.phase("regrouping the stories that grew")
                            pass_started = time.perf_counter()
                            counts.update(state.consolidate(store))
                            passes += time.perf_counter() - pass_started
                            progress.phase(None)
                    progress.advance(done.advance, counts["read"] + len(pending))
                if pending or finished or positions:
                    with _uninterrupted():
                        counts.update(state.commit(store, pending, [*finished, *positions.values()]))
                    pending, finished, positions = [], [], {}
                if consolidate:
                    progress.phase("regrouping the stories that grew")
                    pass_started = time.perf_counter()
                    counts.update(state.consolidate(store))
                    passes += time.perf_counter() - pass_started
                progress.advance(0, counts["read"])
        except KeyboardInterrupt:
            raise IngestInterrupted(
                f"interrupted: {_n(counts['new'], 'new article')} from {_n(done_inputs, 'input')} "
                f"{'is' if counts['new'] == 1 else 'are'} saved in {db_url}"
                + (f"; {_n(len(pending), 'article')} read since the last write {'was' if len(pending) == 1 else 'were'} "
                   "not saved" if pending else "")
                + ". Run the same command again to go on: inputs read in full are not read again, and a "
                "JSON Lines or WARC file read in part goes on from where it stopped."
            ) from None
        alive = set(state.index.stories)
        return IngestSummary(
            inputs=len(paths) + len(stdin) + len(unchanged),
            read=counts["read"],
            new=counts["new"],
            already_stored=counts["already"],
            copies=counts["copies"],
            stories_touched=len(state.touched_total & alive),
            stories_new=len(alive - before),
            total_articles=len(state.keys),
            total_stories=len(alive),
            seconds=time.perf_counter() - started,
            skipped=tuple(skipped),
            other_outlets=counts["other_outlets"],
            total_appearances=store.count_sightings(),
            moved=counts["moved"],
            merged=counts["merged"],
            split=counts["split"],
            consolidation_seconds=passes,
            left_as_placed=counts["left_as_placed"],
            unchanged=len(unchanged),
            resumed=len(starts),
        )


#: Settings rows that record an input read in full: "input:" + a hash of its resolved path.
_DONE_PREFIX = "input:"


#: Settings rows that record how far a JSON Lines or WARC input was read: "input-at:" + the same hash.
_AT_PREFIX = "input-at:"


def _input_setting(path: Path, prefix: str = _DONE_PREFIX) -> str:
    import hashlib

    return prefix + hashlib.blake2b(str(path.resolve()).encode("utf-8"), digest_size=16).hexdigest()


def _stamp(path: Path) -> dict[str, Any] | None:
    """What identifies a version of a file: its size and modification time."""
    try:
        info = path.stat()
    except OSError:
        return None
    return {"size": info.st_size, "mtime_ns": info.st_mtime_ns}


def _done_row(path: Path) -> dict[str, str]:
    """The settings row recording that ``path``, as it is now, was read in full."""
    return {"name": _input_setting(path),
            "value": json.dumps({"path": str(path.resolve()), **(_stamp(path) or {})}, sort_keys=True)}


def _position_row(source: str, offset: int, count: int) -> dict[str, str]:
    """The settings row recording that ``source``, as it is now, was read up to byte ``offset``
    (``count`` lines or pages), every article before it being stored."""
    path = Path(source)
    value = {"path": str(path.resolve()), **(_stamp(path) or {}), "offset": offset, "count": count}
    return {"name": _input_setting(path, _AT_PREFIX), "value": json.dumps(value, sort_keys=True)}


def _recorded(store: Store, prefix: str, paths: Sequence[Path]) -> dict[Path, dict[str, Any]]:
    """The settings rows under ``prefix`` of the inputs that have not changed since they were written."""
    import sqlalchemy as sa

    from accord.store import settings

    with store.engine.connect() as connection:
        rows = dict(connection.execute(
            sa.select(settings.c.name, settings.c.value).where(settings.c.name.like(f"{prefix}%"))).all())
    found = {}
    for path in paths:
        value = rows.get(_input_setting(path, prefix))
        stamp = _stamp(path)
        if value is not None and stamp is not None:
            recorded = json.loads(value)
            if all(recorded.get(k) == v for k, v in stamp.items()):
                found[path] = recorded
    return found


def _not_done(store: Store, paths: Sequence[Path]) -> tuple[list[Path], list[Path]]:
    """Split inputs into those to read and those read in full before and unchanged since."""
    done = _recorded(store, _DONE_PREFIX, paths)
    return [path for path in paths if path not in done], [path for path in paths if path in done]


def _starts(store: Store, paths: Sequence[Path]) -> dict[str, tuple[int, int]]:
    """Where to start reading the JSON Lines and WARC files an earlier run stopped part way
    through (and that have not changed since): byte offset and lines or pages before it."""
    starts = {}
    for path, recorded in _recorded(store, _AT_PREFIX, paths).items():
        offset, count = int(recorded.get("offset", 0)), int(recorded.get("count", 0))
        if 0 < offset < recorded["size"]:
            log.info("%s: going on from byte %d (after %d lines or pages), where an earlier run stopped",
                     path, offset, count)
            starts[str(path)] = (offset, count)
    return starts


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _group_options(store: Store, given: GroupOptions | None) -> GroupOptions:
    """The clustering settings to use: those given, else those the store was built with."""
    stored = store.setting(GROUP_OPTIONS_SETTING)
    if stored is None:
        return given or GroupOptions()
    recorded = GroupOptions(**{k: v for k, v in json.loads(stored).items()
                               if k in {f.name for f in dataclasses.fields(GroupOptions)}})
    if given is not None and given != recorded:
        log.warning("grouping with settings other than those this store was built with")
        return given
    return recorded


class _CorpusState:
    """The parent's in-memory view of the store: known keys, copy index, story index."""

    def __init__(self, options: GroupOptions) -> None:
        self.keys: set[str] = set()
        self.copies = CopyIndex()
        self.index = StoryIndex(options)
        self.story_of: dict[str, str] = {}
        self.meta: dict[str, _StoryMeta] = {}
        self.next_seq = 0
        self.touched_total: set[str] = set()
        #: Stories that gained articles since the last consolidation pass, with the latest one's seq.
        self.unconsolidated: dict[str, int] = {}

    @classmethod
    def load(cls, store: Store, options: GroupOptions) -> _CorpusState:
        """Rebuild the indexes from the store's articles, in ingest order (no re-clustering)."""
        state = cls(options)
        loaded = 0
        consolidated = int(store.setting(CONSOLIDATED_SETTING) or -1)
        for row in store.iter_state():
            doc = Doc(row.key, json.loads(row.features), parse_day(row.published))
            state.keys.add(row.key)
            state.copies.add(row.key, minhash_from_bytes(row.minhash), known=True, copy_of=row.copy_of)
            state.index.count((doc,))
            state.index.restore(doc, row.story_id, json.loads(row.vector))
            state.story_of[row.key] = row.story_id
            state._note(row.story_id, row.seq, row.title, row.source)
            if row.seq > consolidated:
                state.unconsolidated[row.story_id] = row.seq
            loaded += 1
        for row in store.iter_other_sightings():
            state._note_other(row.story_id, row.source, row.published)
        state.next_seq = store.next_seq()
        if loaded:
            log.info("loaded %d articles in %d stories from the store", loaded, len(state.index.stories))
        return state

    def commit(self, store: Store, prepared: Sequence[Prepared],
               finished: Sequence[dict[str, str]] = ()) -> Counter[str]:
        """Index a batch of read articles; write the new ones and new appearances in one transaction,
        with the settings rows of the inputs whose articles are all in this batch or before."""
        counts: Counter[str] = Counter(read=len(prepared))
        fresh: list[tuple[Prepared, Doc, str | None]] = []
        batch_keys: set[str] = set()
        again: list[Prepared] = []
        for item in prepared:
            if item.key in self.keys or item.key in batch_keys:
                counts["already"] += 1
                again.append(item)
                continue
            batch_keys.add(item.key)
            copy_of = self.copies.add(item.key, minhash_from_bytes(item.signature))
            fresh.append((item, Doc(item.key, item.counts, parse_day(item.article.published)), copy_of))
        self.index.count(doc for _, doc, _ in fresh)
        rows = []
        touched: set[str] = set()
        for item, doc, copy_of in fresh:
            if copy_of is not None:
                # A syndicated copy belongs to its original's story.
                counts["copies"] += 1
                story_id = self.story_of[copy_of]
                vector = self.index.vectorize(doc)
                self.index.restore(doc, story_id, vector)
            else:
                story_id, vector = self.index.place(doc)
            self.story_of[item.key] = story_id
            seq = self.next_seq
            self.next_seq += 1
            article = item.article
            self._note(story_id, seq, article.title, article.source)
            touched.add(story_id)
            self.unconsolidated[story_id] = seq
            rows.append(_article_row(item, seq, story_id, copy_of, vector))
        appearances = self._other_appearances(store, again, [item for item, _, _ in fresh])
        for item in appearances:
            story_id = self.story_of[item.key]
            self._note_other(story_id, item.article.source, item.article.published)
            touched.add(story_id)
        counts["other_outlets"] += len(appearances)
        recorded = {"name": GROUP_OPTIONS_SETTING, "value": json.dumps(dataclasses.asdict(self.index.options))}
        try:
            store.write_batch(rows, [self._story_row(story_id) for story_id in sorted(touched)],
                              [recorded, *finished],
                              [sighting_row(item.key, item.article) for item in appearances])
        except IntegrityError:
            raise StoreError(
                "another ingest wrote to this store at the same time; run one ingest at a time "
                "(run this one again: nothing is lost)"
            ) from None
        self.keys.update(batch_keys)
        self.touched_total.update(touched)
        counts["new"] += len(rows)
        return counts

    def consolidate(self, store: Store) -> Counter[str]:
        """Re-cluster the stories that grew since the last pass, with their neighbours (see the
        module docstring); write the moves in one transaction and update the indexes to match."""
        counts: Counter[str] = Counter()
        if not self.unconsolidated:
            return counts
        options = self.index.options
        recent = sorted(self.unconsolidated, key=lambda s: (-self.unconsolidated[s], s))
        chosen, left_out = consolidation_set(self.index, recent, options.consolidate_limit)
        if left_out:
            log.info("consolidation: %d grown stories left as placed (more than %d articles in all)",
                     len(left_out), options.consolidate_limit)
        rows = store.story_members(chosen)
        position = {row.key: i for i, row in enumerate(rows)}
        docs = [Doc(row.key, json.loads(row.features), parse_day(row.published)) for row in rows]
        current = [row.story_id for row in rows]
        follows = [position.get(row.copy_of) if row.copy_of else None for row in rows]
        new_ids = (regroup(docs, current, options.consolidation(), follows=follows, taken=self.index.stories)
                   if rows else [])
        moves = {row.key: new for row, new in zip(rows, new_ids, strict=True) if new != row.story_id}
        affected = sorted({current[position[k]] for k in moves} | set(moves.values()))
        members: dict[str, list[int]] = {story_id: [] for story_id in affected}
        for i, new in enumerate(new_ids):
            if new in members:
                members[new].append(i)
        self.index.rebuild({story_id: [(docs[i], json.loads(rows[i].vector)) for i in found]
                            for story_id, found in members.items()})
        for key, new in moves.items():
            self.story_of[key] = new
        for story_id in affected:
            self.meta.pop(story_id, None)
        member_keys = []
        for story_id, found in members.items():
            for i in found:
                self._note(story_id, rows[i].seq, rows[i].title, rows[i].source)
                member_keys.append(rows[i].key)
        for sighting in store.other_sightings_of(member_keys):
            self._note_other(self.story_of[sighting.key], sighting.source, sighting.published)
        emptied = [story_id for story_id, found in members.items() if not found]
        covered = self.next_seq - 1
        went: dict[str, Counter[str]] = {}
        for key, new in moves.items():
            went.setdefault(current[position[key]], Counter())[new] += 1
        merges = []
        for story_id in emptied:
            took = went[story_id]
            target, number = min(took.items(), key=lambda kv: (-kv[1], kv[0]))
            merges.append({"old_id": story_id, "new_id": target, "articles": number, "at_seq": covered})
            log.info("consolidation: story %s merged into %s (%s)", story_id, target, _n(sum(took.values()), "article"))
            self.touched_total.discard(story_id)
        old_ids = set(current)
        split = [story_id for story_id in affected if story_id not in old_ids]
        try:
            store.regroup(moves, [self._story_row(story_id) for story_id in affected if members[story_id]],
                          emptied, merges, [{"name": CONSOLIDATED_SETTING, "value": str(covered)}])
        except IntegrityError:
            raise StoreError(
                "another ingest wrote to this store at the same time; run one ingest at a time "
                "(run this one again: nothing is lost)"
            ) from None
        self.unconsolidated.clear()
        if moves:
            log.info("consolidation: re-clustered %s in %s: %s moved, %d stories merged, %d split off",
                     _n(len(rows), "article"), _n(len(chosen), "story", "stories"), _n(len(moves), "article"),
                     len(emptied), len(split))
        counts.update(moved=len(moves), merged=len(emptied), split=len(split), left_as_placed=len(left_out))
        return counts

    @staticmethod
    def _other_appearances(store: Store, again: Sequence[Prepared],
                           fresh: Sequence[Prepared]) -> list[Prepared]:
        """Of the already-stored articles read, those appearing somewhere not recorded yet (once each)."""
        if not again:
            return []
        idents = [sighting_ident(item.key, item.article.url, item.article.input, item.article.id) for item in again]
        recorded = store.known_sightings(idents)
        recorded.update(sighting_ident(item.key, item.article.url, item.article.input, item.article.id)
                        for item in fresh)
        result = []
        for item, ident in zip(again, idents, strict=True):
            if ident not in recorded:
                recorded.add(ident)
                result.append(item)
        return result

    def _note_other(self, story_id: str, source: str | None, published: str | None) -> None:
        """Count another appearance of one of the story's bodies: its source and its day."""
        meta = self.meta[story_id]
        meta.others += 1
        if source:
            meta.sources[source] += 1
        day = parse_day(published)
        if day is not None:
            meta.others_first_day = day if meta.others_first_day is None else min(meta.others_first_day, day)
            meta.others_last_day = day if meta.others_last_day is None else max(meta.others_last_day, day)

    def _note(self, story_id: str, seq: int, title: str, source: str | None) -> None:
        meta = self.meta.get(story_id)
        if meta is None:
            meta = self.meta[story_id] = _StoryMeta(first_seq=seq)
        meta.titles.append(title)
        if source:
            meta.sources[source] += 1
        meta.last_seq = seq

    def _story_row(self, story_id: str) -> dict[str, Any]:
        """A story's row for the store.

        ``size`` counts appearances, i.e. the articles ``accord report --story`` shows;
        ``sources`` and the date span take in every appearance too. The title is chosen
        from the distinct bodies only, so a body many outlets ran does not outweigh the rest.
        """
        from accord.pipeline import story_title

        meta = self.meta[story_id]
        story = self.index.stories[story_id]
        first_days = [d for d in (story.first_day, meta.others_first_day) if d is not None]
        last_days = [d for d in (story.last_day, meta.others_last_day) if d is not None]
        return {
            "id": story_id,
            "title": story_title([Article(id="", title=t, text="") for t in meta.titles]),
            "size": story.size + meta.others,
            "first_published": _iso_day(min(first_days, default=None)),
            "last_published": _iso_day(max(last_days, default=None)),
            "sources": [s for s, _ in sorted(meta.sources.items(), key=lambda kv: (-kv[1], kv[0]))],
            "entities": story.top_entities(6),
            "first_seq": meta.first_seq,
            "last_seq": meta.last_seq,
        }


def _iso_day(day: int | None) -> str | None:
    return None if day is None else date.fromordinal(day).isoformat()


@contextlib.contextmanager
def _uninterrupted() -> Iterator[None]:
    """Hold Ctrl-C back while a batch is written and counted, then raise it: what the
    interruption message says was saved is then what the store holds."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda number, _frame: caught.append(number))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if caught:
        raise KeyboardInterrupt


def _article_row(item: Prepared, seq: int, story_id: str, copy_of: str | None,
                 vector: dict[str, float]) -> dict[str, Any]:
    return {
        "key": item.key,
        "seq": seq,
        **article_columns(item.article),
        "story_id": story_id,
        "copy_of": copy_of,
        "minhash": item.signature,
        "features": json.dumps(item.counts, ensure_ascii=False, separators=(",", ":")),
        "vector": json.dumps({t: round(w, 6) for t, w in vector.items()}, ensure_ascii=False,
                             separators=(",", ":")),
    }


# --------------------------------------------------------------------------- reading (workers)


class _Task(NamedTuple):
    """Work for one worker: files to read, or lines or pages of the JSON Lines or WARC file
    ``source``; ``finishes`` names the inputs read in full once this task is done. ``end`` is
    the byte offset in ``source`` after the task's items (``count`` lines or pages), and
    ``advance`` the bytes of input the task covers."""

    kind: str
    items: list[Any]
    source: str
    finishes: tuple[str, ...]
    end: int = 0
    count: int = 0
    advance: int = 0


@dataclass(frozen=True, slots=True)
class _Done:
    """The inputs a task finished reading, those of them that gave at least one article, the
    bytes of input it covered and, for a file read in parts, (file, byte offset, lines or pages)."""

    paths: tuple[str, ...] = ()
    produced: tuple[str, ...] = ()
    advance: int = 0
    position: tuple[str, int, int] | None = None


#: Lines of a JSON Lines file handed to a worker at a time.
_LINES = 64


def _tasks(paths: Sequence[Path], options: ReadOptions,
           starts: dict[str, tuple[int, int]] | None = None) -> Iterator[_Task]:
    """Work for the pool: chunks of files, and chunks of the lines of each JSON Lines file and of
    the pages of each WARC file (the last chunk of a file finishes it). ``starts`` gives, for files
    an earlier run stopped part way through, the byte offset and lines or pages to go on from."""
    starts = starts or {}
    files: list[str] = []
    for path in paths:
        start, count = starts.get(str(path), (0, 0))
        if path.name.lower().endswith(_WARC):
            yield from _warc_tasks(path, options, start, count)
        elif _read_by_lines(path):
            yield from _line_tasks(path, start, count)
        else:
            files.append(str(path))
            if len(files) >= _CHUNK:
                yield _files_task(files)
                files = []
    if files:
        yield _files_task(files)


def _files_task(files: list[str]) -> _Task:
    return _Task("files", files, "", tuple(files), advance=sum(_size(Path(name)) for name in files))


def _warc_tasks(path: Path, options: ReadOptions, start: int, pages: int) -> Iterator[_Task]:
    """The pages of a WARC file from byte ``start`` (``pages`` pages before it), a chunk at a time."""
    from accord.ingest.warc import iter_warc_pages_at

    name = str(path)
    chunk: list[Any] = []
    last = offset = start
    with path.open("rb") as stream:
        for page, offset, pages in iter_warc_pages_at(stream, name=name, max_bytes=options.max_bytes,
                                                      start=start, pages=pages):
            chunk.append(page)
            if len(chunk) >= _CHUNK:
                yield _Task("pages", chunk, name, (), offset, pages, offset - last)
                chunk, last = [], offset
    end = max(_size(path), offset)
    yield _Task("pages", chunk, name, (name,), end, pages, end - last)


def _read_by_lines(path: Path) -> bool:
    """A JSON Lines file read a chunk of lines at a time (so a rerun can go on where a run stopped):
    not compressed, not empty and not binary or UTF-16/32 (those are read whole, as ``accord report`` does)."""
    from accord.ingest.decode import looks_binary

    if not path.name.lower().endswith((".jsonl", ".ndjson")):
        return False
    try:
        with path.open("rb") as stream:
            head = stream.read(8192)
    except OSError:
        return False
    return bool(head.strip()) and not looks_binary(head) and not head.startswith((b"\xff\xfe", b"\xfe\xff"))


def _line_tasks(path: Path, start: int, number: int) -> Iterator[_Task]:
    """The non-blank lines of a JSON Lines file from byte ``start`` (line ``number`` + 1 on), a chunk
    at a time, each line with its number; a file with none gives one "empty file" skip."""
    name = str(path)
    chunk: list[Any] = []
    last = offset = start
    any_line = start > 0
    with path.open("rb") as stream:
        stream.seek(start)
        for raw in stream:
            offset += len(raw)
            number += 1
            if not raw.strip():
                continue
            any_line = True
            chunk.append((number, raw))
            if len(chunk) >= _LINES:
                yield _Task("lines", chunk, name, (), offset, number, offset - last)
                chunk, last = [], offset
    if not any_line:
        chunk.append(Skipped(name, "empty file"))
    yield _Task("lines", chunk, name, (name,), offset, number, offset - last)


def _work(task: _Task, options: ReadOptions) -> tuple[list[Prepared | Skipped], list[str]]:
    """Read a task's files, lines or pages; return what they gave and the files that gave an article."""
    kind, items = task.kind, task.items
    results: list[Prepared | Skipped] = []
    produced: list[str] = []
    if kind == "files":
        for name in items:
            found = read_prepared(Path(name), options)
            if any(isinstance(item, Prepared) for item in found):
                produced.append(name)
            results.extend(found)
        return results, produced
    if kind == "lines":
        from accord.ingest import file_id
        from accord.ingest.records import jsonl_line

        path = Path(task.source)
        stem = file_id(path)
        for line in items:
            results.append(line if isinstance(line, Skipped) else prepare(jsonl_line(path, *line, options, stem=stem)))
        return results, produced
    from accord.ingest.warc import page_article

    for page in items:
        results.append(page if isinstance(page, Skipped) else prepare(page_article(*page, options=options)))
    return results, produced


def _run(
    tasks: Iterable[_Task], options: ReadOptions, workers: int, gave: set[str] | None = None
) -> Iterator[tuple[_Done, list[Prepared | Skipped]]]:
    """Run tasks in order, in this process (workers == 1) or in a pool, at most a few ahead.

    Yields what each task read with the inputs it finished; a JSON Lines or WARC file counts
    as having given an article when any of its lines or pages did, or when it is in ``gave``
    (files an earlier run stopped part way through).
    """
    gave = set(gave or ())

    def finish(task: _Task, results: list[Prepared | Skipped],
               produced: list[str]) -> tuple[_Done, list[Prepared | Skipped]]:
        if task.kind == "files":
            return _Done(task.finishes, tuple(produced), task.advance), results
        if any(isinstance(item, Prepared) for item in results):
            gave.add(task.source)
        produced = [name for name in task.finishes if name in gave]
        return _Done(task.finishes, tuple(produced), task.advance, (task.source, task.end, task.count)), results

    if workers == 1:
        for task in tasks:
            yield finish(task, *_work(task, options))
        return
    # forkserver: workers never inherit the parent's database connections or threads.
    context = multiprocessing.get_context("forkserver")
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=context)
    try:
        in_flight: deque[tuple[_Task, Future[tuple[list[Prepared | Skipped], list[str]]]]] = deque()
        for task in tasks:
            in_flight.append((task, pool.submit(_work, task, options)))
            if len(in_flight) >= workers * 4:
                done, future = in_flight.popleft()
                yield finish(done, *future.result())
        while in_flight:
            done, future = in_flight.popleft()
            yield finish(done, *future.result())
    finally:
        # On Ctrl-C or an error, work not started is dropped rather than waited for.
        pool.shutdown(wait=True, cancel_futures=True)


class _Progress:
    """A rich progress bar on stderr over the bytes of the inputs, counting articles, with the
    time left and a phase for regrouping; silent when stderr is not a terminal."""

    def __init__(self, total: int, *, unit: str = "articles") -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            Progress,
            SpinnerColumn,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        console = Console(stderr=True)
        self._progress = Progress(
            SpinnerColumn(), TextColumn("{task.fields[phase]}"), BarColumn(), TextColumn("{task.percentage:>3.0f}%"),
            TextColumn("{task.description}"), TimeElapsedColumn(), TextColumn("left"), TimeRemainingColumn(),
            console=console, disable=not console.is_terminal, transient=False,
        )
        self._unit = unit
        self._task = self._progress.add_task(f"0 {unit}", total=max(total, 1), phase="ingest")

    def __enter__(self) -> _Progress:
        self._progress.start()
        return self

    def advance(self, done: int, count: int) -> None:
        """Advance by ``done`` (bytes of input read: whole files, or a chunk of the lines or pages of
        a JSON Lines or WARC file; or stories) and show ``count`` (articles read so far, or stories done)."""
        self._progress.update(self._task, advance=done, description=f"{count} {self._unit}")

    def phase(self, name: str | None) -> None:
        """Name what is being done now ("regrouping ..."); None goes back to reading."""
        self._progress.update(self._task, phase=name or "ingest")

    def __exit__(self, *_exc: object) -> None:
        self._progress.stop()


# --------------------------------------------------------------------------- stories

#: Store back-ends accord runs on, by SQLAlchemy backend name.
_BACKENDS = ("sqlite", "postgresql")
#: File suffixes taken for a SQLite file when a path is given instead of a URL.
_SQLITE_SUFFIXES = (".db", ".sqlite", ".sqlite3")


def check_db_url(value: str) -> str:
    """Return ``value`` when it names a store: a SQLite or PostgreSQL URL, or a SQLite file's path.

    Raises ValueError saying what is wrong and what is allowed (nothing is opened).
    """
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    allowed = "use sqlite:///FILE.db, a path ending in .db, or postgresql://USER@HOST/DATABASE"
    text = value.strip()
    if not text:
        raise ValueError(f"an empty store URL: {allowed}")
    if "://" not in text:
        if Path(text).suffix.lower() in _SQLITE_SUFFIXES:
            return text
        raise ValueError(f"{value!r} is not a store URL: {allowed}")
    try:
        url = make_url(normalize_url(text))
    except ArgumentError:
        raise ValueError(f"{value!r} is not a valid URL: {allowed}") from None
    if url.get_backend_name() not in _BACKENDS:
        raise ValueError(f"{url.get_backend_name()!r} stores are not supported: {allowed}")
    if url.get_backend_name() == "sqlite" and not url.database:
        raise ValueError(f"{value!r} names no database file: {allowed}")
    return text


@dataclass(frozen=True, kw_only=True, slots=True)
class StoryFilter:
    """Which stories ``accord stories`` and ``accord export`` take.

    Args:
        since, until: ISO dates; a story is taken when its articles' dates overlap them.
        source: an outlet among the story's sources (case-insensitive, part of the name).
        min_sources: at least this many distinct outlets.
        disputed: only stories whose stored report has a conflict (``accord ingest --reports``).
        search: words that must all appear in the title or the entities (case-insensitive).
        limit: at most this many stories, newest first (None or 0: all).
    """

    since: str | None = None
    until: str | None = None
    source: str | None = None
    min_sources: int = 0
    disputed: bool = False
    search: str | None = None
    limit: int | None = None

    def __post_init__(self) -> None:
        if self.limit is not None and self.limit < 0:
            raise ValueError("limit must be 0 (all) or more")
        if self.min_sources < 0:
            raise ValueError("min_sources must be 0 or more")

    def keeps(self, row: dict[str, Any]) -> bool:
        """True when the story row passes every filter but ``disputed`` and ``limit``."""
        first, last = row["first_published"], row["last_published"]
        if self.since and (last is None or last[:10] < self.since):
            return False
        if self.until and (first is None or first[:10] > self.until):
            return False
        sources = row["sources"]
        if self.source and not any(self.source.casefold() in s.casefold() for s in sources):
            return False
        if len(sources) < self.min_sources:
            return False
        if self.search:
            haystack = " ".join([row["title"], *row["entities"]]).casefold()
            if not all(word in haystack for word in self.search.casefold().split()):
                return False
        return True


def list_stories(db_url: str, story_filter: StoryFilter | None = None) -> tuple[list[dict[str, Any]], int, int]:
    """The store's stories that pass the filter, newest first, with the store's article and
    appearance counts. Each row: id, title, size, first_published, last_published, sources,
    entities (cleaned: see :func:`clean_entities`)."""
    story_filter = story_filter or StoryFilter()
    with open_existing(db_url) as store:
        rows = [row for row in store.story_rows() if story_filter.keeps(row)]
        if story_filter.disputed:
            disputed = _disputed_ids(store)
            rows = [row for row in rows if row["id"] in disputed]
        total = store.count()
        appearances = store.count_sightings()
    if story_filter.limit:
        rows = rows[:story_filter.limit]
    for row in rows:
        row["entities"] = clean_entities(row["entities"])
    return rows, total, appearances


def _disputed_ids(store: Store) -> set[str]:
    """Stories whose stored report finds a conflict; none stored raises StoreError saying what to run."""
    import sqlalchemy as sa

    from accord import store as store_module

    table = getattr(store_module, "story_reports", None)
    if table is None:
        raise StoreError("this version of accord keeps no stored reports: --disputed is not available")
    with store.engine.connect() as connection:
        if connection.execute(sa.select(sa.func.count()).select_from(table)).scalar() == 0:
            raise StoreError("--disputed needs the stories' reports: run `accord ingest INPUT... --reports` first")
        return set(connection.execute(sa.select(table.c.story_id).where(table.c.conflicts > 0)).scalars())


#: Words that end a capitalised run in a headline without being part of a name ("Chief Fire", "Brands Unveil").
_NOT_NAME_END = frozenset(
    "fire fires blaze crash crashes attack attacks unveil unveils unveiled says said warns warned opens "
    "open closes closed hit hits kills killed dies died injured hurt rises rise falls fall cuts cut "
    "announces announced launch launches new update updates police chief officials official minister "
    "report reports news live video photos watch".split()
)
_NOT_NAME_START = frozenset(
    "chief new the a an breaking live update watch more owner mayor president director leader officer "
    "spokesman spokeswoman minister inspector captain councillor sergeant professor dr mr mrs ms".split()
)


def clean_entities(entities: Sequence[str]) -> list[str]:
    """Entity names fit to show: runs that end in a headline word or start with a title word
    ("Chief Fire", "Brands Unveil") are trimmed to their name part, or dropped; duplicates go."""
    cleaned: dict[str, None] = {}
    for entity in entities:
        words = entity.split()
        while words and words[-1].casefold() in _NOT_NAME_END:
            words.pop()
        while words and words[0].casefold() in _NOT_NAME_START:
            words.pop(0)
        if words and not (len(words) == 1 and len(words[0]) < 3):
            cleaned[" ".join(words)] = None
    return list(cleaned)


#: Columns of ``accord stories --format tsv`` (and keys of its JSON rows).
STORY_COLUMNS = ("id", "title", "size", "first_published", "last_published", "sources", "entities")


def format_stories(rows: Sequence[dict[str, Any]], fmt: str) -> str:
    """Story rows as "json" (one array), "jsonl" (one object a line) or "tsv" (a header line, lists
    joined by "; ", tabs and newlines in values replaced by spaces)."""
    picked = [{key: row[key] for key in STORY_COLUMNS} for row in rows]
    if fmt == "json":
        return json.dumps(picked, ensure_ascii=False, indent=2) + "\n"
    if fmt == "jsonl":
        return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in picked)
    if fmt == "tsv":
        def cell(value: Any) -> str:
            text = "; ".join(value) if isinstance(value, list) else "" if value is None else str(value)
            return " ".join(text.split("\t")).replace("\n", " ").replace("\r", " ")

        lines = ["\t".join(STORY_COLUMNS)] + ["\t".join(cell(row[k]) for k in STORY_COLUMNS) for row in picked]
        return "\n".join(lines) + "\n"
    raise ValueError(f"unknown format {fmt!r}: use json, jsonl or tsv")


def print_stories(db_url: str, *, limit: int | None = 50, story_filter: StoryFilter | None = None,
                  fmt: str = "table") -> None:
    """Print the store's stories, newest first: a table (as wide as the terminal) or
    :func:`format_stories` output on stdout.

    A story's size counts appearances, as ``accord report --story`` shows them: a body
    two outlets ran counts twice, and both outlets are among its sources. ``limit`` 0 or
    None shows all; ``story_filter`` (its own limit aside) selects.
    """
    from rich.console import Console
    from rich.table import Table

    story_filter = dataclasses.replace(story_filter or StoryFilter(), limit=limit or None)
    rows, total, appearances = list_stories(db_url, story_filter)
    if fmt != "table":
        sys.stdout.write(format_stories(rows, fmt))
        return
    console = Console(soft_wrap=False, width=_table_width())
    if not rows:
        filtered = story_filter != StoryFilter(limit=story_filter.limit)
        console.print(f"no stories match the filters in {db_url}" if filtered and total else
                      f"no stories in {db_url}: run `accord ingest INPUT... --db {db_url}`")
        return
    table = Table(title=f"{_n(len(rows), 'story', 'stories')}, newest first "
                        f"({_n(total, 'article')}"
                        + (f", {appearances} appearances" if appearances > total else "")
                        + " in the store)")
    for name, justify in (("story", "left"), ("size", "right"), ("dates", "left"),
                          ("sources", "left"), ("entities", "left"), ("title", "left")):
        table.add_column(name, justify=justify, overflow="fold")  # type: ignore[arg-type]
    for row in rows:
        first, last = row["first_published"], row["last_published"]
        dates = "" if first is None else (first if first == last else f"{first} – {last}")
        sources = row["sources"]
        shown = ", ".join(sources[:3]) + (f" +{len(sources) - 3}" if len(sources) > 3 else "")
        table.add_row(row["id"], str(row["size"]), dates, shown,
                      ", ".join(e.title() for e in row["entities"][:4]), row["title"])
    console.print(table)


def _table_width() -> int:
    """The terminal's width, also when stdout is piped (to less, say) and stderr is the terminal;
    $COLUMNS when set; 200 when neither is a terminal (a file keeps whole rows)."""
    if os.environ.get("COLUMNS", "").isdigit():
        return int(os.environ["COLUMNS"])
    for stream in (sys.stdout, sys.stderr):
        try:
            return os.get_terminal_size(stream.fileno()).columns
        except (OSError, ValueError, AttributeError):
            continue
    return 200


# --------------------------------------------------------------------------- export


@dataclass(frozen=True, slots=True)
class ExportSummary:
    """What an export wrote: files written, stories left as they were (unchanged since), failures."""

    written: int
    unchanged: int
    failed: tuple[Skipped, ...] = ()

    def describe(self, directory: Path) -> str:
        """One line for the terminal."""
        return (f"accord: wrote {_n(self.written, 'report')} into {directory}"
                + (f"; {self.unchanged} unchanged since the last export, not written again" if self.unchanged else "")
                + (f"; {len(self.failed)} failed" if self.failed else ""))


#: The file in an export directory recording which version of each story its file holds.
EXPORT_MANIFEST = ".accord-export.json"


def export_reports(db_url: str, directory: Path, *, fmt: str = "json", story_filter: StoryFilter | None = None,
                   sentences: int = 6) -> ExportSummary:
    """Write every story's report into ``directory`` as ``<story id>.<ext>``, with progress on stderr.

    Resumable: a manifest records the version (the appearances' fingerprint) of each story
    written, so a rerun (after an interruption, or after more ingests) writes only the stories
    that are new or grew. A story that cannot be reported is listed in ``failed`` with the
    reason; the others are still written.
    """
    from accord.pipeline import ReportOptions, report_from_store
    from accord.render import FORMATS, render
    from accord.report_store import fingerprints

    if fmt not in ("json", "html", "markdown"):
        raise ValueError(f"unknown format {fmt!r}: use json, html or markdown")
    directory.mkdir(parents=True, exist_ok=True)
    manifest_path = directory / EXPORT_MANIFEST
    try:
        manifest: dict[str, str] = json.loads(manifest_path.read_text("utf-8")) if manifest_path.exists() else {}
    except (OSError, ValueError):
        manifest = {}
    rows, _, _ = list_stories(db_url, story_filter)
    with open_existing(db_url) as store, store.engine.connect() as connection:
        versions = fingerprints(connection, [row["id"] for row in rows])
    options = ReportOptions(summary_sentences=sentences)
    written = unchanged = 0
    failed: list[Skipped] = []
    with _Progress(len(rows), unit="stories") as progress:
        progress.phase("export")
        for row in rows:
            path = directory / f"{row['id']}.{FORMATS[fmt]}"
            key = f"{fmt}:{row['id']}"
            version = versions.get(row["id"], "")
            if path.exists() and manifest.get(key) == version:
                unchanged += 1
            else:
                try:
                    text = render(report_from_store(db_url, row["id"], options=options), fmt)
                    temporary = path.with_name(path.name + ".part")
                    temporary.write_text(text, encoding="utf-8")
                    temporary.replace(path)
                except (AccordError, OSError, ValueError) as exc:
                    failed.append(Skipped(row["id"], str(exc)))
                else:
                    manifest[key] = version
                    manifest_path.write_text(json.dumps(manifest, sort_keys=True, indent=0), encoding="utf-8")
                    written += 1
            progress.advance(1, written + unchanged)
    return ExportSummary(written=written, unchanged=unchanged, failed=tuple(failed))
