"""accord spark on local[2]: the same stories and copies as accord ingest, a retried task, reruns.

One Spark session (``local[2,2]``: two cores, a task may fail once and be retried) runs a
small corpus of text files, an HTML page, a WARC crawl, an RSS feed and a JSONL file three
times: the first run with a task that fails once, a rerun that must change nothing, and a
run with one more input that must add it.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("pyspark", reason="PySpark is not installed: pip install 'accord[spark]'")
if shutil.which("java") is None:
    pytest.skip("no Java runtime: Spark 4 needs Java 17+ (Debian: apt-get install default-jre-headless; "
                "make test installs it)", allow_module_level=True)

from corpus.builders import BRENNICK, mixed_folder

from accord.spark import TABLES, SparkOptions, run, start_session, spark_inputs

pytestmark = [pytest.mark.spark, pytest.mark.slow]

#: A JSONL feed: a light edit of a Brennick article (a copy of it), a new story, and a bad line.
JSONL_LINES = [
    json.dumps({"id": "wire-brennick", "title": "Brennick warehouse fire", "source": "Wire Service",
                "published": "2024-05-07", "text": BRENNICK[0][1].replace("Tuesday night", "Tuesday evening")}),
    json.dumps({"id": "harlow-rail", "title": "Harlow rail bridge reopens after repairs", "published": "2024-05-09",
                "text": "The Harlow rail bridge reopened on Thursday after eight weeks of repairs to its steel "
                        "arches. Network engineer Rosa Lind said trains would run at full speed from Monday. "
                        "Commuters had taken replacement buses between Harlow and Kettby since March."}),
    "{not json",
]
EXTRA = ("Ferry service resumes at Orsby harbour\n\nThe Orsby ferry resumed sailings on Friday after a "
         "storm damaged its landing ramp last week. Harbour master Ivo Grant said the repaired ramp had "
         "passed its safety checks and that the timetable was back to normal for the weekend.\n")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("spark-corpus")
    folder = mixed_folder(root)
    (folder / "feed.jsonl").write_text("\n".join(JSONL_LINES) + "\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    session = start_session("local[2,2]")
    yield session
    session.stop()


@pytest.fixture(scope="module")
def first_run(spark: Any, corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    out = tmp_path_factory.mktemp("spark-out") / "tables"
    marker = out.parent / "failed-once"
    run([corpus], out, SparkOptions(fail_once=str(marker)), spark=spark)
    return out, marker


def _table(spark: Any, out: Path, name: str) -> list[dict[str, Any]]:
    rows = [row.asDict() for row in spark.read.parquet(str(out / name)).collect()]
    return sorted(rows, key=lambda row: json.dumps(row, sort_keys=True, default=repr))


def _ingest_state(corpus: Path, tmp_path: Path) -> list[Any]:
    from accord.corpus import ingest
    from accord.store import Store

    db_url = f"sqlite:///{tmp_path / 'accord.db'}"
    ingest([corpus], db_url=db_url, workers=1)
    with Store.open(db_url) as store:
        return list(store.iter_state())


def _partition(pairs: list[tuple[str, str]]) -> set[frozenset[str]]:
    groups: dict[str, set[str]] = {}
    for key, story in pairs:
        groups.setdefault(story, set()).add(key)
    return {frozenset(keys) for keys in groups.values()}


def test_a_failed_task_is_retried_and_the_tables_are_written(spark: Any, first_run: tuple[Path, Path]) -> None:
    out, marker = first_run
    assert marker.exists(), "the first read task should have failed once"
    assert sorted(p.name for p in out.iterdir()) == sorted(TABLES)
    articles = _table(spark, out, "articles")
    assert len({a["key"] for a in articles}) == len(articles)
    assert sorted(a["seq"] for a in articles) == list(range(len(articles)))


def test_same_stories_and_copies_as_ingest(spark: Any, corpus: Path, first_run: tuple[Path, Path],
                                           tmp_path: Path) -> None:
    out, _ = first_run
    articles = _table(spark, out, "articles")
    state = _ingest_state(corpus, tmp_path)
    assert {a["key"] for a in articles} == {row.key for row in state}
    assert _partition([(a["key"], a["story_id"]) for a in articles]) == _partition(
        [(row.key, row.story_id) for row in state])
    # Which of two copies is read first depends on how each driver orders its reads: compare the
    # groups of articles that copy_of links.
    assert _linked([(a["key"], a["copy_of"]) for a in articles]) == _linked([(r.key, r.copy_of) for r in state])
    copies = _table(spark, out, "copies")
    assert copies, "the fixture has syndicated copies"
    assert {(c["key_a"], c["key_b"]) for c in copies} == _copy_index_pairs(corpus)


def _linked(links: list[tuple[str, str | None]]) -> set[frozenset[str]]:
    """The groups of keys joined by copy_of links (each a key and its original, or None)."""
    group: dict[str, set[str]] = {}
    for key, original in links:
        merged = group.get(key, {key}) | (group.get(original, {original}) if original else set())
        for member in merged:
            group[member] = merged
    return {frozenset(members) for members in group.values() if len(members) > 1}


def _copy_index_pairs(corpus: Path) -> set[tuple[str, str]]:
    """Every pair the single-machine CopyIndex finds over the same articles."""
    from accord.corroborate.copies import CopyIndex, content_key, minhash
    from accord.ingest import read_file
    from accord.models import Article

    index = CopyIndex()
    paths, _ = spark_inputs([corpus])
    for path in paths:
        for item in read_file(path):
            if isinstance(item, Article):
                index.add(content_key(item.text), minhash(item.text))
    return {(min(a, b), max(a, b)) for a in list(index._signatures) for b in index.copies(a)}


def test_stories_members_reports_and_errors(spark: Any, first_run: tuple[Path, Path]) -> None:
    out, _ = first_run
    articles = _table(spark, out, "articles")
    stories = _table(spark, out, "stories")
    members = _table(spark, out, "story_members")
    reports = _table(spark, out, "reports")
    assert {s["story_id"] for s in stories} == {a["story_id"] for a in articles}
    assert sum(s["size"] for s in stories) == len(articles) == len(members)
    assert {r["story_id"] for r in reports} == {s["story_id"] for s in stories}
    for row in reports:
        report = json.loads(row["report"])
        assert [story["id"] for story in report["stories"]] == [row["story_id"]]
    reasons = {e["input"]: e["reason"] for e in _table(spark, out, "errors")}
    assert any(name.endswith("feed.jsonl:3") or "feed.jsonl" in name for name in reasons), reasons


def test_rerun_changes_nothing(spark: Any, corpus: Path, first_run: tuple[Path, Path]) -> None:
    out, _ = first_run
    before = {name: _table(spark, out, name) for name in TABLES}
    summary = run([corpus], out, SparkOptions(), spark=spark)
    assert summary.new_articles == 0
    assert {name: _table(spark, out, name) for name in TABLES} == before


def test_rerun_with_more_inputs_adds_them(spark: Any, first_run: tuple[Path, Path],
                                          tmp_path: Path) -> None:
    out, _ = first_run
    before = {a["key"]: a for a in _table(spark, out, "articles")}
    old_reports = {r["story_id"]: r["report"] for r in _table(spark, out, "reports")}
    extra = tmp_path / "orsby-ferry.txt"
    extra.write_text(EXTRA, encoding="utf-8")
    summary = run([extra], out, SparkOptions(), spark=spark)
    assert summary.new_articles == 1
    after = {a["key"]: a for a in _table(spark, out, "articles")}
    assert after.keys() > before.keys()
    (added,) = after.keys() - before.keys()
    assert after[added]["seq"] == len(before)
    assert all(after[k]["seq"] == before[k]["seq"] and after[k]["story_id"] == before[k]["story_id"] for k in before)
    reports = {r["story_id"]: r["report"] for r in _table(spark, out, "reports")}
    assert after[added]["story_id"] in reports
    assert all(reports[story_id] == text for story_id, text in old_reports.items())


# --------------------------------------------------------------------------- --db


def _store_view(db_url: str) -> tuple[list[tuple[Any, ...]], dict[str, int]]:
    """What ``accord stories`` lists (id aside) with each story's articles as ``accord report --story``
    loads them, and the store's row counts."""
    import sqlalchemy as sa

    from accord.corpus import list_stories, load_story
    from accord.store import Store, articles, sightings, stories

    rows, _, _ = list_stories(db_url)
    view = []
    for row in rows:
        title, members = load_story(db_url, row["id"])
        view.append((row["title"], title, row["size"], row["first_published"], row["last_published"],
                     tuple(row["sources"]), tuple(sorted((a.id, a.source or "", a.url or "") for a in members))))
    with Store.open(db_url) as store, store.engine.connect() as connection:
        counts = {table.name: connection.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()
                  for table in (articles, sightings, stories)}
    return sorted(view), counts


