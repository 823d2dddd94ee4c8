"""Latency of ``accord serve`` under concurrent loopback clients, and search quality on ECB+ queries.

Latency: a store is generated (random-word articles grouped into stories, each story with a
stored report of a few facts and discrepancies), ``accord serve`` runs in its own process,
and N concurrent clients (asyncio + httpx) request the stories page, a story page, a search
and the report API in turn; p50 and p99 per page are printed. Every story page has its
report stored, so no request runs the pipeline.

Search quality: the ECB+ dev documents are stored with one story per subtopic (no grouping,
so only search is measured) and each query below, written by reading the subtopics' titles,
names one subtopic: top-1 is the share of queries whose first hit belongs to it, MRR the
mean reciprocal rank of its first hit among the stories of the first 20 hits.

    python -m bench.serve_latency                         # 1,000 stories / 10,000 articles, 50 clients
    python -m bench.serve_latency --large                 # 10,000 stories / 100,000 articles
    python -m bench.serve_latency --db postgresql://u@host/db   # into an empty PostgreSQL database
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
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
from accord.render import to_json
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


def generate(db_url: str, n_stories: int, n_articles: int, seed: int = 13) -> list[str]:
    """Fill an empty store with ``n_stories`` stories of ``n_articles`` articles in all; return the story ids."""
    rng = random.Random(seed)
    vocabulary = _words(rng, 5000)
    store = Store.open(db_url)
    per_story = [1] * n_stories
    for _ in range(n_articles - n_stories):
        per_story[rng.randrange(n_stories)] += 1
    ids, seq = [], 0
    with store.engine.begin() as connection:
        for index, count in enumerate(per_story):
            story_id = f"story-{index:08x}"
            ids.append(story_id)
            topic = rng.sample(vocabulary, 6)
            day = f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            rows, members = [], []
            for _ in range(count):
                text = " ".join(rng.choice(topic) if rng.random() < 0.15 else rng.choice(vocabulary)
                                for _ in range(rng.randint(150, 400))) + "."
                key = f"{seq:032x}"
                outlet = rng.choice(_OUTLETS)
                title = " ".join(rng.sample(topic, 3) + rng.sample(vocabulary, 3)).capitalize()
                rows.append({"key": key, "seq": seq, "article_id": f"a{seq}", "title": title, "text": text,
                             "source": outlet, "url": f"https://outlet.example/{seq}", "published": day,
                             "published_from": "metadata", "removed": json.dumps([["Read more", "navigation"]]),
                             "input": f"a{seq}.txt", "story_id": story_id, "minhash": b"\0", "features": "{}",
                             "vector": "{}"})
                members.append(Article(id=f"a{seq}", title=title, text=text, source=outlet,
                                       url=f"https://outlet.example/{seq}", published=day))
                seq += 1
            connection.execute(articles.insert(), rows)
            connection.execute(sightings.insert(), [
                {"ident": r["key"], "key": r["key"], "is_first": True, "article_id": r["article_id"],
                 "title": r["title"], "source": r["source"], "url": r["url"], "published": day,
                 "published_from": "metadata", "input": r["input"]} for r in rows])
            connection.execute(stories.insert(), [{
                "id": story_id, "title": rows[0]["title"], "size": count, "first_published": day,
                "last_published": day, "sources": json.dumps(sorted({r["source"] for r in rows})),
                "entities": json.dumps(topic[:3]), "first_seq": rows[0]["seq"], "last_seq": rows[-1]["seq"]}])
            connection.execute(story_reports.insert(), [_report_row(story_id, rows[0]["title"], members, rng)])
            if index % 500 == 499:
                print(f"  generated {index + 1} stories, {seq} articles", flush=True)
    store.close()
    return ids


def _report_row(story_id: str, title: str, members: list[Article], rng: random.Random) -> dict[str, Any]:
    """A stored report with a few facts, discrepancies and summary sentences over the story's articles."""
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
            "independent": len(members), "report": to_json(report)}


def _fingerprint(members: list[Article]) -> str:
    from accord.report_store import _digest  # the same rule the store uses: a hash of appearances

    return _digest(f"{int(a.id[1:]):032x}" for a in members)


