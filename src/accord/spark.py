"""The corpus pipeline on Apache Spark: the same stages as ``accord ingest``, run by PySpark.

This is the other driver of the corpus pipeline (:mod:`accord.corpus` is the
single-machine one); both call the stage functions of :mod:`accord.stages`, and Spark
only decides where they run:

1. **read** (one task per input file, on the executors): :func:`accord.stages.read_prepared`
   reads, decodes and cleans each file (text, HTML, JSON/JSONL, WARC, RSS/Atom) and gives
   each article its content key, grouping features and MinHash signature
   (:func:`accord.stages.prepare`). Folders and manifests are expanded by
   :func:`accord.stages.expand_inputs` and :func:`accord.stages.read_manifest`. An input
   that gives nothing usable becomes a row of the ``errors`` table with its reason.
2. **copies** (distributed): the LSH bands of :class:`~accord.corroborate.copies.CopyIndex`
   (:func:`accord.stages.band_keys`: 64 bands of 2 rows) are grouped across the corpus, and
   each candidate pair is kept when :func:`accord.stages.copy_pair` says one copies the
   other: the same pairs ``CopyIndex`` finds, with no all-pairs step.
3. **grouping** (on the driver, in this version): the articles' grouping features, days
   and copy links (no texts) are collected to the driver and clustered by
   :func:`accord.stages.group_corpus` (:func:`accord.group.cluster_batch` under the options
   ``accord ingest`` consolidates with; a copy goes where its original goes; the
   :class:`accord.group.StoryIndex` past ``GroupOptions.batch_limit`` articles). That gives
   the groupings ``accord ingest`` ends with on a corpus its consolidation covers, but holds
   the whole corpus's features in the driver's memory: it suits corpora up to a few hundred
   thousand articles, not more.
4. **reports** (one task group per story, on the executors): :func:`accord.stages.story_report`
   (:func:`accord.pipeline.build_report`). The spaCy pipeline and the other models are cached
   per Python worker process (``accord.analyze`` loads each once), and Spark reuses its
   Python workers, so models load once per executor process, not per story. A story whose
   report fails becomes a row of ``errors``; the others go on.

Output: Parquet tables under ``out`` (see :data:`TABLES`). Each run computes every table
from the articles already under ``out`` plus those its inputs add, writes them into a
staging folder and then puts them in place, so a failed or retried task never writes a row
twice, a rerun over the same inputs writes the same rows, and a rerun with more inputs adds
them (a story whose members did not change keeps its stored report). ``out`` must be a
local or mounted folder; the inputs must be readable at the same paths from every executor.

With ``SparkOptions.db``, the articles, their appearances and the stories are also written
into the SQL store (:func:`write_store`), and every story of the store whose stored report
is missing or outdated is cross-checked on the executors and kept there
(:func:`store_reports`), read as ``accord report --story`` reads it (one article per
appearance), so the store holds what ``accord ingest --reports`` leaves and ``accord
serve`` shows it.

Example::

    summary = run(["crawl/"], "tables/", SparkOptions(master="local[2]"))
    print(summary.describe())
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import sys
import time
import uuid
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from accord.errors import MissingExtraError, UsageError
from accord.group import GroupOptions
from accord.stages import (
    article_columns,
    band_keys,
    bucket_pairs,
    copy_pair,
    expand_inputs,
    group_corpus,
    members_hash,
    read_manifest,
    story_report,
    story_summary,
)

if TYPE_CHECKING:
    from pyspark import RDD
    from pyspark.sql import DataFrame, SparkSession

    from accord.ingest import ReadOptions
    from accord.models import Article, Report
    from accord.stages import Prepared

__all__ = ["TABLES", "SparkOptions", "SparkSummary", "read_manifest", "run", "spark_inputs"]

log = logging.getLogger(__name__)

#: The Parquet tables written under ``--out``.
TABLES = ("articles", "stories", "story_members", "copies", "reports", "errors")
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
        db: a store URL (``sqlite:///FILE.db``, a SQLite file's path, ``postgresql://...``); when
            set, the articles, their appearances and the stories are also written into that store,
            where ``accord stories`` and ``accord report --story`` read them (see :func:`write_store`).
    """

    master: str = "local[2]"
    read: ReadOptions | None = None
    group: GroupOptions = field(default_factory=GroupOptions)
    reports: bool = True
    fail_once: str | None = None
    db: str | None = None


