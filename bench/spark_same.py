"""Same answers on Spark: ``accord spark`` on ``local[2]`` against ``accord ingest`` on ECB+ dev.

The 772 ECB+ dev documents are written, in file order, into eight JSONL shards (eight read
tasks). ``accord spark`` (local[2]) and ``accord ingest`` (a temporary SQLite store, two
reading processes) each run over the shards. Printed: the B-cubed F1 of each path's story
groupings against the ``subtopic`` gold, their difference, whether the two partitions are
identical, and whether the copy pairs match: Spark's ``copies`` table against every pair the
single-machine :class:`~accord.corroborate.copies.CopyIndex` finds, and the groups of articles
linked by ``copy_of`` in the two outputs. Reports are not computed (``--reports`` adds them).

    python -m bench.spark_same [--master local[2]] [--reports]
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.group_ecbplus import FILE, bcubed

SHARDS = 8


def write_shards(folder: Path, rows: list[dict[str, Any]]) -> list[Path]:
    """The rows as JSONL shards, consecutive slices in file order."""
    size = -(-len(rows) // SHARDS)
    paths = []
    for number in range(SHARDS):
        path = folder / f"ecbplus-{number:02d}.jsonl"
        path.write_text("".join(json.dumps(r) + "\n" for r in rows[number * size:(number + 1) * size]),
                        encoding="utf-8")
        paths.append(path)
    return paths


def run_spark(paths: list[Path], out: Path, master: str, reports: bool) -> tuple[list[dict[str, Any]], list[tuple[str, str]], float]:
    """Articles and copy pairs from ``accord spark``, and its wall time."""
    from accord.spark import SparkOptions, run, start_session

    started = time.perf_counter()
    spark = start_session(master)
    try:
        run(paths, out, SparkOptions(master=master, reports=reports), spark=spark)
        articles = [r.asDict() for r in spark.read.parquet(str(out / "articles"))
                    .select("key", "article_id", "story_id", "copy_of").collect()]
        pairs = [(r["key_a"], r["key_b"]) for r in spark.read.parquet(str(out / "copies")).collect()]
    finally:
        spark.stop()
    return articles, pairs, time.perf_counter() - started


def run_ingest(paths: list[Path], db: Path) -> tuple[list[Any], float]:
    """Every article's state from ``accord ingest`` into a new SQLite store, and its wall time."""
    from accord.corpus import ingest
    from accord.store import Store

    started = time.perf_counter()
    url = f"sqlite:///{db}"
    ingest(paths, db_url=url, workers=2)
    with Store.open(url) as store:
        state = list(store.iter_state())
    return state, time.perf_counter() - started


def copy_index_pairs(paths: list[Path]) -> set[tuple[str, str]]:
    """Every copy pair the single-machine CopyIndex finds over the same articles."""
    from accord.corroborate.copies import CopyIndex, content_key, minhash
    from accord.ingest import read_file
    from accord.models import Article

    index = CopyIndex()
    for path in paths:
        for item in read_file(path):
            if isinstance(item, Article):
                index.add(content_key(item.text), minhash(item.text))
    return {(min(a, b), max(a, b)) for a in list(index._signatures) for b in index.copies(a)}  # noqa: SLF001


def linked(links: list[tuple[str, str | None]]) -> set[frozenset[str]]:
    """The groups of keys joined by copy_of links."""
    group: dict[str, set[str]] = {}
    for key, original in links:
        merged = group.get(key, {key}) | (group.get(original, {original}) if original else set())
        for member in merged:
            group[member] = merged
    return {frozenset(m) for m in group.values() if len(m) > 1}


def partition(pairs: list[tuple[str, str]]) -> set[frozenset[str]]:
    """Story id per key as a set of groups of keys."""
    groups: dict[str, set[str]] = {}
    for key, story in pairs:
        groups.setdefault(story, set()).add(key)
    return {frozenset(g) for g in groups.values()}


def main() -> None:
    """Run both paths and print the comparison."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--master", default="local[2]")
    parser.add_argument("--reports", action="store_true", help="also compute every story's report on Spark")
    args = parser.parse_args()
    rows = [json.loads(line) for line in FILE.read_text(encoding="utf-8").splitlines() if line.strip()]
    gold_of = {str(r["id"]): r["subtopic"] for r in rows}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        paths = write_shards(folder, rows)
        articles, pairs, spark_seconds = run_spark(paths, folder / "tables", args.master, args.reports)
        state, ingest_seconds = run_ingest(paths, folder / "accord.db")
        index_pairs = copy_index_pairs(paths)
    gold_by_key = {a["key"]: gold_of[a["article_id"]] for a in articles}
    keys = sorted(gold_by_key)
    spark_story = {a["key"]: a["story_id"] for a in articles}
    ingest_story = {r.key: r.story_id for r in state}
    gold = [gold_by_key[k] for k in keys]
    f_spark = bcubed(gold, [spark_story[k] for k in keys])[2]
    f_ingest = bcubed(gold, [ingest_story[k] for k in keys])[2]
    same_partition = partition(list(spark_story.items())) == partition(list(ingest_story.items()))
    same_pairs = set(pairs) == index_pairs
    same_links = linked([(a["key"], a["copy_of"]) for a in articles]) == linked([(r.key, r.copy_of) for r in state])
    print(f"ECB+ dev: {len(rows)} documents, {len(keys)} distinct bodies, {SHARDS} JSONL shards")
    print(f"accord spark ({args.master}): B-cubed F1 {f_spark:.4f}, {len(set(spark_story.values()))} stories, "
          f"{spark_seconds:.1f} s (session start included)")
    print(f"accord ingest (2 workers):    B-cubed F1 {f_ingest:.4f}, {len(set(ingest_story.values()))} stories, "
          f"{ingest_seconds:.1f} s")
    print(f"difference: {abs(f_spark - f_ingest):.4f}; identical partitions: {same_partition}")
    print(f"copy pairs: spark {len(pairs)}, CopyIndex {len(index_pairs)}, equal: {same_pairs}; "
          f"copy_of groups equal to ingest's: {same_links}")


if __name__ == "__main__":
    main()
