"""Story clustering quality on ECB+ (group documents by ``subtopic``), B-cubed F1.

Each ECB+ topic holds two different real events of the same kind (two earthquakes,
two arrests of the same actress), which is what must not be merged. Thresholds
are tuned on one half of the topics (odd or even topic numbers) and scored on the
other, for accord's incremental clusterer and for the peer, TF-IDF with
average-link agglomerative clustering (scikit-learn), measured in the same run.
Documents arrive in a fixed shuffled order (news does not come sorted by event).
The documents' date strings are not used: only one event of each topic has them.
"accord without the name gate" is the same clusterer with ``name_min=0`` (an ablation);
"accord group (batch)" is the batch mode of ``accord group`` (two stages of average
link over accord's own vectors; its two thresholds, topic/split, are tuned together
on the tuning half); "batch without fragment merge" is the batch mode with
``merge_threshold=0`` (an ablation: small parts of a split are not folded back).
"accord ingest (incremental + consolidation)" is what ``accord ingest`` does with a
live feed, in memory: the documents arrive in runs of ``FEED_BATCH`` (one ingest run
each, one batch), the incremental index places them, and the consolidation pass at the
end of each run re-clusters the stories that grew with their neighbours, through the
same functions the store's pass calls (:func:`accord.group.consolidation_set`,
:func:`accord.group.regroup`, :meth:`accord.group.StoryIndex.rebuild`); the index keeps
its shipped threshold and the pass's two batch thresholds are tuned as for batch mode (its
fragment merge threshold is the shipped ``consolidate_merge_threshold``).
"accord ingest --no-consolidate" is the same runs without the pass (the index's own
threshold tuned).

    python -m bench.group_ecbplus
"""

from __future__ import annotations

import json
import os
import random
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import Any
from pathlib import Path

from accord.group import GroupOptions, StoryIndex, cluster_batch, consolidation_set, make_doc, regroup

DATA = Path(os.environ.get("ACCORD_DATA", Path(__file__).resolve().parents[2] / "shared" / "data"))
FILE = DATA / "ecbplus_dev.jsonl"
THRESHOLDS = [round(0.04 + 0.02 * i, 2) for i in range(24)]


def bcubed(gold: Sequence[str], pred: Sequence[str]) -> tuple[float, float, float]:
    """B-cubed precision, recall and F1 of a clustering against gold labels."""
    by_gold: dict[str, set[int]] = defaultdict(set)
    by_pred: dict[str, set[int]] = defaultdict(set)
    for i, (g, p) in enumerate(zip(gold, pred, strict=True)):
        by_gold[g].add(i)
        by_pred[p].add(i)
    precision = recall = 0.0
    for i, (g, p) in enumerate(zip(gold, pred, strict=True)):
        shared = len(by_gold[g] & by_pred[p])
        precision += shared / len(by_pred[p])
        recall += shared / len(by_gold[g])
    n = len(gold)
    precision, recall = precision / n, recall / n
    return precision, recall, 2 * precision * recall / (precision + recall)


def accord_cluster(rows: Sequence[dict], threshold: float, **settings: float) -> list[str]:
    """Group rows with accord's incremental clusterer (one batch, in the given order)."""
    options = GroupOptions(threshold=threshold, **settings)
    index = StoryIndex(options)
    docs = [make_doc(r["id"], r["title"] or "", r["text"] or "", options=options)
            for r in rows]
    return index.add_batch(docs)


def accord_batch(rows: Sequence[dict], thresholds: tuple[float, float], **settings: float) -> list[str]:
    """Group rows with accord's batch mode, as ``accord group`` does (topic and split thresholds)."""
    options = GroupOptions(batch_threshold=thresholds[0], split_threshold=thresholds[1], **settings)
    docs = [make_doc(r["id"], r["title"] or "", r["text"] or "", options=options) for r in rows]
    return cluster_batch(docs, options)


#: Documents per ingest run in the consolidation line: a feed polled every few minutes.
FEED_BATCH = 50


def accord_ingest(rows: Sequence[dict], thresholds: tuple[float, float] | None, **settings: float) -> list[str]:
    """Group rows as successive ``accord ingest`` runs of ``FEED_BATCH`` documents do, each ending
    with a consolidation pass (what ``_CorpusState.consolidate`` does, without the store); no pass
    when ``thresholds`` is None."""
    options = (GroupOptions(**settings) if thresholds is None else
               GroupOptions(batch_threshold=thresholds[0], split_threshold=thresholds[1], **settings))
    index = StoryIndex(options)
    docs = [make_doc(r["id"], r["title"] or "", r["text"] or "", options=options) for r in rows]
    story_of: list[str] = []
    vectors: list[dict[str, float]] = []
    for start in range(0, len(docs), FEED_BATCH):
        batch = docs[start:start + FEED_BATCH]
        index.count(batch)
        grown: dict[str, int] = {}
        for offset, doc in enumerate(batch):
            story_id, vector = index.place(doc)
            story_of.append(story_id)
            vectors.append(vector)
            grown[story_id] = start + offset
        if thresholds is None:
            continue
        recent = sorted(grown, key=lambda s: (-grown[s], s))
        chosen, _ = consolidation_set(index, recent, options.consolidate_limit)
        wanted = set(chosen)
        members = [i for i, story_id in enumerate(story_of) if story_id in wanted]
        new_ids = regroup([docs[i] for i in members], [story_of[i] for i in members], options.consolidation(),
                          taken=index.stories)
        affected = {story_of[i] for i, new in zip(members, new_ids) if new != story_of[i]}
        affected |= {new for i, new in zip(members, new_ids) if new != story_of[i]}
        for i, new in zip(members, new_ids):
            story_of[i] = new
        index.rebuild({story_id: [(docs[i], vectors[i]) for i in members if story_of[i] == story_id]
                       for story_id in sorted(affected)})
    return story_of