def test_db_holds_the_stories_ingest_stores(spark: Any, corpus: Path, tmp_path: Path) -> None:
    # One more input runs a stored body again (another appearance of it, as a second outlet would).
    folder = tmp_path / "news"
    shutil.copytree(corpus, folder)
    (folder / "mirror").mkdir()
    shutil.copy(folder / "brennick-1.txt", folder / "mirror" / "brennick-1.txt")
    spark_db = f"sqlite:///{tmp_path / 'spark.db'}"
    ingest_db = f"sqlite:///{tmp_path / 'ingest.db'}"
    summary = run([folder], tmp_path / "tables", SparkOptions(reports=False, db=spark_db), spark=spark)
    assert summary.db == spark_db and "store" in summary.stages

    from accord.corpus import ingest

    ingest([folder], db_url=ingest_db, workers=1)
    spark_view, spark_counts = _store_view(spark_db)
    ingest_view, ingest_counts = _store_view(ingest_db)
    assert spark_view == ingest_view
    assert spark_counts == ingest_counts
    assert spark_counts["sightings"] == spark_counts["articles"] + 1

    # A rerun writes no row twice; one more input is added to the store as to the tables.
    run([folder], tmp_path / "tables", SparkOptions(reports=False, db=spark_db), spark=spark)
    assert _store_view(spark_db) == (spark_view, spark_counts)
    extra = tmp_path / "orsby-ferry.txt"
    extra.write_text(EXTRA, encoding="utf-8")
    run([extra], tmp_path / "tables", SparkOptions(reports=False, db=spark_db), spark=spark)
    _, counts = _store_view(spark_db)
    assert counts["articles"] == spark_counts["articles"] + 1
    assert counts["stories"] == spark_counts["stories"] + 1


