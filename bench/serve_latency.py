"""Latency of ``accord serve`` under concurrent loopback clients, and search quality on ECB+ queries.

Latency: a store is generated (random-word articles grouped into stories, each story with a
stored report of a few facts and discrepancies, its JSON and its HTML page), ``accord serve``
runs in its own process, and N concurrent clients (keep-alive connections of a lean asyncio
client: a few lines over sockets, so the load generator takes little of the CPU) request the
stories page, a story page, a search and the report API in turn, each drawn from 2,000
paths; p50 and p99 per page are printed. Every story page has its report stored, so no
request runs the pipeline. With ``--wrk SECONDS`` each page is also measured alone, and all
four mixed, with Debian's ``wrk`` (C, two threads) under the same number of connections.

Search quality: the ECB+ dev documents are stored with one story per subtopic (no grouping,
so only search is measured) and each query below, written by reading the subtopics' titles,
names one subtopic: top-1 is the share of queries whose first hit belongs to it, MRR the
mean reciprocal rank of its first hit among the stories of the first 20 hits.

    python -m bench.serve_latency                         # 1,000 stories / 10,000 articles, 50 clients
    python -m bench.serve_latency --large                 # 10,000 stories / 100,000 articles
    python -m bench.serve_latency --large --keep big.db --wrk 20   # keep the store; also measure with wrk
    python -m bench.serve_latency --large --db postgresql://u@host/db   # into an empty PostgreSQL database
    python -m bench.serve_latency --db postgresql://u@host/db --copy-from sqlite:///big.db   # the same rows
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from accord.models import (Article, Discrepancy, DiscrepancyValue, Evidence, Fact, Report, Story,
                           SummarySentence)
from accord.render import to_html, to_json
from accord.store import Store, articles, sightings, stories, story_reports

ECBPLUS = Path(__file__).resolve().parents[2] / "shared" / "data" / "ecbplus_dev.jsonl"
#: Queries naming one ECB+ subtopic each.
QUERIES = {
    "Tara Reid Promises rehab": "1ecb",
    "Lindsay Lohan Betty Ford": "1ecbplus",
    "Red Sox Teixeira offer": "10ecbplus",
    "Indian navy captures Somali pirates Gulf of Aden": "12ecb",
    "INS Sukanya pirates": "12ecbplus",
    "Wasilla Bible Church fire": "13ecb",
    "Matanuska Maid dairy fire": "13ecbplus",
    "Waitrose fire Surrey": "14ecb",
    "Waitrose Wellington fire": "14ecbplus",
    "Orozco sentenced to death": "16ecbplus",
    "Vancouver office Christmas party shooting": "18ecb",
    "Detroit office shooting fired accountant": "18ecbplus",
    "Greece riots Alexandros": "19ecb",
    "Kimani Gray Brooklyn": "19ecbplus",
    "earthquake island southern Iran": "20ecb",
    "climber dies Aoraki Mount Cook": "23ecbplus",
    "Paris diamond robbers dressed as women": "24ecb",
    "Vincent Gigante dies in prison": "26ecbplus",
    "Mark Felt Deep Throat dies": "28ecb",
    "Fred LaRue dies": "28ecbplus",
    "Colts beat Jaguars 31-24": "29ecb",
    "Colts Chiefs playoffs": "29ecbplus",
    "Ellen DeGeneres to host Oscars": "2ecbplus",
    "Hugh Jackman Oscars host": "2ecb",
}
_SYLLABLES = ["ka", "lo", "min", "tar", "ve", "sol", "dra", "pen", "qui", "rus", "ba", "tel", "or", "ny", "gas"]
_OUTLETS = [f"Outlet {i}" for i in range(60)]


# --------------------------------------------------------------------------- generated store


def _words(rng: random.Random, count: int) -> list[str]:
    return ["".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 3))) for _ in range(count)]


def generate(db_url: str, n_stories: int, n_articles: int, seed: int = 13, workers: int = 2) -> list[str]:
    """Fill an empty store with ``n_stories`` stories of ``n_articles`` articles in all; return the story ids.

    Rows are written straight into the tables (no pipeline: this measures serving), in
    transactions of a few hundred stories; each story's report, with its JSON and its HTML
    page as ``accord ingest --reports`` stores them, is made in ``workers`` processes.
    """
    rng = random.Random(seed)
    vocabulary = _words(rng, 5000)
    store = Store.open(db_url)
    per_story = [1] * n_stories
    for _ in range(n_articles - n_stories):
        per_story[rng.randrange(n_stories)] += 1
    ids: list[str] = []
    seq = 0
    chunk = 250
    with multiprocessing.get_context("spawn").Pool(workers) as pool:
        for first in range(0, n_stories, chunk):
            article_rows, sighting_rows, story_rows, jobs = [], [], [], []
            for index in range(first, min(first + chunk, n_stories)):
                story_id = f"story-{index:08x}"
                ids.append(story_id)
                topic = rng.sample(vocabulary, 6)
                pool_words = vocabulary + topic * 150  # topic words make about 15% of the text
                day = f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
                rows = []
                for _ in range(per_story[index]):
                    text = " ".join(rng.choices(pool_words, k=rng.randint(150, 400))) + "."
                    title = " ".join(rng.sample(topic, 3) + rng.sample(vocabulary, 3)).capitalize()
                    rows.append({"key": f"{seq:032x}", "seq": seq, "article_id": f"a{seq}", "title": title,
                                 "text": text, "source": rng.choice(_OUTLETS), "url": f"https://outlet.example/{seq}",
                                 "published": day, "published_from": "metadata",
                                 "removed": json.dumps([["Read more", "navigation"]]), "input": f"a{seq}.txt",
                                 "story_id": story_id, "minhash": b"\0", "features": "{}", "vector": "{}"})
                    seq += 1
                article_rows += rows
                sighting_rows += [
                    {"ident": r["key"], "key": r["key"], "is_first": True, "article_id": r["article_id"],
                     "title": r["title"], "source": r["source"], "url": r["url"], "published": day,
                     "published_from": "metadata", "input": r["input"]} for r in rows]
                story_rows.append({
                    "id": story_id, "title": rows[0]["title"], "size": len(rows), "first_published": day,
                    "last_published": day, "sources": json.dumps(sorted({r["source"] for r in rows})),
                    "entities": json.dumps(topic[:3]), "first_seq": rows[0]["seq"], "last_seq": rows[-1]["seq"]})
                members = [(r["article_id"], r["title"], r["text"], r["source"], r["url"], day) for r in rows]
                jobs.append((story_id, rows[0]["title"], members, rng.randrange(1 << 30)))
            reports = pool.map(_report_row, jobs, chunksize=10)
            with store.engine.begin() as connection:
                connection.execute(articles.insert(), article_rows)
                connection.execute(sightings.insert(), sighting_rows)
                connection.execute(stories.insert(), story_rows)
                connection.execute(story_reports.insert(), reports)
            print(f"  generated {len(ids)} stories, {seq} articles", flush=True)
    store.close()
    return ids


def _report_row(job: tuple[str, str, list[tuple[str, ...]], int]) -> dict[str, Any]:
    """A stored report with a few facts, discrepancies and summary sentences over the story's articles."""
    story_id, title, rows, seed = job
    rng = random.Random(seed)
    members = [Article(id=i, title=t, text=x, source=s, url=u, published=d) for i, t, x, s, u, d in rows]

    def evidence(article: Article) -> Evidence:
        end = article.text.find(" ", 80) if len(article.text) > 100 else len(article.text)
        return Evidence(article=article.id, sentence=article.text[:end], start=0, end=end)

    facts = tuple(Fact(id=f"f{i}", statement=members[0].text[:90], articles=tuple(a.id for a in members[:3]),
                       independent_sources=min(3, len(members)), evidence=tuple(evidence(a) for a in members[:3]))
                  for i in range(min(4, len(members))))
    discrepancies = tuple(Discrepancy(
        id=f"d{i}", kind="quantity", conflict=rng.random() < 0.5, update=False, about="people injured",
        values=tuple(DiscrepancyValue(value=str(10 + j), qualifier=None, as_of=None, articles=(a.id,),
                                      evidence=(evidence(a),)) for j, a in enumerate(members[:2])))
        for i in range(rng.randint(0, 3) if len(members) > 1 else 0))
    story = Story(id=story_id, title=title, articles=tuple(members), facts=facts, discrepancies=discrepancies,
                  summary=tuple(SummarySentence(text=f.statement, articles=f.articles) for f in facts[:3]))
    report = Report(stories=(story,), generated_by="accord bench")
    return {"story_id": story_id, "fingerprint": _fingerprint(members), "size": len(members),
            "computed_at": "2024-12-01T00:00:00Z", "generated_by": "accord bench", "facts": len(facts),
            "discrepancies": len(discrepancies), "conflicts": sum(d.conflict for d in discrepancies),
            "independent": len(members), "report": to_json(report), "html": to_html(report)}


