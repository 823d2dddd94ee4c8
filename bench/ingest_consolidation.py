"""The cost and effect of consolidation in ``accord ingest``, at scale, through the real ingest path.

Generated articles (bench/group_scale.py's generator: many stories of a few dozen
kinds sharing vocabulary, names and numbers, dated) are written as text files and
ingested into a temporary SQLite store twice, each run in its own process (clean peak
memory): with ``--no-consolidate`` (the incremental index alone, today's behaviour
before consolidation) and with consolidation on (a pass every 8 batches of 500 and at
the end). Prints time, time spent in consolidation passes, peak memory, stories and
B-cubed F1 against the generated stories, side by side.

    nice python -m bench.ingest_consolidation            # 30,000 articles
    nice python -m bench.ingest_consolidation 100000
"""

from __future__ import annotations

import json
import os
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.group_ecbplus import bcubed
from bench.group_scale import Generator


def write_files(folder: Path, n: int) -> dict[str, str]:
    """Write n generated articles as text files; return each file's generated story."""
    gold = {}
    for article_id, title, text, published, story in Generator(seed=11).articles(n):
        (folder / f"{article_id}.txt").write_text(f"{title}\n\n{published}\n\n{text}\n", encoding="utf-8")
        gold[article_id] = story
    return gold


def run_one(folder: str, db: str, consolidate: bool) -> dict:
    """Ingest the folder into the store in this process; return the summary's figures and peak memory."""
    from accord.corpus import ingest

    started = time.perf_counter()
    summary = ingest([folder], db_url=db, workers=os.cpu_count() or 1, consolidate=consolidate)
    return {
        "seconds": time.perf_counter() - started, "passes": summary.consolidation_seconds,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "stories": summary.total_stories, "moved": summary.moved, "merged": summary.merged,
        "split": summary.split, "new": summary.new, "left": summary.left_as_placed,
    }


def main() -> int:
    """Ingest n generated articles without and with consolidation; print a table."""
    if len(sys.argv) > 4 and sys.argv[1] == "--one":
        print(json.dumps(run_one(sys.argv[2], sys.argv[3], sys.argv[4] == "on")))
        return 0
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 30_000
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "in"
        folder.mkdir()
        gold = write_files(folder, n)
        print(f"{n} generated articles, {len(set(gold.values()))} generated stories, {os.cpu_count()} cores")
        print(f"{'run':<40} {'seconds':>8} {'art/s':>6} {'passes s':>9} {'peak MB':>8} {'stories':>8} "
              f"{'moved':>6} {'merged':>7} {'split':>6} {'left':>6} {'B3 P':>6} {'B3 R':>6} {'B3 F1':>6}")
        for mode, label in (("off", "accord ingest --no-consolidate"), ("on", "accord ingest (consolidation)")):
            db = Path(tmp) / f"{mode}.db"
            out = subprocess.run([sys.executable, "-m", "bench.ingest_consolidation", "--one", str(folder),
                                  str(db), mode], capture_output=True, text=True, check=True)
            row = json.loads(out.stdout.strip().splitlines()[-1])
            with sqlite3.connect(db) as connection:
                placed = {Path(name).stem: story for name, story in
                          connection.execute("SELECT input, story_id FROM articles")}
            keys = sorted(placed)
            p, r, f1 = bcubed([gold[k] for k in keys], [placed[k] for k in keys])
            print(f"{label:<40} {row['seconds']:>8.1f} {row['new'] / row['seconds']:>6.0f} {row['passes']:>9.1f} "
                  f"{row['peak_mb']:>8.0f} {row['stories']:>8} {row['moved']:>6} {row['merged']:>7} "
                  f"{row['split']:>6} {row['left']:>6} {p:>6.3f} {r:>6.3f} {f1:>6.3f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
