"""Story clustering at scale: time and peak memory for 10k, 30k and 100k generated articles.

The articles are generated (no data needed): many stories of a few dozen kinds,
each with its own entities, numbers and date, written in a shared vocabulary of
common words, topic words and recurring names, about 300 words each; stories
of one kind share their topic words, and names recur across stories. Each size
runs in its own process (clean peak memory), grouping in chunks of 5,000 as
``accord group`` does; B-cubed F1 against the generated stories shows quality
holds as the corpus grows. The peer, average-link agglomerative clustering, needs
an n x n distance matrix (80 GB at 100k) and is not run here; see
bench/group_ecbplus.py for it.

    nice python -m bench.group_scale            # 10k, 30k, 100k
    python -m bench.group_scale 2000 5000       # other sizes
"""

from __future__ import annotations

import json
import random
import resource
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import date, timedelta

SIZES = (10_000, 30_000, 100_000)
_CHUNK = 5000
_KINDS = 40
_SYLLABLES = "ba be bi bo bu da de di do ka ke ki ko la le li lo ma me mi mo na ne ni no ra re ri ro sa se si so ta te ti to va ve vi vo".split()


def _word(rng: random.Random, syllables: int) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(syllables))


class Generator:
    """Deterministic synthetic news: ``articles(n)`` yields (id, title, text, published, story)."""

    def __init__(self, seed: int = 42) -> None:
        rng = random.Random(seed)
        self.common = list(dict.fromkeys(_word(rng, rng.randint(2, 3)) for _ in range(6000)))
        self.names = list(dict.fromkeys(_word(rng, rng.randint(2, 3)).capitalize() for _ in range(4000)))
        self.places = list(dict.fromkeys(_word(rng, 3).capitalize() for _ in range(800)))
        self.kinds = [[_word(rng, 4) for _ in range(25)] for _ in range(_KINDS)]
        self.seed = seed

    def articles(self, n: int) -> Iterator[tuple[str, str, str, str, str]]:
        """Yield n articles of stories with 1 to 12 articles (mean about 5), in publication order."""
        rng = random.Random(self.seed + n)
        start = date(2024, 1, 1)
        produced = story_no = 0
        active: list[dict] = []
        while produced < n:
            # Open a story now and then; write an article for one of the active ones.
            if not active or rng.random() < 0.22:
                story_no += 1
                day = start + timedelta(days=story_no * 30 // max(1, n // 5))
                active.append({
                    "id": f"s{story_no}", "kind": rng.randrange(_KINDS), "left": rng.randint(1, 12),
                    "people": rng.sample(self.names, 3), "place": rng.choice(self.places),
                    "numbers": [str(rng.randint(2, 900)) for _ in range(3)],
                    "rare": [_word(rng, 4) for _ in range(4)], "day": day,
                })
            story = active[rng.randrange(len(active))]
            story["left"] -= 1
            if story["left"] <= 0:
                active.remove(story)
            produced += 1
            published = story["day"] + timedelta(days=rng.randint(0, 2))
            yield (f"a{produced}", *self._write(rng, story), published.isoformat(), story["id"])

    def _write(self, rng: random.Random, story: dict) -> tuple[str, str]:
        topic = self.kinds[story["kind"]]
        people, place = story["people"], story["place"]
        title = f"{rng.choice(people)} {rng.choice(topic)} in {place} {rng.choice(story['numbers'])}"
        sentences = []
        for _ in range(rng.randint(16, 24)):
            words = []
            for _ in range(rng.randint(10, 18)):
                roll = rng.random()
                if roll < 0.12:
                    words.append(rng.choice(topic))
                elif roll < 0.17:
                    words.append(rng.choice(people))
                elif roll < 0.19:
                    words.append(place)
                elif roll < 0.21:
                    words.append(rng.choice(story["numbers"]))
                elif roll < 0.23:
                    words.append(rng.choice(story["rare"]))
                elif roll < 0.26:
                    words.append(rng.choice(self.names))  # names recur across stories
                else:
                    words.append(self.common[int(rng.paretovariate(1.1)) % len(self.common)])
            sentences.append(words[0].capitalize() + " " + " ".join(words[1:]) + ".")
        return title, " ".join(sentences)


def run_one(n: int) -> dict:
    """Group n generated articles in this process; return time, memory and quality."""
    from accord.group import StoryIndex, make_doc
    from bench.group_ecbplus import bcubed

    index = StoryIndex()
    gold: list[str] = []
    predicted: list[str] = []
    words = 0
    elapsed = 0.0
    chunk: list = []
    for item in Generator().articles(n):
        chunk.append(item)
        if len(chunk) >= _CHUNK:
            elapsed += _group(index, chunk, gold, predicted, make_doc)
            words += sum(len(c[2].split()) for c in chunk)
            chunk = []
    if chunk:
        elapsed += _group(index, chunk, gold, predicted, make_doc)
        words += sum(len(c[2].split()) for c in chunk)
    p, r, f1 = bcubed(gold, predicted)
    return {
        "n": n, "seconds": elapsed, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "stories": len(index.stories), "gold_stories": len(set(gold)), "words": words / n,
        "precision": p, "recall": r, "f1": f1,
    }


def _group(index, chunk, gold, predicted, make_doc) -> float:  # noqa: ANN001 - bench helper
    started = time.perf_counter()
    docs = [make_doc(a, t, x, published=d) for a, t, x, d, _ in chunk]
    predicted.extend(index.add_batch(docs))
    gold.extend(c[4] for c in chunk)
    return time.perf_counter() - started


def main() -> int:
    """Run each size in its own process and print a table."""
    if len(sys.argv) > 2 and sys.argv[1] == "--one":
        print(json.dumps(run_one(int(sys.argv[2]))))
        return 0
    sizes = [int(a) for a in sys.argv[1:]] or list(SIZES)
    print(f"{'articles':>9} {'words/art':>9} {'seconds':>8} {'art/s':>7} {'peak MB':>8} "
          f"{'stories':>8} {'gold':>7} {'B3 P':>6} {'B3 R':>6} {'B3 F1':>6}")
    for n in sizes:
        out = subprocess.run([sys.executable, "-m", "bench.group_scale", "--one", str(n)],
                             capture_output=True, text=True, check=True)
        row = json.loads(out.stdout.strip().splitlines()[-1])
        print(f"{row['n']:>9} {row['words']:>9.0f} {row['seconds']:>8.1f} {row['n'] / row['seconds']:>7.0f} "
              f"{row['peak_mb']:>8.0f} {row['stories']:>8} {row['gold_stories']:>7} "
              f"{row['precision']:>6.3f} {row['recall']:>6.3f} {row['f1']:>6.3f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