def _fingerprint(members: list[Article]) -> str:
    from accord.report_store import digest  # the same rule the store uses: a hash of appearances

    return digest(f"{int(a.id[1:]):032x}" for a in members)


def copy_store(source_url: str, target_url: str, chunk: int = 2000) -> list[str]:
    """Copy a generated store (e.g. a kept SQLite file) into an empty one (e.g. PostgreSQL); return the ids."""
    with Store.open(source_url) as source, Store.open(target_url) as target:
        for table, order in ((articles, articles.c.seq), (sightings, sightings.c.id), (stories, stories.c.id),
                             (story_reports, story_reports.c.story_id)):
            columns = [c for c in table.c if c.name != "id" or table is not sightings]
            offset = 0
            with source.engine.connect() as reading:
                while True:
                    rows = [dict(r._mapping) for r in reading.execute(
                        sa.select(*columns).order_by(order).limit(chunk).offset(offset))]
                    if not rows:
                        break
                    with target.engine.begin() as writing:
                        writing.execute(table.insert(), rows)
                    offset += len(rows)
            print(f"  copied {offset} rows of {table.name}", flush=True)
        if target.engine.dialect.name == "postgresql":
            with target.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                connection.execute(sa.text("VACUUM ANALYZE"))
    return stored_ids(target_url)