# --------------------------------------------------------------------------- latency


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def _clients(base: str, ids: list[str], words: list[str], clients: int, rounds: int) -> dict[str, list[float]]:
    import httpx

    timings: dict[str, list[float]] = {"stories page": [], "story page": [], "search": [], "api report": []}
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    retries: list[str] = []

    async def one(client: httpx.AsyncClient, rng: random.Random) -> None:
        for _ in range(rounds):
            for name, path in (("stories page", f"/?sort={rng.choice(['newest', 'sources', 'disputed'])}"
                                                f"&page={rng.randint(1, 20)}"),
                               ("story page", f"/stories/{rng.choice(ids)}"),
                               ("search", f"/search?q={rng.choice(words)}+{rng.choice(words)}"),
                               ("api report", f"/api/stories/{rng.choice(ids)}")):
                started = time.perf_counter()
                try:
                    response = await client.get(path)
                except (httpx.ReadError, httpx.RemoteProtocolError):
                    # A keep-alive connection the server closed as the request went out: send it again.
                    retries.append(path)
                    response = await client.get(path)
                timings[name].append((time.perf_counter() - started) * 1000)
                if response.status_code != 200:
                    raise RuntimeError(f"{path}: {response.status_code}")

    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=60) as client:
        await client.get("/")
        await asyncio.gather(*(one(client, random.Random(i)) for i in range(clients)))
    if retries:
        print(f"{len(retries)} requests sent again after the server closed an idle connection")
    return timings


def latency(db_url: str, ids: list[str], clients: int, rounds: int) -> None:
    """Serve the store in another process and print p50/p99 per page under ``clients`` concurrent clients."""
    port = _free_port()
    log = tempfile.NamedTemporaryFile("w+", suffix=".log", delete=False)  # noqa: SIM115 - kept for the run
    server = subprocess.Popen([sys.executable, "-m", "accord.cli", "serve", "--db", db_url, "--port", str(port)],
                              stderr=log, text=True)
    try:
        deadline = time.monotonic() + 60
        while "serving" not in Path(log.name).read_text() and time.monotonic() < deadline:
            if server.poll() is not None:
                raise RuntimeError(f"accord serve did not start: {Path(log.name).read_text()}")
            time.sleep(0.1)
        time.sleep(0.5)
        with Store.open(db_url) as store, store.engine.connect() as connection:
            words = connection.execute(sa.select(articles.c.title).limit(300)).scalars().all()
        words = sorted({w.lower() for title in words for w in title.split()})
        started = time.perf_counter()
        try:
            timings = asyncio.run(_clients(f"http://127.0.0.1:{port}", ids, words, clients, rounds))
        except Exception:
            print(f"the server's log:\n{Path(log.name).read_text()[-3000:]}", file=sys.stderr)
            raise
        seconds = time.perf_counter() - started
    finally:
        server.terminate()
        server.wait(timeout=30)
        errors = Path(log.name).read_text()
        Path(log.name).unlink()
    if "Traceback" in errors or "error" in errors.lower().split("serving", 1)[-1]:
        print(f"the server logged errors:\n{errors[-2000:]}")
    total = sum(len(t) for t in timings.values())
    print(f"{clients} concurrent clients, {total} requests in {seconds:.1f} s ({total / seconds:.0f}/s)")
    print(f"{'page':<14}{'n':>6}{'p50 ms':>10}{'p99 ms':>10}")
    for name, values in timings.items():
        cut = statistics.quantiles(values, n=100)
        print(f"{name:<14}{len(values):>6}{statistics.median(values):>10.1f}{cut[98]:>10.1f}")


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
        hits = db.search(engine, query, limit=20)
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
    """Generate a store, measure latency, then search quality."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--large", action="store_true", help="10,000 stories and 100,000 articles")
    parser.add_argument("--stories", type=int, default=1000)
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=10, help="requests of each page per client")
    parser.add_argument("--db", help="an empty PostgreSQL database (default: a SQLite file in a temporary folder)")
    args = parser.parse_args()
    n_stories, n_articles = (10_000, 100_000) if args.large else (args.stories, args.articles)
    with tempfile.TemporaryDirectory() as folder:
        db_url = args.db or f"sqlite:///{Path(folder) / 'bench.db'}"
        started = time.perf_counter()
        ids = generate(db_url, n_stories, n_articles)
        print(f"generated {n_stories} stories, {n_articles} articles in {time.perf_counter() - started:.0f} s")
        latency(db_url, ids, args.clients, args.rounds)
        search_quality(db_url)
    return 0


if __name__ == "__main__":
    sys.exit(main())
