"""Numeric discrepancies on real multi-outlet stories, scored against keys written by readers.

Two sets, reported apart:

- ``dev``: the fourteen stories of ``../shared/data/real_stories`` (local news, 5-12
  outlets each). The comparison rules were tuned on these.
- ``own``: stories keyed for accord (``bench/gold/real_stories/ecb_*.key.json``), each key
  written by a reader before accord was run on that story; the articles are the documents
  of one ECB+ subtopic in ``../shared/data/ecbplus_dev.jsonl``. All thirteen were scored
  once before any error on them was looked at (bench/RESULTS.md gives that figure); then
  the errors of every other story by name (``own-tune``) were looked at, and the rest
  (``own-held-out``) stay unseen.

A reported numeric discrepancy is *right* when the values the key knows all belong to one
attribute whose values really differ; *mixed* when they come from two attributes;
*agreeing* when the key says the sources agree; *single* when one source alone states it;
*unknown* when no value is in the key (the classes of ``real_stories/score.py``).
Precision: right / reported. Recall: differing attributes found. Relation right: of the
right ones, ``conflict`` and ``update`` set as the key's relation says. Agreed: agreed
figures stated by two or more articles that appear among the facts, backed by two or
more of those articles with the number in the evidence.

Peer, on the same analysis: every unit word whose quantities take two or more values in
two or more articles is one discrepancy (comparison by counted noun alone).

Run: python -m bench.real_stories [--set dev|own|all] [--held-out] [-v]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
DEV = DATA / "real_stories"
OWN = Path(__file__).resolve().parent / "gold" / "real_stories"
ECBPLUS = DATA / "ecbplus_dev.jsonl"

_SCALE = {"thousand": 1e3, "k": 1e3, "million": 1e6, "m": 1e6, "mn": 1e6, "billion": 1e9, "bn": 1e9, "b": 1e9}
_WORDS = {"zero": 0, "no": 0, "none": 0, "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4,
          "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
          "half": 0.5}
_NUMBER = re.compile(r"(\d+(?:\.\d+)?)\s*(thousand|million|billion|mn|bn|[kmb])?\b")
DIFFERING = ("conflict", "update", "compatible")


@dataclass(frozen=True)
class Story:
    """One keyed story: the JSONL of its articles, its key, and the set it belongs to."""

    name: str
    part: str
    articles: Path
    key: dict[str, Any]


@dataclass
class Score:
    """Counts of one system on one set of stories."""

    classes: dict[str, int] = field(default_factory=lambda: dict.fromkeys(
        ("right", "mixed", "agreeing", "single", "unknown"), 0))
    relation_right: int = 0
    differing: int = 0
    found: int = 0
    by_relation: dict[str, list[int]] = field(default_factory=lambda: {r: [0, 0] for r in DIFFERING})
    agreed: int = 0
    agreed_all: int = 0
    lines: list[str] = field(default_factory=list)

    @property
    def reported(self) -> int:
        return sum(self.classes.values())

    @property
    def precision(self) -> float:
        return self.classes["right"] / self.reported if self.reported else 1.0

    @property
    def recall(self) -> float:
        return self.found / self.differing if self.differing else 1.0

    @property
    def relation(self) -> float:
        right = self.classes["right"]
        return self.relation_right / right if right else 1.0


# --------------------------------------------------------------------------- the key's reading of values


def parse(value: object) -> float | str:
    """A value as a float where it is a number, else its lower-case words (as score.py reads it)."""
    s = str(value).lower().replace(",", "").strip()
    m = _NUMBER.search(s)
    if m:
        return float(m.group(1)) * _SCALE.get(m.group(2) or "", 1)
    for w in s.split():
        if w in _WORDS:
            return float(_WORDS[w])
    return re.sub(r"^(about|around|at least|at most|more than|over|up to|some) ", "", s) or s


def same(a: float | str, b: float | str) -> bool:
    """Equal values, floats up to a relative 1e-4."""
    if isinstance(a, float) and isinstance(b, float):
        return abs(a - b) <= 1e-4 * max(abs(a), abs(b), 1e-9)
    return a == b


def numbers_in(text: str) -> list[float]:
    """Every number a sentence states, digits with scales and number words."""
    t = text.lower().replace(",", "")
    out = [float(m.group(1)) * _SCALE.get(m.group(2) or "", 1) for m in _NUMBER.finditer(t)]
    return out + [float(_WORDS[w]) for w in re.findall(r"[a-z]+", t) if w in _WORDS and w not in ("a", "an", "no")]


# --------------------------------------------------------------------------- scoring


def score_story(story: Story, discrepancies: Sequence[dict[str, Any]], facts: Sequence[dict[str, Any]],
                score: Score) -> None:
    """Add one story's reported numeric discrepancies and facts to ``score``."""
    slots = story.key["slots"]
    found: set[str] = set()
    for d in discrepancies:
        hit: dict[str, set[str]] = {}
        for v in d["values"]:
            pv, arts = parse(v["value"]), set(v["articles"])
            for s in slots:
                for kv in s["values"]:
                    if arts & set(kv["articles"]) and same(pv, parse(kv["value"])):
                        hit.setdefault(s["id"], set()).add(str(pv))
        cls = None
        if len(hit) >= 2:
            best = max(hit, key=lambda k: len(hit[k]))
            cls = "right" if len(hit[best]) == len({str(parse(v["value"])) for v in d["values"]}) else "mixed"
            hit = {best: hit[best]} if cls == "right" else hit
        if not hit:
            cls = "unknown"
        elif len(hit) == 1:
            sid = next(iter(hit))
            slot = next(s for s in slots if s["id"] == sid)
            rel = slot["relation"]
            if rel in DIFFERING and len(hit[sid]) >= 2:
                cls = "right"
                found.add(sid)
                if bool(d.get("conflict")) == (rel == "conflict") and (rel != "update" or d.get("update")):
                    score.relation_right += 1
            elif rel == "agree":
                cls = "agreeing"
            elif rel == "single":
                cls = "single"
            else:
                cls = "agreeing" if len(hit[sid]) < 2 else "right"
        score.classes[cls] += 1
        values = " | ".join(f"{v['value']} {v['articles']}" for v in d["values"])
        score.lines.append(f"  {story.name} {cls:8s} {d.get('about')!r}: {values}  -> {sorted(hit)}")
    for s in slots:
        if s["relation"] in DIFFERING:
            score.differing += 1
            score.by_relation[s["relation"]][1] += 1
            if s["id"] in found:
                score.found += 1
                score.by_relation[s["relation"]][0] += 1
            else:
                score.lines.append(f"  {story.name} MISSED   {s['id']}")
        if s["relation"] != "agree" or not isinstance(parse(s["values"][0]["value"]), float):
            continue
        arts = set().union(*(v["articles"] for v in s["values"]))
        if len(arts) < 2:
            continue
        score.agreed_all += 1
        want = parse(s["values"][0]["value"])
        if any(len(arts & set(f["articles"])) >= 2 and any(
                same(want, n) for e in f["evidence"] if e["article"] in arts for n in numbers_in(e["sentence"]))
               for f in facts):
            score.agreed += 1


