"""Analysis throughput: ``accord.analyze.analyze_many`` against a bare spaCy ``nlp.pipe``.

Texts: the first ``ACCORD_SPEED_DOCS`` (default 80) news documents of ECB+
(``ecbplus_dev.jsonl``, see shared/data/README.md), their body text as given. Both runs
are single-process, on the same texts, in this one run, after a warm-up; each is timed
in CPU seconds of the process (the machine may be shared), three times alternately,
keeping the fastest. The overhead ratio is (analyze_many time - spaCy time) / spaCy
time: the cost of accord's own work (sentences, entities, quantities, time expressions,
quotes) on top of the parse; the target is at most 0.25. A breakdown times each
extractor on the already-parsed docs.

Run: ``python -m bench.analyze_speed``.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path


_ROUNDS = 3


def _data_dir() -> Path:
    return Path(os.environ.get("ACCORD_DATA") or Path(__file__).resolve().parents[2] / "shared" / "data")


def main() -> int:
    """Time spaCy alone and the whole analysis on the same texts; print both and the ratio."""
    path = _data_dir() / "ecbplus_dev.jsonl"
    if not path.exists():
        print(f"bench.analyze_speed: {path} not found; skipping")
        return 0
    limit = int(os.environ.get("ACCORD_SPEED_DOCS", "80"))
    rows = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            if row.get("text"):
                rows.append(row)
            if len(rows) >= limit:
                break

    from accord.analyze import analyze_many
    from accord.analyze.entities import extract_entities
    from accord.analyze.nlp import get_nlp
    from accord.analyze.quantities import extract_quantities
    from accord.analyze.quotes import extract_quotes
    from accord.analyze.sentences import split_sentences
    from accord.analyze.timex import extract_times
    from accord.models import Article

    articles = [
        Article(id=str(r["id"]), title=r.get("title") or "", text=r["text"], published=(r.get("date_publish") or None))
        for r in rows
    ]
    texts = [a.text for a in articles]
    words = sum(len(t.split()) for t in texts)
    nlp = get_nlp()
    list(nlp.pipe(texts[:4]))  # warm-up
    list(analyze_many(articles[:4]))

    # The machine may be shared: time CPU seconds of this process, alternate the two runs
    # and keep the fastest of each.
    spacy_time = accord_time = float("inf")
    docs: list = []
    analyzed: list = []
    for _ in range(_ROUNDS):
        started = time.process_time()
        docs = list(nlp.pipe(texts, batch_size=16))
        spacy_time = min(spacy_time, time.process_time() - started)
        started = time.process_time()
        analyzed = list(analyze_many(articles, batch_size=16))
        accord_time = min(accord_time, time.process_time() - started)

    parts = {"sentences": 0.0, "entities": 0.0, "quantities": 0.0, "times": 0.0, "quotes": 0.0}
    for article, doc in zip(articles, docs, strict=True):
        t0 = time.process_time()
        sentences = split_sentences(article.text)
        t1 = time.process_time()
        entities = extract_entities(doc, sentences)
        t2 = time.process_time()
        extract_quantities(doc, sentences)
        t3 = time.process_time()
        extract_times(doc, sentences, article.published)
        t4 = time.process_time()
        extract_quotes(doc, sentences, entities)
        t5 = time.process_time()
        for name, value in zip(parts, (t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4), strict=True):
            parts[name] += value

    overhead = (accord_time - spacy_time) / spacy_time
    print(f"{len(texts)} ECB+ documents, {words} words, one process, CPU seconds, best of {_ROUNDS}")
    print(f"spaCy nlp.pipe      {spacy_time:6.2f} s  {words / spacy_time:7.0f} words/s")
    print(f"accord analyze_many {accord_time:6.2f} s  {words / accord_time:7.0f} words/s")
    print(f"overhead ratio      {overhead:6.2f}  (target <= 0.25)")
    share = ", ".join(f"{name} {value:.2f} s ({value / spacy_time:.0%})" for name, value in parts.items())
    print(f"extractors on parsed docs: {share}")
    print(f"mentions: {sum(len(a.entities) for a in analyzed)} entities, "
          f"{sum(len(a.quantities) for a in analyzed)} quantities, "
          f"{sum(len(a.times) for a in analyzed)} times, {sum(len(a.quotes) for a in analyzed)} quotes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
