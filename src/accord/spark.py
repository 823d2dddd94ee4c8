"""The corpus pipeline on Apache Spark: the same stages as ``accord ingest``, run by PySpark.

Every stage calls the library functions the single-machine path calls; Spark only decides
where they run:

1. **read** (one task per input file, on the executors): :func:`accord.ingest.read_file`
   reads, decodes and cleans each file (text, HTML, JSON/JSONL, WARC, RSS/Atom); each article
   gets its content key, grouping features (:func:`accord.group.doc_features`) and MinHash
   signature (:func:`accord.corroborate.copies.minhash`), as in :mod:`accord.corpus`. An input
   that gives nothing usable becomes a row of the ``errors`` table with its reason.
2. **copies** (distributed): the LSH bands of :class:`~accord.corroborate.copies.CopyIndex`
   (64 bands of 2 rows) are grouped across the corpus, and each candidate pair is kept when its
   :func:`~accord.corroborate.copies.estimated_containment` reaches the copy threshold: the
   same pairs ``CopyIndex`` finds, with no all-pairs step.
3. **grouping** (on the driver, in this version): the articles' grouping features, days
   and copy links (no texts) are collected to the driver and clustered with
   :func:`accord.group.cluster_batch` under the options ``accord ingest`` consolidates with
   (a copy goes where its original goes), or with :class:`accord.group.StoryIndex` past
   ``GroupOptions.batch_limit`` articles. That gives the groupings ``accord ingest`` ends with
   on a corpus its consolidation covers, but holds the whole corpus's features in the
   driver's memory: it suits corpora up to a few hundred thousand articles, not more.
4. **reports** (one task group per story, on the executors):
   :func:`accord.pipeline.build_report`. The spaCy pipeline and the other models are cached
   per Python worker process (``accord.analyze`` loads each once), and Spark reuses its
   Python workers, so models load once per executor process, not per story. A story whose
   report fails becomes a row of ``errors``; the others go on.

Output: Parquet tables under ``out`` (see :data:`TABLES`). Each run computes every table
from the articles already under ``out`` plus those its inputs add, writes them into a
staging folder and then puts them in place, so a failed or retried task never writes a row
twice, a rerun over the same inputs writes the same rows, and a rerun with more inputs adds
them (a story whose members did not change keeps its stored report). ``out`` must be a
local or mounted folder; the inputs must be readable at the same paths from every executor.

Example::

    summary = run(["crawl/"], "tables/", SparkOptions(master="local[2]"))
    print(summary.describe())
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import sys
import time
import uuid
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from accord.errors import InputError, MissingExtraError, UsageError
from accord.group import GroupOptions

if TYPE_CHECKING:
    from pyspark import RDD
    from pyspark.sql import DataFrame, SparkSession

    from accord.ingest import ReadOptions
    from accord.models import Article

__all__ = ["TABLES", "SparkOptions", "SparkSummary", "read_manifest", "run", "spark_inputs"]

log = logging.getLogger(__name__)

#: The Parquet tables written under ``--out``.
TABLES = ("articles", "stories", "story_members", "copies", "reports", "errors")
#: LSH banding of :class:`accord.corroborate.copies.CopyIndex`: 64 bands of 2 rows.
_BANDS, _ROWS = 64, 2
_STAGING = ".staging-"


@dataclass(frozen=True, kw_only=True, slots=True)
class SparkOptions:
    """Settings for :func:`run`.

    Args:
        master: the Spark master URL (``local[N]``, ``spark://host:7077``, ``yarn``, ...);
            ignored when :func:`run` is given a session.
        read: how inputs are read (size limit, fallback publication date); None: the defaults.
        group: story clustering settings; None: the defaults.
        reports: cross-check every story into the ``reports`` table (False leaves it empty).
        fail_once: a marker file; when set, the first task to read finds it missing, creates it
            and fails, so Spark retries that task (used to test retries).
    """

    master: str = "local[2]"
    read: ReadOptions | None = None
    group: GroupOptions = field(default_factory=GroupOptions)
    reports: bool = True
    fail_once: str | None = None


@dataclass(frozen=True, slots=True)
class SparkSummary:
    """What a run did: inputs read, rows in each table, articles this run added, and its time."""

    inputs: int
    new_articles: int
    rows: dict[str, int]
    seconds: float

    def describe(self) -> str:
        """One line for the terminal."""
        counts = ", ".join(f"{self.rows.get(name, 0)} {name}" for name in TABLES)
        return (f"accord: {self.inputs} inputs read on Spark in {self.seconds:.1f} s; "
                f"{self.new_articles} new articles; the tables hold {counts}")


# --------------------------------------------------------------------------- inputs


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


def spark_inputs(inputs: Sequence[str | Path]) -> tuple[list[Path], list[tuple[str, str]]]:
    """The files to read, in the order ``accord ingest`` reads them, and the files passed over.

    Folders are walked as ``accord ingest`` walks them; each passed-over file comes with
    its reason. A missing path raises :class:`~accord.errors.InputError`.
    """
    from accord.corpus import _expand

    paths, passed = _expand(inputs)
    return paths, [(item.input, item.reason) for item in passed]


# --------------------------------------------------------------------------- run


def run(inputs: Sequence[str | Path], out: str | Path, options: SparkOptions | None = None, *,
        spark: SparkSession | None = None) -> SparkSummary:
    """Run the corpus pipeline over ``inputs`` on Spark and write the tables under ``out``.

    Args:
        inputs: files and folders (read recursively), as for ``accord ingest``.
        out: the folder of the Parquet tables (created if missing).
        options: master URL, reading and grouping settings.
        spark: a session to use (it is left running); by default one is started on
            ``options.master`` and stopped at the end.

    Raises :class:`~accord.errors.MissingExtraError` when PySpark is not installed and
    :class:`~accord.errors.InputError` for a missing input path.
    """
    options = options or SparkOptions()
    started = time.perf_counter()
    out_dir = _out_dir(out)
    paths, passed = spark_inputs(inputs)
    own = spark is None
    session = spark or start_session(options.master)
    try:
        rows = _run(session, paths, passed, out_dir, options)
    finally:
        if own:
            session.stop()
    return SparkSummary(inputs=len(paths), new_articles=rows.pop("new"), rows=rows,
                        seconds=time.perf_counter() - started)


def start_session(master: str) -> SparkSession:
    """A Spark session on ``master`` whose Python workers run this interpreter."""
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise MissingExtraError("PySpark", "spark") from None
    if not shutil.which("java") and not os.environ.get("JAVA_HOME"):
        raise UsageError("Spark needs a Java runtime (17 or later): install one "
                         "(Debian: apt-get install default-jre-headless) or set JAVA_HOME")
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = (SparkSession.builder.master(master).appName("accord")
               .config("spark.ui.enabled", "false")
               .config("spark.ui.showConsoleProgress", "false")
               .config("spark.python.worker.reuse", "true")
               .config("spark.sql.session.timeZone", "UTC"))
    if master.startswith("local"):
        cores = _local_cores(master)
        builder = (builder.config("spark.sql.shuffle.partitions", str(cores))
                   .config("spark.default.parallelism", str(cores))
                   .config("spark.pyspark.python", sys.executable))
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    return session


def _local_cores(master: str) -> int:
    """The cores of a ``local``, ``local[N]``, ``local[N,F]`` or ``local[*]`` master."""
    inside = master.partition("[")[2].rstrip("]").split(",")[0]
    return int(inside) if inside.isdigit() else (os.cpu_count() or 1) if inside else 1


def _out_dir(out: str | Path) -> Path:
    text = str(out)
    if "://" in text and not text.startswith("file://"):
        raise UsageError(f"--out must be a local or mounted folder in this version, not {text}")
    path = Path(text.removeprefix("file://"))
    if path.exists() and not path.is_dir():
        raise UsageError(f"--out {text} is a file; give a folder for the tables")
    path.mkdir(parents=True, exist_ok=True)
    return path


def _run(spark: SparkSession, paths: Sequence[Path], passed: Sequence[tuple[str, str]], out: Path,
         options: SparkOptions) -> dict[str, int]:
    """All stages; returns the rows of each table and the number of new articles (``new``)."""
    from accord.ingest import ReadOptions

    read_options = options.read or ReadOptions()
    started = time.perf_counter()
    sc = spark.sparkContext
    tasks = [(position, str(path)) for position, path in enumerate(paths)]
    fail_once = options.fail_once
    records = sc.parallelize(tasks, max(1, len(tasks))).flatMap(
        lambda task: read_task(task, read_options, fail_once)).cache()
    try:
        articles, new = _all_articles(spark, records, out)
        errors = [(name, reason) for name, reason in passed]
        errors += records.filter(lambda r: r[0] == "error").map(lambda r: (r[1]["input"], r[1]["reason"])).collect()
        pairs = find_copy_pairs(articles.map(lambda a: (a["key"], a["minhash"])))
        story_of, copy_of = group_articles(
            articles.map(lambda a: (a["seq"], a["key"], a["features"], a["published"])).collect(),
            pairs, options.group)
        links = sc.broadcast((story_of, copy_of))
        placed = articles.map(lambda a: {**a, "story_id": links.value[0][a["key"]],
                                         "copy_of": links.value[1].get(a["key"])})
        placed.cache()
        log.info("read and grouped %d articles (%.1f s)", len(story_of), time.perf_counter() - started)
        tables = _tables(spark, placed, pairs, errors, out, options)
        counts = _write(tables, out)
        log.info("wrote the tables (%.1f s)", time.perf_counter() - started)
    finally:
        records.unpersist()
    counts["new"] = new
    return counts


# --------------------------------------------------------------------------- read (executors)


def read_task(task: tuple[int, str], options: ReadOptions, fail_once: str | None = None) -> list[tuple[str, dict[str, Any]]]:
    """Read one input file: ``("article", row)`` for each article, ``("error", row)`` for what was skipped.

    Runs on an executor. ``row["order"]`` is (input position, record number), the order
    ``accord ingest`` reads articles in.
    """
    from accord.ingest import read_file
    from accord.models import Skipped

    position, name = task
    if fail_once and not os.path.exists(fail_once):
        Path(fail_once).touch()
        raise RuntimeError(f"failing once on purpose while reading {name} (fail_once marker {fail_once})")
    found: list[tuple[str, dict[str, Any]]] = []
    for number, item in enumerate(read_file(Path(name), options)):
        if isinstance(item, Skipped):
            found.append(("error", {"input": item.input, "reason": item.reason}))
        else:
            found.append(("article", article_row(item, (position, number))))
    return found


def article_row(article: Article, order: tuple[int, int]) -> dict[str, Any]:
    """The row of one article: its fields with the content key, grouping features and signature
    that :mod:`accord.corpus` computes for the store."""
    from accord.corpus import article_columns
    from accord.corroborate.copies import content_key, minhash, minhash_to_bytes
    from accord.group import doc_features

    return {
        "key": content_key(article.text),
        "order": order,
        **article_columns(article),
        "features": json.dumps(doc_features(article.title, article.text), ensure_ascii=False, separators=(",", ":")),
        "minhash": minhash_to_bytes(minhash(article.text)),
    }


def row_article(row: dict[str, Any]) -> Article:
    """The :class:`~accord.models.Article` of an ``articles`` row."""
    from accord.models import Article, Removed

    return Article(
        id=row["article_id"], title=row["title"], text=row["text"], source=row["source"], url=row["url"],
        published=row["published"], published_from=row["published_from"], updated=row["updated"],
        language=row["language"], dateline=row["dateline"],
        removed=tuple(Removed(text, reason) for text, reason in json.loads(row["removed"] or "[]")),
        input=row["input"],
    )


_ARTICLE_FIELDS = ("seq", "key", "article_id", "title", "text", "source", "url", "published", "published_from",
                   "updated", "language", "dateline", "removed", "input", "features", "minhash")


def _all_articles(spark: SparkSession, records: RDD[Any], out: Path) -> tuple[RDD[dict[str, Any]], int]:
    """The articles already under ``out`` with those read now that are new (one row per content key,
    the first read wins); new articles are numbered after the stored ones in reading order."""
    read = (records.filter(lambda r: r[0] == "article").map(lambda r: (r[1]["key"], r[1]))
            .reduceByKey(lambda a, b: a if tuple(a["order"]) <= tuple(b["order"]) else b))
    stored = _stored(spark, out, "articles")
    if stored is None:
        old = spark.sparkContext.emptyRDD()
        first = 0
    else:
        old = stored.select(*_ARTICLE_FIELDS).rdd.map(lambda r: (r["key"], r.asDict()))
        first = (stored.agg({"seq": "max"}).first()[0] or -1) + 1
    fresh = read.subtractByKey(old).values().sortBy(lambda a: tuple(a["order"]), numPartitions=1)
    numbered = fresh.zipWithIndex().map(
        lambda pair: {**{k: v for k, v in pair[0].items() if k != "order"}, "seq": first + pair[1]})
    articles = old.values().union(numbered).cache()
    return articles, numbered.count()


def _stored(spark: SparkSession, out: Path, table: str) -> DataFrame | None:
    path = out / table
    if not path.is_dir():
        return None
    return spark.read.parquet(str(path))


# --------------------------------------------------------------------------- copies


def band_keys(signature: bytes) -> list[tuple[int, bytes]]:
    """The LSH bucket keys of a stored signature: one per band, as ``CopyIndex``'s LSH hashes them."""
    from accord.corroborate.copies import NUM_PERM

    width = NUM_PERM * 4
    values = signature[:width]
    step = _ROWS * 4
    return [(band, bytes(values[band * step:(band + 1) * step])) for band in range(_BANDS)]


def find_copy_pairs(signatures: RDD[tuple[str, bytes]]) -> list[tuple[str, str, float]]:
    """Copy pairs ``(key, key, containment)`` (smaller key first, sorted) over the whole corpus.

    Candidates share an LSH bucket; a pair is kept when its estimated containment reaches
    :data:`~accord.corroborate.copies.COPY_THRESHOLD`, as :class:`CopyIndex` decides.
    """
    candidates = (signatures.flatMap(lambda ks: [(band, ks[0]) for band in band_keys(ks[1])])
                  .groupByKey()
                  .flatMap(lambda bucket: _bucket_pairs(sorted(set(bucket[1]))))
                  .distinct())
    by_key = signatures
    checked = (candidates.join(by_key).map(lambda p: (p[1][0], (p[0], p[1][1])))
               .join(by_key).map(lambda p: _check_pair(p[1][0][0], p[1][0][1], p[0], p[1][1]))
               .filter(lambda found: found is not None))
    return sorted(checked.collect())


def _bucket_pairs(keys: Sequence[str]) -> Iterator[tuple[str, str]]:
    for i, a in enumerate(keys):
        for b in keys[i + 1:]:
            yield a, b


def _check_pair(a: str, signature_a: bytes, b: str, signature_b: bytes) -> tuple[str, str, float] | None:
    from accord.corroborate.copies import COPY_THRESHOLD, estimated_containment, minhash_from_bytes

    found = estimated_containment(minhash_from_bytes(signature_a), minhash_from_bytes(signature_b))
    return (min(a, b), max(a, b), round(found, 6)) if found >= COPY_THRESHOLD else None


# --------------------------------------------------------------------------- grouping (driver)


def group_articles(docs: Iterable[tuple[int, str, str, str | None]], pairs: Iterable[tuple[str, str, float]],
                   options: GroupOptions | None = None) -> tuple[dict[str, str], dict[str, str]]:
    """Story ids and copy links of the corpus, as ``accord ingest`` leaves them after consolidating.

    ``docs`` are ``(seq, key, features JSON, published)``; an article that copies an earlier
    one (``copy_of``: its earliest earlier copy partner) goes where that one goes; the others
    are clustered with :func:`accord.group.cluster_batch` under ``options.consolidation()``
    (the :class:`~accord.group.StoryIndex` past ``options.batch_limit`` articles). Returns
    ``(story id by key, copy_of by key)``. Runs on the driver.
    """
    from accord.group import Doc, StoryIndex, cluster_batch, parse_day

    options = options or GroupOptions()
    ordered = sorted(docs)
    position = {key: i for i, (_, key, _, _) in enumerate(ordered)}
    partners: dict[str, list[str]] = {}
    for a, b, _ in pairs:
        partners.setdefault(a, []).append(b)
        partners.setdefault(b, []).append(a)
    copy_of: dict[str, str] = {}
    for i, (_, key, _, _) in enumerate(ordered):
        earlier = [position[p] for p in partners.get(key, ()) if position.get(p, i) < i]
        if earlier:
            copy_of[key] = ordered[min(earlier)][1]
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


# --------------------------------------------------------------------------- tables


def _tables(spark: SparkSession, placed: RDD[dict[str, Any]], pairs: Sequence[tuple[str, str, float]],
            errors: Sequence[tuple[str, str]], out: Path, options: SparkOptions) -> dict[str, DataFrame]:
    """Every output table as a DataFrame, from the placed articles."""
    from pyspark.sql import types as T

    schemas = _schemas()
    by_story = placed.map(lambda a: (a["story_id"], a)).groupByKey().mapValues(
        lambda members: sorted(members, key=lambda a: a["seq"])).cache()
    stories = by_story.map(lambda s: story_row(s[0], s[1]))
    members = by_story.flatMap(lambda s: [(s[0], a["key"], a["article_id"], i) for i, a in enumerate(s[1])])
    reports, report_errors = _reports(spark, by_story, out, options)
    old_errors = _stored(spark, out, "errors")
    error_rows = {tuple(e) for e in errors} | set(report_errors)
    if old_errors is not None:
        error_rows |= {(r["input"], r["reason"]) for r in old_errors.collect()}
    article_columns = [f.name for f in schemas["articles"].fields]
    return {
        "articles": spark.createDataFrame(placed.map(lambda a: tuple(a.get(c) for c in article_columns)),
                                          schemas["articles"]),
        "stories": spark.createDataFrame(stories, schemas["stories"]),
        "story_members": spark.createDataFrame(members, schemas["story_members"]),
        "copies": spark.createDataFrame(list(pairs), schemas["copies"]).coalesce(1),
        "reports": reports,
        "errors": spark.createDataFrame(sorted(error_rows), T.StructType([
            T.StructField("input", T.StringType()), T.StructField("reason", T.StringType())])).coalesce(1),
    }


def story_row(story_id: str, members: Sequence[dict[str, Any]]) -> tuple[Any, ...]:
    """A ``stories`` row: id, title, size, date span, sources (most articles first), first seq, members hash."""
    from accord.models import Article
    from accord.pipeline import story_title

    title = story_title([Article(id="", title=a["title"] or "", text="") for a in members])
    days = sorted(d for d in (_day(a["published"]) for a in members) if d)
    sources = Counter(a["source"] for a in members if a["source"])
    return (story_id, title, len(members), days[0] if days else None, days[-1] if days else None,
            [s for s, _ in sorted(sources.items(), key=lambda kv: (-kv[1], kv[0]))],
            min(a["seq"] for a in members), members_hash(a["key"] for a in members))


def members_hash(keys: Iterable[str]) -> str:
    """A hash of a story's member keys (order-free): a story with the same hash has the same articles."""
    digest = hashlib.blake2b(digest_size=16)
    for key in sorted(keys):
        digest.update(key.encode("ascii") + b"\0")
    return digest.hexdigest()


def _day(published: str | None) -> str | None:
    from accord.group import parse_day

    day = parse_day(published)
    return None if day is None else date.fromordinal(day).isoformat()


def _reports(spark: SparkSession, by_story: RDD[tuple[str, list[dict[str, Any]]]], out: Path,
             options: SparkOptions) -> tuple[DataFrame, list[tuple[str, str]]]:
    """The ``reports`` table: one JSON report per story, kept from ``out`` for a story whose members
    did not change; and an error row for each story whose report failed."""
    schema = _schemas()["reports"]
    if not options.reports:
        return spark.createDataFrame([], schema), []
    stored = _stored(spark, out, "reports")
    kept: dict[tuple[str, str], str] = {}
    if stored is not None:
        kept = {(r["story_id"], r["members_hash"]): r["report"] for r in stored.collect()}
    known = spark.sparkContext.broadcast(kept)
    made = by_story.map(lambda s: report_row(s[0], s[1], known.value)).cache()
    failed = made.filter(lambda r: r[2] is None).map(lambda r: (f"story {r[0]}", r[3])).collect()
    rows = made.filter(lambda r: r[2] is not None).map(lambda r: (r[0], r[1], r[2]))
    return spark.createDataFrame(rows, schema), failed


def report_row(story_id: str, members: Sequence[dict[str, Any]],
               known: dict[tuple[str, str], str]) -> tuple[str, str, str | None, str | None]:
    """``(story id, members hash, report JSON, None)``, or ``(..., None, reason)`` when it fails.

    Runs on an executor; a stored report of the same members is reused as it is.
    """
    from accord.pipeline import build_report, story_title
    from accord.render import to_json

    digest = members_hash(a["key"] for a in members)
    if (story_id, digest) in known:
        return story_id, digest, known[(story_id, digest)], None
    articles = [row_article(a) for a in members]
    try:
        report = build_report(articles, story_id=story_id, title=story_title(articles))
    except Exception as exc:  # noqa: BLE001 - one story's failure never stops the others
        log.warning("story %s: report failed", story_id, exc_info=True)
        return story_id, digest, None, f"report failed ({type(exc).__name__}: {exc})"
    return story_id, digest, to_json(report), None


def _schemas() -> dict[str, Any]:
    from pyspark.sql import types as T

    def fields(*spec: tuple[str, Any]) -> Any:
        return T.StructType([T.StructField(name, kind) for name, kind in spec])

    s, n = T.StringType(), T.LongType()
    return {
        "articles": fields(("seq", n), ("key", s), ("article_id", s), ("title", s), ("text", s), ("source", s),
                           ("url", s), ("published", s), ("published_from", s), ("updated", s), ("language", s),
                           ("dateline", s), ("removed", s), ("input", s), ("features", s),
                           ("minhash", T.BinaryType()), ("story_id", s), ("copy_of", s)),
        "stories": fields(("story_id", s), ("title", s), ("size", n), ("first_published", s),
                          ("last_published", s), ("sources", T.ArrayType(s)), ("first_seq", n),
                          ("members_hash", s)),
        "story_members": fields(("story_id", s), ("key", s), ("article_id", s), ("position", n)),
        "copies": fields(("key_a", s), ("key_b", s), ("containment", T.DoubleType())),
        "reports": fields(("story_id", s), ("members_hash", s), ("report", s)),
    }


# --------------------------------------------------------------------------- write


def _write(tables: dict[str, DataFrame], out: Path) -> dict[str, int]:
    """Write every table into a staging folder, then put each in place of the one before."""
    staging = out / f"{_STAGING}{uuid.uuid4().hex[:12]}"
    counts = {}
    try:
        for name, frame in tables.items():
            started = time.perf_counter()
            frame.write.mode("overwrite").parquet(str(staging / name))
            counts[name] = frame.sparkSession.read.parquet(str(staging / name)).count()
            log.info("table %s: %d rows (%.1f s)", name, counts[name], time.perf_counter() - started)
        for name in tables:
            _swap(staging / name, out / name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return counts


def _swap(new: Path, target: Path) -> None:
    old = target.with_name(f"{_STAGING}old-{target.name}-{uuid.uuid4().hex[:8]}")
    if target.exists():
        target.rename(old)
    new.rename(target)
    shutil.rmtree(old, ignore_errors=True)