@dataclass(frozen=True, slots=True)
class SparkSummary:
    """What a run did: inputs read, rows in each table, articles this run added, and its time."""

    inputs: int
    new_articles: int
    rows: dict[str, int]
    seconds: float
    #: Seconds each stage took: read, copies, grouping, reports, write (and with ``db``: store,
    #: and store reports unless ``reports`` is off).
    stages: dict[str, float] = field(default_factory=dict)
    #: The store written (``SparkOptions.db``), or None.
    db: str | None = None
    #: Reports made and kept in the store (with ``db``; stories whose report was current are not counted).
    stored_reports: int = 0

    def describe(self) -> str:
        """One line for the terminal."""
        counts = ", ".join(f"{self.rows.get(name, 0)} {name}" for name in TABLES)
        stored = (f"; the store {self.db} holds the same articles and stories ({self.stored_reports} reports "
                  "made for it)") if self.db else ""
        return (f"accord: {self.inputs} inputs read on Spark in {self.seconds:.1f} s; "
                f"{self.new_articles} new articles; the tables hold {counts}{stored}")


# --------------------------------------------------------------------------- inputs


def spark_inputs(inputs: Sequence[str | Path]) -> tuple[list[Path], list[tuple[str, str]]]:
    """The files to read, in the order ``accord ingest`` reads them, and the files passed over.

    Folders are walked as ``accord ingest`` walks them; each passed-over file comes with
    its reason. A missing path raises :class:`~accord.errors.InputError`.
    """
    paths, passed = expand_inputs(inputs)
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
    stages: dict[str, float] = {}
    try:
        rows = _run(session, paths, passed, out_dir, options, stages)
    finally:
        if own:
            session.stop()
    return SparkSummary(inputs=len(paths), new_articles=rows.pop("new"), stored_reports=rows.pop("stored_reports", 0),
                        rows=rows, seconds=time.perf_counter() - started, stages=stages, db=options.db)


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
         options: SparkOptions, stages: dict[str, float]) -> dict[str, int]:
    """All stages; returns the rows of each table and the number of new articles (``new``).

    ``stages`` receives the seconds each stage took (each is run to its end before the next).
    """
    from accord.ingest import ReadOptions

    read_options = options.read or ReadOptions()
    clock = _Clock(stages)
    sc = spark.sparkContext
    tasks = [(position, str(path)) for position, path in enumerate(paths)]
    fail_once = options.fail_once
    records = sc.parallelize(tasks, max(1, len(tasks))).flatMap(
        lambda task: read_task(task, read_options, fail_once)).cache()
    try:
        articles, new = _all_articles(spark, records, out)
        errors = [(name, reason) for name, reason in passed]
        errors += records.filter(lambda r: r[0] == "error").map(lambda r: (r[1]["input"], r[1]["reason"])).collect()
        clock.lap("read")
        pairs = find_copy_pairs(articles.map(lambda a: (a["key"], a["minhash"])))
        clock.lap("copies")
        docs = articles.map(lambda a: (a["seq"], a["key"], a["features"], a["published"])).collect()
        story_of, copy_of = group_articles(docs, pairs, options.group)
        links = sc.broadcast((story_of, copy_of))
        placed = articles.map(lambda a: {**a, "story_id": links.value[0][a["key"]],
                                         "copy_of": links.value[1].get(a["key"])})
        placed.cache()
        clock.lap("grouping")
        log.info("read and grouped %d articles (%.1f s)", len(story_of), sum(stages.values()))
        tables = _tables(spark, placed, pairs, errors, out, options)
        clock.lap("reports")
        counts = _write(tables, out)
        clock.lap("write")
        log.info("wrote the tables (%.1f s)", sum(stages.values()))
        if options.db:
            appearances = records.filter(lambda r: r[0] == "article").map(lambda r: _appearance(r[1]))
            write_store(options.db, placed.toLocalIterator(), appearances.toLocalIterator(), docs, story_of,
                        options.group)
            clock.lap("store")
            if options.reports:
                counts["stored_reports"] = store_reports(spark, options.db)
                clock.lap("store reports")
    finally:
        records.unpersist()
    counts["new"] = new
    return counts


class _Clock:
    """Seconds between laps, by stage name."""

    def __init__(self, stages: dict[str, float]) -> None:
        self.stages = stages
        self.last = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.stages[name] = round(self.stages.get(name, 0.0) + now - self.last, 3)
        self.last = now


# --------------------------------------------------------------------------- read (executors)


def read_task(task: tuple[int, str], options: ReadOptions, fail_once: str | None = None) -> list[tuple[str, dict[str, Any]]]:
    """Read one input file: ``("article", row)`` for each article, ``("error", row)`` for what was skipped.

    Runs on an executor. ``row["order"]`` is (input position, record number), the order
    ``accord ingest`` reads articles in.
    """
    from accord.models import Skipped
    from accord.stages import read_prepared

    position, name = task
    if fail_once and not os.path.exists(fail_once):
        Path(fail_once).touch()
        raise RuntimeError(f"failing once on purpose while reading {name} (fail_once marker {fail_once})")
    found: list[tuple[str, dict[str, Any]]] = []
    for number, item in enumerate(read_prepared(Path(name), options)):
        if isinstance(item, Skipped):
            found.append(("error", {"input": item.input, "reason": item.reason}))
        else:
            found.append(("article", article_row(item, (position, number))))
    return found