def stored_ids(db_url: str) -> list[str]:
    """The story ids of a store generated before (empty when it holds none)."""
    with Store.open(db_url) as store, store.engine.connect() as connection:
        return list(connection.execute(sa.select(stories.c.id).order_by(stories.c.id)).scalars())


# --------------------------------------------------------------------------- latency


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _paths(ids: list[str], words: list[str], count: int, seed: int = 7) -> dict[str, list[str]]:
    """``count`` request paths of each page, drawn at random (the same for every run)."""
    rng = random.Random(seed)
    return {
        "stories page": [f"/?sort={rng.choice(['newest', 'sources', 'disputed'])}&page={rng.randint(1, 20)}"
                         for _ in range(count)],
        "story page": [f"/stories/{rng.choice(ids)}" for _ in range(count)],
        "search": [f"/search?q={rng.choice(words)}+{rng.choice(words)}" for _ in range(count)],
        "api report": [f"/api/stories/{rng.choice(ids)}" for _ in range(count)],
    }


async def _get(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, path: str) -> int:
    """One keep-alive HTTP/1.1 GET on an open connection: the status (the body is read and dropped)."""
    writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode("ascii"))
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    length = 0
    for line in head.split(b"\r\n"):
        if line[:15].lower() == b"content-length:":
            length = int(line[15:])
    await reader.readexactly(length)
    return status


async def _clients(port: int, paths: dict[str, list[str]], clients: int,
                   rounds: int) -> dict[str, list[tuple[int, float]]]:
    """``clients`` connections, each requesting every page in turn ``rounds`` times: the round and the
    milliseconds of each request."""
    timings: dict[str, list[tuple[int, float]]] = {name: [] for name in paths}

    async def one(index: int) -> None:
        rng = random.Random(index)
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            for round_ in range(rounds):
                for name, choices in paths.items():
                    path = rng.choice(choices)
                    started = time.perf_counter()
                    status = await _get(reader, writer, path)
                    timings[name].append((round_, (time.perf_counter() - started) * 1000))
                    if status != 200:
                        raise RuntimeError(f"{path}: {status}")
        finally:
            writer.close()

    await asyncio.gather(*(one(i) for i in range(clients)))
    return timings