def naive_discrepancies(analyzed: Sequence[Any]) -> list[dict[str, Any]]:
    """The peer: quantities grouped by their unit word alone; differing values are a discrepancy."""
    by_unit: dict[str, dict[str, set[str]]] = {}
    for item in analyzed:
        for q in item.quantities:
            if q.unit and q.kind in ("count", "vague"):
                value = q.value.lower() if isinstance(q.value, str) else f"{float(q.value):g}"
                by_unit.setdefault(q.unit.lower(), {}).setdefault(value, set()).add(item.article.id)
    found = []
    for unit, values in sorted(by_unit.items()):
        articles = set().union(*values.values())
        if len(values) >= 2 and len(articles) >= 2:
            found.append({"about": unit, "conflict": True, "update": False,
                          "values": [{"value": v, "articles": sorted(a)} for v, a in sorted(values.items())]})
    return found


# --------------------------------------------------------------------------- stories


def dev_stories() -> Iterator[Story]:
    """The fourteen development stories beside the shared data."""
    for key_path in sorted(DEV.glob("*.key.json")):
        yield Story(key_path.name[: -len(".key.json")], "dev", key_path.with_name(
            key_path.name.replace(".key.json", ".jsonl")), json.loads(key_path.read_text("utf-8")))


def own_stories(workdir: Path) -> Iterator[Story]:
    """Stories keyed for accord: ECB+ subtopics written out as JSONL in ``workdir``."""
    # Keys that name their part ("held-out") were written after the first split; the rest
    # alternate between the tune and held-out parts in name order, as they always have.
    keys = sorted(path for path in OWN.glob("*.key.json") if '"part"' not in path.read_text("utf-8"))
    keys += sorted(path for path in OWN.glob("*.key.json") if '"part"' in path.read_text("utf-8"))
    if not keys or not ECBPLUS.exists():
        return
    rows: dict[str, list[dict[str, Any]]] = {}
    with ECBPLUS.open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            rows.setdefault(row["subtopic"], []).append(row)
    for position, key_path in enumerate(keys):
        key = json.loads(key_path.read_text("utf-8"))
        members = rows.get(key.get("subtopic", ""), [])
        if not members:
            continue
        path = workdir / f"{key['story']}.jsonl"
        with path.open("w", encoding="utf-8") as out:
            for row in members:
                text = detokenize(f"{row['title'].strip()}\n\n{row['text'].strip()}")
                record = {"id": row["id"], "text": text}
                if row.get("date_publish"):
                    # the page's own date line, as collected; accord reads what it can of it
                    record["published"] = detokenize(row["date_publish"])
                out.write(json.dumps(record) + "\n")
        part = "own-" + key["part"] if "part" in key else "own-tune" if position % 2 == 0 else "own-held-out"
        yield Story(key["story"], part, path, key)


