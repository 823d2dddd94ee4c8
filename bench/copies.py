"""Copy detection: pair precision and recall on ECB+ stories with copy keys.

The keys are ``bench/gold/real_stories/ecb_*.key.json``, written by people reading
every article of one ECB+ subtopic; their ``copies`` field lists groups of article
ids that are the same text (a wire story and its republications, lightly edited or
trimmed). The articles are the rows of ``ecbplus_dev.jsonl`` with the key's
``subtopic``; an article's text is its title, a blank line and its body. Gold pairs
are all pairs within a group; a story with no copies adds no gold pair but can add
false ones. The keys are held out: the copy threshold was not tuned on them.

Systems, in the same run:

- accord (story): :func:`accord.corroborate.copies.find_copies` on each story;
- accord (corpus index): :class:`accord.corroborate.copies.CopyIndex` over all the
  stories' articles at once, as ``accord ingest`` sees them (a pair across stories
  is a false pair);
- containment with quotes (ablation): the same measure and threshold on all the
  text, quotation marks ignored;
- MinHash Jaccard >= 0.5 (peer): plain datasketch MinHash LSH over word 5-gram
  shingles of the whole text, pairs kept at estimated Jaccard >= 0.5.

Keys may be added while the benchmark runs elsewhere: it reads whatever files exist
and skips (with a message) those it cannot read yet.

Run: ``python -m bench.copies``
"""

from __future__ import annotations

import json
import os
import re
import sys
import time
import unicodedata
from collections.abc import Callable, Sequence
from itertools import combinations
from pathlib import Path
from typing import Any

from accord.corroborate.copies import (
    COPY_THRESHOLD,
    SHINGLE,
    CopyIndex,
    containment,
    find_copies,
    minhash,
)
from accord.models import Article
from bench._gold import GOLD

DATA = Path(os.environ.get("ACCORD_DATA", Path(__file__).resolve().parents[2] / "shared" / "data"))
FILE = DATA / "ecbplus_dev.jsonl"
KEYS = GOLD / "real_stories"

Pair = tuple[str, str]
Story = tuple[str, list[Article], set[Pair]]

_WORD = re.compile(r"\w+(?:['’]\w+)*")


def _pair(a: str, b: str) -> Pair:
    return (a, b) if a < b else (b, a)