#: Threshold pairs (topic, split) tried for the batch mode: it has two stages.
BATCH_GRID = [(t1, round(0.03 + 0.02 * i, 2)) for t1 in (0.10, 0.14, 0.18, 0.22) for i in range(12)]


def peer_cluster(rows: Sequence[dict], threshold: float) -> list[str]:
    """TF-IDF (sublinear, English stop words) with average-link agglomerative clustering."""
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.feature_extraction.text import TfidfVectorizer

    matrix = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform(
        [f"{r['title'] or ''}\n{r['text'] or ''}" for r in rows]
    )
    model = AgglomerativeClustering(
        n_clusters=None, metric="cosine", linkage="average", distance_threshold=1.0 - threshold
    )
    return [str(label) for label in model.fit_predict(matrix.toarray())]


def tune(rows: Sequence[dict], cluster: Callable[[Sequence[dict], Any], list[str]],
         grid: Sequence[Any] = THRESHOLDS) -> tuple[Any, float]:
    """The threshold (from ``grid``) with the best B-cubed F1 on these rows, and that F1."""
    gold = [r["subtopic"] for r in rows]
    scored = [(bcubed(gold, cluster(rows, t))[2], -i, t) for i, t in enumerate(grid)]
    best = max(scored)
    return best[2], best[0]


def main() -> int:
    """Tune on one half of the topics, score on the other, both ways, for accord and the peer."""
    if not FILE.exists():
        print(f"no data at {FILE}: skipping (set ACCORD_DATA)")
        return 0
    rows = [json.loads(line) for line in FILE.open(encoding="utf-8")]
    random.Random(13).shuffle(rows)
    dated = [r for r in rows if r.get("date_publish") not in (None, "None", "")]
    in_plus = sum(1 for r in dated if r["subtopic"].endswith("plus"))
    print(f"ECB+ dev: {len(rows)} documents, {len({r['topic'] for r in rows})} topics, "
          f"{len({r['subtopic'] for r in rows})} subtopics. {len(dated)} carry a raw date string, "
          f"{in_plus} of them in the 'ecbplus' subtopics: dates would give away the split, so none is used")
    halves = {
        "odd": [r for r in rows if int(r["topic"]) % 2 == 1],
        "even": [r for r in rows if int(r["topic"]) % 2 == 0],
    }
    systems = {
        "accord (incremental)": accord_cluster,
        "accord without the name gate": lambda rows, t: accord_cluster(rows, t, name_min=0.0),
        "accord group (batch)": accord_batch,
        "batch without fragment merge": lambda rows, t: accord_batch(rows, t, merge_threshold=0.0),
        "accord ingest --no-consolidate": lambda rows, t: accord_ingest(rows, None, threshold=t),
        "accord ingest (incremental + consolidation)": accord_ingest,
        "peer: TF-IDF + average link": peer_cluster,
    }
    print(f"{'system':<44} {'tuned on':<8} {'thr':>9} {'tune F1':>8} {'test':<5} {'P':>6} {'R':>6} {'F1':>6} {'all F1':>7} {'s':>6}")
    for name, cluster in systems.items():
        for tune_half, test_half in (("odd", "even"), ("even", "odd")):
            started = time.perf_counter()
            grid = BATCH_GRID if name.startswith(("accord group (batch)", "batch ", "accord ingest (")) else THRESHOLDS
            threshold, tune_f1 = tune(halves[tune_half], cluster, grid)
            test = halves[test_half]
            p, r, f1 = bcubed([x["subtopic"] for x in test], cluster(test, threshold))
            all_f1 = bcubed([x["subtopic"] for x in rows], cluster(rows, threshold))[2]
            elapsed = time.perf_counter() - started
            shown = "/".join(f"{t:.2f}" for t in threshold) if isinstance(threshold, tuple) else f"{threshold:.2f}"
            print(f"{name:<44} {tune_half:<8} {shown:>9} {tune_f1:>8.3f} {test_half:<5} "
                  f"{p:>6.3f} {r:>6.3f} {f1:>6.3f} {all_f1:>7.3f} {elapsed:>6.1f}")
    default = GroupOptions().threshold
    f1 = bcubed([x["subtopic"] for x in rows], accord_cluster(rows, default))[2]
    print(f"accord with its shipped default threshold {default}: B-cubed F1 {f1:.3f} on all {len(rows)}")
    shipped = GroupOptions()
    pair = (shipped.batch_threshold, shipped.split_threshold)
    f1 = bcubed([x["subtopic"] for x in rows], accord_batch(rows, pair))[2]
    print(f"accord group (batch) with its shipped default thresholds {pair[0]}/{pair[1]}: "
          f"B-cubed F1 {f1:.3f} on all {len(rows)}")
    for label, pair_or_none in (("accord ingest --no-consolidate", None), ("accord ingest (with consolidation)", pair)):
        f1 = bcubed([x["subtopic"] for x in rows], accord_ingest(rows, pair_or_none))[2]
        print(f"{label} with its shipped defaults, runs of {FEED_BATCH}: B-cubed F1 {f1:.3f} on all {len(rows)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
