"""Spark scaling: ``accord spark`` over generated corpora of 2k-100k articles on local[1] and local[2].

The corpus is generated (no data needed): news stories of a dozen kinds (fires, floods,
strikes, crashes, court cases, ...) in invented towns, each told by several outlets in
articles of about 300-800 words: the story's own figures (people hurt, firefighters, costs,
dates), names and quotes, which outlets sometimes give differently, among background
paragraphs. About 15% of the articles are syndicated copies of an earlier article of their
story (a dateline and outlet tag before it, a closing line after it). Articles are written
as JSON Lines shards of 250 (one read task each).

Each (size, master) runs in its own process with a fresh Spark session and output folder,
and prints the seconds of each stage (``SparkSummary.stages``: read, copies, grouping,
reports, write) and the peak resident memory of each process of the run, sampled every
0.2 s: the driver (this Python process: grouping runs here), the JVM (in local mode the
executor lives inside it) and each Python worker (the executor's Python processes, where
reading, copies and reports run).

    python -m bench.spark_scale --sizes 2000 --masters 'local[1]' 'local[2]'
    python -m bench.spark_scale --sizes 10000 --masters 'local[2]' --no-reports
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

SHARD = 250

_FIRST = ("Ada Colm Imogen Rosa Ivo Dana Tomas Priya Owen Mara Felix Hana Jonas Lena Nico Ruth Samir Tessa "
          "Victor Wren Alma Bruno Clara Dev Elsa Farid Greta Hugo Iris Jude Kai Lila Milo Nadia Oren Pia "
          "Quinn Rafe Sana Theo Uma Vera Wade Yara Zane").split()
_LAST = ("Morrow Reyes Tate Lind Grant Okafor Halberg Quillon Marsh Fenwick Adler Brandt Castell Dunmore "
         "Ellery Faulk Garrow Hensley Ingram Jessop Kerrow Lomax Maddox Norcott Orrell Pask Quayle Rendall "
         "Selwyn Thorne Upton Vance Whitlock Yardley Abbot Blyth Corrin Darrow Eskew Fairley").split()
_TOWN_A = "Brenn Tarn Harl Orsb Kettb Selb Wexb Lowh Carr Marr Ashf Bryd Cold Dunm Elst Fenl Glen Holm Ivel Kelt".split()
_TOWN_B = "ick ford ow y ham ton worth stead bridge mouth wick field dale port by".split()
_OUTLETS = ("Daily Ledger", "North Post", "Valley Wire", "Tarnford Times", "Coast Herald", "Evening Star",
            "County Courier", "Metro Review", "Harbour Gazette", "Civic Journal", "Morning Bulletin",
            "Regional Press", "Weekly Observer", "City Chronicle", "Plains Tribune", "River Echo")
_WIRE = ("Wire Service", "National Press Agency", "United Newswire")
_DAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()

#: Kinds of events: title templates, facts (name: range) and sentences using them.
_KINDS: list[dict[str, Any]] = [
    {"what": "fire", "place": ["warehouse", "depot", "factory", "apartment block", "school", "market hall"],
     "titles": ["Fire destroys {place} in {town}", "{hurt} hurt as blaze guts {town} {place}",
                "{town} {place} fire: what we know", "Crews fight {place} blaze in {town}"],
     "facts": {"hurt": (2, 30), "crews": (20, 120), "hours": (2, 14), "cost": (1, 40)},
     "lines": ["A fire tore through a {place} on {street} in {town} on {day} night, and {hurt} people were hurt.",
               "More than {crews} firefighters fought the blaze for {hours} hours, fire chief {chief} said.",
               "\"{quote},\" said {chief}, who leads the {town} fire service.",
               "The owner, {org}, put the damage at {cost} million pounds.",
               "Investigators from the county were examining the ruins on {day2}, and {street} stayed closed.",
               "Residents of {street} were asked to keep their windows shut because of the smoke."]},
    {"what": "flood", "place": ["river", "harbour", "valley", "old town"],
     "titles": ["Floods force {evac} from homes in {town}", "{town} {place} bursts its banks",
                "Hundreds evacuated as {town} floods", "Clean-up begins after {town} flood"],
     "facts": {"evac": (40, 900), "homes": (10, 400), "rain": (40, 160), "cost": (2, 60)},
     "lines": ["Heavy rain pushed the {place} over its banks in {town} on {day}, flooding {homes} homes.",
               "About {evac} people were evacuated to the sports hall on {street}, council officials said.",
               "{rain} millimetres of rain fell in 24 hours, the weather service said.",
               "\"{quote},\" said {chief}, the council's emergency manager.",
               "Insurers put the cost of the damage at {cost} million pounds.",
               "Schools in {town} stayed closed on {day2} while the water went down."]},
    {"what": "strike", "place": ["bus drivers", "nurses", "port workers", "teachers", "rail staff"],
     "titles": ["{town} {place} walk out over pay", "Strike by {place} shuts services in {town}",
                "{place} in {town} vote to strike", "Talks fail as {town} strike enters day {hours}"],
     "facts": {"members": (200, 5000), "pay": (3, 12), "hours": (2, 9), "offer": (1, 6)},
     "lines": ["About {members} {place} in {town} walked out on {day} in a dispute over pay.",
               "The union is asking for a rise of {pay} percent; the employer, {org}, offered {offer} percent.",
               "\"{quote},\" said {chief}, who speaks for the union.",
               "The strike is in its {hours}th day, and talks broke down on {day2}.",
               "Managers at {org} said contingency plans would keep some services running.",
               "Pickets gathered outside the depot on {street} from early morning."]},
    {"what": "crash", "place": ["bus", "lorry", "train", "coach"],
     "titles": ["{hurt} injured in {town} {place} crash", "{place} crash closes road near {town}",
                "Police appeal after {town} {place} crash", "Driver held after {place} crash in {town}"],
     "facts": {"hurt": (2, 40), "age": (19, 71), "hours": (2, 11), "speed": (30, 70)},
     "lines": ["A {place} left the road on {street} near {town} on {day} morning, and {hurt} people were injured.",
               "Police said the driver, aged {age}, had been arrested and later released on bail.",
               "The road was closed for {hours} hours while investigators examined the scene.",
               "\"{quote},\" said inspector {chief} of {town} police.",
               "Witnesses said the {place} had been travelling at about {speed} miles per hour.",
               "The operator, {org}, said it was helping the investigation."]},
    {"what": "court case", "place": ["fraud", "bribery", "theft", "arson"],
     "titles": ["{town} official jailed for {place}", "{place} trial opens in {town}",
                "Jury convicts {town} councillor of {place}", "{town} {place} case: sentence handed down"],
     "facts": {"years": (2, 12), "sum": (1, 30), "days": (3, 40), "age": (31, 68)},
     "lines": ["A former official of {org} was sentenced to {years} years in prison for {place} on {day}.",
               "Prosecutors said {sum} million pounds had gone missing over several years.",
               "The trial at {town} Crown Court lasted {days} days.",
               "\"{quote},\" said judge {chief} as she passed sentence.",
               "The defendant, aged {age}, had denied the charges.",
               "{org} said it had changed its controls since the case came to light."]},
    {"what": "storm", "place": ["coast", "harbour", "hill farms", "town centre"],
     "titles": ["Storm leaves {homes} homes without power in {town}", "Storm batters {town} {place}",
                "{town} counts cost of storm", "Winds of {wind} mph hit {town}"],
     "facts": {"homes": (300, 9000), "wind": (60, 110), "trees": (10, 200), "hurt": (1, 12)},
     "lines": ["A storm with gusts of {wind} miles per hour hit the {place} at {town} on {day} night.",
               "About {homes} homes lost power, the network operator {org} said.",
               "Crews cleared {trees} fallen trees from roads around {town} by {day2}.",
               "\"{quote},\" said {chief}, who runs the council's roads team.",
               "{hurt} people were treated in hospital for minor injuries.",
               "Ferries and trains were cancelled until the wind dropped."]},
]
_QUOTES = ["We were lucky the wind turned", "Everyone did what they could in the time they had",
           "Our first thought is with the families", "We will learn every lesson from this",
           "It is too early to say what caused it", "The response from the community has been remarkable",
           "We are asking people to stay away from the area", "This has been a very difficult week for the town",
           "There will be a full review", "We expect the work to take several weeks"]
#: Background sentences: every run of fixed words is short and between random names, towns
#: and numbers, so two articles of different stories share few word 5-grams (copy detection's
#: shingles), as two real reports of different events do.
_BACKGROUND = [
    "{name}, {n1}, who has lived in {town2} for {n2} years, said the {noun} had {verb} {n3} neighbours.",
    "{name} of {town2} said {n1} people had {verb} the {noun} by {day}, up from {n2} a week before.",
    "At least {n1} {noun}s near {town2} were {verb} on {day}, {name} told {outlet}.",
    "{outlet} counted {n1} calls to the {noun} line by {n2} o'clock, {name} of {town2} said.",
    "{name} said {n1} volunteers from {town2} and {n2} from {town3} {verb} the {noun}.",
    "In {year}, {n1} homes in {town2} were {verb}, and {name} said the {noun} cost {n2} thousand pounds.",
    "{name}, a {noun} owner in {town2}, said takings fell by {n1} percent on {day}.",
    "The {noun} at {town2} {verb} {n1} visitors, {n2} more than {name} had expected.",
    "{name} and {name2} of {outlet} {verb} {n1} {noun}s between {town2} and {town3}.",
    "{town2} council will meet on {day} with {n1} items, {name} said, the {noun} among them.",
]
_NOUNS = ("bakery", "ferry", "library", "clinic", "garage", "choir", "orchard", "quarry", "mill", "theatre",
          "stadium", "market", "hostel", "chapel", "depot", "school", "museum", "harbour", "tunnel", "bridge")
_VERBS = ("helped", "visited", "closed", "reopened", "checked", "moved", "counted", "repaired", "served",
          "cleared", "warned", "joined", "inspected", "supplied", "rebuilt")


def _background(rng: random.Random, values: dict[str, str]) -> str:
    return rng.choice(_BACKGROUND).format(
        name=_person(rng), name2=_person(rng), town2=_town(rng), town3=_town(rng), noun=rng.choice(_NOUNS),
        verb=rng.choice(_VERBS), n1=rng.randint(2, 999), n2=rng.randint(2, 999), n3=rng.randint(2, 99),
        day=rng.choice(_DAYS), year=rng.randint(1960, 2022), outlet=rng.choice(_OUTLETS))


def _town(rng: random.Random) -> str:
    return rng.choice(_TOWN_A) + rng.choice(_TOWN_B)


def _person(rng: random.Random) -> str:
    return f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"


class Corpus:
    """Deterministic generated news: :meth:`articles` yields JSON records with their story."""

    def __init__(self, seed: int = 7) -> None:
        self.seed = seed

    def _story(self, rng: random.Random, number: int, day: date) -> dict[str, Any]:
        kind = rng.choice(_KINDS)
        town = _town(rng)
        facts = {name: rng.randint(*span) for name, span in kind["facts"].items()}
        return {"number": number, "kind": kind, "day": day, "facts": facts,
                "values": {"town": town, "place": rng.choice(kind["place"]),
                           "street": f"{rng.choice(_LAST)} {rng.choice(['Street', 'Road', 'Lane', 'Quay'])}",
                           "chief": _person(rng), "org": f"{rng.choice(_LAST)} {rng.choice(['Ltd', 'Group', 'Holdings', 'Trust'])}",
                           "day": _DAYS[day.weekday()], "day2": _DAYS[(day.weekday() + 1) % 7],
                           "pop": rng.randint(8, 90), "year": rng.randint(1990, 2021)},
                "articles": []}

    def _write(self, rng: random.Random, story: dict[str, Any]) -> tuple[str, str]:
        kind = story["kind"]
        facts = dict(story["facts"])
        if rng.random() < 0.3:  # an outlet gives one figure differently
            name = rng.choice(list(facts))
            facts[name] = max(1, facts[name] + rng.choice([-3, -2, -1, 1, 2, 5]))
        values = {**story["values"], **{k: str(v) for k, v in facts.items()}, "quote": rng.choice(_QUOTES)}
        title = rng.choice(kind["titles"]).format(**values)
        title = title[0].upper() + title[1:]
        rest = list(kind["lines"][1:])
        rng.shuffle(rest)
        lines = [kind["lines"][0], *rest]
        target = rng.randint(300, 800)
        paragraphs: list[str] = []
        words = 0
        pool = iter(lines)
        while words < target:
            sentences = []
            for _ in range(rng.randint(2, 3)):
                line = next(pool, None)
                sentences.append(line.format(**values) if line is not None else _background(rng, values))
            paragraph = " ".join(sentences)
            paragraphs.append(paragraph)
            words += len(paragraph.split())
        return title, "\n\n".join(paragraphs)

    def articles(self, n: int) -> Iterator[dict[str, Any]]:
        """n articles of stories of 2 to 10 articles, about 15% of them copies, in publication order."""
        rng = random.Random(self.seed * 1_000_003 + n)
        start = date(2024, 3, 1)
        active: list[dict[str, Any]] = []
        produced = opened = 0
        while produced < n:
            if not active or rng.random() < 0.2:
                opened += 1
                day = start + timedelta(days=opened * 60 // max(1, n // 5))
                story = self._story(rng, opened, day)
                story["left"] = rng.randint(2, 10)
                active.append(story)
            story = rng.choice(active)
            published = story["day"] + timedelta(days=rng.choice([0, 0, 0, 1]))
            if story["articles"] and rng.random() < 0.16:
                original = rng.choice(story["articles"])
                outlet = rng.choice(_OUTLETS)
                title = original["title"]
                text = (f"{story['values']['town'].upper()} ({outlet}) - {original['text']}\n\n"
                        f"This story was first published by {original['source']}.")
                copy_of = original["id"]
            else:
                outlet = rng.choice(_OUTLETS + _WIRE)
                title, text = self._write(rng, story)
                copy_of = None
            record = {"id": f"a{produced:06d}", "title": title, "text": text, "source": outlet,
                      "url": f"https://{outlet.lower().replace(' ', '')}.example/{produced}",
                      "published": published.isoformat(), "story": story["number"], "copy_of": copy_of}
            story["articles"].append(record)
            produced += 1
            yield record
            story["left"] -= 1
            if story["left"] <= 0:
                active.remove(story)


def write_corpus(folder: Path, n: int) -> tuple[list[Path], dict[str, Any]]:
    """The corpus as JSONL shards of :data:`SHARD` articles, and its figures (words, copies, stories)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    shard: list[str] = []
    words = copies = 0
    stories = set()

    def flush() -> None:
        path = folder / f"shard-{len(paths):04d}.jsonl"
        path.write_text("".join(shard), encoding="utf-8")
        paths.append(path)
        shard.clear()

    for record in Corpus().articles(n):
        words += len(record["text"].split())
        copies += record["copy_of"] is not None
        stories.add(record["story"])
        shard.append(json.dumps({k: v for k, v in record.items() if k not in ("story", "copy_of")}) + "\n")
        if len(shard) >= SHARD:
            flush()
    if shard:
        flush()
    return paths, {"articles": n, "mean_words": round(words / n), "copies": copies, "stories": len(stories)}