def load_stories() -> tuple[list[Story], list[str]]:
    """The keyed stories (name, articles, gold pairs) and a note for each key that was skipped."""
    rows: dict[str, list[dict[str, Any]]] = {}
    with FILE.open(encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                row = json.loads(line)
                rows.setdefault(str(row["subtopic"]), []).append(row)
    stories: list[Story] = []
    skipped: list[str] = []
    for path in sorted(KEYS.glob("ecb_*.key.json")):
        try:
            key = json.loads(path.read_text("utf-8"))
            groups, subtopic = key["copies"], str(key["subtopic"])
        except (OSError, ValueError, KeyError, TypeError) as error:
            skipped.append(f"{path.name}: not readable yet ({type(error).__name__})")
            continue
        members = rows.get(subtopic, [])
        if not members:
            skipped.append(f"{path.name}: no articles with subtopic {subtopic!r}")
            continue
        articles = [Article(id=str(r["id"]), title=r.get("title") or "",
                            text=f"{r.get('title') or ''}\n\n{r.get('text') or ''}") for r in members]
        gold = {_pair(a, b) for group in groups for a, b in combinations(sorted(set(group)), 2)}
        stories.append((path.name.removesuffix(".key.json"), articles, gold))
    return stories, skipped


def accord_story(stories: Sequence[Story]) -> set[Pair]:
    """Pairs found by :func:`find_copies`, story by story."""
    found: set[Pair] = set()
    for _, articles, _ in stories:
        for a, others in find_copies(articles).items():
            found.update(_pair(a, b) for b in others)
    return found


def accord_index(stories: Sequence[Story]) -> set[Pair]:
    """Pairs found by one :class:`CopyIndex` over every story's articles, in file order."""
    index = CopyIndex()
    articles = [a for _, story, _ in stories for a in story]
    for article in articles:
        index.add(article.id, minhash(article.text))
    return {_pair(a.id, b) for a in articles for b in index.copies(a.id)}


def _all_shingles(text: str) -> set[bytes]:
    words = _WORD.findall(unicodedata.normalize("NFKC", text).casefold())
    return {" ".join(words[i:i + SHINGLE]).encode("utf-8") for i in range(len(words) - SHINGLE + 1)}


def containment_with_quotes(stories: Sequence[Story]) -> set[Pair]:
    """Ablation: containment of the shorter text at the same threshold, quotations included."""
    found: set[Pair] = set()
    for _, articles, _ in stories:
        sets = [_all_shingles(a.text) for a in articles]
        for i, j in combinations(range(len(articles)), 2):
            if containment(sets[i], sets[j]) >= COPY_THRESHOLD:
                found.add(_pair(articles[i].id, articles[j].id))
    return found


def minhash_jaccard(stories: Sequence[Story]) -> set[Pair]:
    """Peer: datasketch MinHash LSH on whole-text 5-gram shingles, estimated Jaccard >= 0.5."""
    from datasketch import MinHash, MinHashLSH

    found: set[Pair] = set()
    for _, articles, _ in stories:
        lsh = MinHashLSH(threshold=0.5, num_perm=128)
        signatures = {}
        for article in articles:
            signature = MinHash(num_perm=128, seed=1)
            signature.update_batch(sorted(_all_shingles(article.text)))
            signatures[article.id] = signature
            lsh.insert(article.id, signature)
        for a, signature in signatures.items():
            found.update(_pair(a, b) for b in lsh.query(signature)
                         if b != a and signature.jaccard(signatures[b]) >= 0.5)
    return found


def score(found: set[Pair], gold: set[Pair]) -> tuple[float | None, float | None]:
    """Pair precision and recall (None when there is nothing to divide by)."""
    right = len(found & gold)
    return (right / len(found) if found else None, right / len(gold) if gold else None)


def _figure(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


SYSTEMS: dict[str, Callable[[Sequence[Story]], set[Pair]]] = {
    "accord (story)": accord_story,
    "accord (corpus index)": accord_index,
    "containment with quotes": containment_with_quotes,
    "MinHash Jaccard >= 0.5": minhash_jaccard,
}


def main() -> int:
    """Print copy-pair precision and recall of accord and its peers on the keyed stories."""
    if not FILE.exists():
        print(f"bench.copies: {FILE} not found; skipping (set ACCORD_DATA)")
        return 0
    stories, skipped = load_stories()
    for note in skipped:
        print(f"bench.copies: skipped {note}")
    if not stories:
        print(f"bench.copies: no copy keys in {KEYS} (ecb_*.key.json); skipping")
        return 0
    gold = set().union(*(g for _, _, g in stories))
    articles = sum(len(a) for _, a, _ in stories)
    print(f"copies: {len(stories)} stories read, {articles} articles, {len(gold)} gold copy pairs "
          f"(threshold {COPY_THRESHOLD} of the shorter text outside quotes)")
    print(f"{'system':<26} {'pairs':>6} {'right':>6} {'precision':>10} {'recall':>8} {'seconds':>8}")
    found_by: dict[str, set[Pair]] = {}
    for name, system in SYSTEMS.items():
        started = time.perf_counter()
        found = found_by[name] = system(stories)
        elapsed = time.perf_counter() - started
        precision, recall = score(found, gold)
        print(f"{name:<26} {len(found):>6} {len(found & gold):>6} {_figure(precision):>10} "
              f"{_figure(recall):>8} {elapsed:>8.2f}")
    story, index = found_by["accord (story)"], found_by["accord (corpus index)"]
    print(f"story and corpus index agree on {len(story & index)} pairs; "
          f"{len(story - index)} only in the story, {len(index - story)} only in the index")
    return 0


if __name__ == "__main__":
    sys.exit(main())