_DETOKENIZE = (
    (re.compile(r"(\d), (\d{3})\b"), r"\1,\2"),          # "120, 000" -> "120,000"
    (re.compile(r"(\d) : (\d\d)\b"), r"\1:\2"),         # "9 : 25" -> "9:25"
    (re.compile(r"(\w) - (?=\w)"), r"\1-"),                # "6.1 - magnitude" -> "6.1-magnitude"
    (re.compile(r" (n't|'s|'re|'ve|'ll|'d)\b"), r"\1"),
    (re.compile(r" ([,.;:!?%)])"), r"\1"),
    (re.compile(r"([($]) "), r"\1"),
)


def detokenize(text: str) -> str:
    """Undo the tokenisation of the ECB+ texts ("120, 000 people", "9 : 25", "do n't"), which no
    published page has, so that numbers read as the outlets wrote them."""
    for pattern, repl in _DETOKENIZE:
        text = pattern.sub(repl, text)
    return text


def run(stories: Iterable[Story], verbose: bool) -> dict[str, tuple[Score, Score]]:
    """Report each story with accord and the peer; return the scores per set."""
    from accord.analyze import analyze_story
    from accord.corroborate import corroborate
    from accord.ingest import ReadOptions, read
    from accord.models import to_dict
    from accord.pipeline import story_title

    scores: dict[str, tuple[Score, Score]] = {}
    for story in stories:
        accord_score, peer_score = scores.setdefault(story.part, (Score(), Score()))
        published = story.key.get("reference_date")
        articles = read([story.articles], ReadOptions(published=published)).articles
        analyzed = analyze_story(articles)
        result = to_dict(corroborate(story.name, story_title([a.article for a in analyzed]), analyzed))
        numeric = [d for d in result["discrepancies"] if d["kind"] not in ("date", "attribution")]
        score_story(story, numeric, result["facts"], accord_score)
        score_story(story, naive_discrepancies(analyzed), [], peer_score)
        print(f"  {story.part} {story.name}: {len(numeric)} numeric discrepancies", file=sys.stderr)
    return scores


def _merge(parts: Iterable[Score]) -> Score:
    total = Score()
    for part in parts:
        for name, count in part.classes.items():
            total.classes[name] += count
        for name, (found, all_) in part.by_relation.items():
            total.by_relation[name][0] += found
            total.by_relation[name][1] += all_
        total.relation_right += part.relation_right
        total.differing += part.differing
        total.found += part.found
        total.agreed += part.agreed
        total.agreed_all += part.agreed_all
    return total


def _row(name: str, s: Score) -> str:
    c = s.classes
    rel = ", ".join(f"{r} {a}/{b}" for r, (a, b) in s.by_relation.items())
    return (f"| {name} | {s.precision:.2f} ({c['right']}/{s.reported}: {c['mixed']} mixed, {c['agreeing']} agreeing, "
            f"{c['single']} single, {c['unknown']} unknown) | {s.recall:.2f} ({s.found}/{s.differing}; {rel}) "
            f"| {s.relation:.2f} ({s.relation_right}/{c['right']}) | {s.agreed}/{s.agreed_all} |")


def main(argv: Sequence[str] | None = None) -> int:
    """Score accord and the peer on the dev set and on the project's own keys."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", choices=("dev", "own", "all"), default="all")
    parser.add_argument("--held-out", action="store_true",
                        help="also score the held-out part of the project's keys (for the record, not for tuning)")
    parser.add_argument("--show", choices=("dev", "own-tune", "all"), default="dev",
                        help="whose per-discrepancy lines -v prints (never the held-out part's)")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as workdir:
        stories: list[Story] = []
        if args.set in ("dev", "all"):
            stories += list(dev_stories())
        if args.set in ("own", "all"):
            stories += [s for s in own_stories(Path(workdir)) if args.held_out or s.part != "own-held-out"]
        if not stories:
            print("no keyed stories found (../shared/data/real_stories, bench/gold/real_stories): skipped")
            return 0
        scores = run(stories, args.verbose)
    if args.verbose:
        for part, (accord_score, _) in scores.items():
            if args.show in (part, "all") and part != "own-held-out" or args.show == "all":
                print(f"--- {part}")
                print("\n".join(accord_score.lines))
    print("| set | system | precision | recall (by relation) | relation right | agreed among facts |")
    print("|---|---|---|---|---|---|")
    own = [p for p in scores if p.startswith("own")]
    if len(own) > 1:
        scores["own (all)"] = (_merge(scores[p][0] for p in own), _merge(scores[p][1] for p in own))
    for part, (accord_score, peer_score) in scores.items():
        count = sum(1 for s in stories if s.part == part or part == "own (all)" and s.part.startswith("own"))
        print(_row(f"{part} ({count} stories) | accord", accord_score))
        print(_row(f"{part} ({count} stories) | unit-only peer", peer_score))
    return 0


if __name__ == "__main__":
    sys.exit(main())