class _Sampler(threading.Thread):
    """Peak RSS of this process and every process under it, by kind, sampled every 0.2 s."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peaks: dict[int, tuple[str, int]] = {}
        self.peak_total = 0
        self.stop = threading.Event()

    def run(self) -> None:
        import psutil

        me = psutil.Process()
        while not self.stop.is_set():
            total = 0
            for process in [me, *me.children(recursive=True)]:
                try:
                    rss = process.memory_info().rss
                    command = " ".join(process.cmdline())
                except psutil.Error:
                    continue
                kind = ("driver" if process.pid == me.pid else "jvm" if "java" in command
                        else "python daemon" if "pyspark.daemon" in command and process.parent().pid != me.pid
                        and "java" in " ".join(process.parent().cmdline()) else "python worker")
                total += rss
                old = self.peaks.get(process.pid, (kind, 0))[1]
                self.peaks[process.pid] = (kind, max(old, rss))
            self.peak_total = max(self.peak_total, total)
            self.stop.wait(0.2)


def run_one(n: int, master: str, reports: bool) -> dict[str, Any]:
    """Generate n articles and run ``accord spark`` on ``master`` over them; the figures as a dict."""
    from accord.spark import SparkOptions, run, start_session

    with tempfile.TemporaryDirectory(prefix="accord-spark-scale-") as temporary:
        folder = Path(temporary)
        started = time.perf_counter()
        paths, corpus = write_corpus(folder / "corpus", n)
        generated = time.perf_counter() - started
        sampler = _Sampler()
        sampler.start()
        load = os.getloadavg()[0]
        started = time.perf_counter()
        spark = start_session(master)
        session = time.perf_counter() - started
        try:
            summary = run(paths, folder / "tables", SparkOptions(master=master, reports=reports), spark=spark)
        finally:
            spark.stop()
        sampler.stop.set()
        sampler.join()
    by_kind: dict[str, list[int]] = {}
    for kind, peak in sampler.peaks.values():
        by_kind.setdefault(kind, []).append(peak)
    mb = 1024 * 1024
    return {
        "articles": n, "master": master, "reports": reports, **corpus,
        "generate_s": round(generated, 1), "session_s": round(session, 1), "run_s": round(summary.seconds, 1),
        "stages": summary.stages, "rows": summary.rows,
        "peak_mb": {kind: [round(p / mb) for p in sorted(peaks, reverse=True)] for kind, peaks in by_kind.items()},
        "peak_total_mb": round(sampler.peak_total / mb),
        "load_before": round(load, 2), "load_after": round(os.getloadavg()[0], 2),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000])
    parser.add_argument("--masters", nargs="+", default=["local[1]", "local[2]"])
    parser.add_argument("--no-reports", dest="reports", action="store_false", help="skip the reports stage")
    parser.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.sizes[0], args.masters[0], args.reports)))
        return 0
    results = []
    for n in args.sizes:
        for master in args.masters:
            command = [sys.executable, "-m", "bench.spark_scale", "--one", "--sizes", str(n), "--masters", master]
            if not args.reports:
                command.append("--no-reports")
            done = subprocess.run(command, check=True, capture_output=True, text=True)
            result = json.loads(done.stdout.strip().splitlines()[-1])
            results.append(result)
            print(json.dumps(result), flush=True)
    print()
    print("| articles | master | run | read | copies | grouping | reports | write | per article (reports) "
          "| peak JVM | peak Python worker | peak driver |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r in results:
        s = r["stages"]
        per = s.get("reports", 0.0) / r["articles"] * 1000
        peaks = r["peak_mb"]
        print(f"| {r['articles']:,} | {r['master']} | {r['run_s']} s | {s.get('read')} s | {s.get('copies')} s "
              f"| {s.get('grouping')} s | {s.get('reports')} s | {s.get('write')} s | {per:.0f} ms "
              f"| {max(peaks.get('jvm', [0]))} MB | {max(peaks.get('python worker', [0]))} MB "
              f"| {max(peaks.get('driver', [0]))} MB |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