def article_row(item: Prepared, order: tuple[int, int]) -> dict[str, Any]:
    """The row of one prepared article (:func:`accord.stages.prepare`): its stored columns, content
    key, grouping features and signature, as ``accord ingest`` stores them."""
    return {
        "key": item.key,
        "order": order,
        **article_columns(item.article),
        "features": json.dumps(item.counts, ensure_ascii=False, separators=(",", ":")),
        "minhash": item.signature,
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


def find_copy_pairs(signatures: RDD[tuple[str, bytes]]) -> list[tuple[str, str, float]]:
    """Copy pairs ``(key, key, containment)`` (smaller key first, sorted) over the whole corpus.

    Candidates share an LSH bucket; a pair is kept when its estimated containment reaches
    :data:`~accord.corroborate.copies.COPY_THRESHOLD`, as :class:`CopyIndex` decides.
    """
    candidates = (signatures.flatMap(lambda ks: [(band, ks[0]) for band in band_keys(ks[1])])
                  .groupByKey()
                  .flatMap(lambda bucket: bucket_pairs(sorted(set(bucket[1]))))
                  .distinct())
    by_key = signatures
    checked = (candidates.join(by_key).map(lambda p: (p[1][0], (p[0], p[1][1])))
               .join(by_key).map(lambda p: copy_pair(p[1][0][0], p[1][0][1], p[0], p[1][1]))
               .filter(lambda found: found is not None))
    return sorted(checked.collect())


# --------------------------------------------------------------------------- grouping (driver)


def group_articles(docs: Iterable[tuple[int, str, str, str | None]], pairs: Iterable[tuple[str, str, float]],
                   options: GroupOptions | None = None) -> tuple[dict[str, str], dict[str, str]]:
    """Story ids and copy links of the corpus (:func:`accord.stages.group_corpus`). Runs on the driver."""
    return group_corpus(docs, pairs, options)


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
    summary = story_summary(members)
    return (story_id, summary["title"], summary["size"], summary["first_published"], summary["last_published"],
            summary["sources"], min(a["seq"] for a in members), members_hash(a["key"] for a in members))


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
    from accord.render import to_json

    digest = members_hash(a["key"] for a in members)
    if (story_id, digest) in known:
        return story_id, digest, known[(story_id, digest)], None
    articles = [row_article(a) for a in members]
    try:
        report = story_report(story_id, articles)
    except Exception as exc:  # noqa: BLE001 - one story's failure never stops the others
        log.warning("story %s: report failed", story_id, exc_info=True)
        return story_id, digest, None, f"report failed ({type(exc).__name__}: {exc})"
    return story_id, digest, to_json(report), None


def store_reports(spark: SparkSession, db_url: str) -> int:
    """Cross-check, on the executors, every story of the store at ``db_url`` whose stored report is
    missing or outdated, and keep the reports there; return how many were made.

    Each story is read as ``accord report --story`` reads it (one article per appearance, the
    store's title), so the reports are those ``accord ingest --reports`` keeps; a story whose
    version did not change keeps its report, so a rerun makes none. A story that fails is
    logged and left without a report, as ``accord ingest --reports`` leaves it.
    """
    from accord.report_store import fingerprints, save_report, stale_stories
    from accord.store import Store

    with Store.open(db_url) as store:
        with store.engine.connect() as connection:
            stale = stale_stories(connection)
            versions = fingerprints(connection, stale)
        jobs = []
        for story_id in stale:
            row = store.story_row(story_id)
            if row is not None and story_id in versions:
                jobs.append((story_id, versions[story_id], row["title"], store.story_articles(story_id)))
    if not jobs:
        return 0
    made = spark.sparkContext.parallelize(jobs, min(len(jobs), spark.sparkContext.defaultParallelism * 4)).map(
        _stored_report).toLocalIterator()
    saved = 0
    with Store.open(db_url) as store:
        for story_id, version, report in made:
            if report is not None:
                save_report(store, story_id, version, report)
                saved += 1
    return saved


def _stored_report(job: tuple[str, str, str, list[Article]]) -> tuple[str, str, Report | None]:
    """Runs on an executor: one story's report as ``accord ingest --reports`` makes it (None: it failed)."""
    from accord.pipeline import build_report

    story_id, version, title, articles = job
    try:
        return story_id, version, build_report(articles, story_id=story_id, title=title)
    except Exception:  # noqa: BLE001 - one story's failure never stops the others
        log.warning("story %s: report failed", story_id, exc_info=True)
        return story_id, version, None


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


# --------------------------------------------------------------------------- store (--db)


def _appearance(row: dict[str, Any]) -> dict[str, Any]:
    """The ``sightings`` row of one article read (an appearance of its body), without its text."""
    from accord.store import sighting_ident

    return {"ident": sighting_ident(row["key"], row["url"], row["input"], row["article_id"]),
            "key": row["key"], "is_first": False,
            **{name: row[name] for name in ("article_id", "title", "source", "url", "published",
                                            "published_from", "input")}}


def write_store(db_url: str, placed: Iterable[dict[str, Any]], appearances: Iterable[dict[str, Any]],
                docs: Sequence[tuple[int, str, str, str | None]], story_of: dict[str, str],
                options: GroupOptions | None = None) -> int:
    """Write the placed articles, their appearances and the stories into the store at ``db_url``,
    as ``accord ingest`` leaves a store; return the articles written.

    ``placed`` are the ``articles`` rows with their story and copy link, ``appearances`` the
    ``sightings`` rows of every article this run read, ``docs`` the ``(seq, key, features JSON,
    published)`` of every article. Each article gets the TF-IDF vector and each story the names
    :class:`~accord.group.StoryIndex` gives them over the whole corpus (so ``accord ingest`` can
    go on in the same store), and a story's size, sources and dates take in every appearance,
    as ``accord stories`` shows them. Writing the same tables again changes nothing; stories
    that a rerun regrouped away are deleted.

    The store must hold no article the tables do not (it is written from the tables alone):
    one given another corpus raises :class:`~accord.errors.UsageError`.
    """
    import dataclasses

    from accord.group import Doc, StoryIndex, parse_day
    from accord.stages import story_summary
    from accord.store import CONSOLIDATED_SETTING, GROUP_OPTIONS_SETTING, Store

    options = options or GroupOptions()
    seq_of = {key: seq for seq, key, _, _ in docs}
    index = StoryIndex(options)
    index.count(Doc(key, json.loads(features)) for _, key, features, _ in docs)
    with Store.open(db_url) as store:
        foreign = sum(1 for key, seq in store.iter_seqs() if seq_of.get(key) != seq)
        if foreign:
            raise UsageError(f"the store {db_url} holds {foreign} article{'s' if foreign != 1 else ''} these tables "
                             "do not hold in the same place (the tables are written): give --db a new store, or the "
                             "one an earlier run with this --out wrote")

        def rows() -> Iterator[dict[str, Any]]:
            for row in placed:
                doc = Doc(row["key"], json.loads(row["features"]), parse_day(row["published"]))
                vector = index.vectorize(doc)
                index.restore(doc, row["story_id"], vector)
                yield {**{name: row[name] for name in _STORE_COLUMNS}, "minhash": bytes(row["minhash"]),
                       "vector": json.dumps({t: round(w, 6) for t, w in vector.items()}, ensure_ascii=False,
                                            separators=(",", ":"))}

        written = store.write_grouped(rows(), appearances)
        members: dict[str, list[dict[str, Any]]] = {}
        titles: dict[str, list[str]] = {}
        seqs: dict[str, list[int]] = {}
        for row in store.iter_appearances():
            members.setdefault(row.story_id, []).append({"title": row.title, "source": row.source,
                                                         "published": row.published})
            seqs.setdefault(row.story_id, []).append(row.seq)
            if row.is_first:
                titles.setdefault(row.story_id, []).append(row.title)
        story_rows = []
        for story_id, found in members.items():
            summary = story_summary(found, titles.get(story_id, []))
            story_rows.append({"id": story_id, **summary,
                               "entities": index.stories[story_id].top_entities(6) if story_id in index.stories else [],
                               "first_seq": min(seqs[story_id]), "last_seq": max(seqs[story_id])})
        settings = [{"name": GROUP_OPTIONS_SETTING, "value": json.dumps(dataclasses.asdict(options))},
                    {"name": CONSOLIDATED_SETTING, "value": str(max(seq_of.values(), default=-1))}]
        store.replace_stories(story_rows, settings)
    log.info("wrote %d articles and %d stories into %s", written, len(story_rows), db_url)
    return written


#: The ``articles`` columns the store takes as they are (``minhash`` and ``vector`` are added).
_STORE_COLUMNS = ("key", "seq", "article_id", "title", "text", "source", "url", "published", "published_from",
                  "updated", "language", "dateline", "removed", "input", "story_id", "copy_of", "features")


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