def _start_server(db_url: str, port: int, workers: int, cache_mb: int) -> tuple[subprocess.Popen[str], Path]:
    log = Path(tempfile.mkstemp(suffix=".log")[1])
    server = subprocess.Popen([sys.executable, "-m", "accord.cli", "serve", "--db", db_url, "--port", str(port),
                               "--workers", str(workers), "--cache-mb", str(cache_mb)],
                              stderr=log.open("w"), text=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"accord serve did not start: {log.read_text()}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as probe:
                probe.sendall(b"GET /static/app.css HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                if probe.recv(12).startswith(b"HTTP/1.1 200"):
                    break
        except OSError:
            time.sleep(0.2)
    else:
        raise RuntimeError("accord serve did not answer within 120 s")
    return server, log


def _warm(port: int, paths: dict[str, list[str]]) -> None:
    """Request every path once (the server's kept answers, the database's and the system's caches)."""
    async def run() -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        for choices in paths.values():
            for path in choices:
                await _get(reader, writer, path)
        writer.close()

    asyncio.run(run())


def _wrk(port: int, paths: list[str], clients: int, seconds: int) -> tuple[float, float, float]:
    """``paths`` (one drawn at random per request) under ``clients`` wrk connections for ``seconds``:
    p50 and p99 (ms) and requests a second."""
    folder = Path(tempfile.mkdtemp())
    try:
        (folder / "paths.txt").write_text("\n".join(paths) + "\n")
        (folder / "paths.lua").write_text(_WRK_SCRIPT.replace("PATHS", str(folder / "paths.txt")))
        output = subprocess.run(["wrk", "-t2", f"-c{clients}", f"-d{seconds}s", "--timeout", "30s", "--latency",
                                 "-s", str(folder / "paths.lua"), f"http://127.0.0.1:{port}"],
                                capture_output=True, text=True, check=True).stdout
    finally:
        shutil.rmtree(folder)
    if "Non-2xx" in output or "Socket errors" in output:
        raise RuntimeError(f"wrk got errors:\n{output}")
    cut = dict(re.findall(r"^\s+(50|99)%\s+(\S+)\s*$", output, flags=re.MULTILINE))
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    return _ms(cut["50"]), _ms(cut["99"]), rate


_WRK_SCRIPT = """
local paths = {}
for line in io.lines("PATHS") do paths[#paths + 1] = line end
request = function() return wrk.format("GET", paths[math.random(#paths)]) end
"""


def _p99(values: list[float]) -> float:
    return statistics.quantiles(values, n=100)[98] if len(values) > 1 else (values or [0.0])[0]


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}[unit]


def _cpu_seconds(root: int) -> float:
    """CPU time (user + system) of a process and its children so far, from /proc (0.0 where there is none)."""
    total, tick = 0.0, os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(stat.parent.name) == root or int(fields[1]) == root:
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def latency(db_url: str, ids: list[str], clients: int, rounds: int, *, workers: int = 1, cache_mb: int = 64,
            wrk_seconds: int = 0, warm: bool = False) -> None:
    """Serve the store in another process and print p50/p99 per page under ``clients`` concurrent clients,
    with the server's CPU time per request (independent of what else runs on the machine)."""
    port = _free_port()
    with Store.open(db_url) as store, store.engine.connect() as connection:
        titles = connection.execute(sa.select(articles.c.title).limit(300)).scalars().all()
    words = sorted({w.lower() for title in titles for w in title.split()})
    paths = _paths(ids, words, 2000)
    server, log = _start_server(db_url, port, workers, cache_mb)
    try:
        if warm:
            started = time.perf_counter()
            _warm(port, paths)
            print(f"warm-up: each of the {sum(len(p) for p in paths.values())} paths requested once "
                  f"in {time.perf_counter() - started:.0f} s")
        started, cpu = time.perf_counter(), _cpu_seconds(server.pid)
        try:
            timings = asyncio.run(_clients(port, paths, clients, rounds))
        except Exception:
            print(f"the server's log:\n{log.read_text()[-3000:]}", file=sys.stderr)
            raise
        seconds, cpu = time.perf_counter() - started, _cpu_seconds(server.pid) - cpu
        total = sum(len(t) for t in timings.values())
        print(f"{workers} worker{'s' if workers > 1 else ''}, {cache_mb} MB kept answers; asyncio client: "
              f"{clients} concurrent connections, {total} requests in {seconds:.1f} s ({total / seconds:.0f}/s), "
              f"server CPU {cpu * 1000 / total:.1f} ms a request")
        # The first round starts all clients at once on a cold server (every answer made, none kept):
        # its figures are shown apart as well as in the whole.
        print(f"{'page':<18}{'n':>6}{'p50 ms':>10}{'p99 ms':>10}{'first round p99':>17}{'later p99':>11}")
        for name, timed in timings.items():
            values = [ms for _round, ms in timed]
            first = [ms for round_, ms in timed if round_ == 0]
            later = [ms for round_, ms in timed if round_ > 0] or values
            print(f"{name:<18}{len(values):>6}{statistics.median(values):>10.1f}{_p99(values):>10.1f}"
                  f"{_p99(first):>17.1f}{_p99(later):>11.1f}", flush=True)
        if wrk_seconds:
            print(f"wrk, {clients} connections, {wrk_seconds} s per page:")
            print(f"{'page':<18}{'req/s':>8}{'p50 ms':>10}{'p99 ms':>10}{'CPU ms/req':>12}")
            for name, choices in [*paths.items(), ("all four, mixed", [p for c in paths.values() for p in c])]:
                cpu = _cpu_seconds(server.pid)
                p50, p99, rate = _wrk(port, choices, clients, wrk_seconds)
                used = (_cpu_seconds(server.pid) - cpu) * 1000 / max(1.0, rate * wrk_seconds)
                print(f"{name:<18}{rate:>8.0f}{p50:>10.1f}{p99:>10.1f}{used:>12.1f}", flush=True)
    finally:
        server.terminate()
        server.wait(timeout=30)
        errors = log.read_text()
        log.unlink()
    if "Traceback" in errors or "error" in errors.lower().split("serving", 1)[-1]:
        print(f"the server logged errors:\n{errors[-2000:]}")


# --------------------------------------------------------------------------- search quality


def search_quality(db_url: str) -> None:
    """Store the ECB+ dev documents (one story per subtopic) and score :data:`QUERIES`."""
    from accord.serve import db

    if not ECBPLUS.exists():
        print(f"search quality: {ECBPLUS} is missing, skipped")
        return
    rows = [json.loads(line) for line in ECBPLUS.open(encoding="utf-8")]
    store = Store.open(db_url)
    with store.engine.begin() as connection:
        connection.execute(articles.insert(), [
            {"key": f"e{i:031x}", "seq": 10_000_000 + i, "article_id": row["id"], "title": row["title"] or "",
             "text": row["text"], "removed": "[]", "story_id": f"ecb-{row['subtopic']}", "minhash": b"\0",
             "features": "{}", "vector": "{}"} for i, row in enumerate(rows)])
    engine = store.engine
    top1, reciprocal = 0, 0.0
    for query, answer in QUERIES.items():
        hits = db.search(engine, query, limit=20).hits
        ranked = list(dict.fromkeys(h["story_id"] for h in hits))
        rank = ranked.index(f"ecb-{answer}") + 1 if f"ecb-{answer}" in ranked else None
        top1 += rank == 1
        reciprocal += 1 / rank if rank else 0.0
        if rank != 1:
            print(f"  {query!r}: the named story is {'at rank ' + str(rank) if rank else 'not in the first 20 hits'}")
    store.close()
    print(f"search quality ({engine.dialect.name}, {len(rows)} ECB+ documents, {len(QUERIES)} queries): "
          f"top-1 {top1 / len(QUERIES):.2f}, MRR {reciprocal / len(QUERIES):.2f}")


def main() -> int:
    """Generate a store (or reuse one), measure latency, then search quality."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--large", action="store_true", help="10,000 stories and 100,000 articles")
    parser.add_argument("--stories", type=int, default=1000)
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=20, help="requests of each page per client")
    parser.add_argument("--db", help="an empty PostgreSQL database, or one this benchmark filled before "
                                     "(default: a SQLite file in a temporary folder)")
    parser.add_argument("--keep", metavar="FILE", help="generate the SQLite store into FILE, or reuse it if "
                                                       "it holds stories already")
    parser.add_argument("--copy-from", metavar="URL", help="fill the empty --db store with a copy of this "
                                                          "generated one (e.g. a --keep file) instead of generating")
    parser.add_argument("--workers", type=int, default=2, help="accord serve --workers (default 2)")
    parser.add_argument("--cache-mb", type=int, default=64, help="accord serve --cache-mb (0: keep no answers)")
    parser.add_argument("--warm", action="store_true",
                        help="request every path once before measuring (by default the server starts cold)")
    parser.add_argument("--wrk", type=int, default=0, metavar="SECONDS",
                        help="also measure each page with wrk (Debian's wrk) for SECONDS")
    parser.add_argument("--no-quality", dest="quality", action="store_false", help="skip the search-quality part")
    args = parser.parse_args()
    n_stories, n_articles = (10_000, 100_000) if args.large else (args.stories, args.articles)
    with tempfile.TemporaryDirectory() as folder:
        db_url = args.db or f"sqlite:///{Path(args.keep or Path(folder) / 'bench.db').resolve()}"
        ids = stored_ids(db_url) if args.db or args.keep else []
        if not ids and args.copy_from:
            started = time.perf_counter()
            ids = copy_store(args.copy_from, db_url)
            print(f"copied {len(ids)} stories from {args.copy_from} in {time.perf_counter() - started:.0f} s")
        elif ids:
            print(f"reusing the {len(ids)} stories stored in {db_url}")
        else:
            started = time.perf_counter()
            ids = generate(db_url, n_stories, n_articles)
            print(f"generated {n_stories} stories, {n_articles} articles in {time.perf_counter() - started:.0f} s")
        latency(db_url, ids, args.clients, args.rounds, workers=args.workers, cache_mb=args.cache_mb,
                wrk_seconds=args.wrk, warm=args.warm)
        if args.quality and not (args.db or args.keep):
            search_quality(db_url)
    return 0


if __name__ == "__main__":
    sys.exit(main())