def _stored_reports(db_url: str) -> dict[str, str]:
    """Each story's stored report (the contract's JSON), all of them current."""
    from accord.render import to_json
    from accord.report_store import load_stored_report
    from accord.store import Store

    found = {}
    with Store.open(db_url) as store:
        for row in store.story_rows():
            stored = load_stored_report(store.engine, row["id"])
            assert stored is not None and stored.current, row["title"]
            found[row["id"]] = to_json(stored.report)
    return found


def test_db_gets_the_reports_ingest_keeps(spark: Any, corpus: Path, tmp_path: Path) -> None:
    import sqlalchemy as sa

    from accord.report_store import refresh_reports
    from accord.store import Store, story_reports

    spark_db = tmp_path / "spark.db"
    summary = run([corpus], tmp_path / "tables", SparkOptions(db=str(spark_db)), spark=spark)
    assert summary.stored_reports == summary.rows["stories"] and "store reports" in summary.stages
    made_by_spark = _stored_reports(str(spark_db))
    # The same store, its reports made again on one machine as `accord ingest --reports` makes them.
    again = tmp_path / "again.db"
    shutil.copy(spark_db, again)
    with Store.open(str(again)) as store, store.engine.begin() as connection:
        connection.execute(sa.delete(story_reports))
    assert refresh_reports(str(again)).computed == len(made_by_spark)
    assert _stored_reports(str(again)) == made_by_spark
    # A rerun finds every stored report current and makes none.
    assert run([corpus], tmp_path / "tables", SparkOptions(db=str(spark_db)), spark=spark).stored_reports == 0


def test_db_refuses_a_store_of_another_corpus(spark: Any, corpus: Path, tmp_path: Path) -> None:
    from accord.corpus import ingest
    from accord.errors import UsageError

    db_url = f"sqlite:///{tmp_path / 'other.db'}"
    extra = tmp_path / "orsby-ferry.txt"
    extra.write_text(EXTRA, encoding="utf-8")
    ingest([extra], db_url=db_url, workers=1)
    with pytest.raises(UsageError, match="holds 1 article these tables"):
        run([corpus], tmp_path / "tables", SparkOptions(reports=False, db=db_url), spark=spark)


def test_cli_takes_a_store_url() -> None:
    from accord.cli import build_parser

    args = build_parser().parse_args(["spark", "crawl/", "--out", "tables/", "--db", "sqlite:///accord.db"])
    assert args.db == "sqlite:///accord.db"
