"""Ingest rate: generated text and HTML files into a temporary SQLite store, articles per second.

Reading, cleaning, HTML extraction, hashing, MinHash and grouping features run in
worker processes; the store writes, copy detection and story placement in the
parent. Measured beside the peer, ``accord.ingest.read`` (what ``accord report``
does: one process, no store), on the same files in the same run.

    python -m bench.ingest_speed            # 1,500 files (1,200 .txt, 300 .html)
    python -m bench.ingest_speed 3000
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

from bench.group_scale import Generator


def write_files(folder: Path, n: int) -> None:
    """Write n generated articles, one in five as an HTML page."""
    from xml.sax.saxutils import escape

    for index, (article_id, title, text, published, _story) in enumerate(Generator(seed=5).articles(n)):
        if index % 5 == 4:
            paragraphs = "".join(f"<p>{escape(p)}.</p>" for p in text.split(". ") if p)
            html = (f"<!DOCTYPE html><html lang='en'><head><title>{escape(title)}</title>"
                    f"<meta property='article:published_time' content='{published}'></head><body>"
                    f"<nav><a href='/'>Home</a></nav><article><h1>{escape(title)}</h1>{paragraphs}</article>"
                    "<footer>Contact us</footer></body></html>")
            (folder / f"{article_id}.html").write_text(html, encoding="utf-8")
        else:
            (folder / f"{article_id}.txt").write_text(f"{title}\n\n{published}\n\n{text}\n", encoding="utf-8")


def main() -> int:
    """Time the peer read and accord ingest with 1 worker and with all cores."""
    from accord.corpus import ingest
    from accord.ingest import read

    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1500
    cores = os.cpu_count() or 1
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "in"
        folder.mkdir()
        write_files(folder, n)
        print(f"{n} generated articles ({n - n // 5} .txt, {n // 5} .html, about 280 words each); {cores} cores")
        started = time.perf_counter()
        result = read([folder])
        seconds = time.perf_counter() - started
        print(f"{'peer: accord.ingest.read (1 process, no store)':<52} {len(result.articles):>6} articles "
              f"{seconds:>7.1f} s {len(result.articles) / seconds:>7.1f} articles/s")
        for workers in (1, cores):
            db = f"sqlite:///{Path(tmp) / f'w{workers}.db'}"
            summary = ingest([folder], db_url=db, workers=workers)
            label = f"accord ingest --workers {workers} (SQLite store)"
            print(f"{label:<52} {summary.new:>6} articles {summary.seconds:>7.1f} s "
                  f"{summary.new / summary.seconds:>7.1f} articles/s  ({summary.total_stories} stories)")
        again = ingest([folder], db_url=f"sqlite:///{Path(tmp) / f'w{cores}.db'}", workers=cores)
        print(f"{'re-ingest of the same files (all already stored)':<52} {again.already_stored:>6} articles "
              f"{again.seconds:>7.1f} s {again.read / again.seconds:>7.1f} articles/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
