"""The corpus pipeline's stages, as plain functions: one pipeline, two ways to run it.

``accord ingest`` (:mod:`accord.corpus`: worker processes read, one process writes a SQL
store) and ``accord spark`` (:mod:`accord.spark`: Spark tasks, Parquet tables) call the same
functions here, and neither driver imports the other. Data flows one way::

    inputs ─expand_inputs─> files ─read_prepared─> Prepared(article, key, features, signature)
    signatures ─copies (CopyIndex, or band_keys + copy_pair)─> copy pairs ─copy_links─> copy_of
    features + copy_of ─group_corpus─> story ids ─story_summary─> title, size, dates, sources
    a story's articles ─story_report─> Report            (accord.pipeline: analyze, corroborate)

Reading (:mod:`accord.ingest`) decodes and cleans each input; :func:`prepare` adds what the
later stages need from an article (its content key, grouping features and MinHash
signature), so the text is read once. The per-story report is
:func:`accord.pipeline.build_report`, the function ``accord report`` runs.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from accord.errors import InputError
from accord.models import Article, Skipped

if TYPE_CHECKING:
    from accord.group import GroupOptions
    from accord.ingest import ReadOptions
    from accord.models import Report

__all__ = [
    "COLLECTION_FILES",
    "Prepared",
    "article_columns",
    "band_keys",
    "bucket_pairs",
    "copy_links",
    "copy_pair",
    "expand_inputs",
    "group_corpus",
    "members_hash",
    "prepare",
    "read_manifest",
    "read_prepared",
    "story_report",
    "story_summary",
]

#: Files in a directory that describe the collection, not an article (as ``accord report`` does).
COLLECTION_FILES = ("readme", "license", "licence", "changelog", "copying")
#: LSH banding of :class:`accord.corroborate.copies.CopyIndex`: 64 bands of 2 rows.
BANDS, ROWS = 64, 2


# --------------------------------------------------------------------------- inputs


def expand_inputs(inputs: Sequence[str | Path]) -> tuple[list[Path], list[Skipped]]:
    """Files to read, and the files found in directories that will not be read, with the reason.

    Named files are all read (a reader that cannot read one says why); under directories
    every non-hidden file is either read or named with its reason (no reader for its
    type, or a note about the folder such as README). Files come in the order
    ``accord ingest`` reads them. A missing path raises :class:`~accord.errors.InputError`.
    """
    from accord.ingest import reader_for

    paths: list[Path] = []
    passed: list[Skipped] = []
    for item in inputs:
        path = Path(item)
        if not path.exists():
            raise InputError(f"no such file or directory: {item}")
        if not path.is_dir():
            paths.append(path)
            continue
        for found in sorted(path.rglob("*")):
            relative = found.relative_to(path).parts
            if not found.is_file() or any(part.startswith(".") for part in relative):
                continue
            if found.stem.lower() in COLLECTION_FILES:
                passed.append(Skipped(str(found), f"{found.name} describes the folder; not read as an article"))
                continue
            reader = reader_for(found)
            if isinstance(reader, str):
                passed.append(Skipped(str(found), reader))
                continue
            paths.append(found)
    return paths, passed


def read_manifest(path: str | Path) -> list[str]:
    """The input paths a manifest file lists, one a line (blank lines and ``#`` comments skipped).

    Relative paths are taken relative to the manifest's folder.
    """
    manifest = Path(path)
    try:
        lines = manifest.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise InputError(f"cannot read the manifest {path}: {exc.strerror}") from None
    found = []
    for line in lines:
        item = line.strip()
        if item and not item.startswith("#"):
            found.append(item if Path(item).is_absolute() else str(manifest.parent / item))
    return found


# --------------------------------------------------------------------------- read


@dataclass(frozen=True, slots=True)
class Prepared:
    """A read article with what the later stages need: its content key (the store's key, equal
    for equal bodies), grouping features (:func:`accord.group.doc_features`) and MinHash
    signature (:func:`accord.corroborate.copies.minhash`, as bytes)."""

    article: Article
    key: str
    counts: dict[str, int]
    signature: bytes


def prepare(item: Article | Skipped) -> Prepared | Skipped:
    """An article's :class:`Prepared`; a skipped input passes through."""
    from accord.corroborate.copies import content_key, minhash, minhash_to_bytes
    from accord.group import doc_features

    if isinstance(item, Skipped):
        return item
    return Prepared(
        article=item,
        key=content_key(item.text),
        counts=doc_features(item.title, item.text),
        signature=minhash_to_bytes(minhash(item.text)),
    )


def read_prepared(path: Path, options: ReadOptions | None = None) -> list[Prepared | Skipped]:
    """Read, decode and clean one input file (:func:`accord.ingest.read_file`) and prepare each article."""
    from accord.ingest import read_file

    return [prepare(item) for item in read_file(path, options)]


def article_columns(article: Article) -> dict[str, Any]:
    """The columns an article is stored with, in the SQL store and the Parquet tables alike."""
    return {
        "article_id": article.id,
        "title": article.title,
        "text": article.text,
        "source": article.source,
        "url": article.url,
        "published": article.published,
        "published_from": article.published_from,
        "updated": article.updated,
        "language": article.language,
        "dateline": article.dateline,
        "removed": json.dumps([[r.text, r.reason] for r in article.removed], ensure_ascii=False),
        "input": article.input,
    }


# --------------------------------------------------------------------------- copies


def band_keys(signature: bytes) -> list[tuple[int, bytes]]:
    """The LSH bucket keys of a signature: one per band, as ``CopyIndex``'s LSH hashes them.

    Two articles are copy candidates when they share a bucket; :func:`copy_pair` decides.
    """
    from accord.corroborate.copies import NUM_PERM

    values = signature[:NUM_PERM * 4]
    step = ROWS * 4
    return [(band, bytes(values[band * step:(band + 1) * step])) for band in range(BANDS)]


def bucket_pairs(keys: Sequence[str]) -> Iterator[tuple[str, str]]:
    """Every pair of the keys sharing one bucket."""
    for i, a in enumerate(keys):
        for b in keys[i + 1:]:
            yield a, b


def copy_pair(a: str, signature_a: bytes, b: str, signature_b: bytes) -> tuple[str, str, float] | None:
    """``(smaller key, larger key, containment)`` when one article copies the other, as
    :class:`~accord.corroborate.copies.CopyIndex` decides (estimated containment at least
    :data:`~accord.corroborate.copies.COPY_THRESHOLD`); None otherwise."""
    from accord.corroborate.copies import COPY_THRESHOLD, estimated_containment, minhash_from_bytes

    found = estimated_containment(minhash_from_bytes(signature_a), minhash_from_bytes(signature_b))
    return (min(a, b), max(a, b), round(found, 6)) if found >= COPY_THRESHOLD else None


def copy_links(keys: Sequence[str], pairs: Iterable[tuple[str, str, float]]) -> dict[str, str]:
    """``copy_of`` by key: for an article (``keys`` in reading order) with a copy partner read
    before it, the earliest such partner."""
    position = {key: i for i, key in enumerate(keys)}
    partners: dict[str, list[str]] = {}
    for a, b, _ in pairs:
        partners.setdefault(a, []).append(b)
        partners.setdefault(b, []).append(a)
    copy_of: dict[str, str] = {}
    for i, key in enumerate(keys):
        earlier = [position[p] for p in partners.get(key, ()) if position.get(p, i) < i]
        if earlier:
            copy_of[key] = keys[min(earlier)]
    return copy_of


# --------------------------------------------------------------------------- grouping


def group_corpus(docs: Iterable[tuple[int, str, str, str | None]], pairs: Iterable[tuple[str, str, float]],
                 options: GroupOptions | None = None) -> tuple[dict[str, str], dict[str, str]]:
    """Story ids and copy links of a whole corpus, as ``accord ingest`` leaves them after consolidating.

    ``docs`` are ``(seq, key, features JSON, published)``; an article that copies an earlier
    one (:func:`copy_links`) goes where that one goes; the others are clustered with
    :func:`accord.group.cluster_batch` under ``options.consolidation()`` (the
    :class:`~accord.group.StoryIndex` past ``options.batch_limit`` articles). Returns
    ``(story id by key, copy_of by key)``.
    """
    from accord.group import Doc, GroupOptions, StoryIndex, cluster_batch, parse_day

    options = options or GroupOptions()
    ordered = sorted(docs)
    copy_of = copy_links([key for _, key, _, _ in ordered], pairs)
    own = [Doc(key, json.loads(features), parse_day(published))
           for _, key, features, published in ordered if key not in copy_of]
    if len(own) <= options.batch_limit:
        labels = cluster_batch(own, options.consolidation())
    else:
        labels = StoryIndex(options).add_batch(own)
    story_of = {doc.key: label for doc, label in zip(own, labels, strict=True)}
    for _, key, _, _ in ordered:
        if key in copy_of:
            story_of[key] = story_of[copy_of[key]]
    return story_of, copy_of


def story_summary(members: Sequence[dict[str, Any]], titles: Sequence[str] | None = None) -> dict[str, Any]:
    """What lists a story: its title (:func:`accord.pipeline.story_title` of the headlines),
    size, first and last day, and sources (most articles first).

    ``members`` are article rows (``title``, ``published``, ``source``), one per appearance;
    ``titles``, the headlines to choose from (default: the members').
    """
    from accord.group import parse_day
    from accord.pipeline import story_title

    headlines = [a["title"] for a in members] if titles is None else titles
    title = story_title([Article(id="", title=t or "", text="") for t in headlines])
    days = sorted(d for d in (parse_day(a["published"]) for a in members) if d is not None)
    sources = Counter(a["source"] for a in members if a["source"])
    return {
        "title": title,
        "size": len(members),
        "first_published": date.fromordinal(days[0]).isoformat() if days else None,
        "last_published": date.fromordinal(days[-1]).isoformat() if days else None,
        "sources": [s for s, _ in sorted(sources.items(), key=lambda kv: (-kv[1], kv[0]))],
    }


def members_hash(keys: Iterable[str]) -> str:
    """A hash of a story's member keys (order-free): a story with the same hash has the same articles."""
    digest = hashlib.blake2b(digest_size=16)
    for key in sorted(keys):
        digest.update(key.encode("ascii") + b"\0")
    return digest.hexdigest()


# --------------------------------------------------------------------------- per-story report


def story_report(story_id: str, articles: Sequence[Article]) -> Report:
    """Analyze and cross-check one story's articles (:func:`accord.pipeline.build_report`),
    titled as ``accord report --story`` titles it."""
    from accord.pipeline import build_report, story_title

    return build_report(articles, story_id=story_id, title=story_title(articles))
